"""Questions to ``ops.load_ledger``: which content of each file path is in the warehouse now.

The ledger is append-only. The content "current" for a path is the checksum of its latest
``loaded`` or ``replaced`` row: that is whose rows ``raw.<source>`` holds for the path.
"""

from __future__ import annotations

from typing import Any

from marketing_health.warehouse import Target, connect, engine_of, exists, table_exists

LOADED_STATUSES = ("loaded", "replaced")


#: The engine's hidden column that follows insertion order in an append-only table: the
#: tie-break between ledger rows written at the same instant.
_INSERTION_ORDER = {"duckdb": "rowid", "postgres": "ctid"}


def current_deliveries(con: Any, source: str) -> dict[str, str]:
    """File path -> checksum of the content whose rows are loaded for it."""
    rows = con.execute(
        f"""
        SELECT file_path, checksum FROM (
            SELECT file_path, checksum,
                   row_number() OVER (
                       PARTITION BY file_path
                       ORDER BY loaded_at DESC, {_INSERTION_ORDER[engine_of(con)]} DESC
                   ) AS rn
            FROM ops.load_ledger
            WHERE source = ? AND status IN ('loaded', 'replaced')
        ) AS latest WHERE rn = 1
        """,
        [source],
    ).fetchall()
    return dict(rows)


def recorded_deliveries(con: Any, source: str) -> set[tuple[str, str, str]]:
    """(path, checksum, status) of every duplicate or rejected delivery the ledger holds: each
    is recorded once, however often it is seen."""
    rows = con.execute(
        "SELECT DISTINCT file_path, checksum, status FROM ops.load_ledger "
        "WHERE source = ? AND status IN ('duplicate', 'rejected')",
        [source],
    ).fetchall()
    return {(path, checksum, status) for path, checksum, status in rows}


def read_current_deliveries(warehouse: Target, source: str) -> dict[str, str]:
    """:func:`current_deliveries` through a read-only connection; empty before the first load."""
    if not exists(warehouse):
        return {}
    with connect(warehouse, read_only=True) as con:
        if not table_exists(con, "ops", "load_ledger"):
            return {}
        return current_deliveries(con, source)
