"""A PostgreSQL warehouse behind the small part of DuckDB's connection API the pipeline uses.

The pipeline's queries are written once, with DuckDB's ``?`` (and ``$name``) placeholders;
:func:`translate_placeholders` turns them into psycopg2's ``%s`` / ``%(name)s`` outside string
literals, quoted names and comments. :class:`PostgresConnection` runs them with autocommit,
like DuckDB, until :meth:`~PostgresConnection.begin` opens a transaction, and hands results
back as tuples or as a pandas frame with DuckDB's dtypes (numbers as float64, not Decimal), so
the guards and the report read both engines alike.

Writers take turns through a PostgreSQL advisory lock (:func:`acquire_lock`), the server's
counterpart of the lock file beside a DuckDB warehouse.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import psycopg2
import psycopg2.extensions
import psycopg2.extras

from marketing_health.settings import mask_url

log = logging.getLogger(__name__)

#: Key of the advisory lock that orders the pipeline's writers on one warehouse database.
ADVISORY_LOCK_KEY = 0x6D68_7768  # "mhwh"

#: Errors a query or a connection to the server can raise.
Error = psycopg2.Error

#: PostgreSQL type oid -> the DuckDB type name the same column would have.
_DUCKDB_TYPE_NAMES: dict[int, str] = {
    16: "BOOLEAN",
    20: "BIGINT",
    21: "SMALLINT",
    23: "INTEGER",
    25: "VARCHAR",
    114: "JSON",
    700: "FLOAT",
    701: "DOUBLE",
    1042: "VARCHAR",
    1043: "VARCHAR",
    1082: "DATE",
    1114: "TIMESTAMP",
    1184: "TIMESTAMP WITH TIME ZONE",
    1700: "DECIMAL",
    3802: "JSON",
    1000: "BOOLEAN[]",
    1007: "INTEGER[]",
    1016: "BIGINT[]",
    1009: "VARCHAR[]",
    1015: "VARCHAR[]",
    1182: "DATE[]",
    1022: "DOUBLE[]",
    1231: "DECIMAL[]",
}
_INTEGER_TYPES = frozenset({"BIGINT", "INTEGER", "SMALLINT"})
_FLOAT_TYPES = frozenset({"DOUBLE", "FLOAT", "DECIMAL"})
_TIME_TYPES = frozenset({"DATE", "TIMESTAMP"})


def translate_placeholders(sql: str) -> str:
    """``?`` -> ``%s`` and ``$name`` -> ``%(name)s``; a literal ``%`` is doubled.

    String literals, quoted identifiers and comments are copied as they are (apart from ``%``,
    which psycopg2 reads everywhere once parameters are given).
    """
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            end = i + 1
            while end < n:
                if sql[end] == ch:
                    if end + 1 < n and sql[end + 1] == ch:
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[i : end + 1].replace("%", "%%"))
            i = end + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "?":
            out.append("%s")
            i += 1
        elif ch == "$" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_"):
            end = i + 1
            while end < n and (sql[end].isalnum() or sql[end] == "_"):
                end += 1
            out.append(f"%({sql[i + 1 : end]})s")
            i = end
        elif ch == "%":
            out.append("%%")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def duckdb_type_name(type_code: int) -> str:
    """The DuckDB name of a result column's PostgreSQL type (``VARCHAR`` when unknown)."""
    return _DUCKDB_TYPE_NAMES.get(type_code, "VARCHAR")


class PostgresConnection:
    """One session on the warehouse database, used the way the pipeline uses DuckDB's."""

    def __init__(self, url: str) -> None:
        try:
            self._con = psycopg2.connect(url)
        except psycopg2.OperationalError as exc:
            # libpq's message may quote the connection string; say which server, masked
            raise ConnectionError(
                f"cannot reach the warehouse {mask_url(url)}: "
                f"{_without_secret(str(exc), url).strip()}"
            ) from None
        self._con.autocommit = True
        # JSON columns come back as their text, as DuckDB returns them
        psycopg2.extras.register_default_json(self._con, loads=lambda text: text)
        psycopg2.extras.register_default_jsonb(self._con, loads=lambda text: text)
        self._cursor = self._con.cursor()

    @property
    def raw(self) -> psycopg2.extensions.connection:
        """The psycopg2 connection, for what DuckDB has no counterpart of (COPY FROM STDIN)."""
        return self._con

    @property
    def description(self) -> list[tuple[str, str]] | None:
        """(name, DuckDB type name) of each column of the last result."""
        if self._cursor.description is None:
            return None
        return [(d.name, duckdb_type_name(d.type_code)) for d in self._cursor.description]

    def execute(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> PostgresConnection:
        if params is None or len(params) == 0:
            self._cursor.execute(sql)
        else:
            values = dict(params) if isinstance(params, Mapping) else list(params)
            self._cursor.execute(translate_placeholders(sql), values)
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> PostgresConnection:
        self._cursor.executemany(translate_placeholders(sql), [list(r) for r in rows])
        return self

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall()

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cursor.fetchone()

    def df(self) -> pd.DataFrame:
        """The result as DuckDB's ``df()`` shapes it: int64 (Int64 with NULLs), float64 for
        every fractional number, datetime64 for dates and timestamps, bool (boolean)."""
        columns = self.description or []
        rows = self._cursor.fetchall()
        frame = pd.DataFrame(
            {
                name: pd.Series([r[i] for r in rows], dtype=object)
                for i, (name, _) in enumerate(columns)
            }
        )
        for name, type_name in columns:
            frame[name] = _as_duckdb_dtype(frame[name], type_name)
        return frame

    def begin(self) -> None:
        self._cursor.execute("BEGIN")

    def commit(self) -> None:
        self._cursor.execute("COMMIT")

    def rollback(self) -> None:
        self._cursor.execute("ROLLBACK")

    def close(self) -> None:
        self._con.close()


def _as_duckdb_dtype(series: pd.Series, type_name: str) -> pd.Series:
    if type_name in _INTEGER_TYPES:
        return series.astype("int64" if series.notna().all() else "Int64")
    if type_name in _FLOAT_TYPES:
        return pd.to_numeric(series, errors="coerce").astype("float64")
    if type_name in _TIME_TYPES:
        return pd.to_datetime(series).astype("datetime64[us]")
    if type_name == "BOOLEAN":
        return series.astype("bool" if series.notna().all() else "boolean")
    if type_name in ("VARCHAR", "JSON"):
        return series.astype("str") if series.notna().all() else series
    return series


def _without_secret(text: str, url: str) -> str:
    from urllib.parse import urlsplit

    password = urlsplit(url).password
    return text.replace(password, "***") if password else text


def acquire_lock(
    url: str, *, exclusive: bool, wait_seconds: float, on_wait: Callable[[], None]
) -> Callable[[], None]:
    """Take the writers' advisory lock (shared to read) on its own session; returns release.

    A session of its own keeps the lock independent of the connections that do the work
    (dbt opens its own), and closing it gives the lock back even if release is never called.
    """
    session = PostgresConnection(url)
    take = "pg_try_advisory_lock" if exclusive else "pg_try_advisory_lock_shared"
    deadline = time.monotonic() + wait_seconds
    delay = 0.1
    try:
        while not session.execute(f"SELECT {take}(?)", [ADVISORY_LOCK_KEY]).fetchone()[0]:
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"the warehouse {mask_url(url)} stayed busy for {wait_seconds:.0f}s "
                    "(another run is using it)"
                )
            if delay >= 1.6:
                on_wait()
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
    except BaseException:
        session.close()
        raise
    return session.close
