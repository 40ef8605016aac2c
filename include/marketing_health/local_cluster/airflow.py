"""Airflow's cluster components as separate processes on this machine, as a Celery cluster runs.

API server, scheduler, DAG processor, triggerer and N Celery workers each run in their own
process group with their own log file (never an unread pipe, which would stall a busy process),
all with one environment from :func:`marketing_health.airflow_env.cluster_environ`. Workers get
distinct Celery names and ``MH_WORKER_NAME``, so Airflow's records tell them apart. :meth:`stop`
ends every process it started, children included.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from marketing_health.airflow_env import (
    WORKER_NAME_ENV,
    ClusterSettings,
    airflow_executable,
    cluster_environ,
)
from marketing_health.local_cluster.servers import free_port
from marketing_health.settings import Paths

READY_TIMEOUT_SECONDS = 120.0
STOP_GRACE_SECONDS = 20.0
ADMIN_USER = "admin"


class ClusterError(RuntimeError):
    """A component failed to start or answer; the message carries the end of its log."""


@dataclass
class Component:
    """One long-running Airflow process and the file its output goes to."""

    name: str
    args: list[str]
    log_file: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def log_tail(self, chars: int = 3000) -> str:
        if not self.log_file.exists():
            return ""
        return self.log_file.read_text(encoding="utf-8", errors="replace")[-chars:]

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()


@dataclass
class AirflowCluster:
    """The Airflow side of the cluster topology; PostgreSQL and Redis are started beforehand.

    ``root`` holds the Airflow home, the component logs and pid files. ``paths`` are the
    pipeline's folders: the data folder is shared by every worker, as ``MH_DATA_DIR`` must be on
    shared storage in a real cluster (stage tasks hand files to the publish task).
    """

    root: Path
    paths: Paths
    # URLs, settings and the login carry passwords: kept out of repr (and so out of logs)
    metadata_url: str = field(repr=False)
    broker_url: str = field(repr=False)
    workers: int = 2
    worker_concurrency: int = 2
    extra_env: Mapping[str, str] = field(default_factory=dict, repr=False)
    api_port: int = field(default_factory=free_port)
    components: list[Component] = field(default_factory=list, repr=False)
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(16), repr=False)
    _settings: ClusterSettings | None = field(default=None, repr=False)

    @property
    def home(self) -> Path:
        return self.root / "airflow"

    @property
    def logs_dir(self) -> Path:
        return self.root / "logs"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def settings(self) -> ClusterSettings:
        """Secrets generated once per cluster and shared by every component."""
        if self._settings is None:
            self._settings = ClusterSettings(
                metadata_url=self.metadata_url,
                broker_url=self.broker_url,
                api_url=self.api_url,
                jwt_secret=secrets.token_hex(32),
                fernet_key=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
                api_secret_key=secrets.token_hex(32),
            )
        return self._settings

    def worker_names(self) -> list[str]:
        return [f"worker{i}" for i in range(1, self.workers + 1)]

    def environ(self) -> dict[str, str]:
        passwords = self.home / "passwords.json"
        return cluster_environ(
            self.paths,
            self.settings,
            {
                "AIRFLOW_HOME": str(self.home),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN_USER}:admin",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
                **self.extra_env,
            },
        )

    # --- start ---------------------------------------------------------------------------------

    def migrate(self) -> None:
        """``airflow db migrate``: the metadata schema, before any component starts."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        passwords = self.home / "passwords.json"
        passwords.unlink(missing_ok=True)
        fd = os.open(passwords, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({ADMIN_USER: self.admin_password}, out)
        log_file = self.logs_dir / "db-migrate.log"
        with log_file.open("ab") as log:
            done = subprocess.run(
                [airflow_executable(), "db", "migrate"],
                env=self.environ(),
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if done.returncode != 0:
            tail = log_file.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise ClusterError(f"airflow db migrate failed ({done.returncode}):\n{tail}")

    def start(self) -> AirflowCluster:
        """Start every component and wait until the API answers and every worker is ready."""
        run_dir = self.root / "run"
        run_dir.mkdir(parents=True, exist_ok=True)
        plan = [
            (
                "api-server",
                ["api-server", "--host", "127.0.0.1", "--port", str(self.api_port)],
                {},
            ),
            ("scheduler", ["scheduler", "--skip-serve-logs"], {}),
            ("dag-processor", ["dag-processor"], {}),
            ("triggerer", ["triggerer", "--skip-serve-logs"], {}),
        ]
        for name in self.worker_names():
            plan.append(
                (
                    name,
                    [
                        "celery",
                        "worker",
                        "--celery-hostname",
                        f"{name}@%h",
                        "--concurrency",
                        str(self.worker_concurrency),
                        "--pid",
                        str(run_dir / f"{name}.pid"),
                        # task logs are written to the shared log folder the API server reads
                        "--skip-serve-logs",
                    ],
                    {WORKER_NAME_ENV: name},
                )
            )
        base = self.environ()
        for name, args, env in plan:
            self._spawn(Component(name, args, self.logs_dir / f"{name}.log", env), base)
        self.wait_ready()
        return self

    def _spawn(self, component: Component, base_env: dict[str, str]) -> None:
        with component.log_file.open("ab") as log:
            component.process = subprocess.Popen(
                [airflow_executable(), *component.args],
                env={**base_env, **component.env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.components.append(component)

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        pending = {"api-server", *self.worker_names()}
        while pending:
            self.check_alive()
            if "api-server" in pending and self._api_healthy():
                pending.discard("api-server")
            for name in [n for n in pending if n != "api-server"]:
                if " ready." in self.component(name).log_tail(20000):
                    pending.discard(name)
            if not pending:
                return
            if time.monotonic() > deadline:
                raise ClusterError(
                    f"not ready within {timeout:.0f}s: {sorted(pending)}\n"
                    + "\n".join(f"--- {n}\n{self.component(n).log_tail()}" for n in pending)
                )
            time.sleep(0.5)

    def _api_healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.api_url}/api/v2/monitor/health", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def component(self, name: str) -> Component:
        return next(c for c in self.components if c.name == name)

    def check_alive(self) -> None:
        """Raise with its log when a component has exited: the cluster is not whole any more."""
        for c in self.components:
            code = c.exited()
            if code is not None:
                raise ClusterError(f"{c.name} exited with {code}:\n{c.log_tail()}")

    # --- the REST API --------------------------------------------------------------------------

    def token(self) -> str:
        """An access token of the admin user (the simple auth manager's login)."""
        body = self.request(
            "POST",
            "/auth/token",
            {"username": ADMIN_USER, "password": self.admin_password},
            token=None,
        )
        return str(body["access_token"])

    def request(self, method: str, path: str, body: Any = None, *, token: str | None = "") -> Any:
        """One call to the public REST API; ``token=""`` logs in first."""
        if token == "":
            token = self.token()
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.api_url + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as err:
            detail = err.read().decode(errors="replace")[:1000]
            raise ClusterError(f"{method} {path}: HTTP {err.code} {detail}") from err
        return json.loads(text) if text else None

    def wait_for_dag(self, dag_id: str, timeout: float = READY_TIMEOUT_SECONDS) -> None:
        """Until the DAG processor has parsed ``dag_id`` and the API knows it."""
        token = self.token()
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            try:
                self.request("GET", f"/api/v2/dags/{dag_id}", token=token)
                return
            except ClusterError as err:
                if "HTTP 404" not in str(err) or time.monotonic() > deadline:
                    raise ClusterError(
                        f"{err}\n--- dag-processor\n{self.component('dag-processor').log_tail()}"
                    ) from err
            time.sleep(1)

    # --- stop ----------------------------------------------------------------------------------

    def pids(self) -> set[int]:
        """Every live process of the cluster: the components and all their children."""
        found: set[int] = set()
        for c in self.components:
            if c.process is None or c.process.poll() is not None:
                continue
            found.add(c.process.pid)
            with contextlib.suppress(psutil.NoSuchProcess):
                found |= {p.pid for p in psutil.Process(c.process.pid).children(recursive=True)}
        return found

    def stop(self) -> None:
        """Stop every component's process group: workers first (warm shutdown), then the rest."""
        stray = self.pids()
        ordered = sorted(self.components, key=lambda c: not c.name.startswith("worker"))
        for c in ordered:
            _signal_group(c, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for c in ordered:
            if c.process is None:
                continue
            with contextlib.suppress(subprocess.TimeoutExpired):
                c.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            _signal_group(c, signal.SIGKILL)
            c.process.wait(timeout=STOP_GRACE_SECONDS)
        # a child that left its group (a task's own session) is ended by pid
        for proc in _alive(stray):
            proc.kill()
        psutil.wait_procs(_alive(stray), timeout=STOP_GRACE_SECONDS)


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


def run_cluster(
    paths: Paths,
    root: Path,
    *,
    workers: int = 2,
    concurrency: int = 2,
    port: int = 8080,
    extra_env: Mapping[str, str] | None = None,
) -> int:
    """The whole topology on this machine until Ctrl-C: a trial of the cluster mode.

    PostgreSQL (Airflow's metadata, and the warehouse unless ``MH_WAREHOUSE_URL`` names one)
    and Redis start fresh under ``root``; so does Airflow's metadata, so each start is a new
    cluster. The landing zone and the other data folders are the configured ones.
    """
    from dataclasses import replace

    from marketing_health.local_cluster.servers import PostgresServer, RedisServer

    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    root.chmod(0o755)  # PostgreSQL runs as its own system user when started by root
    postgres, redis = PostgresServer(root / "pg"), RedisServer(root / "redis")
    cluster: AirflowCluster | None = None
    try:
        postgres.start()
        redis.start()
        postgres.create_database("airflow")
        if paths.warehouse_url is None:
            paths = replace(paths, warehouse_url=postgres.create_database("marketing_health"))
        cluster = AirflowCluster(
            root / "airflow-cluster",
            paths,
            metadata_url=postgres.url("airflow", driver="postgresql+psycopg2"),
            broker_url=redis.url(),
            workers=workers,
            worker_concurrency=concurrency,
            api_port=port,
            extra_env=dict(extra_env or {}),
        )
        print(f"starting: PostgreSQL on 127.0.0.1:{postgres.port}, Redis on 127.0.0.1:{redis.port}")
        cluster.migrate()
        cluster.start()
        print(
            f"Airflow UI: {cluster.api_url} "
            f"(user {ADMIN_USER}, password {cluster.admin_password})\n"
            f"warehouse: {paths.warehouse_label}\n"
            f"component logs: {cluster.logs_dir}\n"
            f"task logs: {cluster.home / 'logs'}\n"
            f"workers: {', '.join(cluster.worker_names())} ({concurrency} tasks each)\n"
            "Ctrl-C stops everything."
        )
        while True:
            cluster.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        print("stopping ...")
        return 0
    except ClusterError as err:
        print(f"the cluster stopped: {err}")
        return 1
    finally:
        if cluster is not None:
            cluster.stop()
        redis.stop()
        postgres.stop()
