"""The failure callback: tells the ops channel, falls back to a file, never raises."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from marketing_health.alerts import notify_ops_failure
from support.slack_stub import conn_env_var

OPS_CONN_ID = "slack_marketing_health_ops"
RUN_ID = "scheduled__2026-11-23T02:00:00+00:00"


def failure_context(exception: BaseException | None = None) -> dict:
    """The parts of an Airflow task context a failure callback reads."""
    ti = SimpleNamespace(
        dag_id="marketing_health",
        task_id="transform.dbt_build",
        run_id=RUN_ID,
        try_number=2,
        map_index=-1,
    )
    return {
        "ti": ti,
        "task_instance": ti,
        "run_id": RUN_ID,
        "logical_date": datetime(2026, 11, 23, 2, tzinfo=UTC),
        "exception": exception or RuntimeError("dbt build failed: 2 models errored\nTraceback ..."),
    }


@pytest.fixture
def runs_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MH_RUNS_DIR", str(tmp_path / "runs"))
    return tmp_path / "runs"


def test_posts_to_the_ops_channel_with_a_link_to_the_log(runs_dir, slack, monkeypatch) -> None:
    monkeypatch.setenv(conn_env_var(OPS_CONN_ID), slack.bot_connection())
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "https://airflow.example.com/")

    notify_ops_failure(failure_context())

    (post,) = slack.posts()
    assert post.channel == "#mh-ops"
    text = post.json["text"]
    for fact in ("marketing_health", "transform.dbt_build", RUN_ID, "try 2"):
        assert fact in text
    assert "RuntimeError: dbt build failed: 2 models errored" in text
    assert "Traceback" not in text
    body = json.dumps(post.json["blocks"])
    assert "2026-11-23T02:00:00+00:00" in body
    url = (
        "https://airflow.example.com/dags/marketing_health/runs/"
        "scheduled__2026-11-23T02%3A00%3A00%2B00%3A00/tasks/transform.dbt_build?try_number=2"
    )
    assert f"<{url}|Open the task log>" in body
    assert not runs_dir.exists()


def test_a_webhook_ops_connection_works_too(runs_dir, slack, monkeypatch) -> None:
    monkeypatch.setenv("MH_SLACK_OPS_CONN_ID", "ops_hook")
    monkeypatch.setenv(conn_env_var("ops_hook"), slack.webhook_connection())

    notify_ops_failure(failure_context())

    (post,) = slack.posts()
    assert post.is_webhook and "transform.dbt_build" in post.json["text"]


def test_without_a_connection_the_alert_is_written_and_logged(runs_dir, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="marketing_health.alerts"):
        notify_ops_failure(failure_context(ValueError("kpis.csv has no header <!channel>")))

    (path,) = (runs_dir / "ops").glob("*_transform.dbt_build.json")
    document = json.loads(path.read_text("utf-8"))
    assert document["channel"] == "#marketing-ops"
    assert document["task_id"] == "transform.dbt_build" and document["try_number"] == 2
    assert document["error"] == "ValueError: kpis.csv has no header <!channel>"
    assert document["log_url"].startswith("http://localhost:8080/dags/marketing_health/runs/")
    assert "kpis.csv has no header" in caplog.text and str(path) in caplog.text


def test_hostile_error_text_cannot_ping_or_leak_a_webhook(runs_dir, slack, monkeypatch) -> None:
    monkeypatch.setenv(conn_env_var(OPS_CONN_ID), slack.bot_connection())
    error = ConnectionError(f"<!channel> @here failed posting to {slack.webhook_url()}")

    notify_ops_failure(failure_context(error))

    (post,) = slack.posts()
    payload = json.dumps(post.json)
    assert "<!channel>" not in payload and "&lt;!channel&gt;" in payload
    assert "@here" not in payload
    assert "stubwebhooksecret" not in payload


def test_slack_down_falls_back_to_a_file(runs_dir, slack, monkeypatch) -> None:
    monkeypatch.setenv(conn_env_var(OPS_CONN_ID), slack.bot_connection())
    slack.stop()

    notify_ops_failure(failure_context())

    assert len(list((runs_dir / "ops").glob("*.json"))) == 1


@pytest.mark.parametrize(
    "context",
    [{}, {"ti": object(), "exception": "not an exception"}, None],
    ids=["empty", "odd-values", "none"],
)
def test_the_callback_never_raises(runs_dir, context) -> None:
    notify_ops_failure(context)  # type: ignore[arg-type]


def test_the_callback_never_raises_when_nothing_can_be_written(
    tmp_path, monkeypatch, caplog
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("MH_RUNS_DIR", str(blocker))

    notify_ops_failure(failure_context())

    assert "The ops alert itself failed" in caplog.text
