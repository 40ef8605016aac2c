"""Questions to ``ops.load_ledger``: which content of each file path is in the warehouse now.

The ledger is append-only. The content "current" for a path is the checksum of its latest
``loaded`` or ``replaced`` row: that is whose rows ``raw.<source>`` holds for the path.

Whether a delivery's content is a duplicate of one the warehouse holds is decided here, once,
for both ways of loading (:meth:`CurrentDeliveries.holder`): the same bytes under another name
are loaded once, except when a snapshot source delivered other content in between. A snapshot
source's latest delivery day is the one in use, so A, then B, then A again must leave A in use:
the third delivery is loaded under its own day although its bytes equal the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from marketing_health.warehouse import Target, connect, engine_of, exists, table_exists

LOADED_STATUSES = ("loaded", "replaced")


#: The engine's hidden column that follows insertion order in an append-only table: the
#: tie-break between ledger rows written at the same instant.
_INSERTION_ORDER = {"duckdb": "rowid", "postgres": "ctid"}


class CurrentDeliveries(dict[str, str]):
    """File path -> checksum of the content whose rows are loaded for it, with each path's
    delivery day (``YYYY-MM-DD``, None for a file outside a day folder)."""

    def __init__(self, rows: Iterable[tuple[str, str, str | None]] = ()) -> None:
        rows = list(rows)
        super().__init__((path, checksum) for path, checksum, _ in rows)
        self.days: dict[str, str | None] = {path: day for path, _, day in rows}

    def add(self, path: str, checksum: str, day: str | None) -> None:
        """A delivery loaded (or about to be, inside the night's plan)."""
        self[path] = checksum
        self.days[path] = day

    def holder(self, checksum: str, day: str | None, snapshot: bool) -> str | None:
        """The path already holding this content, when a delivery of it at another path adds
        nothing; None when it must be loaded.

        For a snapshot source the holder is the latest delivery of the same content up to
        ``day``; if another content was delivered after it and before ``day``, this delivery
        makes the content current again, so it loads (see :meth:`superseded`).
        """
        holders = sorted(path for path, held in self.items() if held == checksum)
        if not holders:
            return None
        if not snapshot or day is None:
            return holders[0]
        earlier = [path for path in holders if (self.days.get(path) or "") <= day]
        if not earlier:  # a late delivery of content already delivered for a later day
            return holders[0]
        holder = max(earlier, key=lambda path: (self.days.get(path) or "", path))
        return None if self.superseded(checksum, day, since=holder) else holder

    def superseded(self, checksum: str, day: str, since: str) -> str | None:
        """The latest delivery of other content after ``since`` and before ``day``: the one a
        re-delivery of ``since``'s content for ``day`` takes over from; None if there is none."""
        start = self.days.get(since) or ""
        between = [
            (other_day, path)
            for path, held in self.items()
            if held != checksum and start < (other_day := self.days.get(path) or "") < day
        ]
        return max(between)[1] if between else None


def current_deliveries(con: Any, source: str) -> CurrentDeliveries:
    """File path -> checksum of the content whose rows are loaded for it, and its day."""
    rows = con.execute(
        f"""
        SELECT file_path, checksum, CAST(delivery_day AS VARCHAR) FROM (
            SELECT file_path, checksum, delivery_day,
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
    return CurrentDeliveries(rows)


def recorded_deliveries(con: Any, source: str) -> set[tuple[str, str, str]]:
    """(path, checksum, status) of every duplicate or rejected delivery the ledger holds: each
    is recorded once, however often it is seen."""
    rows = con.execute(
        "SELECT DISTINCT file_path, checksum, status FROM ops.load_ledger "
        "WHERE source = ? AND status IN ('duplicate', 'rejected')",
        [source],
    ).fetchall()
    return {(path, checksum, status) for path, checksum, status in rows}


def read_current_deliveries(warehouse: Target, source: str) -> CurrentDeliveries:
    """:func:`current_deliveries` through a read-only connection; empty before the first load."""
    if not exists(warehouse):
        return CurrentDeliveries()
    with connect(warehouse, read_only=True) as con:
        if not table_exists(con, "ops", "load_ledger"):
            return CurrentDeliveries()
        return current_deliveries(con, source)
