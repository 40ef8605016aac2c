# Stands in for ghcr.io/astral-sh/uv in the project's Dockerfile (its first stage runs /uv to
# export uv.lock): the uv the Airflow base image installed from the package index, at /uv.
ARG AIRFLOW_BASE
ARG DEBIAN_BASE
FROM ${AIRFLOW_BASE} AS uv
FROM ${DEBIAN_BASE}
COPY --from=uv /usr/local/bin/uv /uv
ENTRYPOINT ["/uv"]
