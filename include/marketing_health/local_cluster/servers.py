"""PostgreSQL and Redis servers on loopback, started from the Debian packages' binaries.

Each server gets its own data folder and a free port, listens on 127.0.0.1 only and is stopped
(every process it started) by :meth:`stop`. PostgreSQL refuses to run as root, so when started
by root the server runs as the ``postgres`` system user the Debian package creates.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

START_TIMEOUT_SECONDS = 60.0


class ServerError(RuntimeError):
    """A server could not be found, started or reached; the message says what to install."""


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_bindir() -> Path | None:
    """Folder of ``initdb`` and ``pg_ctl``: the newest Debian cluster version, else PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def redis_binary() -> str | None:
    return shutil.which("redis-server")


def _as_server_user() -> list[str]:
    """Prefix that drops root to the ``postgres`` user (PostgreSQL will not run as root)."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


def _wait_for_port(port: int, timeout: float, what: str, log_file: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
    raise ServerError(f"{what} did not answer on 127.0.0.1:{port} within {timeout:.0f}s\n{tail}")


@dataclass
class PostgresServer:
    """A private PostgreSQL cluster: one superuser with a generated password, TCP on loopback."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    user: str = "marketing_health"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    started: bool = False

    @property
    def log_file(self) -> Path:
        return self.data_dir.parent / f"{self.data_dir.name}.log"

    def url(self, database: str = "postgres", driver: str = "postgresql") -> str:
        """Connection URL for ``database`` (``driver`` e.g. ``postgresql+psycopg2``)."""
        return (
            f"{driver}://{quote(self.user)}:{quote(self.password)}"
            f"@127.0.0.1:{self.port}/{quote(database)}"
        )

    def start(self) -> PostgresServer:
        bindir = postgres_bindir()
        if bindir is None:
            raise ServerError(
                "PostgreSQL server binaries not found: install Debian's postgresql package "
                "(apt-get install postgresql)"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        pwfile = self.data_dir.parent / f".{self.data_dir.name}.pw"
        pwfile.write_text(self.password + "\n")
        runas = _as_server_user()
        if runas:
            shutil.chown(self.data_dir, "postgres", "postgres")
            shutil.chown(pwfile, "postgres", "postgres")
            self.log_file.touch()
            shutil.chown(self.log_file, "postgres", "postgres")
        pwfile.chmod(0o600)
        self.data_dir.chmod(0o700)
        try:
            if not (self.data_dir / "PG_VERSION").exists():
                _run(
                    [
                        *runas,
                        str(bindir / "initdb"),
                        "-D",
                        str(self.data_dir),
                        "-U",
                        self.user,
                        f"--pwfile={pwfile}",
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256",
                        "--encoding=UTF8",
                        "--locale=C.UTF-8",
                    ],
                    "initdb",
                )
        finally:
            pwfile.unlink(missing_ok=True)
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir} "
            "-c fsync=off -c synchronous_commit=off -c max_connections=200"
        )
        _run(
            [
                *runas,
                str(bindir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                options,
                "-w",
                "-t",
                str(int(START_TIMEOUT_SECONDS)),
                "start",
            ],
            "pg_ctl start",
        )
        self.started = True
        _wait_for_port(self.port, START_TIMEOUT_SECONDS, "PostgreSQL", self.log_file)
        return self

    def create_database(self, name: str) -> str:
        """Create ``name`` unless it exists; returns its URL."""
        import psycopg2

        con = psycopg2.connect(self.url("postgres"))
        try:
            con.autocommit = True
            with con.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cur.fetchone() is None:
                    cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            con.close()
        return self.url(name)

    def stop(self) -> None:
        if not self.started:
            return
        bindir = postgres_bindir()
        assert bindir is not None
        subprocess.run(
            [
                *_as_server_user(),
                str(bindir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        self.started = False


@dataclass
class RedisServer:
    """A Redis server without persistence, as the Celery broker."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_file(self) -> Path:
        return self.data_dir / "redis.log"

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        binary = redis_binary()
        if binary is None:
            raise ServerError(
                "redis-server not found: install Debian's redis-server package "
                "(apt-get install redis-server)"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    binary,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.data_dir),
                    "--daemonize",
                    "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_for_port(self.port, START_TIMEOUT_SECONDS, "Redis", self.log_file)
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)
        self.process = None


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ServerError(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
