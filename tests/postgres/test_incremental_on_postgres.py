"""An incremental night on a PostgreSQL warehouse answers as on DuckDB.

Both installations load the same generated history and build the night before, then get the
last day's files plus a late file for an earlier day, and build the last night incrementally:
the restate strategy and the night read from ``transform.night`` run on both engines, rewrite
the same days, and leave the same rows in every staging, intermediate and mart table.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import duckdb
import psycopg2
import pytest
from twin_installations import AS_OF, RUN_STAMPS, differences, ingest, twin_installations

from marketing_health.contract import load_contract
from marketing_health.settings import Paths
from marketing_health.transform import run_dbt_build

pytestmark = pytest.mark.integration

LATE_DAY = AS_OF - timedelta(days=6)


def _hold_back_last_day(paths: Paths, aside: Path) -> None:
    for source in load_contract():
        folder = paths.landing_dir / source.name / AS_OF.isoformat()
        if source.kind == "event" and folder.exists():
            (aside / source.name).mkdir(parents=True, exist_ok=True)
            folder.replace(aside / source.name / AS_OF.isoformat())


def _deliver(paths: Paths, aside: Path) -> None:
    for source in sorted(aside.iterdir()):
        (source / AS_OF.isoformat()).replace(paths.landing_dir / source.name / AS_OF.isoformat())
    # social posts of an earlier day re-reported tonight, with more impressions
    posts = paths.landing_dir / "social_posts" / LATE_DAY.isoformat() / "social_posts.csv"
    with posts.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:3]
    for row in rows:
        row["impressions"] = str(int(row["impressions"]) * 10)
    late = paths.landing_dir / "social_posts" / AS_OF.isoformat() / "late_posts.csv"
    with late.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _night_duckdb(paths: Paths) -> tuple:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute("select as_of_date, restate_from from transform.night").fetchone()


def _night_postgres(paths: Paths) -> tuple:
    assert paths.warehouse_url is not None
    with psycopg2.connect(paths.warehouse_url) as con, con.cursor() as cur:
        cur.execute("select as_of_date, restate_from from transform.night")
        return cur.fetchone()


def test_incremental_night_is_the_same_on_both_engines(
    tmp_path: Path, warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MH_PII_HASH_KEY", "postgres-incremental-test-key")
    duck, server = twin_installations(tmp_path, warehouse_url)
    for paths in (duck, server):
        aside = tmp_path / f"aside_{paths.engine}"
        _hold_back_last_day(paths, aside)
        ingest(paths, "pg-test-key", "night_1")
        run_dbt_build(paths, (AS_OF - timedelta(days=1)).isoformat())
        _deliver(paths, aside)
        ingest(paths, "pg-test-key", "night_2")
        run_dbt_build(paths, AS_OF.isoformat())

    night, restate_from = _night_duckdb(duck)
    assert _night_postgres(server) == (night, restate_from)
    # from the late posts' day, or a creator deliverable's earlier due date
    assert night == AS_OF and AS_OF - timedelta(days=20) < restate_from <= LATE_DAY
    schemas = ["staging", "intermediate", "marts"]
    assert differences(duck, server, schemas, ignore_columns=RUN_STAMPS) == []
