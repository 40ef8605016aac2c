# PostgreSQL from Debian's package on the imported Debian base, standing in for the official
# postgres image in docker-compose.yml: same data folder, same POSTGRES_USER / POSTGRES_PASSWORD /
# POSTGRES_DB / POSTGRES_INITDB_ARGS settings, pg_isready on the PATH for the health check.
ARG DEBIAN_BASE
FROM ${DEBIAN_BASE}

ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 \
    PG_MAJOR=15

# postgresql-common first, told not to create a cluster: the entrypoint creates the one in
# PGDATA on first start, from the settings above.
RUN apt-get update -q \
    && apt-get install -y -q --no-install-recommends postgresql-common \
    && sed -ri 's/#(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf \
    && apt-get install -y -q --no-install-recommends "postgresql-${PG_MAJOR}" \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
    && mkdir -p /var/run/postgresql /var/lib/postgresql/data \
    && chown -R postgres:postgres /var/run/postgresql /var/lib/postgresql \
    && chmod 2777 /var/run/postgresql \
    && chmod 0700 /var/lib/postgresql/data

COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 0755 /usr/local/bin/docker-entrypoint.sh

ENV PATH=/usr/lib/postgresql/${PG_MAJOR}/bin:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin \
    PGDATA=/var/lib/postgresql/data
VOLUME /var/lib/postgresql/data
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
