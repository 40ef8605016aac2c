# What the project's Dockerfile expects of apache/airflow, built on the Debian base that
# marketing_health.deploy.images imports from debootstrap (no registry needed): Debian's
# Python 3.11 in a virtual environment the `airflow` user (uid 50000, group 0) owns and `uv`
# installs into, AIRFLOW_HOME=/opt/airflow, AIRFLOW_VERSION, curl for the health checks and an
# /entrypoint that does what docker-compose.yml asks of the official one (see
# airflow-entrypoint.sh). Airflow itself is not installed here: the project's Dockerfile installs
# it with the locked packages.
ARG DEBIAN_BASE
FROM ${DEBIAN_BASE}

ARG AIRFLOW_VERSION
ARG UV_VERSION
ARG AIRFLOW_UID=50000

ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 \
    LC_ALL=C.UTF-8 \
    PYTHONUNBUFFERED=1

RUN apt-get update -q \
    && apt-get install -y -q --no-install-recommends \
        python3.11 python3.11-venv curl dumb-init \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb

# Certificate authorities the building host trusts beyond Debian's (an HTTPS proxy between this
# network and the package index, say). The build context carries copies made for the build
# only; the folder may be empty.
COPY extra-ca-certificates/ /usr/local/share/ca-certificates/
RUN update-ca-certificates
# pip and uv read the system bundle, which now holds those authorities too.
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt

# uv from the package index, at the version scripts/bootstrap.sh pins.
RUN python3.11 -m venv /tmp/uv-install \
    && /tmp/uv-install/bin/pip install --quiet --no-cache-dir --disable-pip-version-check \
        "uv==${UV_VERSION}" \
    && cp /tmp/uv-install/bin/uv /usr/local/bin/uv \
    && rm -rf /tmp/uv-install \
    && uv --version

# The airflow user, as in the official image: uid 50000, primary group 0, so that a container
# started with any uid and group 0 (AIRFLOW_UID in .env) can write what group 0 may write.
# /etc/passwd is group-writable so the entrypoint can name such a uid.
RUN useradd --uid "${AIRFLOW_UID}" --gid 0 --home-dir /home/airflow --create-home \
        --shell /bin/bash airflow \
    && mkdir -p /opt/airflow /opt/venv \
    && chown -R airflow:0 /opt/airflow /opt/venv /home/airflow \
    && chmod -R g+rwX /opt/airflow /opt/venv /home/airflow \
    && chmod g+w /etc/passwd

COPY airflow-entrypoint.sh /entrypoint
RUN chmod 0755 /entrypoint

ENV AIRFLOW_HOME=/opt/airflow \
    AIRFLOW_USER_HOME_DIR=/home/airflow \
    AIRFLOW_UID=${AIRFLOW_UID} \
    AIRFLOW_VERSION=${AIRFLOW_VERSION} \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy

USER airflow
WORKDIR /opt/airflow
RUN umask 0002 && uv venv --quiet --allow-existing --python /usr/bin/python3.11 /opt/venv

ENTRYPOINT ["/usr/bin/dumb-init", "--", "/entrypoint"]
CMD []
