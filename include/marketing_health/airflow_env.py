"""The environment Airflow runs in for this project: home, DAG and plugin folders inside the repo.

The demo, the tests and ``marketing-health airflow ...`` all start Airflow through
:func:`airflow_environ`, so the UI a user opens shows the same metadata database the demo
wrote, and no example DAGs clutter it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from marketing_health.settings import REPO_ROOT, Paths


def airflow_environ(paths: Paths, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    home = Path(env.get("AIRFLOW_HOME") or paths.data_dir / "airflow")
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
            "MH_DATA_DIR": str(paths.data_dir),
            "MH_LANDING_DIR": str(paths.landing_dir),
            "MH_WAREHOUSE": str(paths.warehouse),
            "MH_RUNS_DIR": str(paths.runs_dir),
            "MH_STAGING_DIR": str(paths.staging_dir),
            "MH_DBT_PROJECT_DIR": str(paths.dbt_project_dir),
            "MH_DBT_TARGET_DIR": str(paths.dbt_target_dir),
            "GX_ANALYTICS_ENABLED": "False",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        }
    )
    # `airflow standalone` starts its components as `airflow ...` found on PATH.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(extra or {})
    return env


def airflow_executable() -> str:
    """The ``airflow`` script next to this interpreter, so the locked environment is used."""
    candidate = Path(sys.executable).with_name("airflow")
    return str(candidate) if candidate.exists() else (shutil.which("airflow") or "airflow")


def run_airflow(
    args: Sequence[str],
    paths: Paths,
    *,
    extra_env: Mapping[str, str] | None = None,
    check: bool = True,
    capture: bool = False,
) -> subprocess.CompletedProcess[str]:
    env = airflow_environ(paths, extra_env)
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [airflow_executable(), *args],
        env=env,
        check=check,
        text=True,
        capture_output=capture,
    )


def dag_run_states(
    dag_id: str, paths: Paths, *, extra_env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Run id -> state of the DAG's runs, newest first, as the Airflow CLI reports them."""
    import json
    import re

    out = run_airflow(
        ["dags", "list-runs", dag_id, "-o", "json"], paths, extra_env=extra_env, capture=True
    ).stdout
    match = re.search(r"^\[(?:\{|\])", out, flags=re.MULTILINE)  # skip warnings printed first
    runs = json.loads(out[match.start() :]) if match else []
    return {r["run_id"]: r["state"] for r in runs}
