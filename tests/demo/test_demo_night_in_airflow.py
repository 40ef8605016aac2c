"""The demo's night as Airflow records it, and the local UI that shows it afterwards.

The night runs as the demo runs it (:func:`marketing_health.demo.run_night_in_airflow`: Airflow's
own API server, scheduler and DAG processor on SQLite, the run triggered through the REST API)
over a generated landing zone, hashed with the key file the demo creates. Then
``marketing-health airflow standalone`` is started as a user starts it, and the checks are what
a user sees: the run's real start and end in the metadata database, every task's log through
the API server's log endpoint (what the UI shows), nothing listening beyond 127.0.0.1, and
nothing left running after SIGTERM.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

import psutil
import pytest

from marketing_health.airflow_env import airflow_environ
from marketing_health.demo import (
    DAG_ID,
    demo_run_id,
    ensure_pii_key,
    logical_date_for,
    run_night_in_airflow,
)
from marketing_health.generate import generate_landing
from marketing_health.local_cluster.embedded import EmbeddedAirflow
from marketing_health.local_cluster.servers import free_port
from marketing_health.settings import Paths

pytestmark = pytest.mark.integration

AS_OF = date(2026, 11, 20)
TIMEZONE = "UTC"


def _parse(value: str | None) -> datetime:
    assert value, "no date recorded"
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_night(tmp_path_factory: pytest.TempPathFactory):
    mp = pytest.MonkeyPatch()
    for name in list(os.environ):
        if name.startswith(("AIRFLOW_CONN_", "AIRFLOW__", "MH_")) or name == "AIRFLOW_HOME":
            mp.delenv(name)
    mp.setenv("MH_TASK_RETRIES", "0")
    paths = Paths.under(tmp_path_factory.mktemp("demo") / "data")
    # what the demo does first: its own hashing key (no MH_PII_HASH_KEY anywhere)
    ensure_pii_key(paths)
    generate_landing(paths.landing_dir, seed=7, end_date=AS_OF, days=28)
    airflow = EmbeddedAirflow(paths, triggerer=False, schedule=False)
    lines: list[str] = []
    began = datetime.now(UTC)
    result = run_night_in_airflow(airflow, AS_OF, TIMEZONE, out=lines.append)
    ended = datetime.now(UTC)
    yield {
        "paths": paths,
        "airflow": airflow,
        "result": result,
        "lines": lines,
        "began": began,
        "ended": ended,
    }
    mp.undo()


def _metadata(paths: Paths, sql: str, params: tuple = ()) -> list[tuple]:
    home = Path(airflow_environ(paths)["AIRFLOW_HOME"])
    with sqlite3.connect(home / "airflow.db") as con:
        return con.execute(sql, params).fetchall()


def test_the_night_succeeds_and_every_task_is_shown_as_it_finishes(demo_night) -> None:
    result, lines = demo_night["result"], demo_night["lines"]
    assert result is not None, "\n".join(lines)
    assert result.state == "success", (result, "\n".join(lines))
    tasks = _metadata(
        demo_night["paths"],
        "select task_id, state from task_instance where dag_id = ? and run_id = ?",
        (DAG_ID, demo_run_id(AS_OF)),
    )
    assert len(tasks) > 20 and {s for _, s in tasks} == {"success"}
    progress = [line for line in lines if line.startswith("   [")]
    assert len(progress) == len(tasks)
    assert {line.split()[-1] for line in progress} == {t for t, _ in tasks}
    assert progress[-1].startswith(f"   [{len(tasks)}/{len(tasks)}]")
    assert any("ready" in line for line in lines)


def test_airflow_records_the_real_start_and_end_of_the_run(demo_night) -> None:
    ((start, end, logical, state, run_type),) = _metadata(
        demo_night["paths"],
        "select start_date, end_date, logical_date, state, run_type from dag_run "
        "where dag_id = ? and run_id = ?",
        (DAG_ID, demo_run_id(AS_OF)),
    )
    began, ended = demo_night["began"], demo_night["ended"]
    assert state == "success" and run_type == "manual"
    assert began <= _parse(start) <= _parse(end) <= ended
    # the logical date stays the nightly 02:00 run that judges the day
    assert _parse(logical) == datetime.fromisoformat(logical_date_for(AS_OF, TIMEZONE))
    assert (_parse(end) - _parse(start)).total_seconds() < (ended - began).total_seconds()


def test_the_demo_key_file_hashed_the_personal_data(demo_night) -> None:
    """No MH_PII_HASH_KEY anywhere: the tasks found the key file the demo wrote."""
    paths = demo_night["paths"]
    assert paths.pii_key_file.is_file()
    from marketing_health.warehouse import connect

    with connect(paths, read_only=True) as con:
        loaded = con.execute(
            "select count(*) from ops.load_ledger where source = 'email_recipients' "
            "and status in ('loaded', 'replaced')"
        ).fetchone()[0]
    assert loaded > 0


def _listening(pids: set[int]) -> list[tuple[str, int]]:
    found = []
    for conn in psutil.net_connections(kind="inet"):
        if conn.status == psutil.CONN_LISTEN and conn.pid in pids:
            found.append((conn.laddr.ip, conn.laddr.port))
    return found


def _tree(pid: int) -> set[int]:
    try:
        root = psutil.Process(pid)
        return {pid} | {p.pid for p in root.children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        try:
            with urllib.request.urlopen(f"{url}/api/v2/monitor/health", timeout=5) as r:
                health = json.loads(r.read())
            if all(
                (health.get(k) or {}).get("status") == "healthy"
                for k in ("scheduler", "dag_processor", "triggerer")
            ):
                return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(1)
    raise AssertionError("standalone did not get healthy in time")


def test_standalone_shows_every_task_log_listens_on_loopback_and_stops_whole(
    demo_night,
) -> None:
    paths = demo_night["paths"]
    port = free_port()
    env = {**os.environ, "MH_DATA_DIR": str(paths.data_dir)}
    standalone = subprocess.Popen(
        [sys.executable, "-m", "marketing_health", "airflow", "standalone", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, standalone)
        children = _tree(standalone.pid) - {standalone.pid}
        assert len(children) >= 4  # API server, scheduler, DAG processor, triggerer
        listening = _listening(_tree(standalone.pid))
        assert (("127.0.0.1", port)) in listening
        assert all(ip == "127.0.0.1" for ip, _ in listening), listening

        # every task's log, through the API server as the UI reads it
        api = EmbeddedAirflow(paths, port=port)
        tasks = _metadata(
            paths,
            "select task_id, try_number from task_instance where dag_id = ? and run_id = ?",
            (DAG_ID, demo_run_id(AS_OF)),
        )
        assert tasks
        for task_id, try_number in tasks:
            text = api.task_log(DAG_ID, demo_run_id(AS_OF), task_id, try_number)
            lowered = text.lower()
            assert "log file not found" not in lowered and "could not read" not in lowered, (
                task_id,
                text[:500],
            )
            assert "DAG bundles loaded" in text, (task_id, text[:500])
            assert len(text) > 200, (task_id, text)
        delivered = api.task_log(DAG_ID, demo_run_id(AS_OF), "alert.deliver_digests")
        assert "Slack digests:" in delivered

        standalone.send_signal(signal.SIGTERM)
        out, _ = standalone.communicate(timeout=90)
        assert standalone.returncode == 0, out
        assert "Stopping every Airflow component" in out
        left = [pid for pid in children if _running(pid)]
        assert not left, f"still running after SIGTERM: {left}"
    finally:
        if standalone.poll() is None:
            for pid in _tree(standalone.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
