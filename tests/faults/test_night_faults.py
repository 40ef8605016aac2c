"""Faults in the middle of a night, and the night after them.

Every test starts from the same place: last night (2026-11-19) ran completely, and tonight's
delivery (the landing folders of 2026-11-20) has arrived. Tonight then breaks half-way:

* the process running the night is killed (SIGKILL) while the guards have judged part of the
  night (Great Expectations has written some of its validation results);
* the process is killed while dbt is half-way through the marts;
* Slack closes the connection mid-request;
* the disk under the warehouse fills up while publish writes tonight's sources.

After each: last night's marts, guard results and health report are still readable, the re-run
completes, and the warehouse and the Slack channel end up as after a clean run of tonight:
nothing counted twice, nothing sent twice.

Kills are real (``marketing-health run-night`` in its own process, killed when its files on
disk show it reached the point); the Slack stand-in is a real HTTP server; the full disk is a
real tmpfs mounted under the warehouse (root only: skipped otherwise, unless
``MH_REQUIRE_SERVERS`` is set, when it fails).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from marketing_health.catalogue.model import load_catalogue
from marketing_health.contract import load_contract
from marketing_health.generate import generate_landing
from marketing_health.ingest import publish, stage_source
from marketing_health.night import Night, run_night
from marketing_health.settings import Paths
from marketing_health.warehouse import connect
from support.compare_warehouses import normalise
from support.slack_stub import SlackStub, conn_env_var

# a long test: its folder starts first so the run does not wait for it at the end
pytestmark = [pytest.mark.integration, pytest.mark.schedule_first]

KEY = "fault-test-key-0123456789"
LAST_NIGHT = "2026-11-19"
TONIGHT = "2026-11-20"
SLACK_CONN = "slack_marketing_health"
#: Columns that say when or by which run a row was written, not what it says.
_WHEN = re.compile(r"(_at|_ts|^run_id|^loaded_by_run|^_run_id|^_loaded_by)$")


# -- what a warehouse holds --------------------------------------------------------------------
def _tables(con: Any, schema: str) -> list[str]:
    return [
        t
        for (t,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by 1",
            [schema],
        ).fetchall()
    ]


def _content(con: Any, schema: str, table: str) -> Counter:
    """The table's rows as a multiset, without the columns that only say when they were made."""
    columns = [
        c
        for (c, kind) in con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
        if not _WHEN.search(c) and not kind.startswith("TIMESTAMP")
    ]
    select = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f'select {select} from "{schema}"."{table}"').fetchall()
    return Counter(tuple(normalise(v) for v in row) for row in rows)


@dataclass(frozen=True)
class Held:
    """What a night left: raw row counts, the marts' rows, guard results by night."""

    raw: dict[str, int]
    marts: dict[str, Counter]
    guards: dict[str, Counter]
    loaded_files: int


def _held(paths: Paths) -> Held:
    with connect(paths.warehouse, read_only=True) as con:
        raw = {
            t: con.execute(f'select count(*) from raw."{t}"').fetchone()[0]
            for t in _tables(con, "raw")
        }
        marts = {t: _content(con, "marts", t) for t in _tables(con, "marts")}
        guards: dict[str, Counter] = {}
        for night, guard, campaign, outcome, observed, threshold, severity, summary in con.execute(
            "select run_date::varchar, guard_id, campaign_id, outcome, observed_value, "
            "threshold, severity, summary from guards.guard_results"
        ).fetchall():
            row = (guard, campaign, outcome, normalise(observed), normalise(threshold))
            guards.setdefault(night, Counter())[(*row, severity, summary)] += 1
        loaded = con.execute(
            "select count(*) from ops.load_ledger where status = 'loaded'"
        ).fetchone()[0]
    return Held(raw, marts, guards, loaded)


def _report(paths: Paths, night: str) -> bytes:
    return (paths.run_dir(night) / "health_report.html").read_bytes()


def _assert_same(found: Held, expected: Held) -> None:
    """The warehouse after a fault and its re-run equals the one a clean night left."""
    assert found.raw == expected.raw, "raw rows differ from a clean night (counted twice?)"
    assert found.loaded_files == expected.loaded_files
    assert set(found.marts) == set(expected.marts)
    for table, rows in expected.marts.items():
        extra, missing = found.marts[table] - rows, rows - found.marts[table]
        assert not extra and not missing, (
            f"marts.{table}: {sum(extra.values())} row(s) more, {sum(missing.values())} fewer "
            f"than after a clean night, e.g. {list(extra or missing)[:2]}"
        )
    assert found.guards == expected.guards


# -- the nights ----------------------------------------------------------------------------------
#: Open failures are repeated every night, so tonight has messages for Slack too.
POLICY = "digest:\n  repeat_every_nights: 1\n"


def _env(root: Path, slack: SlackStub | None) -> dict[str, str]:
    policy = root / "alerting.yaml"
    if not policy.exists():
        policy.write_text(POLICY, encoding="utf-8")
    env = {"MH_PII_HASH_KEY": KEY, "MH_ALERTING_CONFIG": str(policy)}
    if slack is not None:
        env[conn_env_var(SLACK_CONN)] = slack.bot_connection()
    return env


_UNSET = ("MH_SLACK_CONN_ID", "MH_SLACK_OPS_CONN_ID", "AIRFLOW__API__BASE_URL", "MH_WAREHOUSE_URL")


@contextmanager
def _night_env(root: Path, slack: SlackStub | None) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as env:
        for name, value in _env(root, slack).items():
            env.setenv(name, value)
        for name in _UNSET:
            env.delenv(name, raising=False)
        yield


def _said(slack: SlackStub) -> Counter:
    """What the channels show: (channel, text, a reply or not) of every message Slack took."""
    said: Counter = Counter()
    for post in slack.posts():
        body = post.json if isinstance(post.json, dict) else post.form or {}
        said[(post.channel, str(body.get("text")), post.thread_ts is not None)] += 1
    return said


@dataclass(frozen=True)
class LastNight:
    """Last night's complete run (and tonight's delivery, held back) under ``root``."""

    root: Path
    held: Held
    report: bytes


@dataclass(frozen=True)
class CleanTonight:
    """Tonight run without a fault: what every faulted night must end up as."""

    held: Held
    said: Counter


@pytest.fixture(scope="module")
def slack() -> Iterator[SlackStub]:
    """One Slack for every night: tonight's news replies in the threads of last night's
    messages. Each test clears what it was sent before its night."""
    with SlackStub() as stub:
        yield stub


@pytest.fixture(scope="module")
def last_night(tmp_path_factory: pytest.TempPathFactory, slack: SlackStub) -> LastNight:
    root = tmp_path_factory.mktemp("night_faults")
    paths = Paths.under(root / "data")
    paths.data_dir.mkdir(parents=True)
    generate_landing(paths.landing_dir, seed=7, end_date=date.fromisoformat(TONIGHT), days=28)
    for folder in sorted(paths.landing_dir.glob(f"*/{TONIGHT}")):
        held_back = root / "tonight" / folder.parent.name / TONIGHT
        held_back.parent.mkdir(parents=True, exist_ok=True)
        if [folder] == list(folder.parent.iterdir()):
            # a snapshot the generator writes once: last night had its delivery too
            shutil.copytree(folder, folder.parent / LAST_NIGHT)
        shutil.move(folder, held_back)
    assert (root / "tonight").is_dir(), "the generated landing zone has no folder for tonight"
    with _night_env(root, slack):
        run_night(paths, Night.for_date(LAST_NIGHT))
    return LastNight(root, _held(paths), _report(paths, LAST_NIGHT))


def _tonight(last_night: LastNight, root: Path) -> Paths:
    """A copy of last night's data folder with tonight's delivery landed."""
    shutil.copytree(last_night.root / "data", root / "data")
    paths = Paths.under(root / "data")
    shutil.copytree(last_night.root / "tonight", paths.landing_dir, dirs_exist_ok=True)
    return paths


@pytest.fixture(scope="module")
def clean(
    last_night: LastNight, tmp_path_factory: pytest.TempPathFactory, slack: SlackStub
) -> CleanTonight:
    root = tmp_path_factory.mktemp("clean_tonight")
    paths = _tonight(last_night, root)
    slack.clear()
    with _night_env(root, slack):
        run_night(paths, Night.for_date(TONIGHT))
    said = _said(slack)
    assert said, "a clean night sent nothing to Slack: nothing to compare with"
    return CleanTonight(_held(paths), said)


def _assert_last_night_readable(paths: Paths, last_night: LastNight) -> Held:
    """Last night's guard results and report as they were; every mart still reads."""
    held = _held(paths)
    assert held.guards[LAST_NIGHT] == last_night.held.guards[LAST_NIGHT]
    assert set(held.marts) == set(last_night.held.marts)
    assert _report(paths, LAST_NIGHT) == last_night.report
    return held


def _rerun(paths: Paths, root: Path, slack: SlackStub) -> dict[str, Any]:
    with _night_env(root, slack):
        return run_night(paths, Night.for_date(TONIGHT))


# -- a real process, killed ------------------------------------------------------------------
def _start_night(paths: Paths, root: Path, slack: SlackStub, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    env.update(_env(root, slack), MH_DATA_DIR=str(paths.data_dir))
    cli = str(Path(sys.executable).with_name("marketing-health"))
    with log.open("w", encoding="utf-8") as out:  # a file, not a pipe nobody reads
        return subprocess.Popen(
            [cli, "run-night", "--as-of", TONIGHT], env=env, stdout=out, stderr=out
        )


def _kill_when(proc: subprocess.Popen, reached: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        if reached():
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait(timeout=60)
    tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-30:])
    assert proc.returncode == -signal.SIGKILL, f"the night ended before {what}:\n{tail}"


def test_the_guard_stage_killed_half_way_through_the_night(
    last_night, clean, slack, tmp_path
) -> None:
    paths = _tonight(last_night, tmp_path)
    slack.clear()
    validations = paths.run_dir(TONIGHT) / "gx" / "uncommitted" / "validations"
    guarded = len(load_catalogue().guarded)

    def judged() -> int:
        return sum(1 for _ in validations.rglob("*.json")) if validations.is_dir() else 0

    log = tmp_path / "killed.log"
    proc = _start_night(paths, tmp_path, slack, log)
    _kill_when(proc, lambda: judged() >= 2, "the guards had judged part of it", log)
    assert 2 <= judged() < guarded, f"killed after {judged()} of {guarded} guards"
    held = _assert_last_night_readable(paths, last_night)
    assert TONIGHT not in held.guards, "part of tonight's guard results were written"
    assert not slack.posts(), "something was sent before the guards had finished"

    _rerun(paths, tmp_path, slack)
    _assert_same(_held(paths), clean.held)
    assert _said(slack) == clean.said
    assert (paths.run_dir(TONIGHT) / "health_report.html").is_file()


_MART_BUILT = re.compile(r"OK created \w+ \w+ model marts\.")


def test_dbt_killed_half_way_through_the_marts(last_night, clean, slack, tmp_path) -> None:
    paths = _tonight(last_night, tmp_path)
    slack.clear()
    dbt_log = paths.data_dir / "dbt" / "logs" / "dbt.log"
    start = dbt_log.stat().st_size if dbt_log.exists() else 0
    marts = len(last_night.held.marts)

    def built() -> int:
        if not dbt_log.exists():
            return 0
        with dbt_log.open("rb") as log:
            log.seek(start)
            return len(_MART_BUILT.findall(log.read().decode("utf-8", "replace")))

    log = tmp_path / "killed.log"
    proc = _start_night(paths, tmp_path, slack, log)
    _kill_when(proc, lambda: built() >= 3, "dbt had built some of the marts", log)
    assert 3 <= built() < marts, f"killed after {built()} of {marts} marts"
    held = _assert_last_night_readable(paths, last_night)
    assert TONIGHT not in held.guards
    assert not slack.posts()

    _rerun(paths, tmp_path, slack)
    _assert_same(_held(paths), clean.held)
    assert _said(slack) == clean.said


# -- Slack hangs up ----------------------------------------------------------------------------
def test_slack_closing_the_connection_mid_request(last_night, clean, slack, tmp_path) -> None:
    paths = _tonight(last_night, tmp_path)
    slack.clear()
    # the first message and its one quick retry are cut off; the others go through
    slack.close_next(2)
    night = _rerun(paths, tmp_path, slack)
    closed = [r for r in slack.requests if r.status == 0]
    assert len(closed) == 2 and closed[0].body == closed[1].body
    delivered = night["deliver"]
    assert delivered["pending"] >= 1, delivered
    reasons = " ".join(str(d) for d in delivered["deliveries"])
    assert "closed connection" in reasons.lower() or "Remote end closed" in reasons, reasons
    assert sum(_said(slack).values()) == sum(clean.said.values()) - 1
    _assert_last_night_readable(paths, last_night)

    _rerun(paths, tmp_path, slack)
    _assert_same(_held(paths), clean.held)
    assert _said(slack) == clean.said, "a message went missing or was sent twice"


# -- the disk fills up ---------------------------------------------------------------------------
def _need_root() -> None:
    if os.geteuid() == 0:
        return
    reason = "mounting a small tmpfs under the warehouse needs root"
    if os.getenv("MH_REQUIRE_SERVERS"):
        pytest.fail(f"{reason}, and MH_REQUIRE_SERVERS is set")
    pytest.skip(reason)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[Path, int], None]]:
    """Mounts a tmpfs of a given size on a folder, keeping what the folder held; unmounted
    at the end."""
    _need_root()
    mounted: list[Path] = []

    def mount(folder: Path, size: int) -> None:
        aside = tmp_path / f"aside_{len(mounted)}"
        shutil.move(folder, aside)
        folder.mkdir()
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True
        )
        mounted.append(folder)
        for item in aside.iterdir():
            shutil.copy2(item, folder / item.name)

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _grow(folder: Path, size: int) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], check=True)


def test_the_disk_filling_up_during_publish(last_night, clean, slack, tmp_path, small_disk) -> None:
    paths = _tonight(last_night, tmp_path)
    slack.clear()
    folder = paths.warehouse.parent
    used = sum(f.stat().st_size for f in folder.iterdir())
    small_disk(folder, used + 128 * 1024)
    night = Night.for_date(TONIGHT)
    with _night_env(tmp_path, None):
        for source in load_contract():
            stage_source(source.name, paths, night.run_key, KEY)
        with pytest.raises(OSError, match="no space left on device while publishing") as failed:
            publish(paths, night.run_key)
    message = str(failed.value)
    assert str(paths.warehouse) in message and "run the night again" in message, message
    # every file is either wholly in (and in the ledger) or not at all
    held = _assert_last_night_readable(paths, last_night)
    with connect(paths.warehouse, read_only=True) as con:
        ledger = dict(
            con.execute(
                "select file_path, rows_loaded from ops.load_ledger where status = 'loaded'"
            ).fetchall()
        )
        for source in load_contract():
            rows = con.execute(
                f"select _file_path, count(*) from raw.{source.name} group by 1"
            ).fetchall()
            for file_path, n in rows:
                assert ledger.get(file_path) == n, f"{file_path}: {n} rows, ledger says otherwise"
    assert held.raw != clean.held.raw, "publish wrote all of tonight although the disk was full"

    _grow(folder, used + 512 * 1024 * 1024)  # someone frees space
    with _night_env(tmp_path, slack):
        publish(paths, night.run_key)  # the publish task's retry
    _rerun(paths, tmp_path, slack)
    _assert_same(_held(paths), clean.held)
    assert _said(slack) == clean.said


def test_the_disk_filling_up_while_run_night_writes(last_night, tmp_path, small_disk) -> None:
    """run-night writes the sources straight into the warehouse, in parallel: a full disk
    stops it with the same message, and last night stays as it was."""
    paths = _tonight(last_night, tmp_path)
    folder = paths.warehouse.parent
    used = sum(f.stat().st_size for f in folder.iterdir())
    small_disk(folder, used + 128 * 1024)
    expected = "no space left on device while publishing"
    with _night_env(tmp_path, None), pytest.raises(OSError, match=expected) as failed:
        run_night(paths, Night.for_date(TONIGHT))
    assert "run the night again" in str(failed.value)
    _assert_last_night_readable(paths, last_night)
