"""The Docker daemon and the Compose command, found on this machine or started.

Debian's ``docker.io`` package ships ``dockerd`` without starting it where no init system runs
it (a CI machine, a container); as root it can be started here. Compose is Debian's
``docker-compose`` (v1) or the ``docker compose`` plugin, whichever is installed.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

DAEMON_START_SECONDS = 60.0


class DockerUnavailable(RuntimeError):
    """No Docker daemon or Compose command can be used; the message says what is missing."""


def daemon_running() -> bool:
    """Whether ``docker info`` reaches a daemon."""
    if shutil.which("docker") is None:
        return False
    done = subprocess.run(
        ["docker", "info", "--format", "{{.ServerVersion}}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.returncode == 0 and bool(done.stdout.strip())


@dataclass
class StartedDaemon:
    """A ``dockerd`` started here; :meth:`stop` ends it (the daemon stops its containers)."""

    process: subprocess.Popen[bytes]
    log_file: Path

    def stop(self, timeout: float = 60.0) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def ensure_daemon(log_file: Path) -> StartedDaemon | None:
    """A reachable Docker daemon: the running one (None), or one started now as root.

    Raises:
        DockerUnavailable: no ``docker`` client, or no daemon and none can be started here.
    """
    if shutil.which("docker") is None:
        raise DockerUnavailable("no docker command (Debian: apt-get install docker.io)")
    if daemon_running():
        return None
    dockerd = shutil.which("dockerd")
    if dockerd is None or os.geteuid() != 0:
        raise DockerUnavailable(
            "no Docker daemon is running and none can be started here "
            "(dockerd must be installed and started as root)"
        )
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            [dockerd], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    started = StartedDaemon(process, log_file)
    deadline = time.monotonic() + DAEMON_START_SECONDS
    while not daemon_running():
        if process.poll() is not None or time.monotonic() > deadline:
            started.stop()
            tail = log_file.read_text(errors="replace")[-3000:]
            raise DockerUnavailable(f"dockerd did not start (log {log_file}):\n{tail}")
        time.sleep(0.5)
    return started


def compose_command() -> list[str]:
    """``docker-compose`` (Debian's v1) or ``docker compose`` (the plugin), as installed.

    Raises:
        DockerUnavailable: neither is installed.
    """
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    plugin = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, check=False
    )
    if plugin.returncode == 0:
        return ["docker", "compose"]
    raise DockerUnavailable("no Compose command (Debian: apt-get install docker-compose)")


def bridge_gateway() -> str:
    """The host's address on Docker's default bridge: every container on this daemon reaches
    the host there, whatever network Compose puts it on, and nothing outside this machine does.

    Docker names it as the bridge's gateway, or (as Debian's dockerd does) only the subnet,
    whose first address the bridge then takes.

    Raises:
        DockerUnavailable: the default bridge has neither.
    """
    done = subprocess.run(
        ["docker", "network", "inspect", "bridge", "--format", "{{json .IPAM.Config}}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    for config in json.loads(done.stdout) or []:
        if config.get("Gateway"):
            return str(config["Gateway"])
        if config.get("Subnet") and ":" not in config["Subnet"]:
            return str(ipaddress.ip_network(config["Subnet"]).network_address + 1)
    raise DockerUnavailable(f"Docker's default bridge has no IPv4 address: {done.stdout.strip()}")
