# Sourced by the other scripts: installs the locked environment into .venv from the repo's own
# files (uv.lock), so every machine gets the same packages.
set -euo pipefail
UV_VERSION="0.13.9"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! python3 -m uv --version >/dev/null 2>&1; then
  echo "installing uv ${UV_VERSION} ..."
  python3 -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
fi
echo "== environment: locked packages into .venv (uv sync; the first time takes a while) ..."
SECONDS=0
python3 -m uv sync --frozen --compile-bytecode --quiet
echo "   ready in ${SECONDS} s"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export GX_ANALYTICS_ENABLED=False
export DBT_SEND_ANONYMOUS_USAGE_STATS=False
