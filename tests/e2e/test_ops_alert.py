"""A failed nightly run tells the ops channel, on the path users run (``airflow dags test``)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from marketing_health.airflow_env import dag_run_states, run_airflow
from marketing_health.demo import logical_date_for
from marketing_health.generate import generate_landing
from marketing_health.settings import Paths
from support.slack_stub import SlackStub, conn_env_var

pytestmark = pytest.mark.integration

AS_OF = date(2026, 11, 20)
OPS_CHANNEL = "#mh-ops-test"


def test_a_failed_task_alerts_ops_and_sends_no_digest(tmp_path) -> None:
    paths = Paths.under(tmp_path / "data")
    generate_landing(paths.landing_dir, seed=3, end_date=AS_OF)
    broken_dbt = tmp_path / "not_a_dbt_project"
    broken_dbt.mkdir()
    with SlackStub() as slack:
        env = {
            "AIRFLOW_HOME": str(tmp_path / "airflow"),
            conn_env_var("slack_marketing_health"): slack.bot_connection(),
            conn_env_var("slack_marketing_health_ops"): slack.bot_connection(),
            "MH_OPS_SLACK_CHANNEL": OPS_CHANNEL,
            "MH_PII_HASH_KEY": "e2e-test-key-not-a-secret",
            "MH_TASK_RETRIES": "0",
            "MH_DBT_PROJECT_DIR": str(broken_dbt),
            "AIRFLOW__API__BASE_URL": "http://airflow.example.test:8080",
        }
        paths = Paths(**{**paths.__dict__, "dbt_project_dir": broken_dbt})
        run_airflow(["db", "migrate"], paths, extra_env=env, capture=True)
        logical = logical_date_for(AS_OF, "UTC")
        run = run_airflow(
            ["dags", "test", "marketing_health", logical],
            paths,
            extra_env=env,
            capture=True,
            check=False,
        )
        state = next(iter(dag_run_states("marketing_health", paths, extra_env=env).values()))
        posts = slack.posts()

    assert state == "failed", (run.stdout + run.stderr)[-3000:]
    ops = [p for p in posts if p.channel == OPS_CHANNEL]
    assert len(ops) == 1, [p.channel for p in posts]
    text = json.dumps(ops[0].json, ensure_ascii=False)
    assert "marketing_health" in text and "dbt_build" in text
    assert "http://airflow.example.test:8080" in text, "the ops alert links to the Airflow run"
    assert not [p for p in posts if p.channel != OPS_CHANNEL], "no campaign digest after a failure"
