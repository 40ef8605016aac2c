"""The plain load: DuckDB's ``read_csv`` of the landing files into typed tables, nothing else.

It is the floor under ingest. Ingest reads the same files, but also checks every value against
the landing contract, quarantines what breaks it with file, row and column, hashes personal data,
reconciles every file and records it in the load ledger. The plain load does none of that: one
table per source, typed with the contract's column types, one ``read_csv`` per file layout (the
files of a source that share a header), so ingest / plain load says what that work costs.

It expects the clean files the generator writes (ISO dates, dot decimals); a value that does not
read as its column's type stops it with DuckDB's message naming the file and line.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import duckdb

from marketing_health.contract import load_contract
from marketing_health.contract.schema import COLUMN_TYPES
from marketing_health.warehouse import apply_settings


def _layouts(files: list[Path]) -> dict[tuple[str, ...], list[str]]:
    """Files grouped by header line: one typed read per group, as ingest reads them."""
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for path in files:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = tuple(next(csv.reader(handle), []))
        if header:
            groups[header].append(str(path))
    return groups


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def plain_load(database: Path, landing_dir: Path) -> dict[str, int]:
    """Load every source's landing files into a fresh DuckDB file; rows loaded per source."""
    database = Path(database)
    database.unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    loaded: dict[str, int] = {}
    with duckdb.connect(str(database)) as con:
        apply_settings(con)
        for source in load_contract():
            files = sorted((Path(landing_dir) / source.name).glob("*/*.csv"))
            if not files:
                continue
            types = {c.name: COLUMN_TYPES[c.type] for c in source.columns}
            table = _quoted(source.name)
            body = ", ".join(f"{_quoted(name)} {typ}" for name, typ in types.items())
            con.execute(f"CREATE TABLE {table} ({body})")
            for header, paths in _layouts(files).items():
                columns = {name: types.get(name, "VARCHAR") for name in header}
                # a column the contract does not know is read as text and left out
                kept = ", ".join(_quoted(name) for name in header if name in types)
                con.execute(
                    f"INSERT INTO {table} BY NAME SELECT {kept} FROM read_csv(?, "
                    "header = true, auto_detect = false, columns = ?)",
                    [paths, columns],
                )
            loaded[source.name] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return loaded
