"""The machine a bench ran on, printed with its results: timings mean little without it."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float | None:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return None
    return pages * size / 2**30


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe_machine() -> list[str]:
    """A few lines: CPU, cores, memory, system load and the versions that do the work."""
    memory = _memory_gib()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return [
        f"CPU: {_cpu_model()}, {os.cpu_count()} cores; "
        f"memory: {f'{memory:.1f} GiB' if memory else 'unknown'}; load average: {load}",
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"DuckDB {_version('duckdb')}; dbt-core {_version('dbt-core')}; "
        f"dbt-duckdb {_version('dbt-duckdb')}; Great Expectations {_version('great-expectations')}",
    ]
