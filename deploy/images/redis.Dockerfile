# Redis from Debian's package on the imported Debian base, standing in for the official redis
# image in docker-compose.yml: a server on port 6379 for the other containers (no password, as
# there; the compose file publishes no port for it), redis-cli for the health check, data in /data.
ARG DEBIAN_BASE
FROM ${DEBIAN_BASE}

ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8

RUN apt-get update -q \
    && apt-get install -y -q --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
    && mkdir -p /data \
    && chown redis:redis /data

VOLUME /data
WORKDIR /data
USER redis
EXPOSE 6379
# No configuration file: listen on every interface of the container; protected mode off because
# only the compose network reaches it, as in the official image.
CMD ["redis-server", "--protected-mode", "no", "--dir", "/data"]
