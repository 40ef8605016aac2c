"""Outbox and delivery against a real local HTTP Slack stand-in and real Airflow connections."""

from __future__ import annotations

import json
import logging
import time

import pytest

from marketing_health.alerts import alert_key, build_digests, deliver_pending, queue_digests
from marketing_health.warehouse import connect
from support.slack_stub import conn_env_var

CONN_ID = "slack_marketing_health"


def alert_night(paths, run_date: str, **kwargs):
    """What the DAG's alert task group does: build, queue, deliver."""
    with connect(paths.warehouse) as con:
        digests = build_digests(con, run_date)
        queued = queue_digests(con, digests, run_date)
        report = deliver_pending(paths, con, **kwargs)
    return queued, report


def deliver(paths, **kwargs):
    with connect(paths.warehouse) as con:
        return deliver_pending(paths, con, **kwargs)


@pytest.fixture
def two_teams(warehouse):
    return (
        warehouse.campaign("C1", "Autumn Launch", channel="#growth-emea")
        .campaign("C2", "Spring Deals", brand="Nova", team="Retail", channel="#retail-us")
        .result("P09", "C1", "Integration 0.31: 1 of 3 planned channels active.")
        .result("P05", "C2", "2 of 5 sponsored posts carry no disclosure.")
    )


def test_bot_token_posts_each_digest_to_its_owner_channel(
    paths, two_teams, slack, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.bot_connection())
    queued, report = alert_night(paths, two_teams.run_date)

    assert queued == 2
    assert (report.sent, report.written, report.pending) == (2, 0, 0)
    posts = slack.posts()
    assert sorted(p.channel for p in posts) == ["#growth-emea", "#retail-us"]
    for post in posts:
        assert post.path == "/api/chat.postMessage"
        assert post.headers["Authorization"] == f"Bearer {slack.token}"
        assert post.json["blocks"][0]["type"] == "header"
        assert post.json["text"].startswith("Marketing health")
    retail = next(p for p in posts if p.channel == "#retail-us")
    assert "Spring Deals" in json.dumps(retail.json) and "Autumn Launch" not in json.dumps(
        retail.json
    )

    rows = two_teams.outbox()
    assert [r["status"] for r in rows] == ["sent", "sent"]
    assert rows[0]["destination"] == f"slack #growth-emea via {CONN_ID}"
    assert rows[0]["alert_key"] == alert_key(two_teams.run_date, "#growth-emea", 1)
    assert all(r["sent_at"] is not None and r["attempts"] == 1 for r in rows)


def test_webhook_connection_with_a_per_channel_override(
    paths, two_teams, slack, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.webhook_connection())
    retail_hook = "/services/T0000STUB/B0000RETAIL/retailsecret"
    monkeypatch.setenv(conn_env_var(f"{CONN_ID}__retail_us"), slack.webhook_connection(retail_hook))
    _, report = alert_night(paths, two_teams.run_date)

    assert report.sent == 2
    by_path = {p.path: p for p in slack.posts()}
    assert set(by_path) == {"/services/T0000STUB/B0000STUB/stubwebhooksecret", retail_hook}
    assert "Spring Deals" in by_path[retail_hook].body
    assert "channel" not in by_path[retail_hook].json  # a webhook posts to its own channel
    destinations = {r["channel"]: r["destination"] for r in two_teams.outbox()}
    assert destinations == {
        "#growth-emea": f"slack webhook {CONN_ID}",
        "#retail-us": f"slack webhook {CONN_ID}__retail_us",
    }


def test_without_a_connection_digests_are_written_to_files_and_logged(
    paths, warehouse, caplog
) -> None:
    warehouse.campaign("C1", "Tom & Jerry <Summer>", channel="#growth-emea").result(
        "P09", "C1", "Integration 0.31"
    )
    with caplog.at_level(logging.INFO, logger="marketing_health.alerts"):
        _, report = alert_night(paths, warehouse.run_date)

    assert (report.sent, report.written) == (0, 1)
    folder = paths.run_dir(warehouse.run_date) / "alerts"
    document = json.loads((folder / "growth-emea.json").read_text("utf-8"))
    assert document["channel"] == "#growth-emea"
    assert document["messages"][0]["blocks"][0]["type"] == "header"
    readable = (folder / "growth-emea.txt").read_text("utf-8")
    assert "Tom & Jerry <Summer> (Acme)" in readable and "What to do:" in readable
    assert "Tom & Jerry <Summer>" in caplog.text and "growth-emea.json" in caplog.text
    (row,) = warehouse.outbox()
    assert row["status"] == "written" and row["destination"].endswith("growth-emea.json")


def test_rerunning_a_night_sends_nothing_twice(paths, two_teams, slack, monkeypatch) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.bot_connection())
    alert_night(paths, two_teams.run_date)
    two_teams.result("P13", "C1", "a finding added by a re-run of the guards")

    queued, report = alert_night(paths, two_teams.run_date)

    assert queued == 0 and report.deliveries == []
    assert len(slack.posts()) == 2
    assert len(two_teams.outbox()) == 2


def test_rate_limit_is_honoured_then_the_message_is_sent(
    paths, two_teams, slack, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.bot_connection())
    slack.fail_next(1, status=429, retry_after=1)
    started = time.monotonic()
    _, report = alert_night(paths, two_teams.run_date)

    assert time.monotonic() - started >= 1.0
    assert report.sent == 2
    assert [r.status for r in slack.requests] == [429, 200, 200]
    assert all(r["attempts"] == 1 for r in two_teams.outbox())


def test_a_rate_limit_longer_than_allowed_is_left_for_the_next_run(
    paths, two_teams, slack, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.webhook_connection())
    slack.fail_next(2, status=429, retry_after=120)
    started = time.monotonic()
    _, report = alert_night(paths, two_teams.run_date)

    assert time.monotonic() - started < 10
    assert (report.sent, report.pending) == (0, 2)
    assert all("429" in r["last_error"] for r in two_teams.outbox())
    assert deliver(paths).sent == 2


def test_server_errors_are_retried(paths, two_teams, slack, monkeypatch) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.webhook_connection())
    slack.fail_next(2, status=500)
    _, report = alert_night(paths, two_teams.run_date)

    assert report.sent == 2
    assert [r.status for r in slack.requests] == [500, 500, 200, 200]


def test_slack_down_keeps_messages_pending_until_the_next_run(
    paths, two_teams, slack, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.bot_connection())
    slack.stop()
    _, report = alert_night(paths, two_teams.run_date)

    assert (report.sent, report.pending) == (0, 2)
    rows = two_teams.outbox()
    assert all(r["status"] == "pending" and r["attempts"] == 1 for r in rows)
    assert all("could not be reached" in r["last_error"] for r in rows)

    slack.start()
    report = deliver(paths)
    assert report.sent == 2
    assert all(r["status"] == "sent" and r["attempts"] == 2 for r in two_teams.outbox())
    assert all(r["last_error"] is None for r in two_teams.outbox())


def test_an_earlier_nights_pending_digest_goes_out_with_the_next_night(
    paths, two_teams, slack, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.bot_connection())
    slack.stop()
    alert_night(paths, two_teams.run_date)
    slack.start()
    two_teams.result("P09", "C1", "next night's finding", run_date="2026-11-23")

    _, report = alert_night(paths, "2026-11-23")

    assert report.sent == 3
    assert [(d.run_date, d.channel) for d in report.deliveries] == [
        ("2026-11-22", "#growth-emea"),
        ("2026-11-22", "#retail-us"),
        ("2026-11-23", "#growth-emea"),
    ]
    assert "next night's finding" in json.dumps(slack.posts()[-1].json)


def test_parts_of_a_digest_arrive_in_order(paths, warehouse, slack, monkeypatch) -> None:
    for i in range(30):
        warehouse.campaign(f"C{i:02d}", f"Campaign {i:02d}")
        warehouse.result("P09", f"C{i:02d}", f"Integration 0.{i:02d}")
        warehouse.result("P03", f"C{i:02d}", "98% of influencer spend on nano/micro creators")
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.bot_connection())
    slack.fail_next(3, status=500)  # part 1 fails after its retries

    _, report = alert_night(paths, warehouse.run_date)

    total = warehouse.outbox()[0]["total_parts"]
    assert total > 1 and report.sent == 0 and report.pending == total
    assert slack.posts() == []
    report = deliver(paths)
    assert report.sent == total
    headers = [p.json["blocks"][0]["text"]["text"] for p in slack.posts()]
    assert [h.endswith(f"(part {i} of {total})") for i, h in enumerate(headers, 1)] == [
        True
    ] * total


def test_a_retried_run_after_a_partial_send_sends_nothing_twice(
    paths, warehouse, slack, monkeypatch
) -> None:
    """Part 1 goes out, Slack fails on part 2; the task is retried, then the whole night re-run."""
    for i in range(30):
        warehouse.campaign(f"C{i:02d}", f"Campaign {i:02d}")
        warehouse.result("P09", f"C{i:02d}", f"Integration 0.{i:02d}")
        warehouse.result("P03", f"C{i:02d}", "98% of influencer spend on nano/micro creators")
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.bot_connection())
    slack.fail_after(1, 3, status=500)  # part 1 accepted, part 2 fails through its retries

    _, first = alert_night(paths, warehouse.run_date)
    total = warehouse.outbox()[0]["total_parts"]
    assert total >= 3 and first.sent == 1 and first.pending == total - 1
    assert [p.json["blocks"][0]["text"]["text"][-13:] for p in slack.posts()] == [
        f"(part 1 of {total})"[-13:]
    ]

    retried = deliver(paths)  # the deliver task retried by Airflow
    _, rerun = alert_night(paths, warehouse.run_date)  # the whole night cleared and re-run
    assert retried.sent == total - 1 and rerun.sent == 0
    headers = [p.json["blocks"][0]["text"]["text"] for p in slack.posts()]
    assert len(headers) == total == len(set(headers)), "a part was sent twice"
    assert all(row["status"] == "sent" for row in warehouse.outbox())


def test_secrets_never_reach_the_outbox_or_the_log(
    paths, two_teams, slack, monkeypatch, caplog
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.webhook_connection())
    monkeypatch.setenv(conn_env_var(f"{CONN_ID}__retail_us"), slack.bot_connection("xoxb-wrong-1"))
    slack.fail_next(3, status=500)
    with caplog.at_level(logging.DEBUG):
        _, report = alert_night(paths, two_teams.run_date)
        rows = {r["channel"]: r for r in two_teams.outbox()}
        slack.stop()
        report_down = deliver(paths)
        rows_down = two_teams.outbox()

    assert report.pending == 2
    assert rows["#retail-us"]["last_error"] == "Slack answered HTTP 200: invalid_auth"
    assert rows["#growth-emea"]["last_error"].startswith("Slack answered HTTP 500")
    errors = [r["last_error"] for r in [*rows.values(), *rows_down]]
    errors += [d.error for d in [*report.deliveries, *report_down.deliveries]]
    destinations = [r["destination"] for r in rows_down]
    for secret in ("stubwebhooksecret", "xoxb-wrong-1", "/services/T0000STUB"):
        assert secret not in caplog.text
        assert all(secret not in e for e in errors)
        assert all(secret not in d for d in destinations)


def test_a_connection_of_the_wrong_type_is_reported_not_written_to_files(
    paths, two_teams, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), json.dumps({"conn_type": "http", "host": "x"}))
    _, report = alert_night(paths, two_teams.run_date)

    assert report.pending == 2 and report.written == 0
    assert all("type 'http'" in r["last_error"] for r in two_teams.outbox())
    assert "type 'http'" in report.summary()
