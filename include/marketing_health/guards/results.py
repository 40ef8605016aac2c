"""``guards.guard_results``: every guard's outcome for every live campaign, every night.

The table is the history drift is judged from, so a night is written as a whole: re-running a
night first deletes that night's rows in the same transaction, and other nights are never
touched. A campaign's outcome comes from GE's verdict (the campaigns it lists as failing);
this module only shapes rows around it.

A guard may hold several checks. The row's ``observed_value``, ``threshold`` and ``must_be``
name the first failing check (else the first that cannot tell, else the primary check), and
the evidence lists every check with its own value, threshold and outcome under ``checks``, so
an alert and the history can say which rule broke. ``threshold`` and ``severity`` are the ones
actually used, overrides included.

``cannot_tell``: a check that counts terms no vocabulary knows (``unknown`` in the catalogue)
is judged by GE at its value and at its bound (value + unknown count). When the two verdicts
differ the check cannot tell: the campaign might be fine or not, depending on what the unknown
terms mean. The guard's outcome is ``fail`` when any check fails for sure, else
``cannot_tell`` when any check cannot tell; it is never a failure and never alerted to the
owners, and the evidence names the terms under ``unknown_terms`` so someone can classify them.

Warehouses created before ``cannot_tell`` existed have a CHECK constraint without it;
:func:`ensure_results_table` widens it on the fly (DuckDB: the table is copied into a new one
in one transaction; PostgreSQL: the constraint is replaced).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Literal

from marketing_health.catalogue.model import Check, Pitfall
from marketing_health.guards.evidence import evidence_of, render_summary, to_jsonable
from marketing_health.guards.examples import held_vocabularies
from marketing_health.guards.suites import KEY_COLUMN, bound_column, threshold_column
from marketing_health.i18n import Translator, translator

if TYPE_CHECKING:
    import pandas as pd

Outcome = Literal["pass", "fail", "not_applicable", "error", "cannot_tell"]
OUTCOMES: tuple[Outcome, ...] = ("pass", "fail", "not_applicable", "error", "cannot_tell")
#: campaign_id of the single row recording a guard that could not be evaluated.
ALL_CAMPAIGNS = "*"
RESULTS_TABLE = "guards.guard_results"
#: Key of the evidence JSON listing every check of the guard with its own outcome.
CHECKS_EVIDENCE_KEY = "checks"
#: Key of the evidence JSON naming the unknown terms a check could not judge without.
UNKNOWN_TERMS_EVIDENCE_KEY = "unknown_terms"
#: Outcomes of one check, as the evidence lists them.
_CHECK_OUTCOMES = ("pass", "fail", "cannot_tell", "not_applicable")

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
    failed_bound_by_check: Mapping[str, Iterable[str]] | None = None,
) -> list[GuardResult]:
    """One result per signal row: failing if GE listed the campaign under any check (at its
    bound too, where the check has one), cannot_tell if a check's value and bound got
    different verdicts, not applicable if every checked column is NULL.

    Args:
        failed_by_check: checked column -> campaigns GE listed as failing that check.
        severities: campaign -> severity where an override replaces the catalogue's.
        failed_bound_by_check: checked column -> campaigns GE listed as failing at the bound
            (value + unknown count), for the checks that declare ``unknown``.
    """
    guard = pitfall.guard
    if guard is None:
        raise ValueError(f"{pitfall.id} is not guarded")
    failed = {c.column: {str(x) for x in failed_by_check.get(c.column, ())} for c in guard.checks}
    bounds = failed_bound_by_check or {}
    failed_bound = {
        c.column: {str(x) for x in bounds.get(c.column, ())} for c in guard.checks if c.unknown
    }
    severities = severities or {}
    results = []
    # the vocabularies' labels of every row's examples are read once for the guard
    with held_vocabularies():
        for row in frame.to_dict("records"):
            campaign_id = str(row[KEY_COLUMN])
            checks = [
                _check_evidence(
                    pitfall, check, row, failed[check.column], failed_bound.get(check.column)
                )
                for check in guard.checks
            ]
            outcome = guard_outcome(c["outcome"] for c in checks)
            headline = next(
                (c for c in checks if c["outcome"] == "fail"),
                next((c for c in checks if c["outcome"] == "cannot_tell"), checks[0]),
            )
            evidence = evidence_of(guard, row)
            evidence[CHECKS_EVIDENCE_KEY] = checks
            terms = unknown_terms(pitfall, row)
            if terms:
                evidence[UNKNOWN_TERMS_EVIDENCE_KEY] = terms
            # stored in English; displays re-render it in the reader's language from the
            # evidence (evidence.summary_from_evidence)
            summary = render_summary(guard, row, translator(None))
            if outcome == "cannot_tell":
                summary = f"{summary} {cannot_tell_sentence(terms)}".strip()
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
                    summary=summary,
                    run_id=run_id,
                    evaluated_at=evaluated_at,
                )
            )
    listed = set().union(*failed.values())
    unknown = listed - {r.campaign_id for r in results}
    if unknown:
        raise ValueError(f"{pitfall.id}: GE failed campaigns not in the signal rows: {unknown}")
    return results


def guard_outcome(check_outcomes: Iterable[str]) -> Outcome:
    """A guard's outcome from its checks': fail if any check fails for sure; else cannot_tell
    if any cannot tell; else not applicable if no check had anything to judge; else pass."""
    outcomes = set(check_outcomes)
    unexpected = outcomes - set(_CHECK_OUTCOMES)
    if unexpected:
        raise ValueError(f"not a check outcome: {sorted(unexpected)}")
    if "fail" in outcomes:
        return "fail"
    if "cannot_tell" in outcomes:
        return "cannot_tell"
    if outcomes <= {"not_applicable"}:
        return "not_applicable"
    return "pass"


def unknown_terms(pitfall: Pitfall, row: Mapping[str, Any]) -> str | None:
    """The unknown terms behind the guard's unknown counts, introduced by their evidence label
    ("unknown KPI names: 种草指数"), or None when no check counted any."""
    guard = pitfall.guard
    if guard is None or guard.unknown_terms is None:
        return None
    counted = [to_jsonable(row.get(c)) for c in guard.unknown_columns]
    if not any(isinstance(n, int | float) and n > 0 for n in counted):
        return None
    terms = to_jsonable(row.get(guard.unknown_terms))
    if isinstance(terms, list):
        terms = ", ".join(str(t) for t in terms if t is not None)
    if not terms:
        return None
    return f"{guard.evidence[guard.unknown_terms]}: {terms}"


def cannot_tell_sentence(terms: str | None, t: Translator | None = None) -> str:
    """What a cannot_tell result adds to the guard's summary: why, and what would settle it.

    Stored in English with the summary; a display in another language passes its translator.
    """
    t = t or translator(None)
    if not terms:
        return t.gettext("Cannot tell: the verdict depends on words no vocabulary knows.")
    return t.gettext(
        "Cannot tell: the verdict depends on words no vocabulary knows ({terms}); "
        "add them to the team's vocabularies.",
        terms=terms,
    )


def _check_evidence(
    pitfall: Pitfall,
    check: Check,
    row: Mapping[str, Any],
    failed: set[str],
    failed_bound: set[str] | None = None,
) -> dict[str, Any]:
    """One check of one campaign as the evidence JSON lists it.

    A check with an unknown count also lists that count and the bound GE judged; GE's verdicts
    at the value and at the bound decide between pass, fail and cannot_tell.
    """
    campaign_id = str(row[KEY_COLUMN])
    observed = to_jsonable(row.get(check.column))
    if observed is None:
        if campaign_id in failed or campaign_id in (failed_bound or ()):
            raise ValueError(
                f"{pitfall.id}: GE failed campaign {campaign_id} on {check.column}, which is NULL"
            )
        outcome = "not_applicable"
    elif failed_bound is None:
        outcome = "fail" if campaign_id in failed else "pass"
    else:
        at_value, at_bound = campaign_id in failed, campaign_id in failed_bound
        outcome = "cannot_tell" if at_value != at_bound else "fail" if at_value else "pass"
    evidence = {
        "column": check.column,
        "observed": observed,
        "threshold": float(row[threshold_column(check.column)]),
        "must_be": check.must_be,
        "outcome": outcome,
    }
    if check.unknown:
        unknown = to_jsonable(row.get(check.unknown))
        evidence["unknown"] = unknown
        evidence["bound"] = to_jsonable(row.get(bound_column(check.column)))
    return evidence


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
    """Create ``guards.guard_results``, or widen the outcomes an older table accepts."""
    from marketing_health.warehouse import engine_of, sql_type

    engine = engine_of(con)
    con.execute("CREATE SCHEMA IF NOT EXISTS guards")
    con.execute(RESULTS_DDL.format(double=sql_type("DOUBLE", engine)))
    if engine == "postgres":
        _widen_outcomes_postgres(con)
    else:
        _widen_outcomes_duckdb(con)


def _outcome_check_sql() -> str:
    return f"CHECK (outcome IN ({', '.join(repr(o) for o in OUTCOMES)}))"


def _accepts_every_outcome(definitions: Iterable[str]) -> bool:
    """Whether one of the table's CHECK constraints on ``outcome`` names every outcome."""
    return any("outcome" in d and all(f"'{o}'" in d for o in OUTCOMES) for d in definitions if d)


def _widen_outcomes_duckdb(con: Any) -> None:
    """DuckDB cannot alter a CHECK constraint: copy the rows into a table created with the
    current one, in one transaction, when the existing table misses an outcome."""
    definitions = [
        str(row[0])
        for row in con.execute(
            "SELECT expression FROM duckdb_constraints() WHERE schema_name = 'guards' "
            "AND table_name = 'guard_results' AND constraint_type = 'CHECK'"
        ).fetchall()
    ]
    if _accepts_every_outcome(definitions):
        return
    from marketing_health.warehouse import sql_type

    staging = "guard_results__widened"
    columns = ", ".join(_COLUMNS)
    con.begin()
    try:
        con.execute(f"DROP TABLE IF EXISTS guards.{staging}")
        con.execute(
            RESULTS_DDL.format(double=sql_type("DOUBLE", "duckdb")).replace(
                RESULTS_TABLE, f"guards.{staging}"
            )
        )
        con.execute(
            f"INSERT INTO guards.{staging} ({columns}) SELECT {columns} FROM {RESULTS_TABLE}"
        )
        con.execute(f"DROP TABLE {RESULTS_TABLE}")
        con.execute(f"ALTER TABLE guards.{staging} RENAME TO guard_results")
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _widen_outcomes_postgres(con: Any) -> None:
    """Replace an outcome CHECK constraint that misses an outcome (one transaction)."""
    rows = con.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'guards.guard_results'::regclass AND contype = 'c'"
    ).fetchall()
    on_outcome = [(str(name), str(text)) for name, text in rows if "outcome" in str(text)]
    if _accepts_every_outcome(d for _, d in on_outcome):
        return
    drops = "".join(f'DROP CONSTRAINT "{name}", ' for name, _ in on_outcome)
    # one statement: the old constraint goes and the new one comes atomically
    con.execute(
        f"ALTER TABLE {RESULTS_TABLE} {drops}"
        f"ADD CONSTRAINT guard_results_outcome_check {_outcome_check_sql()}"
    )


def replace_night(con: Any, run_date: dt.date, results: Sequence[GuardResult]) -> None:
    """Write one night's results in place of any earlier run of the same night, atomically."""
    from marketing_health.warehouse import engine_of

    ensure_results_table(con)
    # field by field, not dataclasses.asdict: asdict deep-copies every evidence dict only for
    # json.dumps to read it once (a tenth of a second per thousand campaign rows)
    rows = [{f.name: getattr(r, f.name) for f in fields(r)} for r in results]
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
