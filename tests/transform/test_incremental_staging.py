"""Incremental nights: night by night, every staging, intermediate and mart table must hold
exactly what a full rebuild of the same raw rows holds, with late files, moved rows, corrected
re-deliveries, re-run nights and a night judged again after later ones, while a night writes
only the days that changed. Real landing files, the real load and real dbt on a DuckDB file."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from marketing_health.contract import load_contract
from marketing_health.generate.landing import generate_landing
from marketing_health.ingest import publish, stage_source
from marketing_health.settings import Paths
from marketing_health.transform import run_dbt_build

SCHEMAS = ("staging", "intermediate", "marts")
END = date(2024, 5, 28)
LATE_DAY = END - timedelta(days=10)


def _load(paths: Paths, run_id: str, pii_key: str) -> None:
    for source in load_contract():
        stage_source(source.name, paths, run_id, pii_key)
    publish(paths, run_id)


def _copy(paths: Paths, folder: Path) -> Paths:
    """The warehouse file copied next to ``folder``: same raw rows, same load timestamps."""
    copy = Paths.under(folder)
    copy.warehouse.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paths.warehouse, copy.warehouse)
    return replace(copy, landing_dir=paths.landing_dir)


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        " WHERE table_catalog = ? AND table_type = 'BASE TABLE' AND list_contains(?, table_schema)"
        " ORDER BY table_schema, table_name",
        [catalog, list(SCHEMAS)],
    ).fetchall()


def _comparable(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> str:
    """A select of the table with doubles written to 12 significant digits: sums added up in
    another order may differ in the last bits."""
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_catalog = ? AND table_schema = ? AND table_name = ?"
        " ORDER BY ordinal_position",
        [catalog, schema, table],
    ).fetchall()
    exprs = [
        f"printf('%.12g', \"{name}\")" if kind == "DOUBLE" else f'"{name}"'
        for name, kind in columns
    ]
    return f"SELECT {', '.join(exprs)} FROM {catalog}.{schema}.{table}"


def _differences(left: Path, right: Path) -> dict[str, int]:
    """Rows of each table found on one side only (duplicates counted); tables on one side
    only count -1."""
    out = {}
    with duckdb.connect(str(left), read_only=True) as con:
        con.execute(f"ATTACH '{right}' AS other (READ_ONLY)")
        mine, theirs = _tables(con, "marketing_health"), _tables(con, "other")
        for schema, table in sorted(set(mine) | set(theirs)):
            name = f"{schema}.{table}"
            if (schema, table) not in mine or (schema, table) not in theirs:
                out[name] = -1
                continue
            a = _comparable(con, "marketing_health", schema, table)
            b = _comparable(con, "other", schema, table)
            out[name] = con.execute(
                f"SELECT (SELECT count(*) FROM ({a} EXCEPT ALL {b}))"
                f" + (SELECT count(*) FROM ({b} EXCEPT ALL {a}))"
            ).fetchone()[0]
    return {name: rows for name, rows in out.items() if rows}


def _full_rebuild_differs(paths: Paths, scratch: Path, as_of: date) -> dict[str, int]:
    rebuilt = _copy(paths, scratch)
    run_dbt_build(rebuilt, as_of.isoformat(), full_refresh=True)
    return _differences(paths.warehouse, rebuilt.warehouse)


def _query(paths: Paths, sql: str) -> list[tuple]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _night(paths: Paths) -> tuple:
    return _query(paths, "SELECT as_of_date, restate_from FROM transform.night")[0]


def _write_late_files(landing: Path) -> None:
    """Files delivered on the last day carrying rows of earlier days: three social post days
    re-reported with ten times the impressions, two creator posts moved a day later and one
    e-mail send with corrected clicks. And one file that turns up late in an older day's
    folder: its rows lose to the newer delivery already loaded."""
    old = LATE_DAY.isoformat()
    with duckdb.connect() as con:

        def rewrite(source: str, name: str, select: str, folder: date = END) -> None:
            target = landing / source / folder.isoformat() / name
            rows = f"read_csv('{landing / source}/*/{source}.csv', all_varchar = true)"
            con.execute(f"COPY ({select.format(rows=rows)}) TO '{target}' (HEADER, DELIMITER ',')")

        rewrite(
            "social_posts",
            "late_posts.csv",
            "SELECT * REPLACE (CAST(impressions AS BIGINT) * 10 + 7 AS impressions)"
            f" FROM {{rows}} WHERE post_date = '{old}' ORDER BY post_id LIMIT 3",
        )
        rewrite(
            "social_posts",
            "stale_posts.csv",
            "SELECT * REPLACE (1000003 AS impressions)"
            f" FROM {{rows}} WHERE post_date = '{old}' ORDER BY post_id DESC LIMIT 2",
            folder=LATE_DAY - timedelta(days=1),
        )
        rewrite(
            "influencer_posts",
            "late_posts.csv",
            f"SELECT * REPLACE (DATE '{old}' + 1 AS post_date) FROM {{rows}}"
            f" WHERE post_date = '{old}' ORDER BY post_id LIMIT 2",
        )
        rewrite(
            "email_sends",
            "late_sends.csv",
            "SELECT * REPLACE (CAST(clicks AS BIGINT) + 1000 AS clicks)"
            f" FROM {{rows}} WHERE send_date <= '{old}' ORDER BY send_id, variant LIMIT 1",
        )


@pytest.mark.integration
def test_night_by_night_equals_a_full_rebuild(paths: Paths, pii_key: str, tmp_path: Path) -> None:
    generate_landing(paths.landing_dir, end_date=END, days=28, scale=1.0)
    held_back = tmp_path / "held_back"
    for source in load_contract():
        day = paths.landing_dir / source.name / END.isoformat()
        if day.exists() and source.kind == "event":
            (held_back / source.name).mkdir(parents=True)
            day.replace(held_back / source.name / END.isoformat())

    # the history, then the last day with late files for an earlier day
    _load(paths, "night_1", pii_key)
    run_dbt_build(paths, (END - timedelta(days=1)).isoformat())
    for source in held_back.iterdir():
        (source / END.isoformat()).replace(paths.landing_dir / source.name / END.isoformat())
    _write_late_files(paths.landing_dir)
    _load(paths, "night_2", pii_key)
    run_dbt_build(paths, END.isoformat())

    # the night rebuilt the days from the earliest late row on (or a creator deliverable's
    # earlier due date), not the whole history
    email_late = _query(
        paths,
        "SELECT min(send_date) FROM raw.email_sends WHERE _file_path LIKE '%late_sends.csv'",
    )[0][0]
    night, restate_from = _night(paths)
    assert night == END
    assert END - timedelta(days=20) < restate_from <= min(LATE_DAY, email_late)
    compiled = paths.dbt_target_dir / "run" / "marketing_health" / "models"
    story = (compiled / "marts" / "sig_story.sql").read_text().lower()
    assert f"as_of_date >= cast('{restate_from}' as date)" in story
    assert "delete from" in (compiled / "staging" / "social" / "stg_social__posts.sql").read_text()
    assert _full_rebuild_differs(paths, tmp_path / "rebuild_2", END) == {}
    late = _query(
        paths,
        "SELECT count(*) FROM staging.stg_social__posts"
        f" WHERE post_date = DATE '{LATE_DAY}' AND file_path LIKE '%late_posts.csv'"
        " AND impressions % 10 = 7",
    )
    assert late == [(3,)]
    stale = _query(
        paths,
        "SELECT count(*) FROM staging.stg_social__posts WHERE file_path LIKE '%stale_posts.csv'",
    )
    assert stale == [(0,)]
    moved = _query(
        paths,
        "SELECT DISTINCT post_date FROM staging.stg_influencer__posts"
        " WHERE file_path LIKE '%late_posts.csv'",
    )
    assert moved == [(LATE_DAY + timedelta(days=1),)]

    # re-running the night loads nothing new, rebuilds only its own day and changes nothing
    before = _copy(paths, tmp_path / "before_rerun")
    _load(paths, "night_2_again", pii_key)
    run_dbt_build(paths, END.isoformat())
    assert _night(paths) == (END, END)
    assert _differences(paths.warehouse, before.warehouse) == {}

    # judging an earlier night again leaves the tables as a build for that night; the next
    # night writes the days after it again
    earlier = END - timedelta(days=3)
    run_dbt_build(paths, earlier.isoformat())
    assert _night(paths) == (earlier, earlier)
    assert _query(paths, "SELECT max(as_of_date) FROM marts.sig_story") == [(earlier,)]
    run_dbt_build(paths, END.isoformat())
    assert _night(paths) == (END, earlier + timedelta(days=1))
    assert _differences(paths.warehouse, before.warehouse) == {}

    # a corrected re-delivery drops one late row: the earlier report of that post day is back,
    # and every day is rebuilt
    late_file = paths.landing_dir / "social_posts" / END.isoformat() / "late_posts.csv"
    lines = late_file.read_text().splitlines()
    late_file.write_text("\n".join(lines[:-1]) + "\n")
    _load(paths, "night_3", pii_key)
    run_dbt_build(paths, END.isoformat())
    assert _night(paths) == (END, None)
    assert _full_rebuild_differs(paths, tmp_path / "rebuild_3", END) == {}
    assert _query(
        paths,
        "SELECT count(*) FROM staging.stg_social__posts WHERE file_path LIKE '%late_posts.csv'",
    ) == [(2,)]
