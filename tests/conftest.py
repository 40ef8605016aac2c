"""Shared fixtures: every test gets its own data folder, Airflow home and environment.

Nothing here fakes a component: tests run the real DuckDB file, dbt, Great Expectations and
Airflow against folders under pytest's tmp_path.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")

from marketing_health.local_cluster.servers import PostgresServer, postgres_bindir
from marketing_health.settings import Paths


def _test_folder(nodeid: str) -> str:
    """The folder under tests/ a test is in ("top" for tests/ itself): its xdist work unit."""
    parts = nodeid.split("::", 1)[0].split("/")
    return parts[1] if len(parts) > 2 else "top"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "schedule_first: the test's folder is handed out first under xdist (a long test that "
        "would otherwise start last and make the whole run wait for it)",
    )
    config.addinivalue_line(
        "markers",
        "schedule_last: the test's folder is handed out last under xdist, to the first worker "
        "that is done with the rest (a test that needs something built in the background "
        "meanwhile, the compose stack's images: run earlier, it would wait idle for them)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Folders holding a ``schedule_first`` test first, then the largest folders first, and
    folders holding a ``schedule_last`` test at the end.

    Under xdist the workers' collection order is the order the folders are handed out in
    (pytest_xdist_make_scheduler); largest first is what xdist itself does by default.
    """
    sizes: dict[str, int] = {}
    first: set[str] = set()
    last: set[str] = set()
    for item in items:
        folder = _test_folder(item.nodeid)
        sizes[folder] = sizes.get(folder, 0) + 1
        if item.get_closest_marker("schedule_first"):
            first.add(folder)
        if item.get_closest_marker("schedule_last"):
            last.add(folder)

    def order(folder: str) -> tuple[int, int]:
        return (2 if folder in last else 0 if folder in first else 1, -sizes[folder])

    rank = {f: n for n, f in enumerate(sorted(sizes, key=order))}
    items.sort(key=lambda item: rank[_test_folder(item.nodeid)])


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``pytest -n 2`` (scripts/test.sh), each test folder goes whole to one worker.

    A folder's session and module fixtures (a generated landing zone, a built warehouse, a
    night run through Airflow, a server) are then built once, not once per worker. Folders are
    handed out in collection order (pytest_collection_modifyitems).
    """
    from xdist.scheduler import LoadScopeScheduling

    class ByTestFolder(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _test_folder(nodeid)

    config.option.loadscopereorder = False
    return ByTestFolder(config, log)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """A private data folder: landing zone, warehouse, runs, staging."""
    p = Paths.under(tmp_path / "data")
    p.data_dir.mkdir(parents=True)
    return p


@pytest.fixture
def pii_key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = "test-only-hash-key-0123456789abcdef"
    monkeypatch.setenv("MH_PII_HASH_KEY", key)
    return key


def _servers_required() -> bool:
    return os.getenv("MH_REQUIRE_SERVERS", "") == "1"


@pytest.fixture(scope="session")
def server_root() -> Iterator[Path]:
    """A folder the ``postgres`` system user can enter (pytest's own tmp folders are private)."""
    root = Path(tempfile.mkdtemp(prefix="mh-servers-"))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server(server_root: Path) -> Iterator[PostgresServer]:
    """One PostgreSQL server on loopback for the whole test session, from Debian's package.

    Skips where the package is not installed, unless MH_REQUIRE_SERVERS=1 (CI) makes that a
    failure.
    """
    if postgres_bindir() is None and not _servers_required():
        pytest.skip("PostgreSQL server not installed (apt-get install postgresql)")
    server = PostgresServer(server_root / "pg").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def warehouse_url(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> str:
    """A fresh, empty warehouse database on the session's PostgreSQL server."""
    name = "wh_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40]
    name = f"{name}_{next(_database_numbers)}"
    return postgres_server.create_database(name)


_database_numbers = itertools.count(1)
