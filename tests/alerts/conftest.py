"""Fixtures for the alert tests: a hand-made warehouse, a local Slack, a clean Slack environment."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marketing_health.catalogue import load_catalogue
from marketing_health.settings import Paths
from marketing_health.warehouse import connect
from support.slack_stub import SlackStub

RUN_DATE = "2026-11-22"

_SLACK_ENV = (
    "MH_SLACK_CONN_ID",
    "MH_SLACK_OPS_CONN_ID",
    "MH_OPS_SLACK_CHANNEL",
    "MH_FALLBACK_SLACK_CHANNEL",
    "AIRFLOW__API__BASE_URL",
)


@pytest.fixture(scope="session", autouse=True)
def _airflow_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ.setdefault("AIRFLOW_HOME", str(tmp_path_factory.mktemp("airflow_home")))


@pytest.fixture(autouse=True)
def no_slack_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without Slack connections; tests add the ones they need."""
    for name in list(os.environ):
        if name.startswith("AIRFLOW_CONN_SLACK") or name in _SLACK_ENV:
            monkeypatch.delenv(name)


@pytest.fixture
def slack() -> Iterator[SlackStub]:
    with SlackStub() as stub:
        yield stub


class WarehouseBuilder:
    """Writes the two tables alerts read: marts.dim_campaigns and guards.guard_results."""

    run_date = RUN_DATE

    def __init__(self, path: Path) -> None:
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
                    observed_value DOUBLE, threshold DOUBLE, must_be VARCHAR, outcome VARCHAR,
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
    ) -> WarehouseBuilder:
        pitfall = load_catalogue()[guard_id]
        guard = pitfall.guard
        with connect(self.path) as con:
            con.execute(
                """
                insert into guards.guard_results values
                    (?::date, ?, ?, 0, ?, ?, ?, ?, ?::json, ?, 'test_run', current_timestamp)
                """,
                [
                    run_date,
                    guard_id,
                    campaign_id,
                    guard.threshold if guard else None,
                    guard.must_be if guard else None,
                    outcome,
                    pitfall.severity,
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


@pytest.fixture
def warehouse(paths: Paths) -> WarehouseBuilder:
    return WarehouseBuilder(paths.warehouse)
