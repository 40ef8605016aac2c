"""What CI runs and a night leaves out: dbt's unit tests and every column test one by one over
whole tables, through the real dbtRunner on a built warehouse. And the nightly form of the
column tests (one ``column_tests_on_new_rows`` per model) fails on the same broken rows as the
tests it stands for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from marketing_health.catalogue import load_catalogue
from marketing_health.guards.results import ensure_results_table
from marketing_health.guards.weights import replace_severity_weights
from marketing_health.settings import REPO_ROOT, Paths
from marketing_health.transform import DbtBuildError, run_dbt_reporting
from marketing_health.transform.dbt import (
    COLUMN_TESTS_SELECTOR,
    COMBINED_COLUMN_TESTS,
    UNIT_TESTS_SELECTOR,
    run_dbt_tests,
)
from marketing_health.warehouse import connect

from .warehouse_case import AS_OF_DATE, BuiltWarehouse

NIGHTLY = "column_tests_on_new_rows"


def _copy(built: BuiltWarehouse, folder: Path) -> Paths:
    paths = Paths.under(folder)
    paths.warehouse.parent.mkdir(parents=True)
    shutil.copyfile(built.paths.warehouse, paths.warehouse)
    return paths


@pytest.fixture(scope="module")
def reported(built_warehouse: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """The built warehouse with (empty) guard results and the after-guards models built, so
    every model a unit test names exists."""
    paths = _copy(built_warehouse, tmp_path_factory.mktemp("ci_tests"))
    with connect(paths.warehouse) as con:
        ensure_results_table(con)
        replace_severity_weights(con, load_catalogue())
    run_dbt_reporting(paths, AS_OF_DATE)
    return paths


def test_unit_tests_pass(reported: Paths) -> None:
    summary = run_dbt_tests(reported, UNIT_TESTS_SELECTOR)
    assert summary.success
    assert summary.status_counts.get("pass", 0) >= 20, summary.summary()


def test_column_tests_pass_one_by_one_over_whole_tables(reported: Paths) -> None:
    summary = run_dbt_tests(reported, COLUMN_TESTS_SELECTOR)
    assert summary.success
    assert summary.status_counts.get("pass", 0) >= 400, summary.summary()


def test_every_model_with_column_tests_runs_them_nightly() -> None:
    """A model whose column tests the nightly build leaves out must declare the test that runs
    them for the night, or nothing would check its rows."""
    missing = []
    for path in sorted((REPO_ROOT / "dbt_project" / "models").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            names = [_test_name(t) for t in model.get("data_tests", [])]
            for column in model.get("columns", []):
                names += [_test_name(t) for t in column.get("data_tests", [])]
            if set(names) & set(COMBINED_COLUMN_TESTS) and NIGHTLY not in names:
                missing.append(f"{path.name}: {model['name']}")
    assert missing == []


def _test_name(test: str | dict) -> str:
    return test if isinstance(test, str) else next(iter(test))


def test_nightly_form_fails_on_the_rows_the_tests_fail_on(
    built_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    """Tonight's rows of sig_story broken three ways: a campaign missing, a flag out of range,
    a campaign twice. The night's one query names exactly the tests that fail one by one."""
    paths = _copy(built_warehouse, tmp_path)
    with connect(paths.warehouse) as con:
        con.execute(
            "insert into marts.sig_story select * from marts.sig_story where as_of_date = ?"
            " order by campaign_id limit 1",
            [AS_OF_DATE],
        )
        con.execute(
            "update marts.sig_story set has_storyline = 7 where as_of_date = ?"
            " and campaign_id = (select max(campaign_id) from marts.sig_story)",
            [AS_OF_DATE],
        )
        con.execute(
            "insert into marts.sig_story (as_of_date, campaign_id, story_elements, has_storyline,"
            " has_hashtag, missing_elements, hashtag) values (?, 'NOT-PLANNED', 0, 0, 0, '[]', '')",
            [AS_OF_DATE],
        )
    one_by_one = _failed(paths, f"sig_story,{COLUMN_TESTS_SELECTOR.replace(' ', ' sig_story,')}")
    nightly = _failed(paths, f"sig_story,test_name:{NIGHTLY}")
    assert len(nightly) == 1
    assert set(nightly[0].failed_checks) == {
        f"{f.name}: {f.failing_rows} row(s)" for f in one_by_one
    }
    assert {f.name.split("_sig_story")[0] for f in one_by_one} == {
        "unique_combination_of_columns",
        "accepted_range",
        "relationships",
    }
    assert nightly[0].failing_rows == sum(f.failing_rows or 0 for f in one_by_one)


def _failed(paths: Paths, select: str) -> list:
    with pytest.raises(DbtBuildError) as caught:
        run_dbt_tests(paths, select)
    summary = caught.value.summary
    assert summary is not None
    return list(summary.failures)
