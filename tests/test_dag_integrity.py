"""The DAG folder parses cleanly and the nightly DAG follows the project's conventions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from marketing_health.settings import REPO_ROOT

DAGS_DIR = REPO_ROOT / "dags"


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory):
    os.environ.setdefault("AIRFLOW_HOME", str(tmp_path_factory.mktemp("airflow_home")))
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_DIR))


def test_no_import_errors(dagbag) -> None:
    assert dagbag.import_errors == {}


def test_every_dag_is_documented_owned_tagged_and_retried(dagbag) -> None:
    assert dagbag.dags, "no DAG found in dags/"
    for dag_id, dag in dagbag.dags.items():
        assert dag.doc_md and len(dag.doc_md) > 200, f"{dag_id} needs a doc_md"
        assert dag.tags, f"{dag_id} needs tags"
        assert Path(dag.fileloc).stem == dag_id, "dag_id, function name and file name agree"
        for t in dag.tasks:
            assert t.owner not in (None, "airflow"), f"{t.task_id} needs an owner"
            assert t.retries >= 1, f"{t.task_id} needs retries"
            assert t.on_failure_callback, f"{t.task_id} must alert ops when it fails"


def test_nightly_dag_shape(dagbag) -> None:
    dag = dagbag.dags["marketing_health"]
    assert dag.max_active_runs == 1
    assert dag.catchup is False
    assert dag.timetable.expression == "0 2 * * *"
    groups = set(dag.task_group.children)
    assert {"ingest", "transform", "guard", "report", "alert"} <= groups
    ids = set(dag.task_ids)
    for source in (
        "campaigns",
        "kpis",
        "social_posts",
        "email_sends",
        "email_recipients",
        "paid_ads",
        "influencer_posts",
    ):
        assert f"ingest.stage_{source}" in ids
    publish = dag.get_task("ingest.publish_to_warehouse")
    assert {f"ingest.stage_{s}" for s in ("campaigns", "paid_ads")} <= publish.upstream_task_ids
    assert dag.get_task("transform.dbt_build").upstream_task_ids == {"ingest.publish_to_warehouse"}
    assert dag.get_task("report.dbt_build_reporting").upstream_task_ids == {"guard.evaluate_guards"}
    assert dag.get_task("alert.queue_digests").upstream_task_ids == {"report.dbt_build_reporting"}
    report = dag.get_task("alert.write_health_report")
    assert report.upstream_task_ids == {"alert.queue_digests"}
    # the page the digests link to exists before they are sent
    assert dag.get_task("alert.deliver_digests").upstream_task_ids == {"alert.write_health_report"}
    outlets = {a.name for t in dag.tasks for a in t.outlets}
    assert {
        "marketing_health_raw",
        "marketing_health_marts",
        "marketing_health_guard_results",
        "marketing_health_health",
    } <= outlets
    assert [a.name for a in dag.get_task("report.dbt_build_reporting").outlets] == [
        "marketing_health_health"
    ]


def test_dag_file_parses_without_heavy_imports() -> None:
    """Parsing must stay cheap: no duckdb, dbt, pandas or great_expectations at import time."""
    code = (
        "import sys, runpy; runpy.run_path(sys.argv[1]);"
        "heavy = [m for m in ('duckdb', 'dbt.cli.main', 'great_expectations', 'pandas') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(DAGS_DIR / "marketing_health.py")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "AIRFLOW__CORE__LOAD_EXAMPLES": "False"},
    )
    assert out.stdout.strip().splitlines()[-1:] in ([], [""]), (
        f"heavy imports at parse: {out.stdout}"
    )


def test_airflow_components_find_the_locked_airflow(tmp_path) -> None:
    """`airflow standalone` starts its parts as `airflow ...` from PATH: it must be ours."""
    from marketing_health.airflow_env import airflow_environ
    from marketing_health.settings import Paths

    env = airflow_environ(Paths.under(tmp_path))
    first = env["PATH"].split(os.pathsep)[0]
    assert Path(first, "airflow").exists()
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
    assert Path(env["AIRFLOW_HOME"]).is_relative_to(tmp_path) or "AIRFLOW_HOME" in os.environ
