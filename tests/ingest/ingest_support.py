"""Landing files written by hand from the contract, and helpers to run and inspect ingest."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import duckdb

from marketing_health.catalogue.vocabularies import load_vocabularies
from marketing_health.contract import Source, load_contract
from marketing_health.ingest import PublishReport, publish, stage_source
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

DAY = "2026-11-20"
CONTRACT = load_contract()
SOURCES = [s.name for s in CONTRACT]

_TEXT_VALUES = {
    "campaign_id": "C{n:03d}",
    "planned_channels": "social|email",
    "currency": "EUR",
    "owner_slack_channel": "#growth-emea",
    "hashtag": "#RunTheCity",
    "utm_campaign": "run_the_city",
    "creator_handle": "@creator{n}",
    "target_audience": "age=25-34|35-44;country=DE",
    "audience_summary": "age=18-24;country=US",
    "metric": "metric_{n}",
}


def cell(source: Source, column: str, n: int, day: str = DAY) -> str:
    """A valid value for row ``n`` of ``column``: ids unique per row, so keys never repeat."""
    col = source.column(column)
    if col.pii == "email":
        return f"person{n}@example.com"
    if col.pii == "phone":
        return f"+49 151 {2000000 + n}"
    if col.enum:
        return col.enum[n % len(col.enum)]
    if col.vocabulary:
        known = vocabulary_ids(source, column)
        return known[n % len(known)]
    by_type = {
        "integer": str(10 * n),
        "decimal": f"{n}.50",
        "date": day,
        "timestamp": f"{day} 09:30:00",
        "boolean": "true" if n % 2 else "false",
    }
    if col.type in by_type:
        return by_type[col.type]
    if col.free_text:
        return f"Row {n} of the campaign, join us #RunTheCity"
    return _TEXT_VALUES.get(column, f"{column}-{{n}}").format(n=n)


def vocabulary_ids(source: Source, column: str) -> list[str]:
    """The ids a vocabulary column takes in this source: platforms of the source's channel
    (platforms.yaml ``channels``), every post format."""
    vocab = load_vocabularies()
    if source.column(column).vocabulary == "platforms":
        return [p.platform for p in vocab.platforms.values() if source.channel in p.channels]
    return list(vocab.post_formats)


def rows(source_name: str, count: int = 3, day: str = DAY, start: int = 1) -> list[dict[str, str]]:
    source = CONTRACT[source_name]
    return [
        {c.name: cell(source, c.name, n, day) for c in source.columns}
        for n in range(start, start + count)
    ]


def landing_path(paths: Paths, source: str, name: str, day: str = DAY) -> Path:
    folder = paths.landing_dir / source / day
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def write_csv(path: Path, data: list[dict[str, str]], delimiter: str = ",") -> Path:
    columns = list(data[0]) if data else []
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(data)
    return path


def write_jsonl(path: Path, data: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in data), encoding="utf-8")
    return path


def write_parquet(path: Path, source_name: str, data: list[dict[str, str]]) -> Path:
    """Parquet with native column types (numbers, dates, booleans), as tools write it."""
    source = CONTRACT[source_name]
    tmp = write_csv(path.with_suffix(".tmp.csv"), data)
    casts = ", ".join(
        f'CAST("{c.name}" AS {"VARCHAR" if c.pii else c.duckdb_type}) AS "{c.name}"'
        for c in source.columns
        if c.name in data[0]
    )
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT {casts} FROM read_csv('{tmp}', all_varchar = true)) "
            f"TO '{path}' (FORMAT parquet)"
        )
    tmp.unlink()
    return path


def run_ingest(paths: Paths, key: str, run_id: str = "night-1", **kwargs) -> PublishReport:
    """What the DAG does: stage every source, then publish once."""
    for name in SOURCES:
        stage_source(name, paths, run_id, key)
    return publish(paths, run_id, **kwargs)


def query(paths: Paths, sql: str, params: list | None = None) -> list[tuple]:
    with connect(paths.warehouse, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def table_counts(paths: Paths) -> dict[str, int]:
    """Rows of every table in the warehouse file."""
    with connect(paths.warehouse, read_only=True) as con:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0]
            for s, t in tables
        }


def ledger(paths: Paths) -> list[dict[str, object]]:
    with connect(paths.warehouse, read_only=True) as con:
        cur = con.execute("SELECT * FROM ops.load_ledger ORDER BY loaded_at, file_path")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
