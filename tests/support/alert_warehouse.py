"""A hand-made warehouse for alert tests: the two tables alerts read, written row by row."""

from __future__ import annotations

import json
from typing import Any

from marketing_health.catalogue import load_catalogue
from marketing_health.warehouse import Target, connect

RUN_DATE = "2026-11-22"


class WarehouseBuilder:
    """Writes the two tables alerts read: marts.dim_campaigns and guards.guard_results."""

    run_date = RUN_DATE

    def __init__(self, path: Target) -> None:
        """``path``: a DuckDB file, or an installation's paths (its PostgreSQL database)."""
        self.path = path
        with connect(path) as con:
            con.execute("create schema if not exists marts")
            con.execute("create schema if not exists guards")
            con.execute(
                """
                create table if not exists marts.dim_campaigns (
                    campaign_id VARCHAR, campaign_name VARCHAR, brand VARCHAR,
                    owner_team VARCHAR, owner_slack_channel VARCHAR,
                    start_date DATE, end_date DATE
                )
                """
            )
            con.execute(
                """
                create table if not exists guards.guard_results (
                    run_date DATE, guard_id VARCHAR, campaign_id VARCHAR,
                    observed_value DOUBLE PRECISION, threshold DOUBLE PRECISION,
                    must_be VARCHAR, outcome VARCHAR,
                    severity VARCHAR, evidence JSON, summary VARCHAR, run_id VARCHAR,
                    evaluated_at TIMESTAMP
                )
                """
            )

    def campaign(
        self,
        campaign_id: str,
        name: str,
        *,
        brand: str | None = "Acme",
        team: str | None = "Growth EMEA",
        channel: str | None = "#growth-emea",
    ) -> WarehouseBuilder:
        with connect(self.path) as con:
            con.execute(
                "insert into marts.dim_campaigns values (?, ?, ?, ?, ?, date '2026-11-01', "
                "date '2026-12-31')",
                [campaign_id, name, brand, team, channel],
            )
        return self

    def result(
        self,
        guard_id: str,
        campaign_id: str | None,
        summary: str | None = "something was seen",
        *,
        outcome: str = "fail",
        run_date: str = RUN_DATE,
        evidence: dict[str, Any] | None = None,
        observed: float = 0,
        severity: str | None = None,
    ) -> WarehouseBuilder:
        pitfall = load_catalogue()[guard_id]
        guard = pitfall.guard
        with connect(self.path) as con:
            con.execute(
                """
                insert into guards.guard_results values
                    (?::date, ?, ?, ?, ?, ?, ?, ?, ?::json, ?, 'test_run', current_timestamp)
                """,
                [
                    run_date,
                    guard_id,
                    campaign_id,
                    observed,
                    guard.threshold if guard else None,
                    guard.must_be if guard else None,
                    outcome,
                    severity or pitfall.severity,
                    json.dumps(evidence or {}),
                    summary,
                ],
            )
        return self

    def outbox(self) -> list[dict[str, Any]]:
        """Every alerts.outbox row, oldest night first."""
        with connect(self.path, read_only=True) as con:
            cur = con.execute(
                "select alert_key, run_date::varchar as run_date, channel, part, total_parts, "
                "status, attempts, last_error, destination, sent_at from alerts.outbox "
                "order by run_date, channel, part"
            )
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
