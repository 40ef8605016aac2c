"""Runs one stage in a child process and reads back its time and peak resident memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class StageFailed(RuntimeError):
    """A measured stage exited with an error; the message carries the end of its log."""


@dataclass(frozen=True)
class Measurement:
    """Seconds the stage itself took (imports included, interpreter start-up not), and the
    peak resident memory of its process and the processes it waited for."""

    stage: str
    seconds: float
    peak_bytes: int
    detail: dict[str, Any]
    #: user + system CPU seconds of the process, all its threads (interpreter start-up
    #: included): steadier than wall seconds when other work shares the cores
    cpu_seconds: float = 0.0


def run_stage(stage: str, log_file: Path, env: dict[str, str], **options: object) -> Measurement:
    """Run ``python -m marketing_health.bench.child <stage>`` with ``options`` as flags.

    The peak memory is the kernel's high-water mark of the child (``wait4``), so a short spike
    between two samples cannot be missed.
    """
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        result = Path(tmp) / "result.json"
        argv = [sys.executable, "-m", "marketing_health.bench.child", stage]
        argv += ["--result", str(result)]
        for name, value in options.items():
            if value is not None:
                argv += [f"--{name.replace('_', '-')}", str(value)]
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("ab") as log:
            child = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
            # wait4 rather than wait: it also returns the child's resource usage
            _, status, usage = os.wait4(child.pid, 0)
            child.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0 or not result.exists():
            tail = log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            raise StageFailed(
                f"bench stage {stage} failed (exit {code}); end of {log_file}:\n" + "\n".join(tail)
            )
        data = json.loads(result.read_text())
    # Linux reports ru_maxrss in kilobytes.
    return Measurement(
        stage,
        float(data["seconds"]),
        usage.ru_maxrss * 1024,
        data["detail"],
        cpu_seconds=usage.ru_utime + usage.ru_stime,
    )
