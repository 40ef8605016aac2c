"""Connections to the warehouse: a DuckDB file (the default) or a PostgreSQL database.

Every caller opens the warehouse through :func:`connect`, given the installation's
:class:`~marketing_health.settings.Paths`; with ``MH_WAREHOUSE_URL`` set it returns a
:class:`~marketing_health.warehouse_postgres.PostgresConnection`, which answers the same calls
as a DuckDB connection, else a DuckDB connection to the file. The few statements the two
dialects write differently ask :func:`engine_of` or :func:`sql_type`.

DuckDB lets one process write a database file at a time. The pipeline keeps every write in a
single task at a time (ingest stages files in parallel without touching the warehouse, then one
task publishes them), and every connection is opened through :func:`connect`, which waits for a
lock held by another process (an analyst's notebook, a UI page) instead of failing the task.

Waiting on DuckDB's own lock alone leaves a race: a process that checked the file was free can
lose it to another before it opens it (dbt opens the file itself, a moment later). So our
processes first take an advisory lock on ``<warehouse>.lock`` (:func:`hold`): exclusive to
write, shared to read, held for the whole session, and waited for in turn. Other programs
(a notebook) only meet DuckDB's lock, which :func:`connect` still waits out. On PostgreSQL the
same turns are taken through a server advisory lock, so two nights at once still take turns.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import psycopg2

from marketing_health.settings import Engine, Paths, mask_url
from marketing_health.warehouse_postgres import PostgresConnection, acquire_lock

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 600.0

#: Where the warehouse is: an installation's paths (file or server), or a DuckDB file.
Target = Paths | Path | str
#: A connection :func:`connect` hands out, whichever the engine.
Connection = duckdb.DuckDBPyConnection | PostgresConnection
#: What a failing query raises, whichever the engine.
QUERY_ERRORS: tuple[type[Exception], ...] = (duckdb.Error, psycopg2.Error)

#: DuckDB type -> PostgreSQL type, where the names differ.
_POSTGRES_TYPES = {"DOUBLE": "double precision", "VARCHAR": "text", "JSON": "json"}


def engine_of(con: Any) -> Engine:
    return "postgres" if isinstance(con, PostgresConnection) else "duckdb"


def sql_type(duckdb_type: str, engine: Engine) -> str:
    """A column type as the engine spells it (the project writes DuckDB's names)."""
    if engine == "duckdb":
        return duckdb_type
    return _POSTGRES_TYPES.get(duckdb_type.upper(), duckdb_type)


def table_exists(con: Any, schema: str, table: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def _where(target: Target) -> tuple[Path, str | None]:
    """The DuckDB file and the server URL (None: the file is the warehouse)."""
    if isinstance(target, Paths):
        return Path(target.warehouse), target.warehouse_url
    return Path(target), None


#: DuckDB settings of every warehouse connection (dbt's too: dbt_project/profiles.yml reads the
#: same variables), so a large landing zone stays inside the machine's memory. Each is read from
#: the environment variable named here.
DUCKDB_SETTINGS_ENV = {
    "memory_limit": ("MH_DUCKDB_MEMORY_LIMIT", "3GB"),
    "preserve_insertion_order": ("MH_DUCKDB_PRESERVE_INSERTION_ORDER", "true"),
}


def duckdb_settings() -> dict[str, str]:
    """The configured DuckDB settings, by setting name."""
    return {name: os.getenv(env, default) for name, (env, default) in DUCKDB_SETTINGS_ENV.items()}


def apply_settings(con: duckdb.DuckDBPyConnection) -> None:
    """Cap memory (DuckDB spills to ``<warehouse>.tmp`` beyond it) and keep or drop row order."""
    for name, value in duckdb_settings().items():
        con.execute(f"SET {name} = ?", [value])


@dataclass
class _Turn:
    """This process's hold on one warehouse: how many sessions use it, and how to let it go.

    Threads of one process share a turn (ingest reads sources in parallel), so the lock is let
    go by whichever session ends last, not by the one that took it.
    """

    exclusive: bool
    users: int = 0
    releases: list[Callable[[], None]] = field(default_factory=list)


#: lock key -> this process's turn
_process_holds: dict[str, _Turn] = {}
_process_lock = threading.RLock()


def lock_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + ".lock")


def _join(key: str, exclusive: bool) -> bool:
    """Join a turn this process already has, when it allows this use."""
    with _process_lock:
        turn = _process_holds.get(key)
        if turn is None or turn.users == 0 or (exclusive and not turn.exclusive):
            return False
        turn.users += 1
        return True


def _leave(key: str) -> None:
    """End one session's use; the last one out lets the lock go."""
    with _process_lock:
        turn = _process_holds[key]
        turn.users -= 1
        if turn.users:
            return
        del _process_holds[key]
        releases = turn.releases
    for release in releases:
        release()


@contextmanager
def hold(
    target: Target, *, exclusive: bool = True, wait_seconds: float = LOCK_WAIT_SECONDS
) -> Iterator[None]:
    """Take this process's turn at the warehouse: exclusive to write, shared to read.

    Re-entrant within a process (a session opened inside another reuses its lock, threads share
    it), so only other processes wait. Raises TimeoutError after ``wait_seconds``.
    """
    path, url = _where(target)
    key = f"postgres:{mask_url(url)}" if url else str(path.resolve())
    if not _join(key, exclusive):
        label = mask_url(url) if url else str(path)

        def waiting() -> None:
            log.info("Warehouse %s is in use by another run; waiting", label)

        if url:
            release = acquire_lock(
                url, exclusive=exclusive, wait_seconds=wait_seconds, on_wait=waiting
            )
        else:
            release = _lock_file(path, exclusive, wait_seconds, waiting)
        with _process_lock:
            turn = _process_holds.get(key)
            if turn is None or turn.users == 0:
                turn = _process_holds[key] = _Turn(exclusive=exclusive)
            # two threads may take shared locks at once: both are kept until the last leaves
            turn.exclusive = turn.exclusive or exclusive
            turn.users += 1
            turn.releases.append(release)
    try:
        yield
    finally:
        _leave(key)


def _lock_file(
    path: Path, exclusive: bool, wait_seconds: float, waiting: Callable[[], None]
) -> Callable[[], None]:
    """Take the advisory lock on ``<warehouse>.lock``; returns its release."""
    lock_file = lock_path(path)
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    deadline = time.monotonic() + wait_seconds
    delay = 0.1
    try:
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TimeoutError(
                        f"the warehouse {path} stayed busy for {wait_seconds:.0f}s "
                        "(another run is using it)"
                    ) from None
                if delay >= 1.6:
                    waiting()
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
    except BaseException:
        os.close(fd)
        raise

    def release() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    return release


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set lock" in text)


@contextmanager
def connect(
    target: Target, *, read_only: bool = False, wait_seconds: float = LOCK_WAIT_SECONDS
) -> Iterator[Connection]:
    """Open the warehouse, waiting with backoff while another process holds its lock.

    ``target`` is the installation's paths (the server database when ``MH_WAREHOUSE_URL``
    names one, else the file) or a DuckDB file's path.
    """
    path, url = _where(target)
    if url:
        with hold(target, exclusive=not read_only, wait_seconds=wait_seconds):
            yield from _open_postgres(url, read_only)
        return
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    with hold(path, exclusive=not read_only, wait_seconds=wait_seconds):
        yield from _open(path, read_only, wait_seconds)


def exists(target: Target) -> bool:
    """Whether there is a warehouse to read yet (a server database always is)."""
    path, url = _where(target)
    return bool(url) or path.exists()


#: Collations that sort text by code point, as DuckDB does.
BYTE_ORDER_COLLATIONS = frozenset({"C", "POSIX", "C.UTF-8", "C.utf8"})
_collation_checked: set[str] = set()


def collation_problem(con: PostgresConnection) -> str | None:
    """Why the database would sort text unlike DuckDB, or None when it sorts by code point.

    Ordered lists and alphabetical tie-breaks in the marts follow the database's collation, so
    a warehouse created with a language collation gives the same campaigns and pitfalls but can
    list creators or channels in another order than the DuckDB default.
    """
    row = con.execute(
        "SELECT datlocprovider, datcollate FROM pg_database WHERE datname = current_database()"
    ).fetchone()
    if row is None:
        return None
    provider, collate = row
    if provider == "c" and collate in BYTE_ORDER_COLLATIONS:
        return None
    kind = "an ICU collation" if provider == "i" else f"the collation {collate!r}"
    return (
        f"the warehouse database uses {kind}: lists in the marts may be ordered differently "
        "from the DuckDB default; create it with TEMPLATE template0 LC_COLLATE 'C.UTF-8' "
        "LC_CTYPE 'C.UTF-8' (see README, Running as a cluster)"
    )


def _open_postgres(url: str, read_only: bool) -> Iterator[PostgresConnection]:
    con = PostgresConnection(url)
    try:
        if url not in _collation_checked:
            _collation_checked.add(url)
            problem = collation_problem(con)
            if problem:
                log.warning("%s", problem)
        if read_only:
            con.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        yield con
    finally:
        con.close()


def _open(path: Path, read_only: bool, wait_seconds: float) -> Iterator[duckdb.DuckDBPyConnection]:
    deadline = time.monotonic() + wait_seconds
    delay = 0.2
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc) or time.monotonic() >= deadline:
                raise
            log.info("Warehouse %s is locked by another process; retrying in %.1fs", path, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
    try:
        apply_settings(con)
        yield con
    finally:
        con.close()
