"""With one incoming webhook for every channel, each digest says which channel it was meant for.

The night's alert stages (``marketing_health.night``: queue, then deliver) against a real
DuckDB warehouse and the local Slack stand-in behind real Airflow connections.
"""

from __future__ import annotations

import json

from marketing_health.night import Night, deliver_alerts, queue_alerts
from support.slack_stub import conn_env_var

CONN_ID = "slack_marketing_health"
RETAIL_HOOK = "/services/T0000STUB/B0000RETAIL/retailsecret"


def _two_teams(warehouse):
    return (
        warehouse.campaign("C1", "Autumn Launch", channel="#growth-emea", team="Growth EMEA")
        .campaign("C2", "Spring Deals", brand="Nova", team="Retail US", channel="#retail-us")
        .result("P09", "C1", "Integration 0.31: 1 of 3 planned channels active.")
        .result("P05", "C2", "2 of 5 sponsored posts carry no disclosure.")
    )


def _first_line_under_header(post) -> str:
    """The first context block's text: the line a reader sees right under the header."""
    blocks = post.json["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    assert blocks[0]["type"] == "header"
    assert blocks[1]["type"] == "context"
    return blocks[1]["elements"][0]["text"]


def _night(paths, warehouse) -> None:
    night = Night.for_date(_two_teams(warehouse).run_date)
    queue_alerts(paths, night)
    deliver_alerts(paths, night)


def test_one_webhook_for_every_channel_names_each_digests_channel_and_team(
    paths, warehouse, slack, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.webhook_connection())
    _night(paths, warehouse)

    posts = slack.posts()
    assert len(posts) == 2 and len({p.path for p in posts}) == 1  # both into the one channel
    by_campaign = {("Autumn Launch" in p.body): p for p in posts}
    emea, retail = by_campaign[True], by_campaign[False]
    assert _first_line_under_header(emea) == (
        ":mailbox_with_mail: Meant for #growth-emea (Growth EMEA): one Slack webhook posts "
        "every channel's digest here."
    )
    assert "Meant for #retail-us (Retail US)" in _first_line_under_header(retail)
    # the notification says it too, right after the title
    assert emea.json["text"].split("\n\n")[1].startswith("Meant for #growth-emea")


def test_a_channel_with_its_own_webhook_or_a_bot_gets_no_note(
    paths, warehouse, slack, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.webhook_connection())
    monkeypatch.setenv(conn_env_var(f"{CONN_ID}__retail_us"), slack.webhook_connection(RETAIL_HOOK))
    _night(paths, warehouse)

    by_path = {p.path: p for p in slack.posts()}
    assert "Meant for" not in json.dumps(by_path[RETAIL_HOOK].json)
    shared = next(p for path, p in by_path.items() if path != RETAIL_HOOK)
    assert "Meant for #growth-emea" in _first_line_under_header(shared)


def test_a_bot_posts_into_each_channel_without_a_note(paths, warehouse, slack, monkeypatch) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.bot_connection())
    _night(paths, warehouse)

    posts = slack.posts()
    assert {p.channel for p in posts} == {"#growth-emea", "#retail-us"}
    assert all("Meant for" not in json.dumps(p.json) for p in posts)


def test_the_note_is_in_the_digests_language(
    paths, warehouse, slack, monkeypatch, alerting_policy
) -> None:
    alerting_policy.write_text(
        alerting_policy.read_text(encoding="utf-8")
        + 'channels:\n  "#retail-us": {language: zh-Hans}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.webhook_connection())
    _night(paths, warehouse)

    retail = next(p for p in slack.posts() if "Spring Deals" in p.body)
    line = _first_line_under_header(retail)
    assert "#retail-us" in line and "Retail US" in line
    assert "Meant for" not in line and "Slack" in line
