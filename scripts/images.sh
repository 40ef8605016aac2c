#!/usr/bin/env bash
# Build the compose stack's images without an image registry: a Debian base from debootstrap,
# the Airflow image from the project's Dockerfile with the locked packages from the package
# index, PostgreSQL and Redis from Debian's packages. Needs root (debootstrap) and a running
# Docker daemon. Images whose content tag exists are not rebuilt; --force rebuilds them.
# Then: docker-compose -f docker-compose.yml -f deploy/compose.local-images.yml up -d
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec .venv/bin/python -m marketing_health.deploy.images "$@"
