"""Guards that cannot tell: a check counting words no vocabulary knows is judged at both ends.

A check may declare ``unknown: <count column>``: the true value may be up to that count
higher. GE judges the value and the value raised by the count; when the two verdicts differ
the campaign's outcome is ``cannot_tell``, never a failure. These tests run real GE on a
hand-made DuckDB mart with a test catalogue holding one goal guard (at least 1, like P02) and
one personalisation guard (at most 0 plus a second check, like P12).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from marketing_health.catalogue.model import CatalogueError, parse_catalogue
from marketing_health.guards.results import OUTCOMES, ensure_results_table
from marketing_health.guards.suites import (
    CHECK_META_KEY,
    JUDGES_META_KEY,
    build_suite,
    expectation_count,
)
from marketing_health.settings import Paths

from .guard_case import FIVE_GUARDS_FILE, NIGHT, guard_rows, judge

GOALS: dict[str, Any] = {
    "id": "P02",
    "title": "No clear goals, vanity metrics only",
    "seed": "test",
    "severity": "critical",
    "explanation": "Without an outcome KPI nobody can tell whether the campaign worked.",
    "remediation": "Declare an outcome KPI with a target and a due date.",
    "default": "no outcome KPI with target and due date",
    "guard": {
        "model": "sig_goals_test",
        "column": "outcome_kpis_with_target",
        "must_be": "at_least",
        "threshold": 1,
        "unit": "count",
        "unknown": "unknown_kpis_with_target",
        "unknown_terms": "unknown_kpi_names",
        "evidence": {
            "outcome_kpis_with_target": "outcome KPIs with target and due date",
            "unknown_kpi_names": "unknown KPI names",
        },
        "summary": [
            {
                "count": "outcome_kpis_with_target",
                "one": "{outcome_kpis_with_target} outcome KPI with a target and a due date.",
                "other": "{outcome_kpis_with_target} outcome KPIs with a target and a due date.",
            }
        ],
    },
}

TOKENS: dict[str, Any] = {
    "id": "P12",
    "title": "Creepy over-personalisation",
    "seed": "test",
    "severity": "critical",
    "explanation": "Personalising on sensitive attributes makes people feel watched.",
    "remediation": "Remove sensitive attributes from personalisation.",
    "default": "any sensitive attribute",
    "guard": {
        "model": "sig_tokens_test",
        "checks": [
            {
                "column": "sensitive_token_sends",
                "must_be": "at_most",
                "threshold": 0,
                "unit": "count",
                "unknown": "unknown_token_sends",
            },
            {"column": "max_tokens", "must_be": "at_most", "threshold": 3, "unit": "count"},
        ],
        "unknown_terms": "unknown_tokens",
        "evidence": {
            "sensitive_token_sends": "sends using sensitive attributes",
            "unknown_tokens": "unknown personalisation tokens",
        },
        "summary": [
            {
                "count": "sensitive_token_sends",
                "one": "{sensitive_token_sends} send used sensitive attributes.",
                "other": "{sensitive_token_sends} sends used sensitive attributes.",
            }
        ],
    },
}

#: campaign -> (outcome_kpis_with_target, unknown_kpis_with_target, unknown_kpi_names)
GOAL_ROWS = {
    "C-KNOWN-OUTCOME": (1, 0, ""),
    "C-ONLY-UNKNOWN": (0, 1, "种草指数"),
    "C-NOTHING": (0, 0, ""),
    "C-OUTCOME-AND-UNKNOWN": (1, 2, "种草指数, 心智占领"),
    "C-UNKNOWN-COUNT-EMPTY": (0, None, ""),
    "C-NO-SIGNAL": (None, 3, "种草指数"),
}
#: campaign -> (sensitive_token_sends, unknown_token_sends, max_tokens, unknown_tokens)
TOKEN_ROWS = {
    "C-CLEAN": (0, 0, 2, ""),
    "C-UNKNOWN-TOKEN": (0, 2, 2, "weather_mood"),
    "C-SENSITIVE": (1, 2, 2, "weather_mood"),
    "C-UNKNOWN-BUT-TOO-MANY": (0, 1, 5, "weather_mood"),
}


def catalogue(*pitfalls: dict[str, Any]):
    data = yaml.safe_load(FIVE_GUARDS_FILE.read_text(encoding="utf-8"))
    data["pitfalls"] = [copy.deepcopy(p) for p in pitfalls]
    return parse_catalogue(data)


def build_marts(paths: Paths) -> None:
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("CREATE SCHEMA IF NOT EXISTS marts")
        con.execute(
            "CREATE TABLE marts.sig_goals_test (as_of_date DATE, campaign_id VARCHAR, "
            "outcome_kpis_with_target BIGINT, unknown_kpis_with_target BIGINT, "
            "unknown_kpi_names VARCHAR)"
        )
        for campaign, row in GOAL_ROWS.items():
            con.execute(
                "INSERT INTO marts.sig_goals_test VALUES (?, ?, ?, ?, ?)", [NIGHT, campaign, *row]
            )
        con.execute(
            "CREATE TABLE marts.sig_tokens_test (as_of_date DATE, campaign_id VARCHAR, "
            "sensitive_token_sends BIGINT, unknown_token_sends BIGINT, max_tokens BIGINT, "
            "unknown_tokens VARCHAR)"
        )
        for campaign, row in TOKEN_ROWS.items():
            con.execute(
                "INSERT INTO marts.sig_tokens_test VALUES (?, ?, ?, ?, ?, ?)",
                [NIGHT, campaign, *row],
            )


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, Any, dict[tuple, dict]]:
    paths = Paths.under(tmp_path_factory.mktemp("cannot_tell"))
    build_marts(paths)
    report = judge(paths, NIGHT, "run-1", catalogue=catalogue(GOALS, TOKENS))
    rows = {(r["guard_id"], r["campaign_id"]): r for r in guard_rows(paths)}
    return paths, report, rows


def _outcomes(rows: dict[tuple, dict], guard_id: str) -> dict[str, str]:
    return {c: r["outcome"] for (g, c), r in rows.items() if g == guard_id}


def test_at_least_check_cannot_tell_when_only_unknown_terms_could_pass_it(judged):
    _paths, _report, rows = judged
    assert _outcomes(rows, "P02") == {
        "C-KNOWN-OUTCOME": "pass",
        "C-ONLY-UNKNOWN": "cannot_tell",  # 0 known, up to 1: fail or pass
        "C-NOTHING": "fail",  # nothing unknown could save it
        "C-OUTCOME-AND-UNKNOWN": "pass",  # passes whatever the unknown names mean
        "C-UNKNOWN-COUNT-EMPTY": "fail",  # an empty count adds nothing
        "C-NO-SIGNAL": "not_applicable",
    }


def test_at_most_check_cannot_tell_and_a_sure_failure_wins(judged):
    _paths, _report, rows = judged
    assert _outcomes(rows, "P12") == {
        "C-CLEAN": "pass",
        "C-UNKNOWN-TOKEN": "cannot_tell",  # 0 sensitive, up to 2
        "C-SENSITIVE": "fail",  # fails whatever the unknown tokens mean
        "C-UNKNOWN-BUT-TOO-MANY": "fail",  # another check fails for sure
    }


def test_cannot_tell_evidence_names_the_unknown_terms_and_both_ends(judged):
    _paths, _report, rows = judged
    row = rows[("P02", "C-ONLY-UNKNOWN")]
    evidence = json.loads(row["evidence"])
    assert evidence["unknown_terms"] == "unknown KPI names: 种草指数"
    assert evidence["checks"] == [
        {
            "column": "outcome_kpis_with_target",
            "observed": 0,
            "threshold": 1.0,
            "must_be": "at_least",
            "outcome": "cannot_tell",
            "unknown": 1,
            "bound": 1.0,
        }
    ]
    assert (row["observed_value"], row["threshold"], row["must_be"]) == (0, 1, "at_least")
    assert row["summary"].startswith("0 outcome KPIs with a target and a due date. Cannot tell")
    assert "种草指数" in row["summary"]
    # a verdict that holds whatever the words mean still names them, without "cannot tell"
    sure = rows[("P02", "C-OUTCOME-AND-UNKNOWN")]
    assert json.loads(sure["evidence"])["unknown_terms"] == "unknown KPI names: 种草指数, 心智占领"
    assert "Cannot tell" not in sure["summary"]
    assert "unknown_terms" not in json.loads(rows[("P02", "C-NOTHING")]["evidence"])


def test_the_row_quotes_the_failing_check_before_the_one_that_cannot_tell(judged):
    _paths, _report, rows = judged
    row = rows[("P12", "C-UNKNOWN-BUT-TOO-MANY")]
    assert (row["observed_value"], row["must_be"], row["threshold"]) == (5, "at_most", 3)
    checks = {c["column"]: c["outcome"] for c in json.loads(row["evidence"])["checks"]}
    assert checks == {"sensitive_token_sends": "cannot_tell", "max_tokens": "fail"}


def test_report_counts_and_lists_what_could_not_be_told(judged):
    _paths, report, _rows = judged
    assert report.counts["P02"] == {
        "pass": 2,
        "fail": 2,
        "not_applicable": 1,
        "error": 0,
        "cannot_tell": 1,
    }
    assert [(u.guard_id, u.campaign_id, u.unknown_terms) for u in report.cannot_tell] == [
        ("P02", "C-ONLY-UNKNOWN", "unknown KPI names: 种草指数"),
        ("P12", "C-UNKNOWN-TOKEN", "unknown personalisation tokens: weather_mood"),
    ]
    assert {(f.guard_id, f.campaign_id) for f in report.failures} == {
        ("P02", "C-NOTHING"),
        ("P02", "C-UNKNOWN-COUNT-EMPTY"),
        ("P12", "C-SENSITIVE"),
        ("P12", "C-UNKNOWN-BUT-TOO-MANY"),
    }
    assert "2 cannot tell" in report.summary()
    assert json.loads(json.dumps(report.as_dict()))["cannot_tell"][0]["campaign_id"] == (
        "C-ONLY-UNKNOWN"
    )


def test_great_expectations_judges_the_bound_and_its_results_are_saved(judged):
    paths, _report, _rows = judged
    saved = json.loads((paths.run_dir(NIGHT) / "guards" / "pitfall_P02.json").read_text())
    by_end = {r["expectation_config"]["meta"][JUDGES_META_KEY]: r for r in saved["results"]}
    assert set(by_end) == {"value", "bound"}
    failing = {
        end: sorted(x["campaign_id"] for x in r["result"]["unexpected_index_list"])
        for end, r in by_end.items()
    }
    assert failing == {
        "value": ["C-NOTHING", "C-ONLY-UNKNOWN", "C-UNKNOWN-COUNT-EMPTY"],
        "bound": ["C-NOTHING", "C-UNKNOWN-COUNT-EMPTY"],
    }
    assert by_end["bound"]["expectation_config"]["kwargs"]["column"] == (
        "bound__outcome_kpis_with_target"
    )


def test_a_check_with_unknowns_gets_a_second_expectation_on_its_bound():
    pitfall = catalogue(TOKENS)["P12"]
    suite = build_suite(pitfall)
    assert expectation_count(pitfall) == len(suite.expectations) == 3
    ends = [
        (type(e).__name__, e.column, e.meta[CHECK_META_KEY], e.meta[JUDGES_META_KEY])
        for e in suite.expectations
    ]
    assert ends == [
        ("ExpectColumnValuesToBeInSet", "sensitive_token_sends", "sensitive_token_sends",
         "value"),
        ("ExpectColumnValuesToBeInSet", "bound__sensitive_token_sends", "sensitive_token_sends",
         "bound"),
        ("ExpectColumnValuesToBeBetween", "max_tokens", "max_tokens", "value"),
    ]  # fmt: skip
    description = suite.expectations[1].description
    assert description.startswith("Counting ")
    assert "Counting unknown_token_sends too, in bound__sensitive_token_sends: " in description
    assert "(sensitive_token_sends) must be 0" in description
    assert "the guard cannot tell" in description


def test_a_negative_unknown_count_stops_only_its_guard(tmp_path: Path):
    paths = Paths.under(tmp_path)
    build_marts(paths)
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("UPDATE marts.sig_tokens_test SET unknown_token_sends = -1")
    judge(paths, NIGHT, "run-1", catalogue=catalogue(GOALS, TOKENS))
    errors = guard_rows(paths, "outcome = 'error'")
    assert [(r["guard_id"], r["campaign_id"]) for r in errors] == [("P12", "*")]
    assert "unknown_token_sends counts unknown terms but is negative" in errors[0]["summary"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unknown_terms": None}, "must name the evidence column listing them"),
        ({"unknown_terms": "unknown_names_elsewhere"}, "must also be listed under evidence"),
        ({"unknown": "outcome_kpis_with_target"}, "another column than the one checked"),
        ({"unknown": 3}, "unknown must name a column"),
    ],
)
def test_a_wrong_unknown_declaration_is_a_catalogue_error(change, message):
    goals = copy.deepcopy(GOALS)
    for key, value in change.items():
        if value is None:
            goals["guard"].pop(key)
        else:
            goals["guard"][key] = value
    with pytest.raises(CatalogueError, match=message):
        catalogue(goals)


def test_unknown_terms_without_an_unknown_count_is_a_catalogue_error():
    goals = copy.deepcopy(GOALS)
    goals["guard"].pop("unknown")
    with pytest.raises(CatalogueError, match="no check declares unknown"):
        catalogue(goals)


OLD_RESULTS_DDL = """
CREATE SCHEMA guards;
CREATE TABLE guards.guard_results (
    run_date DATE NOT NULL, guard_id VARCHAR NOT NULL, campaign_id VARCHAR NOT NULL,
    observed_value DOUBLE, threshold DOUBLE, must_be VARCHAR,
    outcome VARCHAR NOT NULL CHECK (outcome IN ('pass', 'fail', 'not_applicable', 'error')),
    severity VARCHAR, evidence JSON, summary VARCHAR, run_id VARCHAR, evaluated_at TIMESTAMP,
    PRIMARY KEY (run_date, guard_id, campaign_id)
);
INSERT INTO guards.guard_results VALUES ('2026-03-13', 'P02', 'C-OLD', 0, 1, 'at_least',
    'fail', 'critical', '{"checks": []}', 'kept', 'run-0', '2026-03-14 02:00:00');
"""


def test_a_warehouse_from_before_cannot_tell_is_widened_and_keeps_its_history(tmp_path: Path):
    paths = Paths.under(tmp_path)
    build_marts(paths)
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute(OLD_RESULTS_DDL)
        with pytest.raises(duckdb.ConstraintException):
            con.execute(
                "INSERT INTO guards.guard_results (run_date, guard_id, campaign_id, outcome) "
                "VALUES ('2026-03-12', 'P02', 'C', 'cannot_tell')"
            )
    judge(paths, NIGHT, "run-1", catalogue=catalogue(GOALS, TOKENS))
    rows = guard_rows(paths)
    assert {r["outcome"] for r in rows} >= {"cannot_tell"}
    old = [r for r in rows if r["campaign_id"] == "C-OLD"]
    assert [(str(r["run_date"]), r["outcome"], r["summary"]) for r in old] == [
        ("2026-03-13", "fail", "kept")
    ]
    with duckdb.connect(str(paths.warehouse)) as con:
        ensure_results_table(con)  # a second time changes nothing
        (check,) = con.execute(
            "SELECT expression FROM duckdb_constraints() WHERE schema_name = 'guards' "
            "AND table_name = 'guard_results' AND constraint_type = 'CHECK'"
        ).fetchone()
        keys = con.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE schema_name = 'guards' "
            "AND table_name = 'guard_results' AND constraint_type = 'PRIMARY KEY'"
        ).fetchone()
        with pytest.raises(duckdb.ConstraintException):
            con.execute(
                "INSERT INTO guards.guard_results (run_date, guard_id, campaign_id, outcome) "
                "VALUES ('2026-03-13', 'P02', 'C-OLD', 'pass')"
            )
    assert all(f"'{o}'" in check for o in OUTCOMES)
    assert keys == (1,)


def test_a_postgresql_warehouse_from_before_cannot_tell_is_widened(warehouse_url: str):
    from marketing_health.warehouse_postgres import PostgresConnection

    con = PostgresConnection(warehouse_url)
    try:
        con.execute(
            OLD_RESULTS_DDL.replace("DOUBLE", "double precision").replace("VARCHAR", "text")
        )
        ensure_results_table(con)
        ensure_results_table(con)  # a second time changes nothing
        con.execute(
            "INSERT INTO guards.guard_results (run_date, guard_id, campaign_id, outcome) "
            "VALUES ('2026-03-14', 'P02', 'C-NEW', 'cannot_tell')"
        )
        rows = con.execute(
            "SELECT campaign_id, outcome, summary FROM guards.guard_results ORDER BY run_date"
        ).fetchall()
        checks = con.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'guards.guard_results'::regclass AND contype = 'c'"
        ).fetchall()
        with pytest.raises(Exception, match="guard_results_outcome_check"):
            con.execute(
                "INSERT INTO guards.guard_results (run_date, guard_id, campaign_id, outcome) "
                "VALUES ('2026-03-15', 'P02', 'C-NEW', 'maybe')"
            )
    finally:
        con.close()
    assert rows == [("C-OLD", "fail", "kept"), ("C-NEW", "cannot_tell", None)]
    assert len(checks) == 1 and all(f"'{o}'" in checks[0][0] for o in OUTCOMES)
