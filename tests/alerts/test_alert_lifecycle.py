"""A pitfall's life in Slack over a run of nights: new, quiet, repeated, worse, escalated, resolved.

Each night is what the pipeline does: guard results are written, the real dbt model
``fct_guard_states`` is built from them, the digests are queued in the outbox and delivered to a
real HTTP server standing in for Slack (bot token, one channel per team). A bot token gets
Slack's ts for each message, so a pitfall's repeats, escalation and resolution are replies in
the thread of the message that first told it; a channel's main view holds only news.

Policy of these tests: repeat every 3 nights, escalate after 5, escalation channel #leads,
Growth EMEA mentioned on new or worse critical pitfalls and on escalation.

Campaign C1 (Autumn Launch, #growth-emea, team Growth EMEA), P13 (critical) failing nights 1-6:
  night 1 new (mention; the message starts P13's thread) · 2, 3 quiet · 4 repeated (in the
  thread) · 5 escalated (in the thread, mention, copy to #leads) · 6 quiet · 7 resolved (in the
  thread).
Campaign C1, P05 (critical) failing nights 3-4: 3 new (mention; P13 listed as still open on one
line) · 4 quiet · 5 resolved (in P05's thread).
Campaign C2 (Spring Deals, #retail-us, team Retail, no mention), P09 (warning) failing from
night 2 on: 2 new · 3 worse (further below the threshold: news, in the channel) · 4 quiet (same
value) · 5 repeated (in the thread) · 6 escalated (in the thread, no mention: Retail has none;
copy to #leads) · 7 quiet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from marketing_health.alerts import build_digests, deliver_pending, queue_digests
from marketing_health.catalogue import load_catalogue
from marketing_health.guards.weights import replace_severity_weights
from marketing_health.settings import Paths
from marketing_health.transform import run_dbt_build
from marketing_health.warehouse import connect
from support.alert_warehouse import WarehouseBuilder
from support.slack_stub import SlackStub

pytestmark = pytest.mark.integration

FIRST = date(2026, 11, 10)
NIGHTS = [(FIRST + timedelta(days=i)).isoformat() for i in range(7)]
POLICY = """
digest:
  repeat_every_nights: 3
  escalate_after_nights: 5
  escalation_channel: "#leads"
  mention_severities: [critical]
teams:
  Growth EMEA: {mention: S0GROWTH01}
"""
MENTION = "<!subteam^S0GROWTH01>"


def _p09_value(night: int) -> float | None:
    """Integration of C2 per night (None: passing); P09 wants at least its threshold."""
    threshold = load_catalogue()["P09"].guard.threshold
    if night < 2:
        return None
    return threshold - (0.1 if night == 2 else 0.3)


def _write_night(warehouse, n: int) -> None:
    day = NIGHTS[n - 1]
    p13 = "fail" if n <= 6 else "pass"
    warehouse.result(
        "P13", "C1", f"{n} recipient(s) mailed without consent.", outcome=p13, run_date=day
    )
    p05 = "fail" if n in (3, 4) else "pass"
    warehouse.result("P05", "C1", "2 of 4 sponsored posts undisclosed.", outcome=p05, run_date=day)
    value = _p09_value(n)
    warehouse.result(
        "P09",
        "C2",
        f"Integration {value}" if value is not None else "Integration fine",
        outcome="fail" if value is not None else "pass",
        observed=value if value is not None else 1.0,
        run_date=day,
    )


def _night(paths, warehouse, n: int):
    """One night: guards wrote results, dbt builds the states, alerts are queued and delivered."""
    _write_night(warehouse, n)
    day = NIGHTS[n - 1]
    summary = run_dbt_build(paths, day, select="fct_guard_states", exclude=None)
    assert summary.success, summary.summary()
    with connect(paths.warehouse) as con:
        digests = build_digests(con, day)
        queue_digests(con, digests, day)
        deliver_pending(paths, con, wait_budget_seconds=5)
    return {(d.channel, d.thread_ts): d for d in digests}


def _text(post) -> str:
    body = post.json
    return body["text"] + json.dumps(body["blocks"], ensure_ascii=False)


def _main(lifecycle, n: int) -> dict[str, Any]:
    """Night ``n``'s digests for the channels' main view, by channel."""
    return {c: d for (c, thread), d in lifecycle[n]["digests"].items() if thread is None}


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Seven nights run once for the module; each test reads what happened."""
    root = tmp_path_factory.mktemp("lifecycle")
    paths = Paths.under(root / "data")
    paths.warehouse.parent.mkdir(parents=True)
    policy = root / "alerting.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    warehouse = WarehouseBuilder(paths.warehouse)
    warehouse.campaign("C1", "Autumn Launch", channel="#growth-emea", team="Growth EMEA")
    warehouse.campaign("C2", "Spring Deals", channel="#retail-us", team="Retail")
    with connect(paths.warehouse) as con:
        replace_severity_weights(con, load_catalogue())
    with SlackStub() as slack, pytest.MonkeyPatch.context() as env:
        env.setenv("MH_ALERTING_CONFIG", str(policy))
        env.setenv("AIRFLOW_CONN_SLACK_MARKETING_HEALTH", slack.bot_connection())
        for name in ("MH_SLACK_CONN_ID", "AIRFLOW__API__BASE_URL"):
            env.delenv(name, raising=False)
        nights: dict[Any, Any] = {}
        for n in range(1, 8):
            before = len(slack.posts())
            digests = _night(paths, warehouse, n)
            nights[n] = {"digests": digests, "posts": slack.posts()[before:]}
        nights.update(paths=paths, slack=slack, policy=policy)
        yield nights


def _posts(lifecycle, n: int) -> dict[str, str]:
    """Night ``n``'s messages in the channels' main view, by channel."""
    posts = [p for p in lifecycle[n]["posts"] if not p.thread_ts]
    assert all(p.accepted for p in lifecycle[n]["posts"])
    by_channel = {p.channel: _text(p) for p in posts}
    assert len(by_channel) == len(posts), "a channel got two messages in one night"
    return by_channel


def _replies(lifecycle, n: int) -> dict[tuple[str, str], str]:
    """Night ``n``'s thread replies, by (channel, the ts of the message they answer)."""
    posts = [p for p in lifecycle[n]["posts"] if p.thread_ts]
    by_thread = {(p.channel, p.thread_ts): _text(p) for p in posts}
    assert len(by_thread) == len(posts), "a thread got two replies in one night"
    return by_thread


def _first_ts(lifecycle, n: int, channel: str) -> str:
    (post,) = [p for p in lifecycle[n]["posts"] if p.channel == channel and not p.thread_ts]
    assert post.ts
    return post.ts


def test_a_pitfalls_life_in_slack(lifecycle) -> None:
    # night 1: new critical pitfall, owner team mentioned, report linked
    n1 = _posts(lifecycle, 1)
    assert set(n1) == {"#growth-emea"}
    assert "1 campaign needs attention · 1 new" in n1["#growth-emea"]
    assert MENTION in n1["#growth-emea"] and "_new tonight_" in n1["#growth-emea"]
    assert "marketing-health/nights/2026-11-10" in n1["#growth-emea"]

    # night 2: P13 persists (not repeated: growth stays silent), P09 appears for retail
    n2 = _posts(lifecycle, 2)
    assert set(n2) == {"#retail-us"}
    assert "P09" in n2["#retail-us"] and "_new tonight_" in n2["#retail-us"]
    assert MENTION not in n2["#retail-us"]  # a warning, and Retail has no mention configured

    # night 3: P05 new for growth (P13 only listed as still open); P09 got worse (further below
    # the threshold) -> shown again, marked worse
    n3 = _posts(lifecycle, 3)
    assert set(n3) == {"#growth-emea", "#retail-us"}
    assert "P05" in n3["#growth-emea"] and MENTION in n3["#growth-emea"]
    assert "Still open, told before and not repeated tonight" in n3["#growth-emea"]
    assert (
        "P13 " in n3["#growth-emea"]
        and "failing since Nov 10, 2026, 3 nights)" in n3["#growth-emea"]
    )
    assert "worse than last night · failing since Nov 11, 2026 (2 nights)" in n3["#retail-us"]
    assert "1 worse" in n3["#retail-us"]

    # night 4: P13 repeated (4th night) without a mention, in the thread of night 1's message;
    # P05 quiet; P09 same value: quiet. Nothing new: the channels' main view stays as it was.
    p13_thread = _first_ts(lifecycle, 1, "#growth-emea")
    p05_thread = _first_ts(lifecycle, 3, "#growth-emea")
    p09_thread = _first_ts(lifecycle, 2, "#retail-us")
    assert _posts(lifecycle, 4) == {}
    r4 = _replies(lifecycle, 4)
    assert set(r4) == {("#growth-emea", p13_thread)}
    reply = r4[("#growth-emea", p13_thread)]
    assert "failing since Nov 10, 2026 (4 nights)" in reply and MENTION not in reply
    assert "P05" not in reply

    # night 5: P13 escalated (mention) in its thread, copy to #leads; P05 resolved in its own
    # thread; P09 repeated on its 4th night in its thread
    n5, r5 = _posts(lifecycle, 5), _replies(lifecycle, 5)
    assert set(n5) == {"#leads"}
    assert "Escalated \u2013 Nov 14, 2026: 1 pitfall has been failing for too long" in n5["#leads"]
    assert "*Autumn Launch*" in n5["#leads"] and "P09" not in n5["#leads"]
    assert set(r5) == {
        ("#growth-emea", p13_thread),
        ("#growth-emea", p05_thread),
        ("#retail-us", p09_thread),
    }
    escalated = r5[("#growth-emea", p13_thread)]
    assert "(5 nights) · escalated" in escalated and MENTION in escalated
    assert "Resolved tonight" not in escalated
    resolved = r5[("#growth-emea", p05_thread)]
    assert "Resolved tonight" in resolved and "P05 " in resolved and MENTION not in resolved
    assert "failing since Nov 11, 2026 (4 nights)" in r5[("#retail-us", p09_thread)]

    # night 6: P13 quiet (growth hears nothing), P09 reaches 5 nights: escalated in its thread
    assert set(_posts(lifecycle, 6)) == {"#leads"}
    r6 = _replies(lifecycle, 6)
    assert set(r6) == {("#retail-us", p09_thread)}
    assert "(5 nights) · escalated" in r6[("#retail-us", p09_thread)]
    assert "<!subteam" not in r6[("#retail-us", p09_thread)]
    n6 = _posts(lifecycle, 6)
    assert "*Spring Deals*" in n6["#leads"] and "Autumn Launch" not in n6["#leads"]

    # night 7: P13 resolved in its thread; P09 still open and not repeated: nothing in retail
    assert _posts(lifecycle, 7) == {}
    r7 = _replies(lifecycle, 7)
    assert set(r7) == {("#growth-emea", p13_thread)}
    assert "Resolved tonight" in r7[("#growth-emea", p13_thread)]
    assert "(was failing since Nov 10, 2026, 6 nights)" in r7[("#growth-emea", p13_thread)]
    assert "1 resolved" in r7[("#growth-emea", p13_thread)]


def test_replies_are_kept_in_the_outbox_with_their_thread(lifecycle) -> None:
    """Every message Slack accepted keeps its ts; a reply names the ts of its thread, the
    message that first told the pitfall."""
    with connect(lifecycle["paths"].warehouse, read_only=True) as con:
        rows = con.execute(
            "select run_date::varchar, channel, kind, ts, thread_ts from alerts.outbox "
            "where status = 'sent' order by run_date, channel, kind"
        ).fetchall()
        told = con.execute(
            "select campaign_id, guard_id, failing_since::varchar, run_date::varchar "
            "from alerts.announcements order by run_date, guard_id"
        ).fetchall()
    assert all(ts for _, _, _, ts, _ in rows)
    mains = {(day, channel): ts for day, channel, kind, ts, _ in rows if kind == "digest"}
    replies = [(day, channel, thread) for day, channel, kind, _, thread in rows if kind == "reply"]
    assert ("2026-11-13", "#growth-emea", mains[("2026-11-10", "#growth-emea")]) in replies
    assert all(thread in mains.values() for _, _, thread in replies)
    assert told == [
        ("C1", "P13", "2026-11-10", "2026-11-10"),
        ("C2", "P09", "2026-11-11", "2026-11-11"),
        ("C1", "P05", "2026-11-12", "2026-11-12"),
    ]


def test_digest_items_say_where_each_pitfall_stands(lifecycle) -> None:
    (c1,) = _main(lifecycle, 3)["#growth-emea"].campaigns
    assert [(f.guard_id, f.change, f.shown) for f in c1.findings] == [
        ("P05", "new", True),
        ("P13", "persisting", False),
    ]
    (c2,) = _main(lifecycle, 3)["#retail-us"].campaigns
    assert [(f.guard_id, f.change, f.shown) for f in c2.findings] == [("P09", "worse", True)]
    replies = [d for (c, t), d in lifecycle[5]["digests"].items() if c == "#growth-emea"]
    assert all(d.kind == "reply" for d in replies)
    findings = [(f.guard_id, f.escalated) for d in replies for c in d.campaigns for f in c.findings]
    assert findings == [("P13", True)]
    resolved = [
        (r.guard_id, r.failing_since, r.nights_failed)
        for d in replies
        for c in d.campaigns
        for r in c.resolved
    ]
    assert resolved == [("P05", "2026-11-12", 2)]
    assert all(c != "#growth-emea" for c, _ in lifecycle[6]["digests"])
    assert all(c != "#retail-us" for c, _ in lifecycle[7]["digests"])


def test_rerunning_a_night_sends_nothing_twice(lifecycle, monkeypatch) -> None:
    paths, slack = lifecycle["paths"], lifecycle["slack"]
    monkeypatch.setenv("MH_ALERTING_CONFIG", str(lifecycle["policy"]))
    monkeypatch.setenv("AIRFLOW_CONN_SLACK_MARKETING_HEALTH", slack.bot_connection())
    before = len(slack.posts())
    day = NIGHTS[4]
    with connect(paths.warehouse) as con:
        queue_digests(con, build_digests(con, day), day)
        report = deliver_pending(paths, con, wait_budget_seconds=5)
    assert report.sent == 0 and len(slack.posts()) == before


def test_without_guard_states_every_finding_is_new(warehouse) -> None:
    warehouse.campaign("C1", "Autumn Launch").result("P13", "C1", "3 mailed without consent.")
    warehouse.result("P03", "C1", "95% of influencer spend went to nano/micro creators.")
    with connect(warehouse.path, read_only=True) as con:
        (digest,) = build_digests(con, warehouse.run_date)
    (message,) = digest.messages
    blocks = json.dumps(message.blocks)
    assert blocks.count("_new tonight_") == 2 and "failing since" not in blocks
