"""A failure alert that cannot reach the ops channel is not swallowed: the callback logs why
(its own error with the traceback), records the lost alert, and the next ops digest says so.

Everything goes over HTTP to a local Slack stand-in: what the callback tried to send, Slack's
500 or a connection closed mid-request, and the ops digest that tells the loss the next night.
"""

from __future__ import annotations

import json
import logging

import pytest
from tests.alerts.test_ops_alerts import OPS_CONN_ID, RUN_ID, failure_context
from tests.ingest.ingest_support import landing_path, rows, run_ingest, write_csv

from marketing_health.alerts import (
    build_ops_digest,
    deliver_pending,
    notify_ops_failure,
    queue_digests,
)
from marketing_health.alerts.ops_lost import lost_folder
from marketing_health.warehouse import connect
from support.slack_stub import SlackStub, conn_env_var

NIGHT = "2026-11-23"
NEXT_NIGHT = "2026-11-24"


@pytest.fixture
def ops_slack(slack, monkeypatch):
    """The ops connection points at the stand-in; the ops channel is #mh-ops."""
    monkeypatch.setenv(conn_env_var(OPS_CONN_ID), slack.bot_connection())
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    return slack


@pytest.fixture
def alert_log(caplog):
    """The alerts' log records, also once Airflow's logging setup (imported with the ingest)
    has taken the root logger's handlers."""
    logger = logging.getLogger("marketing_health.alerts")
    level = logger.level
    logger.addHandler(caplog.handler)
    logger.setLevel(logging.INFO)
    yield caplog
    logger.removeHandler(caplog.handler)
    logger.setLevel(level)


def _ops_digest_sent(paths, pii_key, slack, night: str, run_key: str) -> list:
    """Run a night's ingest, build and deliver its ops digest; the posts Slack accepted."""
    write_csv(
        landing_path(paths, "social_posts", "posts.csv", day=night),
        rows("social_posts", 2, night),
    )
    run_ingest(paths, pii_key, run_id=run_key)
    slack.clear()
    with connect(paths.warehouse) as con:
        digest = build_ops_digest(con, night, run_key, None, runs_dir=paths.runs_dir)
        if digest is not None:
            queue_digests(con, [digest], night)
            deliver_pending(paths, con, wait_budget_seconds=5)
    return slack.posts()


def _text(post) -> str:
    parts = [post.json.get("text", "")]
    for block in post.json.get("blocks", []):
        if "text" in block:
            parts.append(block["text"]["text"])
    return "\n".join(parts)


@pytest.mark.parametrize("fault", ["answers-500", "closes-connection"])
def test_slack_refusing_the_alert_is_told_in_the_next_ops_digest(
    paths, pii_key, ops_slack, alert_log, fault
) -> None:
    if fault == "answers-500":
        ops_slack.fail_next(20, status=500)
        why = "Slack answered HTTP 500"
    else:
        ops_slack.close_next(20)
        why = "Slack could not be reached"

    notify_ops_failure(failure_context(), paths)

    # what the callback tried to send: the task, the run and the error, to #mh-ops
    tried = ops_slack.requests
    assert tried and not ops_slack.posts()
    assert {r.status for r in tried} == ({500} if fault == "answers-500" else {0})
    assert tried[0].channel == "#mh-ops"
    assert "transform.dbt_build" in tried[0].json["text"]
    assert "RuntimeError: dbt build failed: 2 models errored" in tried[0].json["text"]
    # the loss is logged and recorded, the alert's text kept in a file
    assert f"Could not post the ops alert to Slack: {why}" in alert_log.text
    (record,) = lost_folder(paths.runs_dir).glob("*.json")
    document = json.loads(record.read_text("utf-8"))
    assert document["task_id"] == "transform.dbt_build" and document["run_id"] == RUN_ID
    assert document["why"].startswith(why) and document["reported_in"] is None
    (alert_file,) = (paths.runs_dir / "ops").glob("*_transform.dbt_build.json")
    assert document["alert_file"] == str(alert_file)

    (digest,) = _ops_digest_sent(paths, pii_key, ops_slack, NIGHT, "night-23")

    text = _text(digest)
    assert digest.channel == "#mh-ops"
    assert "1 failure alert lost" in digest.json["blocks"][0]["text"]["text"]
    assert "Failure alerts that did not reach this channel" in text
    assert (
        f"*transform.dbt_build* failed in run {RUN_ID}, but its failure alert was not "
        f"delivered: {why}"
    ) in text
    assert f"the alert's text is in {alert_file}" in text
    assert json.loads(record.read_text("utf-8"))["reported_in"] == "night-23"

    # told once: the night after has nothing to say about it (and nothing else: no digest)
    assert _ops_digest_sent(paths, pii_key, ops_slack, NEXT_NIGHT, "night-24") == []


def test_the_callback_breaking_logs_its_traceback_and_the_next_digest_says_so(
    paths, pii_key, ops_slack, alert_log, monkeypatch
) -> None:
    """Slack is down and the alert cannot be written to its file either (something else sits
    where the ops folder should be): the callback does not raise, logs its own error with the
    traceback, and the lost alert is still told the next night."""
    ops_slack.stop()
    paths.runs_dir.mkdir(parents=True)
    (paths.runs_dir / "ops").write_text("not a folder", encoding="utf-8")

    notify_ops_failure(failure_context(), paths)

    said = [r for r in alert_log.records if "The ops alert itself failed" in r.getMessage()]
    (own,) = {id(r): r for r in said}.values()  # one record, whichever handlers saw it
    assert own.levelname == "ERROR"
    assert "Traceback (most recent call last)" in own.getMessage()
    assert "write_ops_file" in own.getMessage()
    (record,) = lost_folder(paths.runs_dir).glob("*.json")
    document = json.loads(record.read_text("utf-8"))
    assert document["why"].startswith("the alert itself failed: ")
    assert "Traceback (most recent call last)" in document["traceback"]

    (paths.runs_dir / "ops").unlink()
    with SlackStub() as slack:  # Slack is back the next night
        monkeypatch.setenv(conn_env_var(OPS_CONN_ID), slack.bot_connection())
        (digest,) = _ops_digest_sent(paths, pii_key, slack, NIGHT, "night-23")
    text = _text(digest)
    assert "transform.dbt_build* failed in run" in text
    assert "the alert itself failed: " in text
    assert "the worker's log for the notifier's own error" in text


def test_without_an_ops_connection_nothing_is_recorded_as_lost(paths, caplog) -> None:
    """No ops Slack configured: the alert is written to its file as before (that is where this
    setup reads alerts), and no loss is claimed."""
    notify_ops_failure(failure_context(), paths)

    assert len(list((paths.runs_dir / "ops").glob("*.json"))) == 1
    assert not lost_folder(paths.runs_dir).exists()
