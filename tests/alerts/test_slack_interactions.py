"""Buttons on alerts: Slack's signed requests through the real plugin app, recorded and shown.

A night's digest is built from a hand-made warehouse, queued and delivered to the local Slack
stand-in with a bot token; the stand-in then plays a person clicking the digest's buttons and
posts Slack's signed request to the interactivity endpoint of the app the Airflow plugin
serves (``marketing_health.report.web.create_app``), through FastAPI's TestClient or, for the
three-second answer, a real HTTP server.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from marketing_health.alerts import build_digests, deliver_pending, queue_digests
from marketing_health.alerts.actions import ActionInbox, flush_inbox
from marketing_health.alerts.interactions import SLACK_INTERACTIONS_PATH
from marketing_health.report.web import create_app
from marketing_health.settings import Paths
from marketing_health.warehouse import connect, lock_path
from support.alert_warehouse import RUN_DATE, WarehouseBuilder
from support.slack_stub import DEFAULT_SIGNING_SECRET, SlackStub, SlackUser, conn_env_var

SIGNING = conn_env_var("marketing_health_slack_signing")
ANNA = SlackUser("U0ANNA001", "anna.li")
BEN = SlackUser("U0BEN0002", "ben.wu")


def _signing_connection(secret: str = DEFAULT_SIGNING_SECRET) -> str:
    return json.dumps({"conn_type": "generic", "password": secret})


@pytest.fixture
def digest_in_slack(
    paths: Paths, warehouse: WarehouseBuilder, slack: SlackStub, monkeypatch: pytest.MonkeyPatch
) -> str:
    """Tonight's digest for #growth-emea, sent with a bot token; returns its ts."""
    monkeypatch.setenv(SIGNING, _signing_connection())
    monkeypatch.setenv(conn_env_var("slack_marketing_health"), slack.bot_connection())
    warehouse.campaign("C1", "Autumn Launch 秋季")
    warehouse.result("P13", "C1", "3 recipients mailed without consent.")
    warehouse.result("P09", "C1", "Integration 0.2", observed=0.2)
    with connect(paths.warehouse) as con:
        digests = build_digests(con, RUN_DATE)
        queue_digests(con, digests, RUN_DATE)
        deliver_pending(paths, con, wait_budget_seconds=5)
    (post,) = slack.posts()
    assert post.ts
    return post.ts


@pytest.fixture
def client(paths: Paths) -> TestClient:
    return TestClient(create_app(lambda: paths))


def _send(client: TestClient, payload: dict[str, Any], **kwargs: Any) -> Any:
    body, headers = SlackStub.interaction_request(payload, **kwargs)
    return client.post(f"{SLACK_INTERACTIONS_PATH}", content=body, headers=headers)


def _actions(paths: Paths) -> list[dict[str, Any]]:
    with connect(paths, read_only=True) as con:
        cur = con.execute(
            "select campaign_id, pitfall_id, night::varchar as night, action, user_id, "
            "user_name, source, until_date::varchar as until, note, channel, message_ts "
            "from alerts.alert_actions order by acted_at"
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _status_lines(slack: SlackStub, ts: str) -> list[str]:
    return [
        b["elements"][0]["text"]
        for b in slack.message(ts).blocks
        if b["type"] == "context" and str(b.get("block_id", "")).startswith("{")
    ]


def test_every_pitfall_told_in_full_has_the_buttons(digest_in_slack: str, slack) -> None:
    message = slack.message(digest_in_slack)
    actions = [b for b in message.blocks if b["type"] == "actions"]
    assert len(actions) == 2
    for block in actions:
        kinds = [e["action_id"] for e in block["elements"]]
        assert kinds == [
            "mh_acknowledge",
            "mh_snooze",
            "mh_snooze_until",
            "mh_expected",
            "mh_not_a_problem",
        ]
        ref = json.loads(block["block_id"])
        assert ref["c"] == "C1" and ref["n"] == RUN_DATE and ref["l"] == "en"
        value = block["elements"][0]["value"]
        assert json.loads(value) == {"c": "C1", "p": ref["p"], "n": RUN_DATE, "l": "en"}
        assert len(value) <= 2000 and len(block["block_id"]) <= 255
        options = block["elements"][1]["options"]
        assert [o["text"]["text"] for o in options] == ["1 day", "1 week"]
        assert all(len(o["value"]) <= 150 for o in options)


def test_a_signed_click_is_recorded_and_shown_on_the_message(
    paths: Paths, digest_in_slack: str, slack, client
) -> None:
    answer = _send(client, slack.click(digest_in_slack, "mh_acknowledge", pitfall="P13", user=ANNA))

    assert answer.status_code == 200
    (row,) = _actions(paths)
    assert row == {
        "campaign_id": "C1",
        "pitfall_id": "P13",
        "night": RUN_DATE,
        "action": "acknowledge",
        "user_id": ANNA.id,
        "user_name": ANNA.name,
        "source": "slack",
        "until": None,
        "note": None,
        "channel": "C0STUB0001",
        "message_ts": digest_in_slack,
    }
    assert len(ActionInbox(paths)) == 0
    # the message now says who did what, above P13's buttons, which offer to reopen
    (line,) = _status_lines(slack, digest_in_slack)
    assert line.startswith(":raising_hand: Acknowledged by <@U0ANNA001> on ")
    blocks = slack.message(digest_in_slack).blocks
    p13 = next(b for b in blocks if b["type"] == "actions" and '"p":"P13"' in b["block_id"])
    assert json.loads(p13["block_id"])["v"] == 1
    assert p13["elements"][-1]["action_id"] == "mh_reopen"
    p09 = next(b for b in blocks if b["type"] == "actions" and '"p":"P09"' in b["block_id"])
    assert json.loads(p09["block_id"])["v"] == 0  # the other alert's buttons are untouched


def test_a_badly_signed_request_is_refused_and_changes_nothing(
    paths: Paths, digest_in_slack: str, slack, client
) -> None:
    click = slack.click(digest_in_slack, "mh_acknowledge", pitfall="P13")
    before = slack.message(digest_in_slack).blocks

    wrong_secret = _send(client, click, secret="not-the-signing-secret")
    body, headers = SlackStub.interaction_request(click)
    tampered = client.post(
        SLACK_INTERACTIONS_PATH, content=body.replace(b"P13", b"P09"), headers=headers
    )
    unsigned = client.post(SLACK_INTERACTIONS_PATH, content=body)

    assert [r.status_code for r in (wrong_secret, tampered, unsigned)] == [401, 401, 401]
    assert "signature" in wrong_secret.text
    assert not (paths.actions_dir / "inbox").exists() or len(ActionInbox(paths)) == 0
    with connect(paths, read_only=True) as con:
        tables = con.execute(
            "select count(*) from information_schema.tables where table_name = 'alert_actions'"
        ).fetchone()[0]
    assert tables == 0
    assert slack.message(digest_in_slack).blocks == before


def test_a_stale_request_is_refused(paths: Paths, digest_in_slack: str, slack, client) -> None:
    click = slack.click(digest_in_slack, "mh_acknowledge", pitfall="P13")
    stale = _send(client, click, timestamp=int(time.time()) - 301)
    future = _send(client, click, timestamp=int(time.time()) + 301)
    assert (stale.status_code, future.status_code) == (401, 401)
    assert "older than five minutes" in stale.text
    assert len(ActionInbox(paths)) == 0


def test_a_replayed_request_is_refused_and_a_repeated_click_records_once(
    paths: Paths, digest_in_slack: str, slack, client
) -> None:
    click = slack.click(digest_in_slack, "mh_acknowledge", pitfall="P13", user=ANNA)
    body, headers = SlackStub.interaction_request(click)
    first = client.post(SLACK_INTERACTIONS_PATH, content=body, headers=headers)
    replay = client.post(SLACK_INTERACTIONS_PATH, content=body, headers=headers)
    assert (first.status_code, replay.status_code) == (200, 409)

    # the same click delivered again, newly signed, and the same person clicking again
    again = _send(client, click, timestamp=int(time.time()) - 5)
    twice = _send(client, slack.click(digest_in_slack, "mh_acknowledge", pitfall="P13", user=ANNA))
    assert (again.status_code, twice.status_code) == (200, 200)
    assert [r["action"] for r in _actions(paths)] == ["acknowledge"]

    # someone else taking it over is news
    _send(client, slack.click(digest_in_slack, "mh_acknowledge", pitfall="P13", user=BEN))
    assert [r["user_name"] for r in _actions(paths)] == [ANNA.name, BEN.name]


def test_without_a_signing_secret_nothing_is_accepted_and_digests_carry_no_buttons(
    paths: Paths, warehouse: WarehouseBuilder, slack, client, monkeypatch
) -> None:
    monkeypatch.delenv(SIGNING, raising=False)
    warehouse.campaign("C1", "Autumn Launch").result("P13", "C1", "3 mailed without consent.")
    with connect(paths.warehouse, read_only=True) as con:
        (digest,) = build_digests(con, RUN_DATE)
    assert all(b["type"] != "actions" for m in digest.messages for b in m.blocks)
    payload = {"type": "block_actions", "actions": []}
    answer = _send(client, payload)
    assert answer.status_code == 503 and "marketing_health_slack_signing" in answer.text


def test_snooze_a_week_or_until_a_day(paths: Paths, digest_in_slack: str, slack, client) -> None:
    week = slack.click(digest_in_slack, "mh_snooze", pitfall="P13", option=1, user=ANNA)
    assert _send(client, week).status_code == 200
    day = slack.click(
        digest_in_slack, "mh_snooze_until", pitfall="P09", date="2026-12-01", user=BEN
    )
    assert _send(client, day).status_code == 200

    assert [(r["pitfall_id"], r["action"], r["until"]) for r in _actions(paths)] == [
        ("P13", "snooze", "2026-11-29"),
        ("P09", "snooze", "2026-12-01"),
    ]
    lines = _status_lines(slack, digest_in_slack)
    assert any("Snoozed by <@U0ANNA001> until Nov 29, 2026" in line for line in lines)
    assert any("Snoozed by <@U0BEN0002> until Dec 1, 2026" in line for line in lines)


def test_a_snooze_ending_before_the_alert_is_refused_with_a_word_to_the_clicker(
    paths: Paths, digest_in_slack: str, slack, client
) -> None:
    past = slack.click(digest_in_slack, "mh_snooze_until", pitfall="P09", date="2026-11-01")
    assert _send(client, past).status_code == 200
    (said,) = slack.ephemeral
    assert said["response_type"] == "ephemeral" and said["replace_original"] is False
    assert "Pick a day after Nov 22, 2026" in said["text"]
    assert len(ActionInbox(paths)) == 0 and _status_lines(slack, digest_in_slack) == []


def test_expected_asks_for_a_note_in_a_dialog_and_keeps_it(
    paths: Paths, digest_in_slack: str, slack, client
) -> None:
    click = slack.click(digest_in_slack, "mh_expected", pitfall="P09", user=ANNA)
    assert _send(client, click).status_code == 200
    ((trigger, view, _),) = slack.views
    assert trigger == click["trigger_id"] and view["type"] == "modal"
    assert len(view["title"]["text"]) <= 24 and view["callback_id"] == "mh_note"
    assert len(ActionInbox(paths)) == 0  # nothing recorded before the note comes back

    # someone else cannot finish Anna's dialog
    _send(client, slack.submit_view("not mine", user=BEN))
    assert len(ActionInbox(paths)) == 0

    note = "Planned pause: the TV flight starts on Dec 1 <!channel>"
    assert _send(client, slack.submit_view(note, user=ANNA)).status_code == 200
    (row,) = _actions(paths)
    assert (row["action"], row["note"], row["user_name"]) == ("expected", note, ANNA.name)
    (line,) = _status_lines(slack, digest_in_slack)
    assert "Marked expected by <@U0ANNA001>: Planned pause" in line
    assert "&lt;!channel&gt;" in line and "<!channel>" not in line


def test_with_webhooks_only_a_label_is_recorded_without_a_note(
    paths: Paths, warehouse: WarehouseBuilder, slack, client, monkeypatch
) -> None:
    monkeypatch.setenv(SIGNING, _signing_connection())
    monkeypatch.setenv(conn_env_var("slack_marketing_health"), slack.webhook_connection())
    warehouse.campaign("C1", "Autumn Launch").result("P13", "C1", "3 mailed without consent.")
    with connect(paths.warehouse) as con:
        queue_digests(con, build_digests(con, RUN_DATE), RUN_DATE)
        deliver_pending(paths, con, wait_budget_seconds=5)
    (message,) = slack.messages()
    assert message.webhook
    click = slack.click(message.ts, "mh_not_a_problem", pitfall="P13", user=ANNA)
    assert _send(client, click).status_code == 200
    assert slack.views == []
    (row,) = _actions(paths)
    assert (row["action"], row["note"]) == ("not_a_problem", None)
    (line,) = _status_lines(slack, message.ts)
    assert "Marked not a problem by <@U0ANNA001>." in line


def test_the_route_is_outside_airflows_sign_in_and_the_pages_are_not(
    paths: Paths, digest_in_slack: str, slack, monkeypatch
) -> None:
    """The plugin's own app: Slack's request needs no Airflow sign-in, a report page does."""
    monkeypatch.setenv("MH_DATA_DIR", str(paths.data_dir))
    from plugins.marketing_health_plugin import MarketingHealthPlugin, report_app

    (mounted,) = MarketingHealthPlugin.fastapi_apps
    assert mounted["app"] is report_app and mounted["url_prefix"] == "/marketing-health"
    plugin = TestClient(report_app)
    click = slack.click(digest_in_slack, "mh_acknowledge", pitfall="P13", user=ANNA)
    body, headers = SlackStub.interaction_request(click)
    assert plugin.post(SLACK_INTERACTIONS_PATH, content=body, headers=headers).status_code == 200
    assert [r["action"] for r in _actions(paths)] == ["acknowledge"]
    assert plugin.get("/").status_code in (401, 403)
    assert plugin.post(SLACK_INTERACTIONS_PATH, content=body, headers=headers).status_code == 409


# ---------------------------------------------------------------- a busy warehouse


@pytest.fixture
def served(paths: Paths) -> Iterator[str]:
    """The app on a real HTTP server on loopback, so its answer reaches the caller before
    the work done after it, as in Airflow's API server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        create_app(lambda: paths), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the app's server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_while_the_night_holds_the_warehouse_a_click_is_answered_at_once_and_kept(
    paths: Paths, digest_in_slack: str, slack, served: str
) -> None:
    # another process's turn at the warehouse: the advisory lock held on its own file handle
    handle = os.open(lock_path(paths.warehouse), os.O_RDWR | os.O_CREAT)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        click = slack.click(digest_in_slack, "mh_acknowledge", pitfall="P13", user=ANNA)
        started = time.monotonic()
        status, _ = slack.send_interaction(f"{served}/slack/interactions", click)
        answered = time.monotonic() - started
        assert status == 200 and answered < 3.0
        deadline = time.monotonic() + 10
        while not _status_lines(slack, digest_in_slack):  # updated once the wait gave up
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert len(ActionInbox(paths)) == 1
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)
    # the night's alert stage records the inbox before it builds the digests
    with connect(paths.warehouse) as con:
        assert flush_inbox(paths, con) == 1
    assert [r["user_name"] for r in _actions(paths)] == [ANNA.name]
    assert len(ActionInbox(paths)) == 0


def test_an_inbox_file_is_written_whole(paths: Paths, digest_in_slack: str, slack, client) -> None:
    """No half-written action is ever read: the file appears under its name complete."""
    folder: Path = paths.actions_dir / "inbox"
    handle = os.open(lock_path(paths.warehouse), os.O_RDWR | os.O_CREAT)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        _send(client, slack.click(digest_in_slack, "mh_acknowledge", pitfall="P09", user=BEN))
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)
    (kept,) = folder.glob("*.json")
    assert json.loads(kept.read_text("utf-8"))["ref"]["pitfall_id"] == "P09"
    assert not list(folder.glob(".*.tmp"))
