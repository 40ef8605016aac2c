"""Airflow's own components on this machine, for the embedded mode: the demo and the local UI.

``airflow standalone`` and ``airflow dags test`` fall short for a first look at the product:
``dags test`` runs the tasks inside its own process, so Airflow keeps no task log where its UI
reads them and dates the run from its 02:00 logical date (a run of a minute and a half shows
as six hours); ``standalone`` leaves its components running when it is stopped with SIGTERM,
and its API server and log servers listen on every network interface.

:class:`EmbeddedAirflow` starts the components itself, as a nightly installation runs them: an
API server on 127.0.0.1, a scheduler with the LocalExecutor, a DAG processor and (for the UI)
a triggerer, each in its own process group with its own log file, the log servers off (the
API server reads the task logs from the local log folder). :meth:`EmbeddedAirflow.stop` ends
every process it started, children included. :meth:`EmbeddedAirflow.run_dag` triggers a run
through the REST API and reports each task as it finishes, so the run, its task logs and its
real start and end are in Airflow's records exactly as for a scheduled night.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from marketing_health.airflow_env import airflow_environ, airflow_executable
from marketing_health.local_cluster.servers import free_port
from marketing_health.settings import Paths

READY_TIMEOUT_SECONDS = 180.0
STOP_GRACE_SECONDS = 20.0
#: The one user of the embedded UI (Airflow's simple auth manager), with a generated password.
ADMIN_USER = "admin"
LOOPBACK = "127.0.0.1"
SIMPLE_AUTH_MANAGER = (
    "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
)
#: Task states after which a task will not run again in this DAG run.
FINISHED_STATES = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})
RUN_FINISHED_STATES = frozenset({"success", "failed"})


class EmbeddedAirflowError(RuntimeError):
    """A component failed to start or answer; the message carries the end of its log."""


@dataclass
class Component:
    """One long-running Airflow process and the file its output goes to."""

    name: str
    args: list[str]
    log_file: Path
    process: subprocess.Popen[bytes] | None = None

    def log_tail(self, chars: int = 3000) -> str:
        if not self.log_file.exists():
            return ""
        return self.log_file.read_text(encoding="utf-8", errors="replace")[-chars:]

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()


@dataclass(frozen=True)
class TaskProgress:
    """One task of a DAG run that has just finished, for a progress line."""

    task_id: str
    state: str
    finished: int
    total: int
    elapsed_seconds: float


@dataclass(frozen=True)
class DagRunResult:
    """How a DAG run ended, as Airflow recorded it."""

    run_id: str
    state: str
    start_date: str | None
    end_date: str | None
    failed_tasks: tuple[str, ...]


@dataclass
class EmbeddedAirflow:
    """API server, scheduler, DAG processor (and triggerer) for one Airflow home.

    ``schedule`` False keeps the scheduler from creating scheduled runs: the demo unpauses the
    DAG only to run the night it triggers itself.
    """

    paths: Paths
    port: int = field(default_factory=free_port)
    triggerer: bool = True
    schedule: bool = True
    extra_env: Mapping[str, str] = field(default_factory=dict, repr=False)
    components: list[Component] = field(default_factory=list, repr=False)
    _token: str | None = field(default=None, repr=False)

    # --- settings ------------------------------------------------------------------------------

    def environ(self) -> dict[str, str]:
        """The project's Airflow environment, bound to loopback, with a local executor."""
        settings = {
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
            "AIRFLOW__API__HOST": LOOPBACK,
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.api_url}/execution/",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_HOST": LOOPBACK,
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": str(self.schedule),
            # tasks at once: as many as the machine has cores (the stage tasks run in parallel)
            "AIRFLOW__CORE__PARALLELISM": os.getenv(
                "AIRFLOW__CORE__PARALLELISM", str(max(2, min(8, os.cpu_count() or 2)))
            ),
        }
        env = airflow_environ(self.paths, {**settings, **self.extra_env})
        env.setdefault("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", f"{ADMIN_USER}:admin")
        return env

    @property
    def home(self) -> Path:
        return Path(self.environ()["AIRFLOW_HOME"])

    @property
    def api_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def component_logs(self) -> Path:
        """Where each component writes its output (task logs go to ``<home>/logs``)."""
        return self.home / "logs" / "components"

    @property
    def passwords_file(self) -> Path:
        env = self.environ()
        configured = env.get("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE")
        if configured:
            return Path(configured)
        return self.home / "simple_auth_manager_passwords.json.generated"

    def admin_password(self) -> str:
        """The UI password of ``admin``: generated once per Airflow home, kept in its file."""
        path = self.passwords_file
        if path.exists():
            with contextlib.suppress(ValueError, TypeError):
                password = json.loads(path.read_text(encoding="utf-8")).get(ADMIN_USER)
                if password:
                    return str(password)
        path.parent.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(12)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({ADMIN_USER: password}, out)
        return password

    # --- start ---------------------------------------------------------------------------------

    def migrate(self) -> None:
        """``airflow db migrate``: the metadata schema (SQLite in the Airflow home by default)."""
        self.component_logs.mkdir(parents=True, exist_ok=True)
        log_file = self.component_logs / "db-migrate.log"
        with log_file.open("ab") as log:
            done = subprocess.run(
                [airflow_executable(), "db", "migrate"],
                env=self.environ(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode != 0:
            tail = log_file.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise EmbeddedAirflowError(f"airflow db migrate failed ({done.returncode}):\n{tail}")

    def start(self, timeout: float = READY_TIMEOUT_SECONDS) -> EmbeddedAirflow:
        """Start every component and wait until the API server reports them healthy."""
        self.admin_password()  # before the API server starts, so it does not invent another
        self.component_logs.mkdir(parents=True, exist_ok=True)
        plan = [
            ("api-server", ["api-server", "--host", LOOPBACK, "--port", str(self.port)]),
            ("scheduler", ["scheduler", "--skip-serve-logs"]),
            ("dag-processor", ["dag-processor"]),
        ]
        if self.triggerer:
            plan.append(("triggerer", ["triggerer", "--skip-serve-logs"]))
        env = self.environ()
        try:
            for name, args in plan:
                self._spawn(Component(name, args, self.component_logs / f"{name}.log"), env)
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, component: Component, env: dict[str, str]) -> None:
        with component.log_file.open("ab") as log:
            component.process = subprocess.Popen(
                [airflow_executable(), *component.args],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: Ctrl-C reaches us, we stop it
            )
        self.components.append(component)

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Until the API answers and the scheduler, DAG processor (and triggerer) heartbeat."""
        deadline = time.monotonic() + timeout
        wanted = {"scheduler", "dag_processor"} | ({"triggerer"} if self.triggerer else set())
        while True:
            self.check_alive()
            health = self._health()
            healthy = {k for k, v in health.items() if (v or {}).get("status") == "healthy"}
            if health and wanted <= healthy:
                return
            if time.monotonic() > deadline:
                raise EmbeddedAirflowError(
                    f"Airflow was not ready within {timeout:.0f}s (healthy: {sorted(healthy)})\n"
                    + "\n".join(f"--- {c.name}\n{c.log_tail()}" for c in self.components)
                )
            time.sleep(1)

    def _health(self) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(f"{self.api_url}/api/v2/monitor/health", timeout=5) as r:
                return dict(json.loads(r.read().decode()))
        except (urllib.error.URLError, OSError, ValueError):
            return {}

    def check_alive(self) -> None:
        """Raise with its log when a component has exited: Airflow is not whole any more."""
        for c in self.components:
            code = c.exited()
            if code is not None:
                raise EmbeddedAirflowError(f"{c.name} exited with {code}:\n{c.log_tail()}")

    # --- the REST API --------------------------------------------------------------------------

    def token(self) -> str:
        if self._token is None:
            body = self.request(
                "POST",
                "/auth/token",
                {"username": ADMIN_USER, "password": self.admin_password()},
                auth=False,
            )
            self._token = str(body["access_token"])
        return self._token

    def request(self, method: str, path: str, body: Any = None, *, auth: bool = True) -> Any:
        """One call to Airflow's public REST API, as the admin user."""
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if auth:
            headers["Authorization"] = f"Bearer {self.token()}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.api_url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as err:
            detail = err.read().decode(errors="replace")[:1000]
            raise EmbeddedAirflowError(f"{method} {path}: HTTP {err.code} {detail}") from err
        return json.loads(text) if text else None

    def wait_for_dag(self, dag_id: str, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Until the DAG processor has parsed ``dag_id`` and the API knows it."""
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            try:
                self.request("GET", f"/api/v2/dags/{dag_id}")
                return
            except EmbeddedAirflowError as err:
                if "HTTP 404" not in str(err) or time.monotonic() > deadline:
                    processor = next(c for c in self.components if c.name == "dag-processor")
                    raise EmbeddedAirflowError(f"{err}\n{processor.log_tail()}") from err
            time.sleep(1)

    def task_log(self, dag_id: str, run_id: str, task_id: str, try_number: int = 1) -> str:
        """A task's log as the UI shows it (the API server reads it where the task wrote it)."""
        path = (
            f"/api/v2/dags/{dag_id}/dagRuns/{_q(run_id)}/taskInstances/{task_id}"
            f"/logs/{try_number}?full_content=true"
        )
        body = self.request("GET", path)
        content = body.get("content") if isinstance(body, dict) else body
        if isinstance(content, list):
            return "\n".join(json.dumps(c) if not isinstance(c, str) else c for c in content)
        return str(content)

    def run_dag(
        self,
        dag_id: str,
        logical_date: str,
        run_id: str,
        *,
        conf: Mapping[str, Any] | None = None,
        on_progress: Callable[[TaskProgress], None] | None = None,
        poll_seconds: float = 2.0,
    ) -> DagRunResult:
        """Trigger one run of ``dag_id`` and wait for it, reporting each task as it finishes.

        A run recorded earlier for the same logical date or under the same run id (a previous
        trial of the same night, dated otherwise when it ran just after midnight) is deleted
        first: Airflow keeps one run per logical date and per run id. The DAG is unpaused for
        the run and paused again afterwards when it was paused before.
        """
        self.wait_for_dag(dag_id)
        was_paused = bool(self.request("GET", f"/api/v2/dags/{dag_id}").get("is_paused"))
        self._delete_runs_at(dag_id, logical_date)
        try:
            self.request("DELETE", f"/api/v2/dags/{dag_id}/dagRuns/{_q(run_id)}")
        except EmbeddedAirflowError as err:
            if "HTTP 404" not in str(err):  # 404: no run of that id yet
                raise
        if was_paused:
            self.request("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})
        try:
            self.request(
                "POST",
                f"/api/v2/dags/{dag_id}/dagRuns",
                {"dag_run_id": run_id, "logical_date": logical_date, "conf": dict(conf or {})},
            )
            state = self._follow(dag_id, run_id, on_progress, poll_seconds)
        finally:
            if was_paused:
                with contextlib.suppress(EmbeddedAirflowError):
                    self.request("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": True})
        run = self.request("GET", f"/api/v2/dags/{dag_id}/dagRuns/{_q(run_id)}")
        failed = tuple(
            t["task_id"] for t in self._task_instances(dag_id, run_id) if t["state"] == "failed"
        )
        return DagRunResult(run_id, state, run.get("start_date"), run.get("end_date"), failed)

    def _delete_runs_at(self, dag_id: str, logical_date: str) -> None:
        when = urllib.parse.quote(logical_date)
        runs = self.request(
            "GET",
            f"/api/v2/dags/{dag_id}/dagRuns?logical_date_gte={when}&logical_date_lte={when}",
        )
        for run in runs.get("dag_runs", []):
            self.request("DELETE", f"/api/v2/dags/{dag_id}/dagRuns/{_q(run['dag_run_id'])}")

    def _task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        body = self.request(
            "GET", f"/api/v2/dags/{dag_id}/dagRuns/{_q(run_id)}/taskInstances?limit=1000"
        )
        return list(body.get("task_instances", []))

    def _follow(
        self,
        dag_id: str,
        run_id: str,
        on_progress: Callable[[TaskProgress], None] | None,
        poll_seconds: float,
    ) -> str:
        started = time.monotonic()
        told: set[str] = set()
        while True:
            self.check_alive()
            tasks = self._task_instances(dag_id, run_id)
            done = sorted(
                (t for t in tasks if t.get("state") in FINISHED_STATES),
                key=lambda t: (t.get("end_date") or "", t["task_id"]),
            )
            for t in done:
                if t["task_id"] not in told:
                    told.add(t["task_id"])
                    if on_progress:
                        on_progress(
                            TaskProgress(
                                t["task_id"],
                                t["state"],
                                len(told),
                                len(tasks),
                                time.monotonic() - started,
                            )
                        )
            run = self.request("GET", f"/api/v2/dags/{dag_id}/dagRuns/{_q(run_id)}")
            if run.get("state") in RUN_FINISHED_STATES and len(told) == len(tasks):
                return str(run["state"])
            time.sleep(poll_seconds)

    # --- stop ----------------------------------------------------------------------------------

    def pids(self) -> set[int]:
        """Every live process started here: the components and all their children."""
        found: set[int] = set()
        for c in self.components:
            if c.process is None or c.process.poll() is not None:
                continue
            found.add(c.process.pid)
            with contextlib.suppress(psutil.NoSuchProcess):
                found |= {p.pid for p in psutil.Process(c.process.pid).children(recursive=True)}
        return found

    def stop(self) -> None:
        """SIGTERM to every component's process group, SIGKILL to what outlives the grace
        period, then any child that left its group (a task in its own session) by pid."""
        stray = self.pids()
        for c in self.components:
            _signal_group(c, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for c in self.components:
            if c.process is None:
                continue
            with contextlib.suppress(subprocess.TimeoutExpired):
                c.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            _signal_group(c, signal.SIGKILL)
            c.process.wait(timeout=STOP_GRACE_SECONDS)
        alive = _alive(stray)
        for proc in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        psutil.wait_procs(alive, timeout=STOP_GRACE_SECONDS)

    def __enter__(self) -> EmbeddedAirflow:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _signal_group(component: Component, sig: signal.Signals) -> None:
    if component.process is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(component.process.pid, sig)


def _alive(pids: set[int]) -> list[psutil.Process]:
    alive = []
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            if proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
        except psutil.NoSuchProcess:
            continue
    return alive


class _Stop(Exception):
    """SIGTERM arrived: leave the wait loop and stop every component."""


def run_standalone(paths: Paths, *, port: int | None = None) -> int:
    """``marketing-health airflow standalone``: the UI on 127.0.0.1 until Ctrl-C or SIGTERM.

    Nothing listens beyond this machine; stopping (either signal) ends every component.
    """
    chosen = port or int(os.getenv("AIRFLOW__API__PORT") or 8080)
    airflow = EmbeddedAirflow(paths, port=chosen)

    def _terminate(signum: int, frame: object) -> None:
        raise _Stop

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        print(f"Airflow home: {airflow.home}", flush=True)
        print("Preparing the metadata database ...", flush=True)
        airflow.migrate()
        print("Starting the API server, scheduler, DAG processor and triggerer ...", flush=True)
        airflow.start()
        print(
            f"Airflow is ready: {airflow.api_url}  (user {ADMIN_USER}, password "
            f"{airflow.admin_password()}, kept in {airflow.passwords_file})\n"
            f"Component logs: {airflow.component_logs}\n"
            "Ctrl-C stops every component.",
            flush=True,
        )
        while True:
            airflow.check_alive()
            time.sleep(1)
    except (KeyboardInterrupt, _Stop):
        print("Stopping every Airflow component ...", flush=True)
        return 0
    except EmbeddedAirflowError as err:
        print(f"Airflow stopped: {err}", flush=True)
        return 1
    finally:
        # a second Ctrl-C or SIGTERM must not cut the stop short and leave components behind
        previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            airflow.stop()
        finally:
            signal.signal(signal.SIGINT, previous_int)
            signal.signal(signal.SIGTERM, previous)
