"""The models built after the guards: guard states and campaign health on a hand-made history.

Four guard runs (2024-03-01, 03-02, 03-04, 03-05; 03-03 was never run) for campaigns A, B and
C, written straight into guards.guard_results the way the guard stage writes them, plus the
two measures for A. Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from marketing_health.catalogue import load_catalogue
from marketing_health.guards.results import ensure_results_table
from marketing_health.guards.weights import replace_severity_weights
from marketing_health.settings import GUARD_OVERRIDES_ENV, Paths
from marketing_health.transform import DbtRunSummary, run_dbt_reporting
from marketing_health.warehouse import connect

from .warehouse_case import AS_OF_DATE, BuiltWarehouse

HISTORY = """
insert into guards.guard_results (run_date, guard_id, campaign_id, outcome, severity) values
-- A, P03 (warning): fails three runs in a row across the night never run, then recovers
('2024-03-01', 'P03', 'A', 'fail', 'warning'),
('2024-03-02', 'P03', 'A', 'fail', 'warning'),
('2024-03-04', 'P03', 'A', 'fail', 'warning'),
('2024-03-05', 'P03', 'A', 'pass', 'warning'),
-- A, P13 (critical): flips every run
('2024-03-01', 'P13', 'A', 'pass', 'critical'),
('2024-03-02', 'P13', 'A', 'fail', 'critical'),
('2024-03-04', 'P13', 'A', 'pass', 'critical'),
('2024-03-05', 'P13', 'A', 'fail', 'critical'),
-- A, P09: nothing to judge, then failing; an override made it info on the last night
('2024-03-01', 'P09', 'A', 'not_applicable', 'warning'),
('2024-03-02', 'P09', 'A', 'not_applicable', 'warning'),
('2024-03-04', 'P09', 'A', 'fail', 'warning'),
('2024-03-05', 'P09', 'A', 'fail', 'info'),
-- B: passes P03 throughout; P02 could not run at all on 03-02, then B fails it
('2024-03-01', 'P03', 'B', 'pass', 'warning'),
('2024-03-02', 'P03', 'B', 'pass', 'warning'),
('2024-03-04', 'P03', 'B', 'pass', 'warning'),
('2024-03-05', 'P03', 'B', 'pass', 'warning'),
('2024-03-01', 'P02', 'B', 'pass', 'critical'),
('2024-03-02', 'P02', '*', 'error', 'critical'),
('2024-03-04', 'P02', 'B', 'fail', 'critical'),
('2024-03-05', 'P02', 'B', 'fail', 'critical'),
-- C, P12 (critical): fails, cannot tell (an unknown token), fails again, cannot tell again
('2024-03-01', 'P12', 'C', 'fail', 'critical'),
('2024-03-02', 'P12', 'C', 'cannot_tell', 'critical'),
('2024-03-04', 'P12', 'C', 'fail', 'critical'),
('2024-03-05', 'P12', 'C', 'cannot_tell', 'critical');

create schema if not exists marts;
create table marts.fct_campaign_integration_daily as
select * from (values ('A', date '2024-03-05', 0.42::double), ('A', date '2024-03-04', 0.5))
    t(campaign_id, as_of_date, integration_score);
create table marts.fct_campaign_kpi_coverage_daily as
select * from (values ('A', date '2024-03-05', 0.61::double))
    t(campaign_id, as_of_date, kpi_coverage);
"""


def _rows(paths: Paths, sql: str) -> list[tuple]:
    with connect(paths.warehouse, read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, DbtRunSummary]:
    paths = Paths.under(Path(tmp_path_factory.mktemp("reporting")))
    paths.warehouse.parent.mkdir(parents=True)
    with connect(paths.warehouse) as con:
        ensure_results_table(con)
        replace_severity_weights(con, load_catalogue())
        con.execute(HISTORY)
    return paths, run_dbt_reporting(paths, "2024-03-05")


def test_reporting_pass_builds_both_models_and_their_tests(history) -> None:
    _paths, summary = history
    assert summary.success, summary.summary()
    assert summary.status_counts.get("success") == 2  # the two models
    # each model's column tests in one query; their unit tests run in CI (test_ci_dbt_tests.py)
    assert summary.status_counts.get("pass", 0) == 2
    assert summary.command == "build --select tag:after_guards"


def test_states_compare_each_run_with_the_one_before(history) -> None:
    paths, _summary = history
    rows = _rows(
        paths,
        "select campaign_id, guard_id, run_date::varchar, state, previous_run_date::varchar, "
        "failing_since::varchar, nights_failing from marts.fct_guard_states "
        "order by campaign_id, guard_id, run_date",
    )
    assert rows == [
        ("*", "P02", "2024-03-02", "error", None, None, 0),
        ("A", "P03", "2024-03-01", "entered", None, "2024-03-01", 1),
        ("A", "P03", "2024-03-02", "persisting", "2024-03-01", "2024-03-01", 2),
        ("A", "P03", "2024-03-04", "persisting", "2024-03-02", "2024-03-01", 3),
        ("A", "P03", "2024-03-05", "recovered", "2024-03-04", None, 0),
        ("A", "P09", "2024-03-01", "not_applicable", None, None, 0),
        ("A", "P09", "2024-03-02", "not_applicable", "2024-03-01", None, 0),
        ("A", "P09", "2024-03-04", "entered", "2024-03-02", "2024-03-04", 1),
        ("A", "P09", "2024-03-05", "persisting", "2024-03-04", "2024-03-04", 2),
        ("A", "P13", "2024-03-01", "ok", None, None, 0),
        ("A", "P13", "2024-03-02", "entered", "2024-03-01", "2024-03-02", 1),
        ("A", "P13", "2024-03-04", "recovered", "2024-03-02", None, 0),
        ("A", "P13", "2024-03-05", "entered", "2024-03-04", "2024-03-05", 1),
        # the night P02 could not run is not B's: B's previous run is 03-01
        ("B", "P02", "2024-03-01", "ok", None, None, 0),
        ("B", "P02", "2024-03-04", "entered", "2024-03-01", "2024-03-04", 1),
        ("B", "P02", "2024-03-05", "persisting", "2024-03-04", "2024-03-04", 2),
        ("B", "P03", "2024-03-01", "ok", None, None, 0),
        ("B", "P03", "2024-03-02", "ok", "2024-03-01", None, 0),
        ("B", "P03", "2024-03-04", "ok", "2024-03-02", None, 0),
        ("B", "P03", "2024-03-05", "ok", "2024-03-04", None, 0),
        # a night that cannot tell is not judged: not recovered, and the streak goes on
        ("C", "P12", "2024-03-01", "entered", None, "2024-03-01", 1),
        ("C", "P12", "2024-03-02", "cannot_tell", "2024-03-01", None, 0),
        ("C", "P12", "2024-03-04", "persisting", "2024-03-01", "2024-03-01", 2),
        ("C", "P12", "2024-03-05", "cannot_tell", "2024-03-04", None, 0),
    ]


def test_health_weights_guards_by_the_severity_they_were_judged_with(history) -> None:
    paths, _summary = history
    rows = _rows(
        paths,
        "select campaign_id, run_date::varchar, health_score, guards_applicable, guards_failed, "
        "critical_failed, failed_guards, integration_score, kpi_coverage "
        "from marts.fct_campaign_health_daily where campaign_id in ('A', 'B') "
        "order by campaign_id, run_date",
    )
    # the worst failure picks the band (critical 0 + 49, warning 50 + 29, info 80 + 19), the
    # severity-weighted share passed places the campaign in it
    assert rows == [
        # P03 warning fails, P13 critical passes: warning band, 6 / 9 -> 50 + 19.3
        ("A", "2024-03-01", 69, 2, 1, 0, ["P03"], None, None),
        # P03 and P13 fail: critical band, 0 / 9
        ("A", "2024-03-02", 0, 2, 2, 1, ["P03", "P13"], None, None),
        # P03 and P09 (warnings) fail, P13 passes: warning band, 6 / 12 -> 50 + 14.5
        ("A", "2024-03-04", 65, 3, 2, 0, ["P03", "P09"], 0.5, None),
        # P03 passes (3), P13 fails (6), P09 fails as info (1): critical band, 3 / 10 -> 14.7
        ("A", "2024-03-05", 15, 3, 2, 1, ["P09", "P13"], 0.42, 0.61),
        ("B", "2024-03-01", 100, 2, 0, 0, [], None, None),
        # P02 could not run (no B row): only P03 counts
        ("B", "2024-03-02", 100, 1, 0, 0, [], None, None),
        # P02 (critical) fails, P03 passes: critical band, 3 / 9 -> 16.3
        ("B", "2024-03-04", 16, 2, 1, 1, ["P02"], None, None),
        ("B", "2024-03-05", 16, 2, 1, 1, ["P02"], None, None),
    ]


def test_a_guard_that_cannot_tell_counts_neither_way_in_the_health_score(history) -> None:
    paths, _summary = history
    rows = _rows(
        paths,
        "select run_date::varchar, health_score, guards_applicable, guards_failed, "
        "guards_cannot_tell from marts.fct_campaign_health_daily where campaign_id = 'C' "
        "order by run_date",
    )
    assert rows == [
        ("2024-03-01", 0, 1, 1, 0),
        ("2024-03-02", 100, 0, 0, 1),  # nothing judged: like a night with nothing to judge
        ("2024-03-04", 0, 1, 1, 0),
        ("2024-03-05", 100, 0, 0, 1),
    ]


def test_nightly_build_leaves_the_reporting_models_out(built_warehouse: BuiltWarehouse) -> None:
    tables = {
        name
        for (name,) in built_warehouse.rows(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        )
    }
    assert "dim_campaigns" in tables
    assert not {"fct_guard_states", "fct_campaign_health_daily"} & tables


def test_real_guards_then_reporting_give_every_judged_campaign_a_score(
    built_warehouse: BuiltWarehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The night as the pipeline runs it: dbt, the guards, then the after-guards pass."""
    from marketing_health.guards import evaluate_guards

    paths = Paths.under(tmp_path)
    paths.warehouse.parent.mkdir(parents=True)
    shutil.copyfile(built_warehouse.paths.warehouse, paths.warehouse)
    monkeypatch.setenv(GUARD_OVERRIDES_ENV, str(tmp_path / "no_overrides.yaml"))
    evaluate_guards(paths, AS_OF_DATE, "run-1")
    summary = run_dbt_reporting(paths, AS_OF_DATE)
    assert summary.success, summary.summary()
    judged = {
        c
        for (c,) in _rows(
            paths,
            f"select distinct campaign_id from guards.guard_results "
            f"where run_date = '{AS_OF_DATE}' and campaign_id != '*'",
        )
    }
    health = _rows(
        paths,
        "select h.campaign_id, h.run_date, h.health_score, h.integration_score, "
        "i.integration_score from marts.fct_campaign_health_daily as h "
        "left join marts.fct_campaign_integration_daily as i "
        "on i.campaign_id = h.campaign_id and i.as_of_date = h.run_date",
    )
    assert judged and {row[0] for row in health} == judged
    for _campaign, run_date, score, integration, expected in health:
        assert run_date == date.fromisoformat(AS_OF_DATE)
        assert 0 <= score <= 100
        assert integration == pytest.approx(expected)
