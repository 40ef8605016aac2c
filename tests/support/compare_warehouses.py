"""Table-by-table comparison of a DuckDB warehouse file and a PostgreSQL warehouse database.

The two engines must give the same answers on the same data. Values are compared after a
normalisation that forgives only representation: numbers by value (a NUMERIC 2 equals a DOUBLE
2.0, floats to 9 significant digits), dates and timestamps as ISO text, JSON by content, lists
element by element, numbers inside JSON as numbers. Rows are compared as sorted multisets,
since neither engine promises an order.

Run as a script for a quick look: ``python -m tests.support.compare_warehouses DUCKDB_FILE
POSTGRES_URL [schema ...]``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb
import psycopg2

SIGNIFICANT_DIGITS = 9


def normalise(value: Any) -> Any:
    """A comparable, hashable form of one cell from either engine."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        if number == 0:
            return 0.0
        return float(f"{number:.{SIGNIFICANT_DIGITS - 1}e}")
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return tuple(normalise(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(_round_json(value), sort_keys=True)
    if isinstance(value, str) and value[:1] in "{[" and value[-1:] in "}]":
        return _normalise_json_text(value)
    return value


def _normalise_json_text(value: str) -> Any:
    """JSON text by content; a JSON array (DuckDB hands it over as text, PostgreSQL as a
    list) as the list, so both engines compare alike."""
    try:
        parsed = json.loads(value)
    except ValueError:
        return value
    if isinstance(parsed, list):
        return normalise(parsed)
    return json.dumps(_round_json(parsed), sort_keys=True)


def _round_json(value: Any) -> Any:
    """Numbers inside JSON to the same significant digits as numbers in columns."""
    if isinstance(value, dict):
        return {k: _round_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round_json(v) for v in value]
    if isinstance(value, float):
        return normalise(value)
    return value


def _key(row: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(repr(v) for v in row)


@dataclass
class TableDiff:
    table: str
    columns_only_in_duckdb: list[str] = field(default_factory=list)
    columns_only_in_postgres: list[str] = field(default_factory=list)
    rows_duckdb: int = 0
    rows_postgres: int = 0
    only_in_duckdb: list[tuple[Any, ...]] = field(default_factory=list)
    only_in_postgres: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return not (
            self.columns_only_in_duckdb
            or self.columns_only_in_postgres
            or self.only_in_duckdb
            or self.only_in_postgres
        )

    def describe(self, examples: int = 3) -> str:
        if self.equal:
            return f"{self.table}: equal ({self.rows_duckdb} rows)"
        lines = [f"{self.table}: DuckDB {self.rows_duckdb} rows, PostgreSQL {self.rows_postgres}"]
        if self.columns_only_in_duckdb or self.columns_only_in_postgres:
            lines.append(
                f"  columns only in DuckDB {self.columns_only_in_duckdb}, "
                f"only in PostgreSQL {self.columns_only_in_postgres}"
            )
        for label, rows in (("DuckDB", self.only_in_duckdb), ("PostgreSQL", self.only_in_postgres)):
            if rows:
                lines.append(f"  {len(rows)} row(s) only in {label}, e.g.:")
                lines.extend(f"    {row}" for row in rows[:examples])
        return "\n".join(lines)


def _columns_duckdb(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def _columns_postgres(cur: Any, schema: str, table: str) -> list[str]:
    cur.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
        [schema, table],
    )
    return [r[0] for r in cur.fetchall()]


def compare_table(
    duck: duckdb.DuckDBPyConnection,
    pg_cursor: Any,
    table: str,
    *,
    ignore_columns: frozenset[str] = frozenset(),
) -> TableDiff:
    """Compare ``schema.table`` in both warehouses on the columns both have."""
    schema, name = table.split(".", 1)
    d_cols = _columns_duckdb(duck, schema, name)
    p_cols = _columns_postgres(pg_cursor, schema, name)
    diff = TableDiff(
        table=table,
        columns_only_in_duckdb=[c for c in d_cols if c not in p_cols],
        columns_only_in_postgres=[c for c in p_cols if c not in d_cols],
    )
    shared = [c for c in d_cols if c in p_cols and c not in ignore_columns]
    select = ", ".join(f'"{c}"' for c in shared)
    d_rows = [
        tuple(normalise(v) for v in r)
        for r in duck.execute(f"SELECT {select} FROM {table}").fetchall()
    ]
    pg_cursor.execute(f"SELECT {select} FROM {table}")
    p_rows = [tuple(normalise(v) for v in r) for r in pg_cursor.fetchall()]
    diff.rows_duckdb, diff.rows_postgres = len(d_rows), len(p_rows)
    d_count, p_count = Counter(map(_key, d_rows)), Counter(map(_key, p_rows))
    by_key = {_key(r): r for r in d_rows + p_rows}
    diff.only_in_duckdb = sorted(by_key[k] for k in (d_count - p_count).elements())
    diff.only_in_postgres = sorted(by_key[k] for k in (p_count - d_count).elements())
    return diff


def tables_in(duck: duckdb.DuckDBPyConnection, schemas: list[str]) -> list[str]:
    rows = duck.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables "
        "WHERE table_schema IN (SELECT unnest(?)) ORDER BY 1",
        [schemas],
    ).fetchall()
    return [r[0] for r in rows]


def compare_warehouses(
    duckdb_file: str, postgres_url: str, schemas: list[str], **kwargs: Any
) -> list[TableDiff]:
    with duckdb.connect(duckdb_file, read_only=True) as duck:
        pg = psycopg2.connect(postgres_url)
        try:
            with pg.cursor() as cur:
                return [compare_table(duck, cur, t, **kwargs) for t in tables_in(duck, schemas)]
        finally:
            pg.close()


if __name__ == "__main__":
    diffs = compare_warehouses(sys.argv[1], sys.argv[2], sys.argv[3:] or ["marts"])
    for d in diffs:
        print(d.describe())
    sys.exit(0 if all(d.equal for d in diffs) else 1)
