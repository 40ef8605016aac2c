"""Guards with several checks: a campaign fails when any check fails, and the evidence says which.

The last test runs the packaged catalogue, whatever guards it holds, on signal marts made up
from the checks alone: no guard needs code of its own.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import duckdb
import pytest

from marketing_health.catalogue.model import Check, load_catalogue
from marketing_health.guards import evaluate_guards

from .guard_case import NIGHT, create_management_mart, guard_rows, judge, with_management_guard

#: (campaign, late_deliverables, max_feedback_days, missing_briefs)
MANAGEMENT_ROWS = [
    ("C-ALL-OK", 0, 3.0, 0),
    ("C-LATE", 2, 1.0, 0),
    ("C-SLOW", 0, 6.0, 0),
    ("C-SLOW-NO-BRIEF", 0, 5.0, 1),
    ("C-PARTLY-NULL", None, 2.0, None),
    ("C-NULL-BUT-FAILING", None, None, 4),
    ("C-ALL-NULL", None, None, None),
]


@pytest.fixture
def management(paths) -> dict[str, dict[str, Any]]:
    """The night judged with P04's three checks: campaign -> result row."""
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.warehouse)) as con:
        create_management_mart(con, NIGHT, MANAGEMENT_ROWS)
    judge(paths, NIGHT, "run-1", catalogue=with_management_guard())
    return {r["campaign_id"]: r for r in guard_rows(paths, "guard_id = 'P04'")}


def _checks(row: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    return {
        c["column"]: (c["observed"], c["outcome"]) for c in json.loads(row["evidence"])["checks"]
    }


def test_any_failing_check_fails_the_campaign(management):
    outcomes = {campaign: row["outcome"] for campaign, row in management.items()}
    assert outcomes == {
        "C-ALL-OK": "pass",
        "C-LATE": "fail",
        "C-SLOW": "fail",
        "C-SLOW-NO-BRIEF": "fail",
        "C-PARTLY-NULL": "pass",
        "C-NULL-BUT-FAILING": "fail",
        "C-ALL-NULL": "not_applicable",
    }


def test_every_check_has_its_own_outcome_in_the_evidence(management):
    assert _checks(management["C-SLOW-NO-BRIEF"]) == {
        "late_deliverables": (0, "pass"),
        "max_feedback_days": (5.0, "fail"),
        "missing_briefs": (1, "fail"),
    }
    assert _checks(management["C-PARTLY-NULL"]) == {
        "late_deliverables": (None, "not_applicable"),
        "max_feedback_days": (2.0, "pass"),
        "missing_briefs": (None, "not_applicable"),
    }
    evidence = json.loads(management["C-LATE"]["evidence"])
    assert evidence["checks"][0] == {
        "column": "late_deliverables",
        "observed": 2,
        "threshold": 0.0,
        "must_be": "at_most",
        "outcome": "fail",
    }
    assert evidence["late_deliverables"] == 2 and evidence["max_feedback_days"] == 1.0


def test_the_row_quotes_the_first_failing_check_else_the_primary(management):
    def headline(campaign: str) -> tuple[Any, Any, Any]:
        row = management[campaign]
        return row["observed_value"], row["threshold"], row["must_be"]

    assert headline("C-SLOW") == (6.0, 3.0, "at_most")
    assert headline("C-SLOW-NO-BRIEF") == (5.0, 3.0, "at_most")
    assert headline("C-NULL-BUT-FAILING") == (4.0, 0.0, "at_most")
    assert headline("C-ALL-OK") == (0.0, 0.0, "at_most")
    assert headline("C-PARTLY-NULL") == (None, 0.0, "at_most")
    assert headline("C-ALL-NULL") == (None, 0.0, "at_most")


def test_summary_shows_each_checked_column_in_its_unit(management):
    assert management["C-SLOW"]["summary"] == (
        "0 late deliverables. Feedback waited up to 6 days. 0 posts live without a brief."
    )


def test_a_checked_column_holding_text_stops_the_guard(paths):
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.warehouse)) as con:
        create_management_mart(con, NIGHT, MANAGEMENT_ROWS)
        con.execute("ALTER TABLE marts.sig_influencer_management ALTER missing_briefs TYPE VARCHAR")
    judge(paths, NIGHT, "run-1", catalogue=with_management_guard())
    [error] = guard_rows(paths, "guard_id = 'P04'")
    assert error["outcome"] == "error" and "missing_briefs holds VARCHAR" in error["summary"]


def test_each_check_takes_its_own_campaign_threshold(paths):
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.warehouse)) as con:
        create_management_mart(con, NIGHT, MANAGEMENT_ROWS)
    judge(
        paths,
        NIGHT,
        "run-1",
        catalogue=with_management_guard(),
        thresholds={
            "P04": {
                "C-SLOW": {"max_feedback_days": 7},
                "C-SLOW-NO-BRIEF": {"max_feedback_days": 7, "missing_briefs": 1},
                "C-LATE": 2,  # a bare number: the primary check, late_deliverables
            }
        },
    )
    rows = {r["campaign_id"]: r for r in guard_rows(paths, "guard_id = 'P04'")}
    assert {c: rows[c]["outcome"] for c in ("C-SLOW", "C-SLOW-NO-BRIEF", "C-LATE")} == {
        "C-SLOW": "pass",
        "C-SLOW-NO-BRIEF": "pass",
        "C-LATE": "pass",
    }
    checks = json.loads(rows["C-SLOW-NO-BRIEF"]["evidence"])["checks"]
    assert [c["threshold"] for c in checks] == [0.0, 7.0, 1.0]
    assert rows["C-LATE"]["threshold"] == 2.0


def test_a_threshold_for_a_column_the_guard_does_not_check_stops_the_guard(paths):
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.warehouse)) as con:
        create_management_mart(con, NIGHT, MANAGEMENT_ROWS)
    judge(
        paths,
        NIGHT,
        "run-1",
        catalogue=with_management_guard(),
        thresholds={"P04": {"C-SLOW": {"feedback_days": 7}}},
    )
    [error] = guard_rows(paths, "guard_id = 'P04'")
    assert "'feedback_days', which the guard does not check" in error["summary"]


def _healthy(check: Check) -> float:
    return {"at_most": 0.0, "at_least": 0.0, "below": -1.0, "above": 1.0}[check.must_be] + (
        check.threshold
    )


def _failing(check: Check) -> float:
    return {"at_most": 1.0, "at_least": -1.0, "below": 0.0, "above": 0.0}[check.must_be] + (
        check.threshold
    )


def test_every_guard_of_the_packaged_catalogue_is_judged_from_its_checks(paths, monkeypatch):
    """For each guard: a healthy campaign, one failing each check alone, one all NULL."""
    catalogue = load_catalogue()
    monkeypatch.setenv("MH_GUARD_OVERRIDES", str(paths.data_dir / "none.yaml"))
    by_model: dict[str, list] = defaultdict(list)
    for pitfall in catalogue.guarded:
        by_model[pitfall.guard.model].append(pitfall)
    expected: dict[tuple[str, str], str] = {}
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("CREATE SCHEMA marts")
        for model, pitfalls in by_model.items():
            columns = list(dict.fromkeys(c for p in pitfalls for c in p.guard.signal_columns))
            body = ", ".join(f'"{c}" DOUBLE' for c in columns)
            con.execute(
                f"CREATE TABLE marts.{model} (as_of_date DATE, campaign_id VARCHAR, {body})"
            )
            rows: list[tuple[str, str, dict[str, float | None]]] = []
            for p in pitfalls:
                healthy = {c.column: _healthy(c) for c in p.guard.checks}
                rows.append((p.id, f"{p.id}-OK", healthy))
                for check in p.guard.checks:
                    rows.append(
                        (
                            p.id,
                            f"{p.id}-BAD-{check.column}",
                            {**healthy, check.column: _failing(check)},
                        )
                    )
                rows.append((p.id, f"{p.id}-NULL", {}))
            for owner, campaign, values in rows:
                con.execute(
                    f"INSERT INTO marts.{model} VALUES (?, ?, {', '.join('?' for _ in columns)})",
                    [NIGHT, campaign, *(values.get(c) for c in columns)],
                )
                for p in pitfalls:
                    if p.id != owner or campaign.endswith("-NULL"):
                        outcome = "not_applicable"
                    else:
                        outcome = "pass" if campaign.endswith("-OK") else "fail"
                    expected[(p.id, campaign)] = outcome
    report = evaluate_guards(paths, NIGHT, "run-1")
    got = {(r["guard_id"], r["campaign_id"]): r for r in guard_rows(paths)}
    assert {k: r["outcome"] for k, r in got.items()} == expected
    assert report.total("error") == 0
    for pitfall in catalogue.guarded:
        for check in pitfall.guard.checks:
            row = got[(pitfall.id, f"{pitfall.id}-BAD-{check.column}")]
            assert (row["observed_value"], row["threshold"], row["must_be"]) == (
                _failing(check),
                check.threshold,
                check.must_be,
            )
            assert row["severity"] == pitfall.severity
