#!/usr/bin/env bash
# Entrypoint of the locally built PostgreSQL image: what docker-compose.yml uses of the official
# image's (https://hub.docker.com/_/postgres), on Debian's postgresql package.
#   - Started as root, it makes PGDATA belong to the postgres user and runs as that user.
#   - On first start (empty PGDATA) it creates the cluster: superuser POSTGRES_USER (default
#     postgres) with POSTGRES_PASSWORD (required), POSTGRES_INITDB_ARGS passed to initdb, the
#     database POSTGRES_DB (default: the user's name), password logins (scram-sha-256) from any
#     address, listening on every interface of the container.
#   - Then it runs the command, `postgres` by default (arguments starting with "-" go to it).
# While the cluster is being created the server listens on a private socket only, so
# `pg_isready` (the health check) answers only once the real server is up.
set -euo pipefail

if [[ "${1:-}" == -* ]]; then
  set -- postgres "$@"
fi

if [[ "${1:-}" != "postgres" ]]; then
  exec "$@"
fi

if [[ "$(id -u)" == "0" ]]; then
  mkdir -p "${PGDATA}" /var/run/postgresql
  chown -R postgres:postgres "${PGDATA}" /var/run/postgresql
  chmod 0700 "${PGDATA}"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [[ ! -s "${PGDATA}/PG_VERSION" ]]; then
  user="${POSTGRES_USER:-postgres}"
  database="${POSTGRES_DB:-${user}}"
  if [[ -z "${POSTGRES_PASSWORD:-}" ]]; then
    echo "POSTGRES_PASSWORD is empty: the database is not created without a password" >&2
    exit 1
  fi
  echo "creating the database cluster in ${PGDATA} (user ${user}, database ${database}) ..."
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of options, as in the official image
  initdb --username="${user}" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD}") \
    --auth-local=trust --auth-host=scram-sha-256 ${POSTGRES_INITDB_ARGS:-} -D "${PGDATA}" \
    >/dev/null
  printf '\nhost all all all scram-sha-256\n' >>"${PGDATA}/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"${PGDATA}/postgresql.conf"

  init_socket="$(mktemp -d)"
  pg_ctl -D "${PGDATA}" -w -o "-c listen_addresses='' -c unix_socket_directories=${init_socket}" \
    start >/dev/null
  if [[ "${database}" != "postgres" ]]; then
    psql -v ON_ERROR_STOP=1 -h "${init_socket}" -U "${user}" -d postgres -q \
      -c "CREATE DATABASE \"${database}\""
  fi
  pg_ctl -D "${PGDATA}" -m fast -w stop >/dev/null
  rmdir "${init_socket}"
  echo "database cluster ready"
fi

exec "$@"
