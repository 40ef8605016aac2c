"""A warehouse holding hand-made signal marts: for every guard a drifting campaign and its
clean twin, plus the edge cases (NULL signal, value exactly at the threshold)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from marketing_health.settings import Paths

NIGHT = "2026-03-14"
NEXT_NIGHT = "2026-03-15"

#: Signal marts with the columns of the shared spec, one row per (as_of_date, campaign_id).
MART_COLUMNS: dict[str, dict[str, str]] = {
    "sig_campaign_goals": {
        "as_of_date": "DATE",
        "campaign_id": "VARCHAR",
        "declared_kpis": "BIGINT",
        "vanity_kpis": "BIGINT",
        "outcome_kpis": "BIGINT",
        "outcome_kpis_with_target": "BIGINT",
    },
    "sig_influencer_mix": {
        "as_of_date": "DATE",
        "campaign_id": "VARCHAR",
        "influencer_spend": "DECIMAL(38,4)",
        "nano_micro_spend_share": "DOUBLE",
        "creators": "BIGINT",
        "mid_plus_creators": "BIGINT",
    },
    "sig_sponsored_disclosure": {
        "as_of_date": "DATE",
        "campaign_id": "VARCHAR",
        "sponsored_posts": "BIGINT",
        "undisclosed_sponsored_posts": "BIGINT",
        "undisclosed_examples": "VARCHAR",
    },
    "sig_integration": {
        "as_of_date": "DATE",
        "campaign_id": "VARCHAR",
        "integration_score": "DOUBLE",
        "channel_activation": "DOUBLE",
        "active_channels": "BIGINT",
        "planned_channels": "BIGINT",
        "multi_channel_day_share": "DOUBLE",
        "tracked_share": "DOUBLE",
        "message_consistency": "DOUBLE",
    },
    "sig_privacy": {
        "as_of_date": "DATE",
        "campaign_id": "VARCHAR",
        "sends_without_consent": "BIGINT",
        "sends_after_opt_out": "BIGINT",
        "raw_personal_data_found": "BIGINT",
        "privacy_violations": "HUGEINT",
    },
}

#: Rows per mart for one night, without as_of_date (added per night).
MART_ROWS: dict[str, list[tuple[Any, ...]]] = {
    "sig_campaign_goals": [
        ("C-GOALS-BAD", 3, 3, 0, 0),
        ("C-GOALS-OK", 3, 1, 2, 1),
    ],
    "sig_influencer_mix": [
        ("C-MIX-BAD", 5000, 0.95, 6, 0),
        ("C-MIX-OK", 5000, 0.8, 5, 1),
        ("C-MIX-NONE", None, None, 0, 0),
    ],
    "sig_sponsored_disclosure": [
        ("C-ADS-BAD", 3, 1, "instagram post 123 by @mia"),
        ("C-ADS-OK", 3, 0, ""),
    ],
    "sig_integration": [
        ("C-INT-BAD", 0.31, 0.3333, 1, 3, 0.0, 0.4, None),
        ("C-INT-OK", 0.82, 1.0, 3, 3, 0.75, 0.9, 0.6),
    ],
    "sig_privacy": [
        ("C-PRIV-BAD", 2, 1, 0, 3),
        ("C-PRIV-OK", 0, 0, 0, 0),
    ],
}


def create_mart(
    con: duckdb.DuckDBPyConnection, mart: str, nights: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """Create (or replace) ``marts.<mart>`` with ``rows`` repeated for every night."""
    columns = MART_COLUMNS[mart]
    body = ", ".join(f"{name} {typ}" for name, typ in columns.items())
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute(f"CREATE OR REPLACE TABLE marts.{mart} ({body})")
    placeholders = ", ".join("?" for _ in columns)
    for night in nights:
        for row in rows:
            con.execute(f"INSERT INTO marts.{mart} VALUES ({placeholders})", [night, *row])


def build_warehouse(paths: Paths, nights: list[str], marts: list[str] | None = None) -> Paths:
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.warehouse)) as con:
        for mart in marts or list(MART_ROWS):
            create_mart(con, mart, nights, MART_ROWS[mart])
    return paths


def guard_rows(paths: Paths, where: str = "true") -> list[dict[str, Any]]:
    """guards.guard_results as dicts, ordered by night, guard and campaign."""
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        cursor = con.execute(
            f"SELECT * FROM guards.guard_results WHERE {where} "
            "ORDER BY run_date, guard_id, campaign_id"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths.under(tmp_path)


@pytest.fixture
def warehouse(paths: Paths) -> Paths:
    """All five signal marts for two nights."""
    return build_warehouse(paths, [NIGHT, NEXT_NIGHT])


@pytest.fixture
def read_results(paths: Paths) -> Callable[..., list[dict[str, Any]]]:
    """Rows of guards.guard_results (optionally filtered by a SQL condition)."""
    return lambda where="true": guard_rows(paths, where)


@pytest.fixture
def run_sql(paths: Paths) -> Callable[[str], None]:
    """Change the test warehouse (drop a mart, add a row) between guard runs."""

    def run(sql: str) -> None:
        paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(paths.warehouse)) as con:
            con.execute(sql)

    return run


@pytest.fixture(scope="module")
def judged_night(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Paths, Any, list[dict[str, Any]]]:
    """One night judged with the catalogue defaults: (paths, report, result rows of the night)."""
    from marketing_health.guards import evaluate_guards

    paths = build_warehouse(Paths.under(tmp_path_factory.mktemp("night")), [NIGHT, NEXT_NIGHT])
    report = evaluate_guards(paths, NIGHT, "run-1")
    return paths, report, guard_rows(paths)
