"""Digests, the outbox and delivery read and write a PostgreSQL warehouse as they do DuckDB."""

from __future__ import annotations

from marketing_health.alerts import build_digests, deliver_pending, queue_digests
from marketing_health.alerts.outbox import pending
from marketing_health.settings import Paths
from marketing_health.warehouse import connect
from support.alert_warehouse import WarehouseBuilder
from support.slack_stub import SlackStub, conn_env_var


def _fill(builder: WarehouseBuilder) -> WarehouseBuilder:
    return (
        builder.campaign("C1", "Autumn Launch", channel="#growth-emea")
        .campaign("C2", "Back to School", channel="growth-EMEA")
        .campaign("C4", "Spring Deals", brand="Nova", team="Retail", channel="#retail-us")
        .result("P09", "C1", "Integration 0.31: 1 of 3 planned channels active.")
        .result("P13", "C2", "3 recipient(s) mailed without recorded consent.")
        .result("P02", "C4", "4 KPI(s) declared, 4 of them vanity metrics.", observed=4)
        .result("P09", "C1", "yesterday's finding", run_date="2026-11-21")
        .result("P05", "C4", None, evidence={"undisclosed_posts": 2, "share": 0.4})
    )


def _queue_and_deliver(paths: Paths, target, run_date: str) -> tuple[list, int, int, object]:
    with connect(target) as con:
        digests = build_digests(con, run_date)
        queued = queue_digests(con, digests, run_date)
        again = queue_digests(con, build_digests(con, run_date), run_date)
        report = deliver_pending(paths, con)
        left = pending(con)
    return (
        [(d.channel, [m.payload() for m in d.messages]) for d in digests],
        queued,
        again,
        (
            report.summary(),
            left,
        ),
    )


def test_digests_queue_and_delivery_match_duckdb(tmp_path, warehouse_url, monkeypatch):
    duck = Paths.under(tmp_path / "duckdb")
    server = Paths.under(tmp_path / "postgres", warehouse_url)
    on_duckdb = _fill(WarehouseBuilder(duck.warehouse))
    on_postgres = _fill(WarehouseBuilder(server))
    sent = {}
    with SlackStub() as slack:
        monkeypatch.setenv(conn_env_var("slack_marketing_health"), slack.bot_connection())
        for paths, target in ((duck, duck.warehouse), (server, server)):
            slack.clear()
            sent[paths.engine] = (
                _queue_and_deliver(paths, target, on_duckdb.run_date),
                sorted((p.channel, p.body) for p in slack.posts()),
            )

    (digests, queued, again, (summary, left)), posts = sent["postgres"]
    assert sent["postgres"] == sent["duckdb"]
    assert [channel for channel, _ in digests] == ["#growth-emea", "#retail-us"]
    assert (queued, again, left) == (2, 0, [])
    assert "2 sent" in summary and len(posts) == 2
    statuses = {row["status"] for row in on_postgres.outbox()}
    assert statuses == {"sent"}
