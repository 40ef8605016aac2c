"""Warehouse tables that follow from the contract: ``raw.<source>`` and the ``ops`` bookkeeping.

Both the loader and the tests create tables through these functions, so the shape of a raw
table is decided in one place: the contract's columns under their warehouse names, followed by
the metadata that says where each row came from.
"""

from __future__ import annotations

from typing import Any

from marketing_health.contract.schema import Contract, Source
from marketing_health.settings import Engine

#: Columns every raw table carries after the contract's own: the row's provenance.
METADATA_COLUMNS: dict[str, str] = {
    "_file_path": "VARCHAR",
    "_row_number": "BIGINT",
    "_delivery_day": "DATE",
    "_checksum": "VARCHAR",
    "_loaded_at": "TIMESTAMP",
}

OPS_TABLES: dict[str, str] = {
    "ops.load_ledger": """
        source VARCHAR NOT NULL,
        file_path VARCHAR NOT NULL,
        delivery_day DATE,
        checksum VARCHAR NOT NULL,
        file_bytes BIGINT,
        rows_in_file BIGINT,
        rows_loaded BIGINT,
        rows_quarantined BIGINT,
        status VARCHAR NOT NULL,
        message VARCHAR,
        problem VARCHAR,
        problem_values JSON,
        loaded_at TIMESTAMP NOT NULL,
        run_id VARCHAR
    """,
    "ops.quarantine": """
        source VARCHAR NOT NULL,
        file_path VARCHAR NOT NULL,
        row_number BIGINT,
        column_name VARCHAR,
        reason VARCHAR NOT NULL,
        problem VARCHAR,
        problem_values JSON,
        record JSON,
        quarantined_at TIMESTAMP NOT NULL,
        run_id VARCHAR
    """,
    "ops.pii_findings": """
        source VARCHAR NOT NULL,
        file_path VARCHAR NOT NULL,
        row_number BIGINT,
        column_name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        campaign_id VARCHAR,
        data_day DATE,
        found_at TIMESTAMP NOT NULL,
        run_id VARCHAR
    """,
}


#: Columns added to an ops table after warehouses were first created with it: a warehouse
#: made before gains them (empty in its old rows) when the tables are next created.
OPS_COLUMNS_ADDED: dict[str, dict[str, str]] = {
    # the quarantine problem as a code and its values (marketing_health.contract.problems)
    "ops.quarantine": {"problem": "VARCHAR", "problem_values": "JSON"},
    # why a file was rejected, as a code and its values (likewise)
    "ops.load_ledger": {"problem": "VARCHAR", "problem_values": "JSON"},
}


def raw_columns(source: Source, engine: Engine = "duckdb") -> dict[str, str]:
    """Warehouse column name -> type on ``engine``, contract columns first, then metadata."""
    from marketing_health.warehouse import sql_type

    cols = {c.warehouse_name: c.duckdb_type for c in source.columns}
    cols.update(METADATA_COLUMNS)
    return {name: sql_type(typ, engine) for name, typ in cols.items()}


def raw_table_ddl(source: Source, engine: Engine = "duckdb") -> str:
    body = ",\n    ".join(f"{name} {typ}" for name, typ in raw_columns(source, engine).items())
    return f"CREATE TABLE IF NOT EXISTS {source.raw_table} (\n    {body}\n)"


def ops_table_ddl(table: str, engine: Engine = "duckdb") -> str:
    """``ops.<table>`` with the engine's type names (the bodies above spell DuckDB's)."""
    from marketing_health.warehouse import sql_type

    lines = []
    for line in OPS_TABLES[table].strip().splitlines():
        name, typ, *rest = line.strip().rstrip(",").split(" ", 2)
        lines.append(" ".join([name, sql_type(typ, engine), *rest]))
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(lines)})"


def create_warehouse_tables(con: Any, contract: Contract) -> None:
    """Create the raw and ops schemas and tables if they do not exist yet (idempotent)."""
    from marketing_health.warehouse import engine_of, sql_type

    engine = engine_of(con)
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute("CREATE SCHEMA IF NOT EXISTS ops")
    for source in contract:
        con.execute(raw_table_ddl(source, engine))
    for table in OPS_TABLES:
        con.execute(ops_table_ddl(table, engine))
    for table, columns in OPS_COLUMNS_ADDED.items():
        schema, name = table.split(".")
        present = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ?",
                [schema, name],
            ).fetchall()
        }
        for column, typ in columns.items():
            if column not in present:  # asked first: ALTER locks the table even when it exists
                con.execute(
                    f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {sql_type(typ, engine)}"
                )
