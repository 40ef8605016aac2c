"""Faults: a load killed mid-way, concurrent runs on one DuckDB file, a failing dbt or guard stage.

Real processes are killed with SIGKILL, real concurrent processes share one warehouse file, and
the failing stages are the real dbt project (a broken copy of it) and the real guards (a broken
overrides file).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from marketing_health.contract import load_contract
from marketing_health.generate import generate_landing
from marketing_health.guards.overrides import GuardOverridesError
from marketing_health.ingest import publish, stage_source
from marketing_health.night import Night, guard, run_night, transform
from marketing_health.settings import REPO_ROOT, Paths
from marketing_health.warehouse import connect

pytestmark = pytest.mark.integration

KEY = "fault-test-key-0123456789"
END = "2026-11-20"
END_DATE = date(2026, 11, 20)
SOURCES = [s.name for s in load_contract()]


def _counts(paths: Paths, schema: str) -> dict[str, int]:
    with connect(paths.warehouse, read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by 1",
            [schema],
        ).fetchall()
        return {
            t: con.execute(f'select count(*) from "{schema}"."{t}"').fetchone()[0]
            for (t,) in tables
        }


def _landing(root: Path, days: int = 28) -> Paths:
    paths = Paths.under(root)
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    generate_landing(paths.landing_dir, seed=7, end_date=END_DATE, days=days)
    return paths


def _stage_all(paths: Paths, run_id: str) -> None:
    for name in SOURCES:
        stage_source(name, paths, run_id, KEY)


_PUBLISH = """
import sys
from marketing_health.ingest import publish
from marketing_health.settings import Paths
publish(Paths.under(__import__("pathlib").Path(sys.argv[1])), sys.argv[2])
"""


def test_a_load_killed_mid_way_leaves_no_partial_file_and_the_rerun_completes(tmp_path) -> None:
    reference = _landing(tmp_path / "reference")
    _stage_all(reference, "night")
    publish(reference, "night")
    expected = _counts(reference, "raw")

    paths = Paths.under(tmp_path / "killed")
    paths.data_dir.mkdir(parents=True)
    shutil.copytree(reference.landing_dir, paths.landing_dir)
    _stage_all(paths, "night")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "include")}
    proc = subprocess.Popen([sys.executable, "-c", _PUBLISH, str(paths.data_dir), "night"], env=env)
    # kill it once some files are in: the ledger has rows, but not all of them
    deadline = time.monotonic() + 120
    killed_after = None
    while time.monotonic() < deadline and proc.poll() is None:
        wal = paths.warehouse.with_name(paths.warehouse.name + ".wal")
        if wal.exists() and wal.stat().st_size > 2_000_000:
            proc.send_signal(signal.SIGKILL)
            killed_after = wal.stat().st_size
            break
        time.sleep(0.05)
    proc.wait(timeout=60)
    assert killed_after is not None, "the load finished before it could be killed"
    assert proc.returncode == -signal.SIGKILL

    # after the crash: every file is either wholly in (and in the ledger) or not at all
    with connect(paths.warehouse, read_only=True) as con:
        ledger = dict(
            con.execute(
                "select file_path, rows_loaded from ops.load_ledger where status = 'loaded'"
            ).fetchall()
        )
        for name in SOURCES:
            rows = dict(
                con.execute(f"select _file_path, count(*) from raw.{name} group by 1").fetchall()
            )
            for file_path, n in rows.items():
                assert ledger.get(file_path) == n, (
                    f"{file_path}: {n} rows, ledger {ledger.get(file_path)}"
                )
    assert sum(_counts(paths, "raw").values()) < sum(expected.values())

    # the night is run again (the stage tasks first, as a retried DAG run does)
    _stage_all(paths, "night")
    publish(paths, "night")
    assert _counts(paths, "raw") == expected
    with connect(paths.warehouse, read_only=True) as con:
        dupes = con.execute(
            "select count(*) from (select file_path from ops.load_ledger "
            "where status = 'loaded' group by 1 having count(*) > 1)"
        ).fetchone()[0]
    assert dupes == 0


def test_two_nights_run_at_once_on_one_warehouse_both_succeed(tmp_path) -> None:
    """A manual re-run of an earlier day while the nightly run works: both wait, neither fails."""
    paths = _landing(tmp_path / "data")
    env = {
        **os.environ,
        "MH_DATA_DIR": str(paths.data_dir),
        "MH_PII_HASH_KEY": KEY,
        "MH_ALERTING_CONFIG": str(tmp_path / "none.yaml"),
    }
    cli = str(Path(sys.executable).with_name("marketing-health"))
    # output to files, not pipes: a pipe nobody reads would stall a run while it holds the lock
    logs = [tmp_path / f"{day}.log" for day in (END, "2026-11-19")]
    procs = []
    for day, log in zip((END, "2026-11-19"), logs, strict=True):
        with log.open("w", encoding="utf-8") as out:
            procs.append(
                subprocess.Popen(
                    [cli, "run-night", "--as-of", day], env=env, stdout=out, stderr=out
                )
            )
    for proc in procs:
        proc.wait(timeout=1200)
    outputs = [log.read_text(encoding="utf-8") for log in logs]
    for proc, out in zip(procs, outputs, strict=True):
        # waiting for the other run is expected and logged; failing on the lock is not
        told = [line for line in out.splitlines() if "waiting" not in line]
        assert proc.returncode == 0, "\n".join(told[-40:])
        assert not [line for line in told if "Could not set lock" in line]
    with connect(paths.warehouse, read_only=True) as con:
        nights = con.execute(
            "select run_date::varchar, count(*) from guards.guard_results group by 1 order by 1"
        ).fetchall()
    assert [d for d, _ in nights] == ["2026-11-19", END]
    assert nights[0][1] == nights[1][1] > 0


@pytest.fixture(scope="module")
def judged_night(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """One complete night: the marts and guard results the failures below must leave readable."""
    root = tmp_path_factory.mktemp("faults")
    paths = _landing(root / "data")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MH_PII_HASH_KEY", KEY)
        env.setenv("MH_ALERTING_CONFIG", str(root / "none.yaml"))
        run_night(paths, Night.for_date("2026-11-19"))
    return paths


def _marts_snapshot(paths: Paths) -> dict[str, int]:
    counts = _counts(paths, "marts")
    assert counts["fct_campaign_health_daily"] > 0 and counts["fct_campaign_channel_daily"] > 0
    return counts


def test_a_failing_dbt_build_leaves_the_previous_marts_readable(
    judged_night, tmp_path, monkeypatch
):
    before = _marts_snapshot(judged_night)
    broken = tmp_path / "dbt_project"
    shutil.copytree(
        judged_night.dbt_project_dir, broken, ignore=shutil.ignore_patterns("target", "logs")
    )
    model = next(broken.rglob("fct_campaign_integration_daily.sql"))
    model.write_text("select * from a_table_that_does_not_exist", encoding="utf-8")
    paths = replace(judged_night, dbt_project_dir=broken)
    with pytest.raises(Exception, match="fct_campaign_integration_daily"):
        transform(paths, Night.for_date(END))
    # every mart is still there and readable; the one that failed kept last night's rows
    after = _marts_snapshot(judged_night)
    assert set(after) == set(before)
    with connect(judged_night.warehouse, read_only=True) as con:
        assert (
            con.execute("select count(*) from marts.fct_campaign_integration_daily").fetchone()[0]
            == before["fct_campaign_integration_daily"]
        )


def test_a_failing_guard_stage_leaves_the_previous_results_readable(
    judged_night, tmp_path, monkeypatch
):
    before = _counts(judged_night, "guards")
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("overrides:\n  - {guard: P99, campaign: C1, threshold: 1}\n", "utf-8")
    monkeypatch.setenv("MH_GUARD_OVERRIDES", str(overrides))
    with pytest.raises(GuardOverridesError, match="P99"):
        guard(judged_night, Night.for_date(END))
    assert _counts(judged_night, "guards") == before
    _marts_snapshot(judged_night)
