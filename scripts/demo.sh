#!/usr/bin/env bash
# Install, generate a sample landing zone, run one real nightly DAG run, print where to look.
# Extra arguments go to `marketing-health demo` (e.g. --seed 11 --end-date 2026-11-01).
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec .venv/bin/marketing-health demo "$@"
