"""Alert actions, threads and labels on a PostgreSQL warehouse, as on DuckDB: a click through
the plugin app's Slack endpoint is recorded, the outbox keeps Slack's ts and which message told
each pitfall, and the labels are counted with their override."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from marketing_health.alerts import build_digests, deliver_pending, queue_digests
from marketing_health.alerts.labels import load_labels
from marketing_health.report.web import create_app
from marketing_health.settings import Paths
from marketing_health.warehouse import connect
from support.alert_warehouse import RUN_DATE, WarehouseBuilder
from support.slack_stub import SlackStub, SlackUser, conn_env_var

SECRET = "postgres-signing-secret"


def test_actions_threads_and_labels_on_postgres(tmp_path, warehouse_url, monkeypatch) -> None:
    paths = Paths.under(tmp_path / "postgres", warehouse_url)
    paths.data_dir.mkdir(parents=True)
    builder = WarehouseBuilder(paths)
    builder.campaign("C1", "Autumn Launch", brand="Northwind")
    builder.result("P13", "C1", "3 mailed without consent.")
    builder.result("P09", "C1", "Integration 0.2", observed=0.2)
    client = TestClient(create_app(lambda: paths, slack_secret=lambda: SECRET))
    with SlackStub() as slack:
        monkeypatch.setenv(conn_env_var("slack_marketing_health"), slack.bot_connection())
        monkeypatch.setenv(
            conn_env_var("marketing_health_slack_signing"),
            json.dumps({"conn_type": "generic", "password": SECRET}),
        )
        with connect(paths) as con:
            queue_digests(con, build_digests(con, RUN_DATE), RUN_DATE)
            deliver_pending(paths, con, wait_budget_seconds=5)
        (post,) = slack.posts()
        anna = SlackUser("U0ANNA001", "anna.li")
        for action, pitfall in (("mh_acknowledge", "P13"), ("mh_not_a_problem", "P09")):
            body, headers = SlackStub.interaction_request(
                slack.click(post.ts, action, pitfall=pitfall, user=anna), SECRET
            )
            assert (
                client.post("/slack/interactions", content=body, headers=headers).status_code == 200
            )
            if action == "mh_not_a_problem":
                body, headers = SlackStub.interaction_request(
                    slack.submit_view("wrong rule"), SECRET
                )
                assert (
                    client.post("/slack/interactions", content=body, headers=headers).status_code
                    == 200
                )

    with connect(paths, read_only=True) as con:
        actions = con.execute(
            "select pitfall_id, action, user_name, note from alerts.alert_actions "
            "order by pitfall_id"
        ).fetchall()
        outbox = con.execute("select ts, status from alerts.outbox").fetchall()
        told = con.execute(
            "select guard_id, failing_since::varchar from alerts.announcements order by guard_id"
        ).fetchall()
        labels = load_labels(con, RUN_DATE)
    assert actions == [
        ("P09", "not_a_problem", "anna.li", "wrong rule"),
        ("P13", "acknowledge", "anna.li", None),
    ]
    assert outbox == [(post.ts, "sent")]
    assert told == [("P09", RUN_DATE), ("P13", RUN_DATE)]
    (p09,) = labels.guards
    assert (p09.guard_id, p09.not_a_problem, p09.scopes[0].brand) == ("P09", 1, "Northwind")
