"""Two installations on the same landing zone: one on a DuckDB file, one on a PostgreSQL
database, and the comparison of what each warehouse holds."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import psycopg2

from marketing_health.generate import generate_landing
from marketing_health.ingest import PublishReport, publish, stage_source
from marketing_health.night import source_names
from marketing_health.settings import Paths
from support.compare_warehouses import TableDiff, compare_warehouses, normalise

AS_OF = date(2026, 11, 20)
#: Day of the hand-broken files :func:`write_broken_files` adds.
BAD_DAY = "2026-11-19"
#: Columns that say when or in which run a row was written: they differ between any two runs.
RUN_STAMPS = frozenset(
    {"_loaded_at", "loaded_at", "quarantined_at", "found_at", "run_id", "evaluated_at"}
)


def twin_installations(root: Path, warehouse_url: str) -> tuple[Paths, Paths]:
    """(DuckDB, PostgreSQL) installations whose landing zones hold the same generated files."""
    duck = Paths.under(root / "duckdb")
    server = Paths.under(root / "postgres", warehouse_url)
    generate_landing(duck.landing_dir, seed=7, end_date=AS_OF, days=28)
    shutil.copytree(duck.landing_dir, server.landing_dir)
    return duck, server


def ingest(paths: Paths, key: str, run_id: str) -> PublishReport:
    """What the DAG does: stage every source, then publish once."""
    for name in source_names():
        stage_source(name, paths, run_id, key)
    return publish(paths, run_id)


def differences(duck: Paths, server: Paths, schemas: list[str], **kwargs) -> list[str]:
    """What differs, table by table (empty when both warehouses hold the same answers)."""
    assert server.warehouse_url is not None
    diffs: list[TableDiff] = compare_warehouses(
        str(duck.warehouse), server.warehouse_url, schemas, **kwargs
    )
    assert diffs, f"no tables in {schemas}"
    return [d.describe() for d in diffs if not d.equal]


def write_broken_files(paths: Paths) -> None:
    """Two paid ads files beside the generated one of ``BAD_DAY``: one with an unreadable
    number (that row is quarantined) and one without a required column (rejected whole)."""
    folder = paths.landing_dir / "paid_ads" / BAD_DAY
    with (folder / "paid_ads.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["spend"] = "twelve euros"
    without_spend = [{k: v for k, v in r.items() if k != "spend"} for r in rows[3:5]]
    for name, data in (("paid_ads_fixes.csv", rows[:3]), ("paid_ads_late.csv", without_spend)):
        with (folder / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(data[0]))
            writer.writeheader()
            writer.writerows(data)


def _numbers_normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _numbers_normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_normalised(v) for v in value]
    return normalise(value) if isinstance(value, int | float) else value


def evidence_differences(duck: Paths, server: Paths) -> list[tuple[Any, ...]]:
    """Guard results whose evidence differs beyond float noise: numbers inside the JSON are
    compared as the table comparison compares number columns (to 9 significant digits)."""
    sql = (
        "select run_date::varchar, guard_id, campaign_id, evidence::varchar "
        "from guards.guard_results"
    )
    with duckdb.connect(str(duck.warehouse), read_only=True) as con:
        mine = con.execute(sql).fetchall()
    with psycopg2.connect(server.warehouse_url) as pg, pg.cursor() as cur:
        cur.execute(sql)
        theirs = cur.fetchall()

    def keyed(rows: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], str]:
        evidence = {tuple(r[:3]): _numbers_normalised(json.loads(r[3] or "null")) for r in rows}
        return {k: json.dumps(v, sort_keys=True) for k, v in evidence.items()}

    a, b = keyed(mine), keyed(theirs)
    return sorted((k, a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k))
