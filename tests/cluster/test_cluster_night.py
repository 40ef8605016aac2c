"""The nightly DAG on a cluster: Celery workers, PostgreSQL metadata and warehouse, Redis broker.

The topology of ``docker-compose.yml`` is brought up from Debian's packages on loopback: a
PostgreSQL server (Airflow's metadata and the warehouse, two databases), a Redis server, and
Airflow's API server, scheduler, DAG processor, triggerer and two Celery workers as separate
processes, each logging to its own file. One night is triggered through the REST API; meanwhile
the embedded mode (DuckDB file, Airflow on SQLite, ``airflow dags test``) judges the same landing
zone and day. The cluster night must succeed with its tasks spread over both workers and give
the same marts, guard results and Slack messages as the embedded night. Everything is stopped
before the assertions run, which also check that no process started here outlives the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import psutil
import psycopg2
import pytest

from marketing_health.airflow_env import (
    WORKER_NAME_ENV,
    dag_run_states,
    run_airflow,
    worker_hostname,
)
from marketing_health.demo import logical_date_for
from marketing_health.generate import generate_landing
from marketing_health.local_cluster.airflow import AirflowCluster
from marketing_health.local_cluster.servers import (
    PostgresServer,
    RedisServer,
    postgres_bindir,
    redis_binary,
)
from marketing_health.settings import Paths
from support.compare_warehouses import TableDiff, compare_warehouses
from support.slack_stub import DEFAULT_BOT_TOKEN, SlackStub, conn_env_var

pytestmark = pytest.mark.integration

DAG_ID = "marketing_health"
AS_OF = date(2026, 11, 20)
TIMEZONE = "UTC"
OPS_CHANNEL = "#mh-ops-cluster"
RUN_ID = "cluster_night"
NIGHT_TIMEOUT_SECONDS = 900.0
PII_KEY = "cluster-test-key-not-a-secret"
#: The embedded night's Airflow address (only ever written into links, never opened).
EMBEDDED_URL = "http://airflow.embedded.test:8080"
#: Columns that name the run or the moment it ran, not what it found.
RUN_SPECIFIC_COLUMNS = frozenset({"run_id", "evaluated_at"})
COMPARED_SCHEMAS = ["marts", "guards"]
#: PR items arrive every few days: watched daily, they are late on the night judged, so the ops
#: digest (with its link to the Airflow run) is part of what both nights must send alike.
ALERTING = """
digest: {repeat_every_nights: 3, escalate_after_nights: 7}
freshness:
  paid_ads: {max_age_days: 1}
  pr_items: {max_age_days: 1}
"""


@dataclass
class Outcome:
    """What both nights left behind, collected before every process was stopped."""

    cluster_state: str = ""
    embedded_state: str = ""
    tasks: list[tuple[str, str, str]] = field(default_factory=list)  # task_id, state, hostname
    task_seconds: dict[str, float] = field(default_factory=dict)
    runs: list[str] = field(default_factory=list)  # every run of the DAG in the metadata
    diffs: list[TableDiff] = field(default_factory=list)
    embedded_posts: list[tuple[str, str]] = field(default_factory=list)
    cluster_posts: list[tuple[str, str]] = field(default_factory=list)
    started_pids: set[int] = field(default_factory=set)
    logs: list[Path] = field(default_factory=list)  # every component's and task's log
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    seconds: dict[str, float] = field(default_factory=dict)


def _require(found: bool, what: str) -> None:
    if not found and os.getenv("MH_REQUIRE_SERVERS", "") != "1":
        pytest.skip(f"{what} not installed")


def _night_env(slack: SlackStub, alerting: Path) -> dict[str, str]:
    """Settings both nights share: same hashing key, same Slack stand-in shape, no retries."""
    return {
        "MH_ALERTING_CONFIG": str(alerting),
        conn_env_var("slack_marketing_health"): slack.bot_connection(),
        conn_env_var("slack_marketing_health_ops"): slack.bot_connection(),
        "MH_OPS_SLACK_CHANNEL": OPS_CHANNEL,
        "MH_PII_HASH_KEY": PII_KEY,
        "MH_TASK_RETRIES": "0",
        "MH_SCHEDULE_TIMEZONE": TIMEZONE,
    }


def _normalised_posts(slack: SlackStub, airflow_url: str) -> list[tuple[str, str]]:
    """Channel and body of every accepted message; only the links to the run itself differ."""
    posts = []
    for post in slack.posts():
        body = json.dumps(post.json, sort_keys=True, ensure_ascii=False)
        body = body.replace(airflow_url, "<airflow>")
        body = re.sub(r"(/dags/[^/\s|>\"]+/runs/)[^/\s|>\"]+", r"\1<run>", body)
        posts.append((post.channel or "", body))
    return sorted(posts)


class EmbeddedNight(threading.Thread):
    """The embedded mode's night (``airflow dags test`` on SQLite, DuckDB warehouse)."""

    def __init__(self, root: Path, landing: Path, env: dict[str, str]) -> None:
        super().__init__(name="embedded-night", daemon=True)
        self.paths = Paths.under(root / "data")
        shutil.copytree(landing, self.paths.landing_dir)
        self.env = {"AIRFLOW_HOME": str(root / "airflow"), **env}
        self.log = root / "dags_test.log"
        self.state = ""
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            run_airflow(["db", "migrate"], self.paths, extra_env=self.env, capture=True)
            done = run_airflow(
                ["dags", "test", DAG_ID, logical_date_for(AS_OF, TIMEZONE)],
                self.paths,
                extra_env=self.env,
                capture=True,
                check=False,
            )
            self.log.write_text(done.stdout + done.stderr, encoding="utf-8")
            states = dag_run_states(DAG_ID, self.paths, extra_env=self.env)
            self.state = next(iter(states.values()), "no run")
        except BaseException as exc:
            self.error = exc


def _task_log(cluster: AirflowCluster, task_id: str) -> str:
    folder = cluster.home / "logs" / f"dag_id={DAG_ID}" / f"run_id={RUN_ID}" / f"task_id={task_id}"
    files = sorted(folder.glob("attempt=*.log"))
    return files[-1].read_text(encoding="utf-8", errors="replace")[-4000:] if files else "(no log)"


def _wait_for_night(cluster: AirflowCluster, metadata_url: str) -> str:
    """Poll the run's state in the metadata database; a failure shows the failed tasks' logs."""
    deadline = time.monotonic() + NIGHT_TIMEOUT_SECONDS
    metadata = psycopg2.connect(metadata_url)
    metadata.autocommit = True
    try:
        cur = metadata.cursor()
        while True:
            cluster.check_alive()
            cur.execute(
                "SELECT state FROM dag_run WHERE dag_id = %s AND run_id = %s", [DAG_ID, RUN_ID]
            )
            state = cur.fetchone()[0]
            if state in ("success", "failed"):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the cluster night is still {state} after {NIGHT_TIMEOUT_SECONDS}s")
            time.sleep(1)
        if state == "failed":
            cur.execute(
                "SELECT task_id FROM task_instance WHERE dag_id = %s AND run_id = %s "
                "AND state = 'failed'",
                [DAG_ID, RUN_ID],
            )
            failed = [r[0] for r in cur.fetchall()]
            logs = "\n".join(f"--- {t}\n{_task_log(cluster, t)}" for t in failed)
            pytest.fail(f"the cluster night failed in {failed}\n{logs}")
    finally:
        metadata.close()
    return state


def _process_tree(pid: int | None) -> set[int]:
    if pid is None:
        return set()
    try:
        return {pid} | {p.pid for p in psutil.Process(pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def _postmaster_pid(server: PostgresServer) -> int | None:
    pidfile = server.data_dir / "postmaster.pid"
    return int(pidfile.read_text().split()[0]) if pidfile.exists() else None


def alive(pids: set[int]) -> list[int]:
    """Pids still running (a reaped-late zombie has ended and does not count)."""
    running = []
    for pid in sorted(pids):
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                running.append(pid)
        except psutil.NoSuchProcess:
            continue
    return running


def _expected_host(worker: str) -> str:
    """The host name a worker records, from the project's own ``hostname_callable``."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(WORKER_NAME_ENV, worker)
        return worker_hostname()


def _trigger(cluster: AirflowCluster) -> None:
    """Unpause and trigger the night through the REST API, as an operator or a script would."""
    token = cluster.token()
    cluster.request("PATCH", f"/api/v2/dags/{DAG_ID}", {"is_paused": False}, token=token)
    cluster.request(
        "POST",
        f"/api/v2/dags/{DAG_ID}/dagRuns",
        {"dag_run_id": RUN_ID, "logical_date": logical_date_for(AS_OF, TIMEZONE)},
        token=token,
    )


def _tasks(metadata_url: str, out: Outcome) -> None:
    """Each task's state, the host Airflow recorded for it and how long it ran; the runs."""
    con = psycopg2.connect(metadata_url)
    try:
        with con.cursor() as cur:
            cur.execute(
                "SELECT task_id, state, hostname, "
                "EXTRACT(EPOCH FROM end_date - start_date)::float FROM task_instance "
                "WHERE dag_id = %s AND run_id = %s ORDER BY task_id",
                [DAG_ID, RUN_ID],
            )
            for task_id, state, hostname, seconds in cur.fetchall():
                out.tasks.append((task_id, state, hostname))
                out.task_seconds[task_id] = round(seconds or 0.0, 1)
            cur.execute("SELECT run_id FROM dag_run WHERE dag_id = %s", [DAG_ID])
            out.runs = [r[0] for r in cur.fetchall()]
    finally:
        con.close()


def _stop_cluster(cluster: AirflowCluster, out: Outcome, secrets: dict[str, str]) -> None:
    """Note what the cluster wrote and ran, then stop it (workers first, children included)."""
    out.logs = [*cluster.logs_dir.glob("*.log"), *cluster.home.rglob("*.log")]
    out.secrets = secrets
    out.started_pids |= cluster.pids()
    cluster.stop()


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory, server_root: Path) -> Outcome:
    """Both nights, compared and torn down; the tests only read what was collected."""
    _require(postgres_bindir() is not None, "PostgreSQL server (apt-get install postgresql)")
    _require(redis_binary() is not None, "Redis server (apt-get install redis-server)")
    root = tmp_path_factory.mktemp("cluster")
    landing = root / "landing"
    generate_landing(landing, seed=7, end_date=AS_OF)
    alerting = root / "alerting.yaml"
    alerting.write_text(ALERTING, encoding="utf-8")
    out = Outcome()
    started = time.monotonic()
    # teardown runs in reverse: cluster, Redis, PostgreSQL, then the embedded night is awaited
    with ExitStack() as stack:
        embedded_slack = stack.enter_context(SlackStub())
        cluster_slack = stack.enter_context(SlackStub())
        embedded_env = {
            **_night_env(embedded_slack, alerting),
            "AIRFLOW__API__BASE_URL": EMBEDDED_URL,
        }
        embedded = EmbeddedNight(root / "embedded", landing, embedded_env)
        embedded.start()
        stack.callback(embedded.join, NIGHT_TIMEOUT_SECONDS)

        postgres = PostgresServer(server_root / "cluster-pg")
        stack.callback(postgres.stop)
        postgres.start()
        out.started_pids |= _process_tree(_postmaster_pid(postgres))
        redis = RedisServer(root / "redis")
        stack.callback(redis.stop)
        redis.start()
        out.started_pids |= _process_tree(redis.process.pid if redis.process else None)

        warehouse_url = postgres.create_database("marketing_health")
        metadata_url = postgres.create_database("airflow")
        paths = Paths.under(root / "data", warehouse_url=warehouse_url)
        shutil.copytree(landing, paths.landing_dir)
        cluster = AirflowCluster(
            root / "cluster",
            paths,
            metadata_url=postgres.url("airflow", driver="postgresql+psycopg2"),
            broker_url=redis.url(),
            workers=2,
            worker_concurrency=2,
            extra_env={
                **_night_env(cluster_slack, alerting),
                # the test triggers the night it judges; no scheduled night may start beside it
                "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
                # a server warehouse runs dbt's models and tests side by side
                "MH_DBT_THREADS": "4",
            },
        )
        secrets = {
            "the PostgreSQL password": postgres.password,
            "the personal data hashing key": PII_KEY,
            "the Slack token": DEFAULT_BOT_TOKEN,
        }
        stack.callback(_stop_cluster, cluster, out, secrets)
        cluster.migrate()
        cluster.start()
        out.started_pids |= cluster.pids()
        out.seconds["cluster up"] = time.monotonic() - started

        cluster.wait_for_dag(DAG_ID)
        _trigger(cluster)
        out.cluster_state = _wait_for_night(cluster, metadata_url)
        out.seconds["cluster night done"] = time.monotonic() - started
        out.started_pids |= cluster.pids()
        _tasks(metadata_url, out)
        out.cluster_posts = _normalised_posts(cluster_slack, cluster.api_url)

        embedded.join(NIGHT_TIMEOUT_SECONDS)
        out.seconds["embedded night done"] = time.monotonic() - started
        if embedded.error is not None:
            raise embedded.error
        out.embedded_state = embedded.state
        assert out.embedded_state == "success", embedded.log.read_text()[-4000:]
        out.embedded_posts = _normalised_posts(embedded_slack, EMBEDDED_URL)
        out.diffs = compare_warehouses(
            str(embedded.paths.warehouse),
            warehouse_url,
            COMPARED_SCHEMAS,
            ignore_columns=RUN_SPECIFIC_COLUMNS,
        )
    out.seconds["all stopped"] = time.monotonic() - started
    return out


# --- the cluster night -----------------------------------------------------------------------


def test_every_task_of_the_night_succeeds_on_the_cluster(outcome: Outcome) -> None:
    assert outcome.cluster_state == "success"
    assert outcome.runs == [RUN_ID], "only the triggered night ran"
    assert len(outcome.tasks) >= 20, outcome.tasks
    assert outcome.task_seconds["transform.dbt_build"] > 0
    assert [t for t in outcome.tasks if t[1] != "success"] == []


def test_tasks_ran_on_both_workers_as_airflow_records_them(outcome: Outcome) -> None:
    expected = {_expected_host(w) for w in ("worker1", "worker2")}
    assert len(expected) == 2, "the two workers must be told apart"
    used = {host for _, _, host in outcome.tasks}
    assert used == expected, outcome.tasks
    stage_hosts = {host for task, _, host in outcome.tasks if task.startswith("ingest.stage_")}
    assert stage_hosts == expected, "the parallel staging tasks were not spread over both"


# --- same answers as the embedded night ------------------------------------------------------


def test_marts_and_guard_results_equal_the_embedded_night(outcome: Outcome) -> None:
    tables = {d.table for d in outcome.diffs}
    assert "guards.guard_results" in tables
    assert len([t for t in tables if t.startswith("marts.")]) >= 20, sorted(tables)
    different = [d.describe() for d in outcome.diffs if not d.equal]
    assert different == [], "\n".join(different)
    results = next(d for d in outcome.diffs if d.table == "guards.guard_results")
    assert results.rows_postgres > 0


def test_slack_receives_the_same_alerts_as_from_the_embedded_night(outcome: Outcome) -> None:
    channels = {channel for channel, _ in outcome.embedded_posts}
    assert OPS_CHANNEL in channels and len(channels) > 2, channels
    ops = [body for channel, body in outcome.cluster_posts if channel == OPS_CHANNEL]
    assert any("/runs/<run>" in body for body in ops), "the ops digest links to the Airflow run"
    assert outcome.cluster_posts == outcome.embedded_posts


def test_no_secret_reaches_a_component_or_task_log(outcome: Outcome) -> None:
    """The warehouse URL's password goes to every process and to dbt: it must stay unlogged."""
    assert len(outcome.logs) > 20 and outcome.secrets
    for path in outcome.logs:
        text = path.read_text(encoding="utf-8", errors="replace")
        for what, secret in outcome.secrets.items():
            assert secret not in text, f"{what} is written in {path.name} ({path.parent.name})"


# --- nothing left behind ---------------------------------------------------------------------


def test_no_process_started_for_the_cluster_outlives_it(outcome: Outcome) -> None:
    # PostgreSQL (postmaster and its backends), Redis, the five Airflow components and the
    # workers' task processes
    assert len(outcome.started_pids) >= 10
    deadline = time.monotonic() + 10
    while alive(outcome.started_pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alive(outcome.started_pids) == []
