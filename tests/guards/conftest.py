"""Fixtures of the guard tests: a warehouse of hand-made signal marts (see guard_case.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from marketing_health.settings import GUARD_OVERRIDES_ENV, Paths

from .guard_case import NEXT_NIGHT, NIGHT, build_warehouse, guard_rows, judge


@pytest.fixture(scope="session", autouse=True)
def _no_overrides_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The repository's overrides file is for installations, not for these tests."""
    with pytest.MonkeyPatch.context() as patch:
        missing = tmp_path_factory.mktemp("no_overrides") / "guard_overrides.yaml"
        patch.setenv(GUARD_OVERRIDES_ENV, str(missing))
        yield


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
    paths = build_warehouse(Paths.under(tmp_path_factory.mktemp("night")), [NIGHT, NEXT_NIGHT])
    report = judge(paths, NIGHT, "run-1")
    return paths, report, guard_rows(paths)
