"""``guards.guard_results``: every guard's outcome for every live campaign, every night.

The table is the history drift is judged from, so a night is written as a whole: re-running a
night first deletes that night's rows in the same transaction, and other nights are never
touched. A campaign's outcome comes from GE's verdict (the campaigns it lists as failing);
this module only shapes rows around it.

A guard may hold several checks. The row's ``observed_value``, ``threshold`` and ``must_be``
name the first failing check (the primary check when none fails), and the evidence lists every
check with its own value, threshold and outcome under ``checks``, so an alert and the history
can say which rule broke. ``threshold`` and ``severity`` are the ones actually used, overrides
included.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from marketing_health.catalogue.model import Check, Pitfall
from marketing_health.guards.evidence import evidence_of, render_summary, to_jsonable
from marketing_health.guards.suites import KEY_COLUMN, threshold_column

if TYPE_CHECKING:
    import pandas as pd

Outcome = Literal["pass", "fail", "not_applicable", "error"]
OUTCOMES: tuple[Outcome, ...] = ("pass", "fail", "not_applicable", "error")
#: campaign_id of the single row recording a guard that could not be evaluated.
ALL_CAMPAIGNS = "*"
RESULTS_TABLE = "guards.guard_results"
#: Key of the evidence JSON listing every check of the guard with its own outcome.
CHECKS_EVIDENCE_KEY = "checks"

#: ``{double}``: the engine's name of a double-precision float.
RESULTS_DDL = f"""
CREATE TABLE IF NOT EXISTS {RESULTS_TABLE} (
    run_date DATE NOT NULL,
    guard_id VARCHAR NOT NULL,
    campaign_id VARCHAR NOT NULL,
    observed_value {{double}},
    threshold {{double}},
    must_be VARCHAR,
    outcome VARCHAR NOT NULL CHECK (outcome IN ({", ".join(repr(o) for o in OUTCOMES)})),
    severity VARCHAR,
    evidence JSON,
    summary VARCHAR,
    run_id VARCHAR,
    evaluated_at TIMESTAMP,
    PRIMARY KEY (run_date, guard_id, campaign_id)
)
"""

_COLUMNS = (
    "run_date",
    "guard_id",
    "campaign_id",
    "observed_value",
    "threshold",
    "must_be",
    "outcome",
    "severity",
    "evidence",
    "summary",
    "run_id",
    "evaluated_at",
)


@dataclass(frozen=True)
class GuardResult:
    """One row of ``guards.guard_results``."""

    run_date: dt.date
    guard_id: str
    campaign_id: str
    observed_value: float | None
    threshold: float | None
    must_be: str | None
    outcome: Outcome
    severity: str
    evidence: dict[str, Any] | None
    summary: str
    run_id: str
    evaluated_at: dt.datetime


def campaign_results(
    pitfall: Pitfall,
    frame: pd.DataFrame,
    failed_by_check: Mapping[str, Iterable[str]],
    *,
    run_date: dt.date,
    run_id: str,
    evaluated_at: dt.datetime,
    severities: Mapping[str, str] | None = None,
) -> list[GuardResult]:
    """One result per signal row: failing if GE listed the campaign under any check, not
    applicable if every checked column is NULL.

    Args:
        failed_by_check: checked column -> campaigns GE listed as failing that check.
        severities: campaign -> severity where an override replaces the catalogue's.
    """
    guard = pitfall.guard
    if guard is None:
        raise ValueError(f"{pitfall.id} is not guarded")
    failed = {c.column: {str(x) for x in failed_by_check.get(c.column, ())} for c in guard.checks}
    severities = severities or {}
    results = []
    for row in frame.to_dict("records"):
        campaign_id = str(row[KEY_COLUMN])
        checks = [
            _check_evidence(pitfall, check, row, failed[check.column]) for check in guard.checks
        ]
        outcomes = {c["outcome"] for c in checks}
        if "fail" in outcomes:
            outcome: Outcome = "fail"
        elif outcomes == {"not_applicable"}:
            outcome = "not_applicable"
        else:
            outcome = "pass"
        headline = next((c for c in checks if c["outcome"] == "fail"), checks[0])
        evidence = evidence_of(guard, row)
        evidence[CHECKS_EVIDENCE_KEY] = checks
        results.append(
            GuardResult(
                run_date=run_date,
                guard_id=pitfall.id,
                campaign_id=campaign_id,
                observed_value=None
                if headline["observed"] is None
                else float(headline["observed"]),
                threshold=headline["threshold"],
                must_be=headline["must_be"],
                outcome=outcome,
                severity=severities.get(campaign_id, pitfall.severity),
                evidence=evidence,
                summary=render_summary(guard, row),
                run_id=run_id,
                evaluated_at=evaluated_at,
            )
        )
    listed = set().union(*failed.values())
    unknown = listed - {r.campaign_id for r in results}
    if unknown:
        raise ValueError(f"{pitfall.id}: GE failed campaigns not in the signal rows: {unknown}")
    return results


def _check_evidence(
    pitfall: Pitfall, check: Check, row: Mapping[str, Any], failed: set[str]
) -> dict[str, Any]:
    """One check of one campaign as the evidence JSON lists it."""
    campaign_id = str(row[KEY_COLUMN])
    observed = to_jsonable(row.get(check.column))
    if observed is None:
        if campaign_id in failed:
            raise ValueError(
                f"{pitfall.id}: GE failed campaign {campaign_id} on {check.column}, which is NULL"
            )
        outcome = "not_applicable"
    else:
        outcome = "fail" if campaign_id in failed else "pass"
    return {
        "column": check.column,
        "observed": observed,
        "threshold": float(row[threshold_column(check.column)]),
        "must_be": check.must_be,
        "outcome": outcome,
    }


def error_result(
    pitfall: Pitfall,
    message: str,
    *,
    run_date: dt.date,
    run_id: str,
    evaluated_at: dt.datetime,
) -> GuardResult:
    """The one row saying a guard could not judge this night, and why."""
    guard = pitfall.guard
    return GuardResult(
        run_date=run_date,
        guard_id=pitfall.id,
        campaign_id=ALL_CAMPAIGNS,
        observed_value=None,
        threshold=None if guard is None else guard.threshold,
        must_be=None if guard is None else guard.must_be,
        outcome="error",
        severity=pitfall.severity,
        evidence=None,
        summary=message,
        run_id=run_id,
        evaluated_at=evaluated_at,
    )


def ensure_results_table(con: Any) -> None:
    from marketing_health.warehouse import engine_of, sql_type

    con.execute("CREATE SCHEMA IF NOT EXISTS guards")
    con.execute(RESULTS_DDL.format(double=sql_type("DOUBLE", engine_of(con))))


def replace_night(con: Any, run_date: dt.date, results: Sequence[GuardResult]) -> None:
    """Write one night's results in place of any earlier run of the same night, atomically."""
    from marketing_health.warehouse import engine_of

    ensure_results_table(con)
    rows = [asdict(r) for r in results]
    for row in rows:
        row["evidence"] = None if row["evidence"] is None else json.dumps(row["evidence"])
    if engine_of(con) == "postgres":
        _replace_rows(con, run_date, rows)
        return
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(_COLUMNS)).astype(
        {"observed_value": "float64", "threshold": "float64", "evidence": "object"}
    )
    select = ", ".join(
        f"CAST({c} AS JSON)" if c == "evidence" else f"CAST({c} AS DATE)" if c == "run_date" else c
        for c in _COLUMNS
    )
    con.begin()
    try:
        con.execute(f"DELETE FROM {RESULTS_TABLE} WHERE run_date = ?", [run_date])
        con.register("night_guard_results", frame)
        con.execute(
            f"INSERT INTO {RESULTS_TABLE} ({', '.join(_COLUMNS)}) "
            f"SELECT {select} FROM night_guard_results"
        )
        con.unregister("night_guard_results")
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _replace_rows(con: Any, run_date: dt.date, rows: Sequence[dict[str, Any]]) -> None:
    """The night's rows as one batch of parameters: a server has no view of a local frame."""
    values = ", ".join("CAST(? AS JSON)" if c == "evidence" else "?" for c in _COLUMNS)
    con.begin()
    try:
        con.execute(f"DELETE FROM {RESULTS_TABLE} WHERE run_date = ?", [run_date])
        if rows:
            con.executemany(
                f"INSERT INTO {RESULTS_TABLE} ({', '.join(_COLUMNS)}) VALUES ({values})",
                [[row[c] for c in _COLUMNS] for row in rows],
            )
        con.commit()
    except BaseException:
        con.rollback()
        raise
