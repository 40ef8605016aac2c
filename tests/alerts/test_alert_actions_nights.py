"""The nights after people act on alerts: what the next digests say, and what they leave out.

Seven nights of one channel (#growth-emea, bot token, so later news goes to threads). Each
night the guard results are written, the real dbt model ``fct_guard_states`` is built, the
digests are queued and delivered to the local Slack stand-in; after night 1 people use the
buttons of night 1's message, their clicks signed and posted to the plugin app's
interactivity endpoint.

Policy: repeat every 3 nights (1, 4, 7), no escalation in this week.

* C1 P13, failing nights 1-5: acknowledged by Anna -> its repeat on night 4 names her as
  owner; night 6 it is resolved and her acknowledgement closed.
* C2 P09, failing all week: Ben snoozes it until Nov 14 (night 5) -> quiet on its repeat night
  4; night 6, the first after the snooze, it is back in full and says why.
* C3 P09, failing all week: Ben snoozes it a week -> night 3 it is clearly worse than when he
  snoozed it: back, as news in the channel; afterwards the usual repeats.
* C4 P05, failing all week: Anna marks it expected with a note -> quiet all week; the note shows
  on its "still open" line when C4 has news (P13 new on night 4).
* C5 P09, failing all week: Anna marks it not a problem -> quiet all week.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from marketing_health.alerts import build_digests, deliver_pending, queue_digests
from marketing_health.catalogue import load_catalogue
from marketing_health.guards.weights import replace_severity_weights
from marketing_health.i18n import translator
from marketing_health.report.web import create_app
from marketing_health.settings import Paths
from marketing_health.transform import run_dbt_build
from marketing_health.warehouse import connect
from support.alert_warehouse import WarehouseBuilder
from support.slack_stub import SlackStub, SlackUser, conn_env_var

pytestmark = pytest.mark.integration

FIRST = date(2026, 11, 10)
NIGHTS = [(FIRST + timedelta(days=i)).isoformat() for i in range(7)]
POLICY = """
digest:
  repeat_every_nights: 3
  escalate_after_nights: 20
"""
ANNA = SlackUser("U0ANNA001", "anna.li")
BEN = SlackUser("U0BEN0002", "ben.wu")
NOTE = "Planned pause until the December relaunch"
SECRET = "nights-signing-secret"


def _p09(campaign: str, n: int) -> float:
    threshold = load_catalogue()["P09"].guard.threshold
    return threshold - (0.3 if campaign == "C3" and n >= 3 else 0.1)


def _write_night(warehouse: WarehouseBuilder, n: int) -> None:
    day = NIGHTS[n - 1]
    warehouse.result(
        "P13", "C1", "3 mailed without consent.", outcome="fail" if n <= 5 else "pass", run_date=day
    )
    for campaign in ("C2", "C3", "C5"):
        value = _p09(campaign, n)
        warehouse.result("P09", campaign, f"Integration {value:.2f}", observed=value, run_date=day)
    warehouse.result("P05", "C4", "2 of 4 sponsored posts undisclosed.", run_date=day)
    warehouse.result(
        "P13", "C4", "1 mailed without consent.", outcome="fail" if n >= 4 else "pass", run_date=day
    )


def _night(paths: Paths, warehouse: WarehouseBuilder, n: int) -> None:
    _write_night(warehouse, n)
    day = NIGHTS[n - 1]
    summary = run_dbt_build(paths, day, select="fct_guard_states", exclude=None)
    assert summary.success, summary.summary()
    with connect(paths.warehouse) as con:
        queue_digests(con, build_digests(con, day), day)
        deliver_pending(paths, con, wait_budget_seconds=5)


def _text(post: Any) -> str:
    return post.json["text"] + json.dumps(post.json["blocks"], ensure_ascii=False)


def _send(client: TestClient, payload: dict[str, Any]) -> None:
    body, headers = SlackStub.interaction_request(payload, SECRET)
    answer = client.post("/slack/interactions", content=body, headers=headers)
    assert answer.status_code == 200, answer.text


def _act_on_night_one(slack: SlackStub, client: TestClient, ts: str) -> None:
    _send(client, slack.click(ts, "mh_acknowledge", pitfall="P13", campaign="C1", user=ANNA))
    until = slack.click(
        ts, "mh_snooze_until", pitfall="P09", campaign="C2", user=BEN, date="2026-11-14"
    )
    _send(client, until)
    _send(client, slack.click(ts, "mh_snooze", pitfall="P09", campaign="C3", user=BEN, option=1))
    _send(client, slack.click(ts, "mh_expected", pitfall="P05", campaign="C4", user=ANNA))
    _send(client, slack.submit_view(NOTE, user=ANNA))
    _send(client, slack.click(ts, "mh_not_a_problem", pitfall="P09", campaign="C5", user=ANNA))
    _send(client, slack.submit_view(None, user=ANNA))


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("actions_week")
    paths = Paths.under(root / "data")
    paths.warehouse.parent.mkdir(parents=True)
    policy = root / "alerting.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    warehouse = WarehouseBuilder(paths.warehouse)
    for cid, name in (
        ("C1", "Ack Launch"),
        ("C2", "Snoozed Deals"),
        ("C3", "Worse Week"),
        ("C4", "Planned Pause"),
        ("C5", "False Alarm"),
    ):
        warehouse.campaign(cid, name, channel="#growth-emea", team="Growth EMEA")
    with connect(paths.warehouse) as con:
        replace_severity_weights(con, load_catalogue())
    client = TestClient(create_app(lambda: paths, slack_secret=lambda: SECRET))
    with SlackStub() as slack, pytest.MonkeyPatch.context() as env:
        env.setenv("MH_ALERTING_CONFIG", str(policy))
        env.setenv(conn_env_var("slack_marketing_health"), slack.bot_connection())
        env.setenv(
            conn_env_var("marketing_health_slack_signing"),
            json.dumps({"conn_type": "generic", "password": SECRET}),
        )
        for name in ("MH_SLACK_CONN_ID", "AIRFLOW__API__BASE_URL"):
            env.delenv(name, raising=False)
        nights: dict[Any, Any] = {}
        for n in range(1, 8):
            before = len(slack.posts())
            _night(paths, warehouse, n)
            nights[n] = slack.posts()[before:]
            if n == 1:
                (first,) = nights[1]
                _act_on_night_one(slack, client, first.ts)
        nights.update(paths=paths, slack=slack, first_ts=nights[1][0].ts)
        yield nights


def _said(week: dict[str, Any], n: int) -> tuple[str, dict[str, str]]:
    """Night ``n``: the channel's main message (empty if none) and its replies by thread."""
    posts = week[n]
    main = [_text(p) for p in posts if not p.thread_ts]
    assert len(main) <= 1
    replies = {p.thread_ts: _text(p) for p in posts if p.thread_ts}
    return (main[0] if main else ""), replies


def _acted_on() -> str:
    return translator().date(datetime.now(UTC).date(), "medium")


def test_night_one_message_shows_who_did_what(week) -> None:
    message = week["slack"].message(week["first_ts"])
    lines = " ".join(
        b["elements"][0]["text"]
        for b in message.blocks
        if b["type"] == "context" and str(b.get("block_id", "")).startswith("{")
    )
    assert "Acknowledged by <@U0ANNA001>" in lines
    assert "Snoozed by <@U0BEN0002> until Nov 14, 2026" in lines
    assert "Snoozed by <@U0BEN0002> until Nov 17, 2026" in lines
    assert f"Marked expected by <@U0ANNA001>: {NOTE}" in lines
    assert "Marked not a problem by <@U0ANNA001>." in lines


def test_the_recorded_actions(week) -> None:
    with connect(week["paths"].warehouse, read_only=True) as con:
        rows = con.execute(
            "select campaign_id, pitfall_id, action, user_name, until_date::varchar, note "
            "from alerts.alert_actions order by campaign_id"
        ).fetchall()
    assert rows == [
        ("C1", "P13", "acknowledge", "anna.li", None, None),
        ("C2", "P09", "snooze", "ben.wu", "2026-11-14", None),
        ("C3", "P09", "snooze", "ben.wu", "2026-11-17", None),
        ("C4", "P05", "expected", "anna.li", None, NOTE),
        ("C5", "P09", "not_a_problem", "anna.li", None, None),
    ]


def test_snoozed_and_labelled_alerts_stay_quiet_until_worse_or_expired(week) -> None:
    first = week["first_ts"]
    # night 2: nothing new, nothing due
    assert week[2] == []

    # night 3: C3 is clearly worse than when Ben snoozed it: back, as news in the channel;
    # the others are one "still open" line each, saying what keeps them quiet
    main, replies = _said(week, 3)
    assert replies == {}
    assert "*Worse Week*" in main and "1 worse" in main
    assert f"Back tonight: worse than when ben.wu snoozed it on {_acted_on()}." in main
    assert main.count("*Seen:*") == 1
    assert "snoozed by ben.wu until Nov 14, 2026" in main
    assert f"marked expected by anna.li: {NOTE}" in main
    assert "marked not a problem by anna.li" in main
    assert "owner: anna.li" in main

    # night 4, a repeat night: C1 (owned by Anna) and C3 repeat in night 1's thread; C2 is
    # snoozed, C4's P05 expected and C5 not a problem: not repeated. C4's new P13 is the
    # channel's news, the quiet ones one line each under it.
    main, replies = _said(week, 4)
    assert set(replies) == {first}
    thread = replies[first]
    assert "*Ack Launch*" in thread and "*Worse Week*" in thread
    assert f"Owner: anna.li (acknowledged {_acted_on()})" in thread
    assert thread.count("*Seen:*") == 2
    for quiet in ("Snoozed Deals", "False Alarm", "Planned Pause"):
        assert quiet not in thread
    assert "*Planned Pause*" in main and "_new tonight_" in main
    assert main.count("*Seen:*") == 1 and "1 new" in main
    assert f"marked expected by anna.li: {NOTE}" in main
    assert "snoozed by ben.wu until Nov 14, 2026" in main
    assert "Ack Launch" not in main and "Worse Week" not in main

    # night 5: the snooze holds through Nov 14: nothing
    assert week[5] == []


def test_an_expired_snooze_is_back_and_a_resolution_closes_the_acknowledgement(week) -> None:
    first = week["first_ts"]
    main, replies = _said(week, 6)
    assert main == "" and set(replies) == {first}
    thread = replies[first]
    assert "Back tonight: the snooze ben.wu set until Nov 14, 2026 has ended." in thread
    assert "*Snoozed Deals*" in thread
    assert "Resolved tonight" in thread and "acknowledgement by anna.li closed" in thread
    assert "False Alarm" not in thread and "Planned Pause" not in thread

    # night 7: the usual repeat night again for C2 and C3; C4 and C5 stay quiet
    main, replies = _said(week, 7)
    said = main + "".join(replies.values())
    assert "*Snoozed Deals*" in said and "*Worse Week*" in said
    assert "Back tonight" not in said
    assert "False Alarm" not in said
    assert "P05" not in said or "marked expected by anna.li" in said
