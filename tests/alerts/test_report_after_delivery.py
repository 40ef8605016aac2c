"""The night's health report tells what Slack was actually told, once the digests went out.

The DAG writes the report before delivery (every digest links to it), so at that point the
outbox holds only pending messages; the delivery step writes it again. These tests run the
night's stages as the DAG's alert task group does (``marketing_health.night``) on a real
DuckDB warehouse, with the local Slack stand-in behind a real Airflow connection.
"""

from __future__ import annotations

import re
from pathlib import Path

from marketing_health.night import Night, deliver_alerts, health_report, queue_alerts
from support.slack_stub import conn_env_var

CONN_ID = "slack_marketing_health"


def _slack_rows(report_html: str) -> dict[str, tuple[str, str, str]]:
    """Channel -> (messages, status, delivered to) from the report's Slack section."""
    start = report_html.index('<section id="slack">')
    section = report_html[start : report_html.index("</section>", start)]
    rows = re.findall(
        r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>',
        section,
    )
    return {channel: (n, status, to) for channel, n, status, to in rows}


def _two_teams(warehouse):
    return (
        warehouse.campaign("C1", "Autumn Launch", channel="#growth-emea")
        .campaign("C2", "Spring Deals", brand="Nova", team="Retail", channel="#retail-us")
        .result("P09", "C1", "Integration 0.31: 1 of 3 planned channels active.")
        .result("P05", "C2", "2 of 5 sponsored posts carry no disclosure.")
    )


def test_the_report_says_sent_after_the_digests_were_delivered(
    paths, warehouse, slack, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.bot_connection())
    night = Night.for_date(_two_teams(warehouse).run_date)
    queue_alerts(paths, night)
    report = Path(health_report(paths, night)["path"])

    before = _slack_rows(report.read_text(encoding="utf-8"))
    assert {c: s for c, (_, s, _) in before.items()} == {
        "#growth-emea": "pending",
        "#retail-us": "pending",
    }

    delivered = deliver_alerts(paths, night)
    assert delivered["sent"] == 2 and len(slack.posts()) == 2

    after = _slack_rows(report.read_text(encoding="utf-8"))
    assert after == {
        "#growth-emea": ("1", "sent", f"slack #growth-emea via {CONN_ID}"),
        "#retail-us": ("1", "sent", f"slack #retail-us via {CONN_ID}"),
    }


def test_a_digest_slack_refused_stays_pending_in_the_report(
    paths, warehouse, slack, monkeypatch
) -> None:
    monkeypatch.setenv(conn_env_var(CONN_ID), slack.bot_connection())
    night = Night.for_date(_two_teams(warehouse).run_date)
    queue_alerts(paths, night)
    report = Path(health_report(paths, night)["path"])
    slack.stop()  # Slack is down: nothing can be delivered tonight

    delivered = deliver_alerts(paths, night)

    assert delivered["pending"] == 2
    after = _slack_rows(report.read_text(encoding="utf-8"))
    assert {c: s for c, (_, s, _) in after.items()} == {
        "#growth-emea": "pending",
        "#retail-us": "pending",
    }
