"""The compose stack users are told to run, started for real on images built without a registry.

The images come from ``marketing_health.deploy.images`` (a Debian base from debootstrap, the
locked packages from the package index, PostgreSQL and Redis from Debian's packages). The stack
is the product's own docker-compose.yml with deploy/compose.local-images.yml, which swaps only
the images, and a .env with secrets generated here; a third file, written by the test, publishes
the warehouse on 127.0.0.1 so it can be read from outside, as the API server's port is. Two
Celery workers run, as ``--scale airflow-worker=2`` gives them.

Once every health check passes, one night over a generated landing zone is triggered through
Airflow's REST API (a token from /auth/token), as the night the scheduler would start next, so
the scheduler starts no second one beside it. The test checks that every task succeeded on the
worker containers (both of them: staged files reach the publishing worker through the shared
data volume), that the warehouse service holds the marts and the guard results (each injected
pitfall failing on its campaign), that every digest of the outbox reached the local Slack
stand-in and nothing else did, that no secret of .env is written in any container's or task's
log, and that ``docker-compose down -v`` leaves no container, volume (anonymous ones included)
or network of the project behind.

It runs when MH_STACK_TEST=1 (about 4 minutes of image builds from scratch, then 6 minutes of
stack and night on a busy two-core host; README has the measured phases); the README's test
command leaves it out unless asked. Its folder is handed out last under xdist
(``schedule_last``): the images scripts/test.sh builds in the background are done by then. A
Docker daemon is started when none runs (as root).
Without one the test skips, unless MH_REQUIRE_SERVERS=1 makes that a failure. How long each
phase took is written to var/test-artifacts/compose_stack.json, every container's and task's
log to compose_stack.log.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import psycopg2
import pytest

from marketing_health.deploy.docker import (
    DockerUnavailable,
    bridge_gateway,
    compose_command,
    ensure_daemon,
)
from marketing_health.deploy.images import OVERRIDE_FILE, BuildReport, build_images
from marketing_health.generate import generate_landing
from marketing_health.local_cluster.servers import free_port
from marketing_health.settings import REPO_ROOT
from support.slack_stub import DEFAULT_BOT_TOKEN, SlackStub

pytestmark = [pytest.mark.integration, pytest.mark.schedule_last]

COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
TIMINGS_FILE = REPO_ROOT / "var" / "test-artifacts" / "compose_stack.json"
#: Every container's log of the last run, kept for a look after a failure.
LOGS_FILE = REPO_ROOT / "var" / "test-artifacts" / "compose_stack.log"
DAG_ID = "marketing_health"
RUN_ID = "compose_stack_night"
AS_OF = date(2026, 11, 20)
#: Four weeks of exports, as the PostgreSQL twin and night fault tests use: every injected
#: pitfall still fails on its campaign (the test checks it), at half the rows of 60 days.
LANDING_DAYS = 28
OPS_CHANNEL = "#mh-ops-stack"
WORKERS = 2
ADMIN = "admin"
#: The airflow user of the images; the landing zone is handed to it by airflow-init.
AIRFLOW_UID = 50000
UP_TIMEOUT_SECONDS = 900
HEALTHY_TIMEOUT_SECONDS = 600
DAG_TIMEOUT_SECONDS = 300
NIGHT_TIMEOUT_SECONDS = 1200
#: How long a GET may go unanswered (the API server shares two cores with the night).
API_PATIENCE_SECONDS = 180
ONE_SHOT_SERVICES = {"airflow-init"}
PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"


@dataclass
class StackOutcome:
    """What the stack did and left behind, collected before and after ``down -v``."""

    project: str = ""
    images: BuildReport | None = None
    health: dict[str, str] = field(default_factory=dict)  # 'service container' -> health
    run_state: str = ""
    run_conf: dict[str, Any] = field(default_factory=dict)
    runs: list[str] = field(default_factory=list)
    tasks: list[tuple[str, str, str]] = field(default_factory=list)  # task_id, state, hostname
    worker_hosts: set[str] = field(default_factory=set)
    marts: list[str] = field(default_factory=list)
    guard_outcomes: dict[tuple[str, str], str] = field(default_factory=dict)
    health_scores: int = 0
    #: channel, kind, status, ts, last_error of every message of the night
    outbox: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    slack_posts: list[tuple[str, str]] = field(default_factory=list)  # channel, ts
    slack_refused: list[str] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    logs: str = ""
    task_logs: str = ""
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    #: every volume mounted in a container of the project, anonymous ones (VOLUME) included
    attached_volumes: set[str] = field(default_factory=set)
    left_over: dict[str, list[str]] = field(default_factory=dict)
    down_error: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    #: the host's 1-minute load average at each phase's end: timings mean little without it
    load: dict[str, float] = field(default_factory=dict)


# --- the stack --------------------------------------------------------------------------------


@dataclass
class Stack:
    """docker-compose.yml + the local-images override + the test's ports file, one project."""

    compose: list[str]
    project: str
    env_file: Path
    files: list[Path]

    def command(self, *args: str) -> list[str]:
        files = [a for f in self.files for a in ("-f", str(f))]
        return [*self.compose, "-p", self.project, "--env-file", str(self.env_file), *files, *args]

    def run(self, *args: str, timeout: float = 300, check: bool = True) -> str:
        # Only what Compose needs from this environment: a value here would override .env.
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "DOCKER_HOST")}
        done = subprocess.run(
            self.command(*args),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=REPO_ROOT,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n"
                f"{done.stderr[-3000:]}\n--- container logs\n{self.tail_logs()}"
            )
        return done.stdout

    def tail_logs(self, lines: int = 60) -> str:
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "DOCKER_HOST")}
        done = subprocess.run(
            self.command("logs", "--no-color", "--tail", str(lines)),
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=REPO_ROOT,
            check=False,
        )
        return done.stdout[-12000:]

    def containers(self) -> list[dict[str, Any]]:
        """``docker inspect`` of every container of the project, running or not."""
        ids = _docker("ps", "-aq", "--filter", f"label={PROJECT_LABEL}={self.project}").split()
        return json.loads(_docker("inspect", *ids)) if ids else []


def _docker(*args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=True
    )
    return done.stdout


def _service(container: dict[str, Any]) -> str:
    return container["Config"]["Labels"].get(SERVICE_LABEL, "")


def _not_ready(containers: list[dict[str, Any]]) -> dict[str, str]:
    """Containers not yet where they should be: one-shots exited 0, the rest healthy."""
    waiting = {}
    for c in containers:
        name, state = c["Name"].lstrip("/"), c["State"]
        if _service(c) in ONE_SHOT_SERVICES:
            if state["Status"] != "exited" or state["ExitCode"] != 0:
                waiting[name] = f"{state['Status']} (exit {state['ExitCode']})"
            continue
        health = (state.get("Health") or {}).get("Status", "no health check")
        if state["Status"] != "running" or health != "healthy":
            waiting[name] = f"{state['Status']}, {health}"
    return waiting


def _wait_until_healthy(stack: Stack) -> dict[str, str]:
    deadline = time.monotonic() + HEALTHY_TIMEOUT_SECONDS
    while True:
        containers = stack.containers()
        waiting = _not_ready(containers)
        failed = [n for n, s in waiting.items() if s.startswith(("exited", "dead"))]
        if containers and not waiting:
            return {
                f"{_service(c)} {c['Name'].lstrip('/')}": (c["State"].get("Health") or {}).get(
                    "Status", "exited 0"
                )
                for c in containers
            }
        if failed or time.monotonic() > deadline:
            pytest.fail(f"the stack did not become healthy: {waiting}\n{stack.tail_logs()}")
        time.sleep(5)


# --- Airflow's REST API -----------------------------------------------------------------------


@dataclass
class Api:
    base_url: str
    token: str = ""

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """One request; a GET is repeated for a while when the busy server does not answer."""
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(
            self.base_url + path, data=data, headers=headers, method=method
        )
        deadline = time.monotonic() + (API_PATIENCE_SECONDS if method == "GET" else 0)
        while True:
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    text = response.read().decode()
                return json.loads(text) if text else None
            except urllib.error.HTTPError as exc:
                if exc.code < 500 or time.monotonic() > deadline:
                    raise
            except (TimeoutError, ConnectionError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise
            time.sleep(5)

    def log_in(self, username: str, password: str) -> None:
        answer = self.call("POST", "/auth/token", {"username": username, "password": password})
        self.token = answer["access_token"]


def _wait_for_dag(api: Api) -> dict[str, Any]:
    """The DAG once the DAG processor has stored it with its next scheduled night."""
    deadline = time.monotonic() + DAG_TIMEOUT_SECONDS
    while True:
        try:
            dag = api.call("GET", f"/api/v2/dags/{DAG_ID}")
            if dag.get("next_dagrun_logical_date"):
                return dag
        except urllib.error.HTTPError as exc:
            if exc.code != 404:
                raise
        if time.monotonic() > deadline:
            pytest.fail(f"{DAG_ID} did not appear in the API within {DAG_TIMEOUT_SECONDS}s")
        time.sleep(3)


def _trigger_night(api: Api, dag: dict[str, Any]) -> None:
    """Trigger the night the scheduler would start next (its logical date), judging AS_OF.

    The run exists before the DAG is unpaused, so the scheduler finds its next night already
    there and starts no second one.
    """
    api.call(
        "POST",
        f"/api/v2/dags/{DAG_ID}/dagRuns",
        {
            "dag_run_id": RUN_ID,
            "logical_date": dag["next_dagrun_logical_date"],
            "conf": {"as_of_date": AS_OF.isoformat()},
        },
    )
    api.call("PATCH", f"/api/v2/dags/{DAG_ID}", {"is_paused": False})


def _failed_task_logs(api: Api, tasks: list[dict[str, Any]]) -> str:
    texts = []
    for task in tasks:
        if task["state"] == "success":
            continue
        path = (
            f"/api/v2/dags/{DAG_ID}/dagRuns/{RUN_ID}/taskInstances/{task['task_id']}/logs/"
            f"{max(task.get('try_number') or 1, 1)}?full_content=true"
        )
        try:
            events = api.call("GET", path).get("content") or []
            content = "\n".join(
                json.dumps(e, ensure_ascii=False) if isinstance(e, dict) else str(e) for e in events
            )[-4000:]
        except urllib.error.HTTPError as exc:
            content = f"(log not readable: {exc})"
        texts.append(f"--- {task['task_id']} ({task['state']})\n{content}")
    return "\n".join(texts)


def _wait_for_night(api: Api) -> tuple[str, list[dict[str, Any]]]:
    deadline = time.monotonic() + NIGHT_TIMEOUT_SECONDS
    base = f"/api/v2/dags/{DAG_ID}/dagRuns/{RUN_ID}"
    while True:
        state = api.call("GET", base)["state"]
        if state in ("success", "failed"):
            break
        if time.monotonic() > deadline:
            pytest.fail(f"the night is still {state} after {NIGHT_TIMEOUT_SECONDS}s")
        time.sleep(5)
    tasks = api.call("GET", f"{base}/taskInstances?limit=200")["task_instances"]
    if state != "success":
        pytest.fail(f"the night failed:\n{_failed_task_logs(api, tasks)}")
    return state, tasks


# --- set-up -------------------------------------------------------------------------------------


def _secrets() -> dict[str, str]:
    """Fresh secrets for .env, generated as .env.example says."""
    return {
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "AIRFLOW_ADMIN_PASSWORD": secrets.token_hex(16),
        "AIRFLOW_FERNET_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "AIRFLOW_JWT_SECRET": secrets.token_hex(32),
        "AIRFLOW_API_SECRET_KEY": secrets.token_hex(32),
        "MH_WAREHOUSE_PASSWORD": secrets.token_hex(16),
        "MH_PII_HASH_KEY": secrets.token_hex(32),
    }


def _write_env(path: Path, settings: dict[str, str]) -> None:
    """KEY='value' lines: single quotes keep JSON and '#' as they are."""
    lines = [f"{key}='{value}'" for key, value in settings.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _ports_file(path: Path) -> Path:
    """The test's own override: the warehouse published on 127.0.0.1, on a port Docker picks."""
    path.write_text(
        'services:\n  warehouse:\n    ports:\n      - "127.0.0.1::5432"\n', encoding="utf-8"
    )
    return path


def _require_docker(root: Path) -> Any:
    """The running daemon, or one started here; skips or fails (CI) when there is none."""
    try:
        started = ensure_daemon(root / "dockerd.log")
        compose = compose_command()
    except DockerUnavailable as exc:
        if os.getenv("MH_REQUIRE_SERVERS", "") == "1":
            pytest.fail(f"MH_REQUIRE_SERVERS=1 but {exc}")
        pytest.skip(str(exc))
    return started, compose


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI time limit, ``kill``) raises KeyboardInterrupt meanwhile, as Ctrl-C does.

    Python's default for SIGTERM ends the process at once, skipping every ``finally``: the
    stack's containers (``restart: always``), volumes, network and a Docker daemon started
    here would outlive the test. As an exception the clean-up below runs instead.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _readable_root() -> Path:
    """A folder the containers' airflow user can enter (pytest's own tmp folders are private)."""
    root = Path(tempfile.mkdtemp(prefix="mh-stack-"))
    root.chmod(0o755)
    return root


# --- what the stack left ----------------------------------------------------------------------


def _collect_warehouse(port: str, password: str, out: StackOutcome) -> None:
    con = psycopg2.connect(
        host="127.0.0.1",
        port=int(port),
        user="marketing_health",
        password=password,
        dbname="marketing_health",
        connect_timeout=10,
    )
    try:
        with con.cursor() as cur:
            cur.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "order by table_name"
            )
            out.marts = [r[0] for r in cur.fetchall()]
            cur.execute(
                "select guard_id, campaign_id, outcome from guards.guard_results "
                "where run_date = %s",
                [AS_OF],
            )
            out.guard_outcomes = {(g, c): o for g, c, o in cur.fetchall()}
            cur.execute(
                "select count(*) from marts.fct_campaign_health_daily where run_date = %s",
                [AS_OF],
            )
            out.health_scores = cur.fetchone()[0]
            cur.execute(
                "select channel, kind, status, coalesce(ts, ''), coalesce(last_error, '') "
                "from alerts.outbox "
                "where run_date = %s order by channel, kind, ts",
                [AS_OF],
            )
            out.outbox = [tuple(r) for r in cur.fetchall()]
    finally:
        con.close()


def _volumes(containers: list[dict[str, Any]]) -> set[str]:
    return {m["Name"] for c in containers for m in c.get("Mounts") or () if m["Type"] == "volume"}


def _left_over(project: str, attached: set[str]) -> dict[str, list[str]]:
    label = f"label={PROJECT_LABEL}={project}"
    existing = set(_docker("volume", "ls", "-q").split())
    return {
        "containers": _docker("ps", "-aq", "--filter", label).split(),
        "volumes": sorted(
            set(_docker("volume", "ls", "-q", "--filter", label).split())
            | set(_docker("volume", "ls", "-q", "--filter", f"name={project}_").split())
            | (attached & existing)
        ),
        "networks": sorted(
            set(_docker("network", "ls", "-q", "--filter", label).split())
            | set(_docker("network", "ls", "-q", "--filter", f"name={project}_").split())
        ),
    }


def _save_logs(stack: Stack, out: StackOutcome) -> None:
    """Every container's and task's log into LOGS_FILE, for a look after a failure."""
    # task logs live in the airflow-logs volume: read through a worker
    out.task_logs = stack.run(
        "exec",
        "-T",
        "airflow-worker",
        "bash",
        "-c",
        "tail -n +1 /opt/airflow/logs/dag_id=*/*/*/*.log",
        timeout=300,
        check=False,
    )
    # the container logs read after the night, or now when it did not get that far
    logs = out.logs or stack.run("logs", "--no-color", timeout=300, check=False)
    LOGS_FILE.parent.mkdir(parents=True, exist_ok=True)
    LOGS_FILE.write_text(logs + out.task_logs)


def _lap(out: StackOutcome, phase: str, since: float) -> float:
    """Record how long ``phase`` took since ``since``; the clock for the next one."""
    now = time.monotonic()
    out.seconds[phase] = round(now - since, 1)
    out.load[phase] = round(os.getloadavg()[0], 1)
    return now


def _write_timings(out: StackOutcome) -> None:
    TIMINGS_FILE.parent.mkdir(parents=True, exist_ok=True)
    images = [asdict(b) for b in out.images.images] if out.images else []
    TIMINGS_FILE.write_text(
        json.dumps({"seconds": out.seconds, "load_average": out.load, "images": images}, indent=2)
        + "\n",
        encoding="utf-8",
    )


def _start_and_judge(stack: Stack, api: Api, env: dict[str, str], out: StackOutcome) -> None:
    clock = time.monotonic()
    stack.run(
        "up", "-d", "--no-build", "--scale", f"airflow-worker={WORKERS}", timeout=UP_TIMEOUT_SECONDS
    )
    clock = _lap(out, "up", clock)
    out.health = _wait_until_healthy(stack)
    clock = _lap(out, "until every service is healthy", clock)

    api.log_in(ADMIN, env["AIRFLOW_ADMIN_PASSWORD"])
    dag = _wait_for_dag(api)
    clock = _lap(out, "until the DAG is parsed", clock)
    _trigger_night(api, dag)
    try:
        out.run_state, tasks = _wait_for_night(api)
    finally:
        _lap(out, "night", clock)
    out.tasks = [(t["task_id"], t["state"], t.get("hostname") or "") for t in tasks]
    run = api.call("GET", f"/api/v2/dags/{DAG_ID}/dagRuns/{RUN_ID}")
    out.run_conf = run.get("conf") or {}
    out.runs = [
        r["dag_run_id"] for r in api.call("GET", f"/api/v2/dags/{DAG_ID}/dagRuns")["dag_runs"]
    ]
    out.worker_hosts = {
        c["Config"]["Hostname"] for c in stack.containers() if _service(c) == "airflow-worker"
    }
    port = stack.run("port", "warehouse", "5432").strip().rsplit(":", 1)[1]
    _collect_warehouse(port, env["MH_WAREHOUSE_PASSWORD"], out)
    out.logs = stack.run("logs", "--no-color", timeout=300)


@pytest.fixture(scope="module")
def stack_outcome() -> StackOutcome:
    if os.getenv("MH_STACK_TEST", "") != "1":
        pytest.skip(
            "the compose stack test runs with MH_STACK_TEST=1 (README: Building the images)"
        )
    root = _readable_root()
    out = StackOutcome()
    with _terminate_as_interrupt(), ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, root, True)
        started_daemon, compose = _require_docker(root)
        if started_daemon is not None:
            cleanup.callback(started_daemon.stop)
        started = clock = time.monotonic()
        # the landing zone is written while the images build (they mostly wait on downloads)
        with ThreadPoolExecutor(max_workers=1) as pool:
            images = pool.submit(
                build_images, root / "image-logs", log=lambda line: print(line, flush=True)
            )
            landing = root / "landing"
            manifest = generate_landing(landing, seed=7, end_date=AS_OF, days=LANDING_DAYS)
            out.images = images.result()
        _lap(out, "images", clock)
        out.scenarios = [
            {"pitfall": s.pitfall, "campaign_id": s.campaign_id} for s in manifest.scenarios
        ]
        for path in [root, *landing.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)

        slack = cleanup.enter_context(SlackStub(host=bridge_gateway()))
        generated = _secrets()
        api_port = free_port()
        env = {
            **generated,
            "AIRFLOW_ADMIN_USERNAME": ADMIN,
            "MH_WAREHOUSE_URL": (
                f"postgresql://marketing_health:{generated['MH_WAREHOUSE_PASSWORD']}"
                "@warehouse:5432/marketing_health"
            ),
            "AIRFLOW_CONN_SLACK_MARKETING_HEALTH": slack.bot_connection(),
            "AIRFLOW_CONN_SLACK_MARKETING_HEALTH_OPS": slack.bot_connection(),
            "MH_OPS_SLACK_CHANNEL": OPS_CHANNEL,
            "MH_TASK_RETRIES": "0",
            "AIRFLOW_UID": str(AIRFLOW_UID),
            "AIRFLOW_PROJ_DIR": str(REPO_ROOT),
            "MH_LANDING_HOST_DIR": str(landing),
            "AIRFLOW_API_PORT": f"127.0.0.1:{api_port}",
            "AIRFLOW_BASE_URL": f"http://127.0.0.1:{api_port}",
            "AIRFLOW_WORKER_CONCURRENCY": "2",
            **out.images.env(),
        }
        out.secrets = {**generated, "the Slack token": DEFAULT_BOT_TOKEN}
        env_file = root / "stack.env"
        _write_env(env_file, env)
        out.project = f"mhstack{os.getpid()}{secrets.token_hex(3)}"
        stack = Stack(
            compose,
            out.project,
            env_file,
            [COMPOSE_FILE, OVERRIDE_FILE, _ports_file(root / "ports.yml")],
        )
        interrupted = False
        try:
            _start_and_judge(stack, Api(f"http://127.0.0.1:{api_port}"), env, out)
            out.slack_posts = sorted((p.channel or "", p.ts or "") for p in slack.posts())
            out.slack_refused = [r.path for r in slack.requests if not r.accepted]
        except KeyboardInterrupt:
            interrupted = True  # straight to down -v: whoever stopped the test is waiting
            raise
        finally:
            clock = time.monotonic()
            out.attached_volumes |= _volumes(stack.containers())
            if not interrupted:
                _save_logs(stack, out)
            clock = _lap(out, "logs read", clock)
            try:
                stack.run("down", "-v", "--remove-orphans", "--timeout", "30", timeout=600)
            except (AssertionError, subprocess.TimeoutExpired) as exc:
                out.down_error = str(exc)[-3000:]
            _lap(out, "down", clock)
            out.left_over = _left_over(out.project, out.attached_volumes)
            _lap(out, "total", started)
            _write_timings(out)
            print(f"compose stack timings: {out.seconds}", flush=True)
    return out


# --- the night ----------------------------------------------------------------------------------


def test_every_service_became_healthy(stack_outcome: StackOutcome) -> None:
    services = [key.split(" ")[0] for key in stack_outcome.health]
    assert set(services) == {
        "postgres",
        "warehouse",
        "redis",
        "airflow-init",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        "airflow-worker",
    }
    workers = [s for s in services if s == "airflow-worker"]
    assert len(workers) == WORKERS
    assert set(stack_outcome.health.values()) <= {"healthy", "exited 0"}


def test_every_task_of_the_night_succeeded(stack_outcome: StackOutcome) -> None:
    assert stack_outcome.run_state == "success"
    assert stack_outcome.run_conf == {"as_of_date": AS_OF.isoformat()}
    assert stack_outcome.runs == [RUN_ID], "the scheduler started a second night beside it"
    assert len(stack_outcome.tasks) >= 20, stack_outcome.tasks
    assert [t for t in stack_outcome.tasks if t[1] != "success"] == []


def test_tasks_ran_on_the_worker_containers(stack_outcome: StackOutcome) -> None:
    assert len(stack_outcome.worker_hosts) == WORKERS
    hosts = {host for _, _, host in stack_outcome.tasks}
    assert hosts <= stack_outcome.worker_hosts, (hosts, stack_outcome.worker_hosts)
    # staged files reach the publishing worker through the shared data volume
    assert hosts == stack_outcome.worker_hosts, "the night's tasks all ran on one worker"


def test_the_warehouse_service_holds_marts_and_guard_results(stack_outcome: StackOutcome) -> None:
    assert len(stack_outcome.marts) >= 20, stack_outcome.marts
    assert stack_outcome.health_scores > 0
    outcomes = stack_outcome.guard_outcomes
    assert outcomes, "no guard results for the night"
    assert [k for k, o in outcomes.items() if o == "error"] == []
    missed = [
        (s["pitfall"], s["campaign_id"])
        for s in stack_outcome.scenarios
        if outcomes.get((s["pitfall"], s["campaign_id"])) != "fail"
    ]
    assert missed == [], "injected pitfalls the stack did not find"


def test_every_digest_reached_the_slack_stand_in(stack_outcome: StackOutcome) -> None:
    outbox = stack_outcome.outbox
    assert outbox, "the night queued no digest"
    assert {row[2] for row in outbox} == {"sent"}, outbox
    assert len({row[0] for row in outbox}) > 2, "digests for several owner channels"
    sent = sorted((row[0], row[3]) for row in outbox)
    assert stack_outcome.slack_posts == sent
    assert stack_outcome.slack_refused == []


def test_no_secret_is_written_in_a_container_log(stack_outcome: StackOutcome) -> None:
    assert len(stack_outcome.logs) > 1000 and stack_outcome.secrets
    assert "dbt_build" in stack_outcome.task_logs, "the task logs were not read"
    for what, secret in stack_outcome.secrets.items():
        assert secret not in stack_outcome.logs, f"{what} is written in a container log"
        assert secret not in stack_outcome.task_logs, f"{what} is written in a task log"


def test_down_leaves_nothing_of_the_project(stack_outcome: StackOutcome) -> None:
    assert stack_outcome.down_error == ""
    # the four named volumes and the ones the images declare (PostgreSQL's, Redis's data)
    assert len(stack_outcome.attached_volumes) >= 5
    assert stack_outcome.left_over == {"containers": [], "volumes": [], "networks": []}
