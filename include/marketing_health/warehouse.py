"""Connections to the DuckDB warehouse.

DuckDB lets one process write a database file at a time. The pipeline keeps every write in a
single task at a time (ingest stages files in parallel without touching the warehouse, then one
task publishes them), and every connection is opened through :func:`connect`, which waits for a
lock held by another process (an analyst's notebook, a UI page) instead of failing the task.

Waiting on DuckDB's own lock alone leaves a race: a process that checked the file was free can
lose it to another before it opens it (dbt opens the file itself, a moment later). So our
processes first take an advisory lock on ``<warehouse>.lock`` (:func:`hold`): exclusive to
write, shared to read, held for the whole session, and waited for in turn. Other programs
(a notebook) only meet DuckDB's lock, which :func:`connect` still waits out.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 600.0

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


_held = threading.local()
_process_holds: dict[str, tuple[int, int, bool]] = {}
_process_lock = threading.RLock()


def lock_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + ".lock")


@contextmanager
def hold(
    path: Path, *, exclusive: bool = True, wait_seconds: float = LOCK_WAIT_SECONDS
) -> Iterator[None]:
    """Take this process's turn at the warehouse: exclusive to write, shared to read.

    Re-entrant within a process (a session opened inside another reuses its lock), so only
    other processes wait. Raises TimeoutError after ``wait_seconds``.
    """
    key = str(Path(path).resolve())
    with _process_lock:
        held = _process_holds.get(key)
        if held is not None and (held[2] or not exclusive):
            _process_holds[key] = (held[0], held[1] + 1, held[2])
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _process_lock:
                fd, count, excl = _process_holds[key]
                _process_holds[key] = (fd, count - 1, excl)
        return
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
                    log.info("Warehouse %s is in use by another run; waiting", path)
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
        with _process_lock:
            _process_holds[key] = (fd, 1, exclusive)
        try:
            yield
        finally:
            with _process_lock:
                _process_holds.pop(key, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set lock" in text)


@contextmanager
def connect(
    path: Path, *, read_only: bool = False, wait_seconds: float = LOCK_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse, waiting with backoff while another process holds the file lock."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    with hold(path, exclusive=not read_only, wait_seconds=wait_seconds):
        yield from _open(path, read_only, wait_seconds)


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
