"""Fixtures for the sample landing-zone tests: generated landing zones and an independent
computation of every guard signal from the files (``landing_signals``), following the written
signal definitions rather than the dbt models."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from landing_signals import Signals, compute_signals

from marketing_health.generate import Manifest, generate_landing

END_DATE = date(2025, 6, 30)


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def end_date() -> date:
    """Last day of every landing zone the tests generate."""
    return END_DATE


@pytest.fixture(scope="session")
def signals_of() -> Callable[[Path, Manifest], Signals]:
    """Signal computation for landing zones a test generates itself."""
    return compute_signals


@pytest.fixture(scope="session")
def digest() -> Callable[[Path], dict[str, str]]:
    return tree_digest


@pytest.fixture(scope="session")
def landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    """The default sample landing zone (seed 7, scale 1, 60 days to END_DATE)."""
    root = tmp_path_factory.mktemp("landing")
    return root, generate_landing(root, end_date=END_DATE)


@pytest.fixture(scope="session")
def landing_dir(landing: tuple[Path, Manifest]) -> Path:
    return landing[0]


@pytest.fixture(scope="session")
def manifest(landing: tuple[Path, Manifest]) -> Manifest:
    return landing[1]


@pytest.fixture(scope="session")
def signals(landing_dir: Path, manifest: Manifest) -> Iterator[Signals]:
    result = compute_signals(landing_dir, manifest)
    yield result
    result.con.close()


@pytest.fixture(scope="session")
def db(signals: Signals) -> duckdb.DuckDBPyConnection:
    """Typed tables over the default landing zone (plus the signal tables)."""
    return signals.con


@pytest.fixture(scope="session")
def random_landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    """A detection-benchmark landing zone: 30 randomly drawn scenarios, 45 days."""
    root = tmp_path_factory.mktemp("random")
    manifest = generate_landing(
        root, seed=23, end_date=END_DATE, days=45, random_scenarios=30, scenario_seed=5
    )
    return root, manifest
