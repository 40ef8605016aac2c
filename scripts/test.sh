#!/usr/bin/env bash
# Install, lint, run the whole test suite (what CI runs). Extra arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
bash scripts/system-deps.sh
# With MH_STACK_TEST=1 (the compose stack test), as root: the stack's images are built in the
# background from here on, so the debootstrap and package downloads overlap the lint and the
# other tests; the stack test runs last on its worker, waits for this build (a lock) if it is
# not done yet, and finds the images made. dockerd is started here when none runs, and stopped
# at the end with the build, also when the run is interrupted (Ctrl-C, SIGTERM).
if [ "${MH_STACK_TEST:-}" = "1" ] && [ "$(id -u)" -eq 0 ] && command -v dockerd >/dev/null 2>&1; then
  mkdir -p var/test-artifacts
  started_dockerd="" images_build=""
  stop_docker() {
    if [ -n "$images_build" ]; then kill "$images_build" 2>/dev/null || true; wait "$images_build" 2>/dev/null || true; fi
    if [ -n "$started_dockerd" ]; then
      # a stack test killed before its clean-up leaves containers that restart with the next
      # dockerd ("restart: always"): on the daemon started here, everything is this run's
      local project
      for project in $(docker ps -a --filter label=com.docker.compose.project --format '{{.Label "com.docker.compose.project"}}' | grep '^mhstack' | sort -u); do
        docker ps -aq --filter "label=com.docker.compose.project=$project" | xargs -r docker rm -f -v >/dev/null
        docker volume ls -q --filter "name=${project}_" | xargs -r docker volume rm >/dev/null
        docker network ls -q --filter "name=${project}_" | xargs -r docker network rm >/dev/null
      done
      kill "$started_dockerd" 2>/dev/null || true
      wait "$started_dockerd" 2>/dev/null || true
    fi
  }
  trap stop_docker EXIT
  # a signal ends the script through its EXIT trap (pytest, sent the same Ctrl-C, cleans up first)
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if ! docker info >/dev/null 2>&1; then
    # in a session of its own: a Ctrl-C must not stop it before the stack is taken down on it
    setsid dockerd >var/test-artifacts/dockerd.log 2>&1 &
    started_dockerd=$!
    for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  # At the lowest CPU and I/O priority: the tests come first, and the stack test, handed out
  # last (schedule_last), finds the images long done. debootstrap runs below this process; the
  # RUN steps run in Docker's cgroup, which weighs as one ordinary process against the tests.
  low_io=""
  if command -v ionice >/dev/null 2>&1; then low_io="ionice -c 2 -n 7"; fi
  nice -n 19 $low_io .venv/bin/python -m marketing_health.deploy.images >var/test-artifacts/images-build.log 2>&1 &
  images_build=$!
  echo "building the compose stack's images in the background: var/test-artifacts/images-build.log"
fi
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
