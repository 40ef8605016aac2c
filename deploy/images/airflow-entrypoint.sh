#!/usr/bin/env bash
# Entrypoint of the locally built Airflow image: what docker-compose.yml relies on from the
# official image's entrypoint (https://airflow.apache.org/docs/docker-stack/entrypoint.html),
# nothing more:
#   - a container started with an arbitrary uid (AIRFLOW_UID) gets a passwd entry and a home;
#   - the metadata database is waited for (CONNECTION_CHECK_MAX_COUNT tries, 0: no wait);
#   - _AIRFLOW_DB_MIGRATE=true migrates it, _AIRFLOW_WWW_USER_CREATE=true creates the login
#     _AIRFLOW_WWW_USER_USERNAME / _AIRFLOW_WWW_USER_PASSWORD (role Admin);
#   - "bash ..." and "python ..." run as given, "airflow <command>" and "<command>" run
#     `airflow <command>` (api-server, scheduler, celery worker ...).
set -euo pipefail

if ! whoami >/dev/null 2>&1; then
  if [[ -w /etc/passwd ]]; then
    echo "airflow-$(id -u):x:$(id -u):0:airflow user:${AIRFLOW_USER_HOME_DIR}:/sbin/nologin" \
      >>/etc/passwd
  fi
  export HOME="${AIRFLOW_USER_HOME_DIR}"
fi

wait_for_metadata_database() {
  local tries="${CONNECTION_CHECK_MAX_COUNT:-20}" sleep="${CONNECTION_CHECK_SLEEP_TIME:-3}"
  [[ "${tries}" -gt 0 && -n "${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-}" ]] || return 0
  local attempt
  for ((attempt = 1; attempt <= tries; attempt++)); do
    # SQLAlchemy alone: importing Airflow for `airflow db check` would cost every container
    # several seconds of CPU before it starts.
    if python - <<'PY' 2>/dev/null; then
import os

import sqlalchemy

engine = sqlalchemy.create_engine(os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
with engine.connect() as connection:
    connection.execute(sqlalchemy.text("select 1"))
PY
      return 0
    fi
    echo "waiting for the metadata database (${attempt}/${tries}) ..." >&2
    sleep "${sleep}"
  done
  echo "the metadata database cannot be reached: check AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" >&2
  exit 1
}

wait_for_metadata_database

if [[ "${_AIRFLOW_DB_MIGRATE:-}" == "true" ]]; then
  airflow db migrate
fi

if [[ "${_AIRFLOW_WWW_USER_CREATE:-}" == "true" ]]; then
  if [[ -z "${_AIRFLOW_WWW_USER_PASSWORD:-}" ]]; then
    echo "_AIRFLOW_WWW_USER_PASSWORD is empty: no login created" >&2
    exit 1
  fi
  # An existing user is kept as it is (the command says so and succeeds).
  airflow users create \
    --username "${_AIRFLOW_WWW_USER_USERNAME:-admin}" \
    --firstname "${_AIRFLOW_WWW_USER_FIRSTNAME:-Airflow}" \
    --lastname "${_AIRFLOW_WWW_USER_LASTNAME:-Admin}" \
    --email "${_AIRFLOW_WWW_USER_EMAIL:-airflowadmin@example.com}" \
    --role "${_AIRFLOW_WWW_USER_ROLE:-Admin}" \
    --password "${_AIRFLOW_WWW_USER_PASSWORD}"
fi

case "${1:-}" in
  bash | python) exec "$@" ;;
  airflow) shift ;;
  "") exec airflow --help ;;
esac
exec airflow "$@"
