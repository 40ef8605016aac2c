"""Builds the hand-made warehouse of warehouse_case.py once per pytest run, with real dbt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from marketing_health.settings import Paths
from marketing_health.transform import run_dbt_build

from .warehouse_case import AS_OF_DATE, BuiltWarehouse, build_raw_warehouse


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    paths = Paths.under(Path(tmp_path_factory.mktemp("transform")))
    build_raw_warehouse(paths)
    summary = run_dbt_build(paths, AS_OF_DATE)
    yield BuiltWarehouse(paths=paths, summary=summary)
