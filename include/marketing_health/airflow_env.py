"""The environment Airflow runs in for this project: home, DAG and plugin folders inside the repo.

The demo, the tests and ``marketing-health airflow ...`` all start Airflow through
:func:`airflow_environ`, so the UI a user opens shows the same metadata database the demo
wrote, and no example DAGs clutter it. :func:`cluster_environ` adds what every component of a
Celery cluster must share (metadata database, broker, signing keys, warehouse), on top of the
same folders, so the embedded and the cluster mode differ only in those switches.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marketing_health.settings import REPO_ROOT, WAREHOUSE_URL_ENV, Paths

#: Name of one Celery worker among several on the same host, recorded with the host name.
WORKER_NAME_ENV = "MH_WORKER_NAME"


def airflow_environ(paths: Paths, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    home = Path(
        (extra or {}).get("AIRFLOW_HOME") or env.get("AIRFLOW_HOME") or paths.data_dir / "airflow"
    )
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
            WAREHOUSE_URL_ENV: paths.warehouse_url or "",
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


def worker_hostname() -> str:
    """The host name Airflow records for a task (``[core] hostname_callable``), with the worker.

    Airflow keeps the host name of the process that ran each task; two Celery workers on one
    host would look the same there and in the UI. A worker started with ``MH_WORKER_NAME`` is
    recorded as ``<host>-<name>``; without it, as the host's fully qualified name (Airflow's own
    default), e.g. one worker per container.
    """
    host = socket.getfqdn()
    name = os.getenv(WORKER_NAME_ENV, "").strip()
    return f"{host}-{name}" if name else host


@dataclass(frozen=True)
class ClusterSettings:
    """What the components of one Celery cluster share: they must all see the same values.

    ``metadata_url`` is Airflow's database as SQLAlchemy reads it
    (``postgresql+psycopg2://...``); the Celery result backend lives in the same database.
    ``api_url`` is the API server every worker reports task state to (Task Execution API).
    """

    # passwords and keys: kept out of repr, so they cannot reach a log by accident
    metadata_url: str = field(repr=False)
    broker_url: str = field(repr=False)
    api_url: str
    jwt_secret: str = field(repr=False)
    fernet_key: str = field(repr=False)
    api_secret_key: str = field(repr=False)

    @property
    def result_backend(self) -> str:
        """Celery's database result backend on the metadata database, with the same driver.

        The driver stays explicit (``db+postgresql+psycopg2://``): SQLAlchemy's default driver
        for a bare ``postgresql://`` is not the one installed with Airflow everywhere.
        """
        return f"db+{self.metadata_url}"


def cluster_environ(
    paths: Paths, cluster: ClusterSettings, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The embedded environment plus the settings that turn it into a Celery cluster.

    The warehouse follows ``paths`` as in the embedded mode (``Paths.warehouse_url``): a DuckDB
    file only works when every worker sees the same data folder and takes turns writing.
    """
    settings = {
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": cluster.metadata_url,
        "AIRFLOW__CELERY__BROKER_URL": cluster.broker_url,
        "AIRFLOW__CELERY__RESULT_BACKEND": cluster.result_backend,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": cluster.api_url.rstrip("/") + "/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": cluster.jwt_secret,
        "AIRFLOW__API__SECRET_KEY": cluster.api_secret_key,
        "AIRFLOW__CORE__FERNET_KEY": cluster.fernet_key,
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": f"{__name__}.{worker_hostname.__name__}",
        "AIRFLOW__API__BASE_URL": cluster.api_url.rstrip("/"),
    }
    return airflow_environ(paths, {**settings, **(extra or {})})


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
