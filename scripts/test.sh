#!/usr/bin/env bash
# Install, lint, run the whole test suite (what CI runs). Extra arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
bash scripts/system-deps.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check --quiet .
set +e
# two workers, each taking whole test folders (tests/conftest.py); MH_TEST_WORKERS=0: serially
.venv/bin/pytest -n "${MH_TEST_WORKERS:-2}" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests"
  exit 0
fi
exit "$status"
