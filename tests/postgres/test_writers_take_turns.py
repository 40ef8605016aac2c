"""On a PostgreSQL warehouse, writers in different processes take turns through the server's
advisory lock, as they do through the lock file beside a DuckDB warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from marketing_health.settings import Paths
from marketing_health.warehouse import connect

HOLDER = """
import sys, time
from pathlib import Path
from marketing_health.settings import Paths
from marketing_health.warehouse import connect
with connect(Paths.under(Path(sys.argv[1]), sys.argv[2])) as con:
    con.execute("create table if not exists turns (who text)")
    con.execute("insert into turns values ('first')")
    print("holding", flush=True)
    time.sleep(float(sys.argv[3]))
"""


def _hold_in_another_process(paths: Paths, seconds: float) -> subprocess.Popen:
    assert paths.warehouse_url is not None
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(paths.data_dir), paths.warehouse_url, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_a_second_writer_waits_for_the_first_then_writes(tmp_path, warehouse_url):
    paths = Paths.under(tmp_path, warehouse_url)
    first = _hold_in_another_process(paths, 3.0)
    started = time.monotonic()
    with connect(paths) as con:
        waited = time.monotonic() - started
        con.execute("insert into turns values ('second')")
        order = [r[0] for r in con.execute("select who from turns").fetchall()]
    assert first.wait(timeout=30) == 0
    assert waited >= 1.5
    assert order == ["first", "second"]


def test_a_writer_that_waits_too_long_names_the_warehouse_without_its_password(
    tmp_path, warehouse_url
):
    paths = Paths.under(tmp_path, warehouse_url)
    first = _hold_in_another_process(paths, 5.0)
    try:
        with pytest.raises(TimeoutError) as waited, connect(paths, wait_seconds=0.5):
            pass
    finally:
        first.wait(timeout=30)
    message = str(waited.value)
    assert "busy" in message and urlsplit(warehouse_url).hostname in message
    assert urlsplit(warehouse_url).password not in message
