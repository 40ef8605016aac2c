"""Shared fixtures: every test gets its own data folder, Airflow home and environment.

Nothing here fakes a component: tests run the real DuckDB file, dbt, Great Expectations and
Airflow against folders under pytest's tmp_path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")

from marketing_health.settings import Paths


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """A private data folder: landing zone, warehouse, runs, staging."""
    p = Paths.under(tmp_path / "data")
    p.data_dir.mkdir(parents=True)
    return p


@pytest.fixture
def pii_key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = "test-only-hash-key-0123456789abcdef"
    monkeypatch.setenv("MH_PII_HASH_KEY", key)
    return key
