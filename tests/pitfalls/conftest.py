"""Whole-pipeline fixtures for the pitfall guards: generated landing zone -> every stage in process.

These run the same stages as the DAG (``marketing_health.night``) without the scheduler: real
DuckDB file, real dbt, real Great Expectations. The generator's manifest is the ground truth.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from marketing_health.generate import generate_landing
from marketing_health.night import Night, run_night
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

END = date(2026, 11, 20)


@dataclass
class GeneratedRun:
    paths: Paths
    manifest: dict[str, Any]

    def run(self, as_of: date | str) -> dict[str, Any]:
        return run_night(self.paths, Night.for_date(as_of))

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with connect(self.paths.warehouse, read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def outcomes(self, as_of: date | str) -> dict[tuple[str, str], str]:
        """(guard_id, campaign_id) -> outcome for one night."""
        rows = self.query(
            "select guard_id, campaign_id, outcome from guards.guard_results where run_date = ?",
            [str(as_of)],
        )
        return {(g, c): o for g, c, o in rows}


def _generated(root: Path, monkeypatch_env: pytest.MonkeyPatch, **kwargs: Any) -> GeneratedRun:
    paths = Paths.under(root)
    for key in ("MH_SLACK_CONN_ID", "AIRFLOW_CONN_SLACK_MARKETING_HEALTH"):
        monkeypatch_env.delenv(key, raising=False)
    monkeypatch_env.setenv("MH_PII_HASH_KEY", "pitfall-tests-key")
    generate_landing(paths.landing_dir, **kwargs)
    manifest = json.loads((paths.landing_dir / "scenarios.json").read_text(encoding="utf-8"))
    return GeneratedRun(paths=paths, manifest=manifest)


@pytest.fixture(scope="session")
def session_env():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.fixture(scope="session")
def catalogue_run(tmp_path_factory: pytest.TempPathFactory, session_env) -> GeneratedRun:
    """The default sample: one scenario and one clean twin per pitfall, judged on its last day."""
    run = _generated(tmp_path_factory.mktemp("catalogue"), session_env, seed=11, end_date=END)
    run.run(END)
    return run


@pytest.fixture(scope="session")
def random_run(tmp_path_factory: pytest.TempPathFactory, session_env) -> GeneratedRun:
    """Many campaigns with randomly drawn pitfalls (and twins): the detection benchmark."""
    run = _generated(
        tmp_path_factory.mktemp("random"),
        session_env,
        seed=23,
        end_date=END,
        random_scenarios=30,
        scenario_seed=5,
    )
    run.run(END)
    return run
