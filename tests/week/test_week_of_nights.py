"""A week of nights through the real scheduler, with the faults a real week brings.

Airflow as it runs in production on one machine (PostgreSQL for its metadata, Redis, an API
server, scheduler, DAG processor, triggerer and a Celery worker as separate processes) over the
embedded DuckDB warehouse. The
landing zone is generated for the week's last day, then handed over day by day: each night's
files appear just before its run is triggered through the REST API, and the scheduler runs it.
Faults injected on the way:

- night 2: Slack answers 500 to every request for a while (the digests wait in the outbox),
- night 3: a file with a broken row arrives beside the day's social posts,
- nights 3 and 4: the paid ads exports are late; both arrive before night 5,
- night 5: the dbt build task is killed (SIGKILL) while it runs, and Airflow retries it.

Then the landing zone as it stands is judged in one shot (``run-night`` on a fresh
warehouse). The week's marts must equal the one-shot marts: incremental nights, a late file for
earlier days and a killed build leave no trace. Every alert was sent exactly once, whatever
Slack answered, and the late file was reported to ops on the night it was missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import psutil
import psycopg2
import pytest

from marketing_health.demo import logical_date_for
from marketing_health.generate import generate_landing
from marketing_health.local_cluster.airflow import AirflowCluster
from marketing_health.local_cluster.servers import (
    PostgresServer,
    RedisServer,
    postgres_bindir,
    redis_binary,
)
from marketing_health.night import Night, run_night
from marketing_health.settings import Paths
from marketing_health.warehouse import connect
from support.compare_warehouses import TableDiff, _key, normalise, tables_in
from support.slack_stub import SlackStub, conn_env_var

# a long test: its folder starts first so the run does not wait for it at the end
pytestmark = [pytest.mark.integration, pytest.mark.schedule_first]

DAG_ID = "marketing_health"
LAST = date(2026, 11, 20)
WEEK = [LAST - timedelta(days=6 - i) for i in range(7)]
TIMEZONE = "UTC"
OPS_CHANNEL = "#mh-ops-week"
PII_KEY = "week-test-key-not-a-secret"
NIGHT_TIMEOUT_SECONDS = 900.0
#: The paid ads exports of these nights arrive late, just before the night after.
LATE = {WEEK[2], WEEK[3]}
LATE_SOURCE = "paid_ads"
KILLED_TASK = "transform.dbt_build"
ALERTING = """
digest: {repeat_every_nights: 3, escalate_after_nights: 7}
freshness:
  paid_ads: {max_age_days: 1}
"""
#: Models built after the guards from the nights' guard results: a week has seven nights of
#: them, a one-shot rebuild one, so they differ by design.
GUARD_HISTORY_TABLES = frozenset({"marts.fct_guard_states", "marts.fct_campaign_health_daily"})
RUN_SPECIFIC_COLUMNS = frozenset({"run_id", "evaluated_at", "_loaded_at", "loaded_at"})
BROKEN_ROW = (
    "{day},instagram,BROKEN-{day},CMP-0001,image,Broken export row,many,0,0,0,0,"
    "cold_brew_summer_pl_0001,false,false\n"
)


@dataclass
class Week:
    """What the week left behind, collected before every process was stopped."""

    states: dict[str, str] = field(default_factory=dict)  # run_id -> state
    tries: dict[tuple[str, str], int] = field(default_factory=dict)  # (run_id, task) -> try
    killed_pid: int | None = None
    posts: list[tuple[str, str, str | None]] = field(default_factory=list)  # channel, body, ts
    ops_posts_by_night: dict[str, list[str]] = field(default_factory=dict)
    refused: int = 0
    outbox: list[tuple[str, str, str | None]] = field(default_factory=list)  # key, status, ts
    quarantined: int = 0
    diffs: list[TableDiff] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _require(found: bool, what: str) -> None:
    if not found and os.getenv("MH_REQUIRE_SERVERS", "") != "1":
        pytest.skip(f"{what} not installed")


def _hold_back(landing: Path, arrivals: Path) -> None:
    """Keep every day's folder after the first night in ``arrivals`` until its night comes.

    Sources delivered once (the plan, rosters, budgets: one folder on the last day) arrive on
    the first night instead.
    """
    for source in sorted(p for p in landing.iterdir() if p.is_dir()):
        days = sorted(p for p in source.iterdir() if p.is_dir())
        if len(days) == 1 and days[0].name == LAST.isoformat():
            days[0].rename(source / WEEK[0].isoformat())
            continue
        for folder in days:
            if date.fromisoformat(folder.name) > WEEK[0]:
                target = arrivals / source.name / folder.name
                target.parent.mkdir(parents=True, exist_ok=True)
                folder.rename(target)


def _deliver(landing: Path, arrivals: Path, night: date) -> None:
    """The files of ``night`` land; a late source's files wait for the next night."""
    for folder in sorted(arrivals.glob("*/*")):
        day = date.fromisoformat(folder.name)
        late = folder.parent.name == LATE_SOURCE and day in LATE and night in LATE
        if day <= night and not late:
            target = landing / folder.parent.name / folder.name
            target.parent.mkdir(parents=True, exist_ok=True)
            folder.rename(target)
    if night == WEEK[2]:
        broken = landing / "social_posts" / night.isoformat() / "social_posts_resend.csv"
        header = (landing / "social_posts" / night.isoformat() / "social_posts.csv").open(
            encoding="utf-8"
        )
        with header, broken.open("w", encoding="utf-8") as out:
            out.write(header.readline())
            out.write(BROKEN_ROW.format(day=night.isoformat()))


def _trigger(cluster: AirflowCluster, token: str, run_id: str, night: date) -> None:
    cluster.request(
        "POST",
        f"/api/v2/dags/{DAG_ID}/dagRuns",
        {"dag_run_id": run_id, "logical_date": logical_date_for(night, TIMEZONE)},
        token=token,
    )


def _kill_when_running(cur, cluster: AirflowCluster, run_id: str, task_id: str) -> int:
    """SIGKILL the task's process (``airflow worker -- <ti id>``) once it has run a moment."""
    deadline = time.monotonic() + NIGHT_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        cluster.check_alive()
        cur.execute(
            "SELECT id::text, state FROM task_instance WHERE dag_id = %s AND run_id = %s "
            "AND task_id = %s",
            [DAG_ID, run_id, task_id],
        )
        row = cur.fetchone()
        if row and row[1] == "running":
            for proc in psutil.process_iter(["cmdline"]):
                if row[0] in " ".join(proc.info["cmdline"] or []):
                    time.sleep(3)  # into the build, not before it
                    proc.send_signal(signal.SIGKILL)
                    return proc.pid
        time.sleep(0.2)
    pytest.fail(f"{task_id} of {run_id} never ran")


def _wait(cur, cluster: AirflowCluster, run_id: str) -> str:
    deadline = time.monotonic() + NIGHT_TIMEOUT_SECONDS
    while True:
        cluster.check_alive()
        cur.execute("SELECT state FROM dag_run WHERE dag_id = %s AND run_id = %s", [DAG_ID, run_id])
        row = cur.fetchone()
        state = row[0] if row else "unknown"
        if state in ("success", "failed"):
            return state
        if time.monotonic() > deadline:
            pytest.fail(f"{run_id} is still {state} after {NIGHT_TIMEOUT_SECONDS:.0f}s")
        time.sleep(1)


def _failed_logs(cluster: AirflowCluster, cur, run_id: str) -> str:
    cur.execute(
        "SELECT task_id FROM task_instance WHERE dag_id = %s AND run_id = %s AND state = 'failed'",
        [DAG_ID, run_id],
    )
    out = []
    for (task_id,) in cur.fetchall():
        folder = cluster.home / "logs" / f"dag_id={DAG_ID}" / f"run_id={run_id}"
        files = sorted((folder / f"task_id={task_id}").glob("attempt=*.log"))
        text = files[-1].read_text(encoding="utf-8", errors="replace")[-3000:] if files else ""
        out.append(f"--- {task_id}\n{text}")
    return "\n".join(out)


def _rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> Counter:
    select = ", ".join(f'"{c}"' for c in columns)
    rows = con.execute(f"SELECT {select} FROM {table}").fetchall()
    return Counter(_key(tuple(normalise(v) for v in row)) for row in rows)


def _compare(
    once: duckdb.DuckDBPyConnection, nightly: duckdb.DuckDBPyConnection, table: str
) -> TableDiff:
    """``table`` of the one-shot warehouse against the week's (the DuckDB side of the diff)."""
    schema, name = table.split(".", 1)
    query = (
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position"
    )
    a = [r[0] for r in once.execute(query, [schema, name]).fetchall()]
    b = [r[0] for r in nightly.execute(query, [schema, name]).fetchall()]
    diff = TableDiff(
        table=table,
        columns_only_in_duckdb=[c for c in a if c not in b],
        columns_only_in_postgres=[c for c in b if c not in a],
    )
    shared = [c for c in a if c in b and c not in RUN_SPECIFIC_COLUMNS]
    one_shot, week = _rows(once, table, shared), _rows(nightly, table, shared)
    diff.rows_duckdb, diff.rows_postgres = one_shot.total(), week.total()
    diff.only_in_duckdb = sorted((one_shot - week).elements())
    diff.only_in_postgres = sorted((week - one_shot).elements())
    return diff


def _body(post) -> str:
    return json.dumps(post.json if post.json is not None else post.form, sort_keys=True)


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory, server_root: Path) -> Week:
    _require(postgres_bindir() is not None, "PostgreSQL server (apt-get install postgresql)")
    _require(redis_binary() is not None, "Redis server (apt-get install redis-server)")
    root = tmp_path_factory.mktemp("week")
    alerting = root / "alerting.yaml"
    alerting.write_text(ALERTING, encoding="utf-8")
    out = Week()
    started = time.monotonic()
    with ExitStack() as stack:
        slack = stack.enter_context(SlackStub())
        postgres = PostgresServer(server_root / "week-pg")
        stack.callback(postgres.stop)
        postgres.start()
        redis = RedisServer(root / "redis")
        stack.callback(redis.stop)
        redis.start()
        metadata_url = postgres.create_database("airflow")
        paths = Paths.under(root / "data")
        generate_landing(paths.landing_dir, seed=7, end_date=LAST)
        arrivals = root / "arrivals"
        _hold_back(paths.landing_dir, arrivals)
        night_env = {
            "MH_ALERTING_CONFIG": str(alerting),
            conn_env_var("slack_marketing_health"): slack.bot_connection(),
            conn_env_var("slack_marketing_health_ops"): slack.bot_connection(),
            "MH_OPS_SLACK_CHANNEL": OPS_CHANNEL,
            "MH_PII_HASH_KEY": PII_KEY,
            "MH_SCHEDULE_TIMEZONE": TIMEZONE,
        }
        cluster = AirflowCluster(
            root / "cluster",
            paths,
            metadata_url=postgres.url("airflow", driver="postgresql+psycopg2"),
            broker_url=redis.url(),
            workers=1,
            worker_concurrency=2,
            extra_env={
                **night_env,
                # the test triggers each night after its files landed; none starts on its own
                "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
                "MH_TASK_RETRIES": "1",
                "MH_TASK_RETRY_DELAY_SECONDS": "5",
            },
        )
        stack.callback(cluster.stop)
        cluster.migrate()
        cluster.start()
        cluster.wait_for_dag(DAG_ID)
        token = cluster.token()
        cluster.request("PATCH", f"/api/v2/dags/{DAG_ID}", {"is_paused": False}, token=token)
        out.seconds["cluster up"] = time.monotonic() - started
        metadata = psycopg2.connect(metadata_url)
        metadata.autocommit = True
        stack.callback(metadata.close)
        cur = metadata.cursor()
        seen = []  # every request Slack got, night by night
        for number, night in enumerate(WEEK, start=1):
            run_id = f"night_{night.isoformat()}"
            _deliver(paths.landing_dir, arrivals, night)
            before = len(slack.requests)
            if number == 2:
                slack.fail_next(60, status=500)
            _trigger(cluster, token, run_id, night)
            if number == 5:
                out.killed_pid = _kill_when_running(cur, cluster, run_id, KILLED_TASK)
            out.states[run_id] = _wait(cur, cluster, run_id)
            assert out.states[run_id] == "success", _failed_logs(cluster, cur, run_id)
            tonight = slack.requests[before:]
            seen += tonight
            if number == 2:
                slack.clear()  # Slack is back: what it has not answered yet is answered normally
            out.ops_posts_by_night[night.isoformat()] = [
                _body(r) for r in tonight if r.accepted and r.channel == OPS_CHANNEL
            ]
            out.seconds[f"night {number}"] = time.monotonic() - started
        token = cluster.token()
        cur.execute(
            "SELECT run_id, task_id, try_number FROM task_instance WHERE dag_id = %s", [DAG_ID]
        )
        out.tries = {(r, t): n for r, t, n in cur.fetchall()}
        out.posts = [(r.channel or "", _body(r), r.ts) for r in seen if r.accepted]
        out.refused = sum(1 for r in seen if not r.accepted)
        with connect(paths.warehouse, read_only=True) as wh:
            out.outbox = wh.execute("SELECT alert_key, status, ts FROM alerts.outbox").fetchall()
            out.quarantined = wh.execute("SELECT count(*) FROM ops.quarantine").fetchone()[0]
        out.seconds["week"] = time.monotonic() - started

        # the same landing zone, judged in one shot on a warehouse of its own
        one_shot = Paths.under(root / "one_shot")
        shutil.copytree(paths.landing_dir, one_shot.landing_dir)
        with pytest.MonkeyPatch.context() as mp:
            for name, value in night_env.items():
                mp.setenv(name, value)
            mp.setenv("MH_ALERTING_CONFIG", str(root / "no-alerting.yaml"))
            run_night(one_shot, Night.for_date(LAST))
        out.seconds["one shot"] = time.monotonic() - started
        with (
            connect(one_shot.warehouse, read_only=True) as once,
            connect(paths.warehouse, read_only=True) as nightly,
        ):
            out.diffs = [
                _compare(once, nightly, table)
                for table in tables_in(once, ["marts"])
                if table not in GUARD_HISTORY_TABLES
            ]
    Path(os.getenv("MH_TEST_ARTIFACTS", "var/test-artifacts")).mkdir(parents=True, exist_ok=True)
    (Path(os.getenv("MH_TEST_ARTIFACTS", "var/test-artifacts")) / "week_of_nights.json").write_text(
        json.dumps({k: round(v, 1) for k, v in out.seconds.items()}, indent=2), encoding="utf-8"
    )
    return out


def test_every_night_of_the_week_succeeded(week: Week) -> None:
    assert list(week.states.values()) == ["success"] * 7


def test_the_killed_build_was_retried_by_airflow(week: Week) -> None:
    assert week.killed_pid is not None
    assert week.tries[(f"night_{WEEK[4].isoformat()}", KILLED_TASK)] == 2
    killed_night = f"night_{WEEK[4].isoformat()}"
    others = {
        n for (run, task), n in week.tries.items() if task == KILLED_TASK and run != killed_night
    }
    assert others == {1}


def test_the_week_built_the_same_marts_as_one_shot(week: Week) -> None:
    assert week.diffs, "no mart was compared"
    differ = [
        f"{d.table}: {d.rows_duckdb} rows in one shot, {d.rows_postgres} after the week; "
        f"columns only in one: {d.columns_only_in_duckdb + d.columns_only_in_postgres}; "
        f"only in one shot, e.g. {d.only_in_duckdb[:2]}; only after the week, e.g. "
        f"{d.only_in_postgres[:2]}"
        for d in week.diffs
        if not d.equal
    ]
    assert differ == []


def test_every_alert_was_sent_exactly_once(week: Week) -> None:
    assert week.refused, "Slack's outage never reached the pipeline"
    assert week.outbox and {status for _, status, _ in week.outbox} == {"sent"}
    # digests and ops digests all travel through the outbox: one accepted post per row
    assert len(week.posts) == len(week.outbox)
    assert sorted(ts or "" for _, _, ts in week.posts) == sorted(
        ts or "" for _, _, ts in week.outbox
    )
    repeated = [m for m, n in Counter((c, b) for c, b, _ in week.posts).items() if n > 1]
    assert repeated == []


def test_the_broken_row_was_quarantined_not_loaded(week: Week) -> None:
    assert week.quarantined >= 1


def test_ops_heard_of_the_late_file_on_the_night_it_was_missing(week: Week) -> None:
    told = "\n".join(week.ops_posts_by_night[WEEK[3].isoformat()])
    assert LATE_SOURCE in told or re.search(r"paid", told), told[-2000:]
    assert not any(LATE_SOURCE in p for p in week.ops_posts_by_night[WEEK[5].isoformat()])
