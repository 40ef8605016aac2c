"""Questions to ``ops.load_ledger``: which content of each file path is in the warehouse now.

The ledger is append-only. The content "current" for a path is the checksum of its latest
``loaded`` or ``replaced`` row: that is whose rows ``raw.<source>`` holds for the path.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from marketing_health.warehouse import connect

LOADED_STATUSES = ("loaded", "replaced")


def current_deliveries(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, str]:
    """File path -> checksum of the content whose rows are loaded for it."""
    rows = con.execute(
        """
        SELECT file_path, checksum FROM (
            SELECT file_path, checksum,
                   row_number() OVER (
                       PARTITION BY file_path ORDER BY loaded_at DESC, rowid DESC
                   ) AS rn
            FROM ops.load_ledger
            WHERE source = ? AND status IN ('loaded', 'replaced')
        ) WHERE rn = 1
        """,
        [source],
    ).fetchall()
    return dict(rows)


def recorded_statuses(
    con: duckdb.DuckDBPyConnection, source: str, file_path: str, checksum: str
) -> set[str]:
    """Statuses the ledger already holds for this exact delivery (path and content)."""
    rows = con.execute(
        "SELECT DISTINCT status FROM ops.load_ledger "
        "WHERE source = ? AND file_path = ? AND checksum = ?",
        [source, file_path, checksum],
    ).fetchall()
    return {r[0] for r in rows}


def read_current_deliveries(warehouse: Path, source: str) -> dict[str, str]:
    """:func:`current_deliveries` through a read-only connection; empty before the first load."""
    if not Path(warehouse).exists():
        return {}
    with connect(warehouse, read_only=True) as con:
        exists = con.execute(
            "SELECT count(*) FROM duckdb_tables() "
            "WHERE schema_name = 'ops' AND table_name = 'load_ledger'"
        ).fetchone()[0]
        return current_deliveries(con, source) if exists else {}
