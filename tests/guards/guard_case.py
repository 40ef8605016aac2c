"""Hand-made signal marts and a pinned catalogue for the guard tests.

The runner tests judge the marts with the five guards of the first catalogue release, pinned in
five_guards.yaml, so they stay put while pitfalls.yaml grows; test_guard_checks.py runs the
packaged catalogue, whatever it holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from marketing_health.catalogue.model import Catalogue, load_catalogue, parse_catalogue
from marketing_health.guards import GuardOverrides, GuardReport, run_guards
from marketing_health.settings import Paths

NIGHT = "2026-03-14"
NEXT_NIGHT = "2026-03-15"
FIVE_GUARDS_FILE = Path(__file__).with_name("five_guards.yaml")


def five_guards() -> Catalogue:
    """P02, P03, P05, P09 and P13 as first released: one check each."""
    return load_catalogue(FIVE_GUARDS_FILE)


#: A guard with three checks, as the catalogue writes it (P04 in its own test catalogue).
MANAGEMENT_GUARD: dict[str, Any] = {
    "model": "sig_influencer_management",
    "checks": [
        {"column": "late_deliverables", "must_be": "at_most", "threshold": 0, "unit": "count"},
        {"column": "max_feedback_days", "must_be": "at_most", "threshold": 3, "unit": "days"},
        {"column": "missing_briefs", "must_be": "at_most", "threshold": 0, "unit": "count"},
    ],
    "evidence": {
        "late_deliverables": "late deliverables",
        "max_feedback_days": "longest wait for feedback",
        "missing_briefs": "posts live without a brief",
    },
    "summary": [
        {
            "count": "late_deliverables",
            "one": "{late_deliverables} late deliverable.",
            "other": "{late_deliverables} late deliverables.",
        },
        "Feedback waited up to {max_feedback_days}.",
        {
            "count": "missing_briefs",
            "one": "{missing_briefs} post live without a brief.",
            "other": "{missing_briefs} posts live without a brief.",
        },
    ],
}


def with_management_guard(severity: str = "warning") -> Catalogue:
    """The five pinned guards, P04 with three checks and P01 without a guard."""
    import yaml

    data = yaml.safe_load(FIVE_GUARDS_FILE.read_text(encoding="utf-8"))
    data["pitfalls"].append(
        {
            "id": "P04",
            "title": "Influencers left unmanaged",
            "seed": "test",
            "severity": severity,
            "explanation": "Deliverables slip when creators get no brief.",
            "remediation": "Chase late deliverables and answer drafts within three days.",
            "default": "late deliverable or feedback > 3 days",
            "guard": MANAGEMENT_GUARD,
        }
    )
    data["pitfalls"].append(
        {
            "id": "P01",
            "title": "Brand and influencer misaligned",
            "seed": "test",
            "severity": "warning",
            "explanation": "The creator's audience misses the target.",
            "remediation": "Compare audiences before renewing.",
            "default": "overlap < 0.5",
        }
    )
    return parse_catalogue(data)


def create_management_mart(
    con: duckdb.DuckDBPyConnection, night: str, rows: list[tuple[Any, ...]]
) -> None:
    """marts.sig_influencer_management: (campaign_id, late, max_feedback_days, missing_briefs)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute(
        "CREATE OR REPLACE TABLE marts.sig_influencer_management (as_of_date DATE, "
        "campaign_id VARCHAR, late_deliverables BIGINT, max_feedback_days DOUBLE, "
        "missing_briefs BIGINT)"
    )
    for row in rows:
        con.execute(
            "INSERT INTO marts.sig_influencer_management VALUES (?, ?, ?, ?, ?)", [night, *row]
        )


def judge(paths: Paths, night: str, run_id: str, **options: Any) -> GuardReport:
    """run_guards with the pinned catalogue and no overrides unless the test says otherwise."""
    options.setdefault("catalogue", five_guards())
    options.setdefault("overrides", GuardOverrides())
    return run_guards(paths, night, run_id, **options)


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
