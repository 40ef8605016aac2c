"""A small real run of ``marketing-health bench``: generated landing zone, every stage of the
night in its own process, the hand-written baseline, and the check that both agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from marketing_health.bench.baseline import COMPARED, compare
from marketing_health.bench.sizes import parse_size, parse_sizes
from marketing_health.bench.table import COLUMNS
from marketing_health.settings import Paths


def test_sizes_read_as_people_write_them() -> None:
    assert parse_sizes("1M, 10M,250k,1.5M") == [
        ("1M", 1_000_000),
        ("10M", 10_000_000),
        ("250k", 250_000),
        ("1.5M", 1_500_000),
    ]
    with pytest.raises(ValueError, match="10 rows"):
        parse_size("10 rows")


@pytest.mark.integration
def test_bench_prints_every_column_and_the_baseline_agrees(tmp_path: Path) -> None:
    work = tmp_path / "bench"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "marketing_health",
            "bench",
            "--sizes",
            "20k",
            "--days",
            "28",
            "--no-incremental",
            "--keep",
            "--work-dir",
            str(work),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| size"))
    assert [c.strip() for c in header.strip("|").split("|")] == list(COLUMNS)
    row = next(line for line in lines if line.startswith("| 20k"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert len(cells) == len(COLUMNS)
    values = dict(zip(COLUMNS, cells, strict=True))
    # 20k is below the smallest landing zone that holds every scenario: it gets that one
    assert int(values["rows"].replace(",", "")) > 20_000
    assert float(values["transform s"]) > 0 and float(values["baseline s"]) > 0
    assert int(values["peak MB"].replace(",", "")) > 50
    assert values["ratio"].endswith("x") and values["agree"] == "yes"
    # the plain load read the same files: ingest over it is printed beside the ratio
    assert float(values["plain s"]) > 0 and values["ingest/plain"].endswith("x")
    assert "DuckDB warehouse: nightly run per size" in done.stdout
    assert "baseline and pipeline agree on every compared table" in done.stdout
    assert "CPU:" in done.stdout and "DuckDB" in done.stdout

    # the agreement check is real: one changed figure in the baseline is named
    size_dir = work / "size_20k"
    warehouse, baseline_db = Paths.under(size_dir).warehouse, size_dir / "baseline.duckdb"
    assert compare(warehouse, baseline_db, COMPARED) == []
    with duckdb.connect(str(baseline_db)) as con:
        con.execute(
            "UPDATE fct_campaign_channel_daily SET clicks = clicks + 1 "
            "WHERE rowid = (SELECT min(rowid) FROM fct_campaign_channel_daily)"
        )
    mismatches = compare(warehouse, baseline_db, COMPARED)
    assert [(m.table, m.figure) for m in mismatches] == [
        ("marts.fct_campaign_channel_daily", "clicks")
    ]


def test_ratios_are_taken_from_the_measured_stages() -> None:
    from marketing_health.bench.measure import Measurement
    from marketing_health.bench.table import CPU_COLUMNS, SizeResult, cpu_row, size_row

    def m(stage: str, seconds: float, cpu: float) -> Measurement:
        return Measurement(stage, seconds, 2**30, {}, cpu_seconds=cpu)

    result = SizeResult(label="1M", rows=1_000_000, campaigns=220, generate_seconds=5.0)
    result.stages = {
        "ingest": m("ingest", 30.0, 40.0),
        "transform": m("transform", 15.0, 20.0),
        "guards": m("guards", 5.0, 5.0),
        "report": m("report", 2.0, 2.0),
    }
    result.baseline, result.plain = m("baseline", 10.0, 15.0), m("plain", 6.0, 8.0)
    values = dict(zip(COLUMNS, size_row(result), strict=True))
    assert values["pipeline s"] == "52.0" and values["plain s"] == "6.0"
    assert values["ratio"] == "4.50x" and values["ingest/plain"] == "5.00x"
    cpu = dict(zip(CPU_COLUMNS, cpu_row(result), strict=True))
    assert cpu["cpu ratio"] == "4.00x" and cpu["cpu ingest/plain"] == "5.00x"


def test_a_night_that_failed_keeps_its_stages_and_claims_no_ratio() -> None:
    from marketing_health.bench.measure import Measurement
    from marketing_health.bench.table import SizeResult, size_row

    result = SizeResult(label="1M", rows=1_000_000, campaigns=220, generate_seconds=5.0)
    result.stages = {"ingest": Measurement("ingest", 70.0, 2**30, {})}
    result.baseline = result.plain = Measurement("baseline", 10.0, 2**30, {})
    result.failure = "bench stage transform failed (exit 1)"
    values = dict(zip(COLUMNS, size_row(result), strict=True))
    assert values["ingest s"] == "70.0" and values["transform s"] == "-"
    assert values["ratio"] == "-" and values["agree"] == "FAILED"
    assert not result.agrees
