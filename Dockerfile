# syntax=docker/dockerfile:1
#
# Airflow image of the marketing health pipeline: the official Airflow image, extended with the
# exact packages of uv.lock and the `marketing_health` package. docker-compose.yml builds it:
#
#   docker compose build
#
# Follows "Extending the image" (https://airflow.apache.org/docs/docker-stack/build.html):
# packages are installed as the `airflow` user into the image's own environment, with
# apache-airflow pinned to the image's version so nothing can move Airflow silently.

# Both base images are build arguments. Their defaults are the official images; where no
# registry is reachable, marketing_health.deploy.images builds stand-ins from Debian's packages
# and passes them here (see README, "Building the images where no registry is reachable").
# The uv release is the one scripts/bootstrap.sh uses, so the image and a local .venv read the
# lock the same way. Keep the Airflow tag equal to the apache-airflow version in uv.lock
# (tests/deploy checks both).
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9
ARG AIRFLOW_BASE_IMAGE=apache/airflow:3.3.2-python3.11

# --- Stage 1: uv.lock -> pinned requirements ---------------------------------------------------
# --frozen refuses to re-resolve: the image gets what the lock says or nothing.
FROM ${UV_IMAGE} AS lock
WORKDIR /src
COPY pyproject.toml uv.lock ./
RUN ["/uv", "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes", \
     "--no-header", "--output-file", "/requirements.txt"]

# --- Stage 2: the runtime image ------------------------------------------------------------------
FROM ${AIRFLOW_BASE_IMAGE}

# The base image runs as `airflow` already; say so, because pip/uv refuse to install as root.
USER airflow

# Owned by airflow, which removes it after the install (/tmp is sticky: a root-owned file stays).
COPY --from=lock --chown=airflow:0 /requirements.txt /tmp/requirements.txt

# One resolution for the locked pins, Airflow's own version (AIRFLOW_VERSION is set by the base
# image; a conflicting pin fails the build instead of up- or downgrading Airflow) and the four
# providers this stack runs on but uv.lock does not list, because a laptop run does not need
# them: Celery executor, Redis broker, Postgres metadata database and the FAB login. They ship
# with the base image and stay at its versions when those fit the locked pins.
RUN uv pip install --no-cache \
        "apache-airflow==${AIRFLOW_VERSION}" \
        -r /tmp/requirements.txt \
        apache-airflow-providers-celery \
        apache-airflow-providers-fab \
        apache-airflow-providers-postgres \
        apache-airflow-providers-redis \
    && rm /tmp/requirements.txt

# The project package, installed editable from /opt/airflow/include. settings.REPO_ROOT then
# resolves to /opt/airflow, where compose mounts dags/, plugins/, include/ and dbt_project/;
# a mounted include/ replaces this copy, so code edits need no rebuild.
COPY --chown=airflow:0 pyproject.toml README.md /opt/airflow/
COPY --chown=airflow:0 include/ /opt/airflow/include/
RUN uv pip install --no-cache --no-deps --editable /opt/airflow

# Data folder (landing zone, DuckDB warehouse, run outputs). Created here, group-writable (umask
# 0002, see the docs on arbitrary user ids), so a fresh named volume mounted on it inherits an
# owner that can write.
RUN umask 0002 && mkdir -p /opt/airflow/var/landing /opt/airflow/var/warehouse /opt/airflow/var/runs

ENV MH_REPO_ROOT=/opt/airflow \
    MH_DATA_DIR=/opt/airflow/var \
    MH_DBT_PROJECT_DIR=/opt/airflow/dbt_project \
    GX_ANALYTICS_ENABLED=False \
    DBT_SEND_ANONYMOUS_USAGE_STATS=False
