"""Builds the dbt project (staging -> intermediate -> marts) against the warehouse.

A night builds in two passes. :func:`run_dbt_build` builds everything but the models tagged
``after_guards`` (they read the guard results, which do not exist yet); after the guards,
:func:`run_dbt_reporting` builds just those (guard states and campaign health).

dbt runs in-process through ``dbtRunner`` rather than as a ``dbt build`` subprocess. From a
fresh process both cost the same; a process that has run dbt before saves about two seconds
per build, and the run results come back as objects, so a failed night names its models and
tests without parsing logs (dbt_project/README.md has the measurements). Two constraints
follow from running in-process:

* dbtRunner keeps global state and is not safe to call concurrently in one process, so every
  invocation here holds a module-level lock;
* the warehouse reaches dbt's profile through environment variables, set for the duration of
  one invocation and restored afterwards: ``MH_WAREHOUSE`` (the DuckDB file), or, with
  ``MH_WAREHOUSE_URL``, target ``postgres`` with ``MH_PG_HOST``, ``MH_PG_PORT``,
  ``MH_PG_USER``, ``MH_PG_DATABASE`` and the password in ``DBT_ENV_SECRET_MH_PG_PASSWORD``,
  whose prefix makes dbt scrub it from its logs.

DuckDB takes one writer per file. Before dbt opens the warehouse, the runner opens it once
through :func:`marketing_health.warehouse.connect`, which waits while another process holds
the lock, so a notebook left open delays the night instead of failing it. On PostgreSQL the
build holds the warehouse's advisory lock instead, so two nights never build at once.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from marketing_health.catalogue.vocabularies import load_vocabularies, write_vocabularies
from marketing_health.settings import Paths
from marketing_health.transform.night_plan import (
    plan_night,
    project_fingerprint,
    record_build,
    write_night,
)
from marketing_health.warehouse import QUERY_ERRORS, connect

log = logging.getLogger(__name__)

WAREHOUSE_ENV = "MH_WAREHOUSE"
#: The profile's target: ``warehouse`` (DuckDB) or ``postgres`` (dbt_project/profiles.yml).
TARGET_ENV = "MH_DBT_TARGET"
#: dbt keeps values of ``DBT_ENV_SECRET_*`` variables out of its logs.
PASSWORD_ENV = "DBT_ENV_SECRET_MH_PG_PASSWORD"
#: Tag of the models that read the night's guard results: built after the guards.
AFTER_GUARDS_TAG = "after_guards"
AFTER_GUARDS_SELECTOR = f"tag:{AFTER_GUARDS_TAG}"
#: Column tests the nightly build runs in one query per model (the generic test
#: ``column_tests_on_new_rows``, dbt_project/tests/generic) instead of one by one.
COMBINED_COLUMN_TESTS = (
    "not_null",
    "unique",
    "accepted_values",
    "accepted_range",
    "unique_combination_of_columns",
    "relationships",
)
#: What CI runs and a night does not: the unit tests and the column tests one by one.
UNIT_TESTS_SELECTOR = "test_type:unit"
COLUMN_TESTS_SELECTOR = " ".join(f"test_name:{name}" for name in COMBINED_COLUMN_TESTS)
NIGHTLY_EXCLUDED = (UNIT_TESTS_SELECTOR, COLUMN_TESTS_SELECTOR)
#: Statuses of a node that did not do its job (models, seeds, tests, unit tests).
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})

_DBT_LOCK = threading.Lock()


class DbtBuildError(RuntimeError):
    """The transform did not complete: some models or tests failed, or dbt could not start."""

    def __init__(self, message: str, summary: DbtRunSummary | None = None) -> None:
        super().__init__(message)
        self.summary = summary


@dataclass(frozen=True)
class DbtNodeFailure:
    """One model, seed or test that failed, as dbt reported it.

    For a data test, ``model`` and ``column`` say what it checks and ``failing_rows`` how many
    rows broke it, so the failure can be read without opening dbt's log. A nightly
    ``column_tests_on_new_rows`` lists the column tests that failed in ``failed_checks``.
    """

    name: str
    resource_type: str
    status: str
    message: str
    model: str | None = None
    column: str | None = None
    failing_rows: int | None = None
    #: column tests behind a failed ``column_tests_on_new_rows``: "<test>: <n> row(s)"
    failed_checks: tuple[str, ...] = ()
    #: the test's SQL as run, to read its failing rows again
    compiled_sql: str | None = field(default=None, repr=False, compare=False)

    def describe(self) -> str:
        if self.resource_type in ("test", "unit_test") and self.model:
            target = f"{self.model}.{self.column}" if self.column else self.model
            rows = f"{self.failing_rows} row(s) break it" if self.failing_rows else self.message
            if self.failed_checks:
                rows += f" ({'; '.join(self.failed_checks)})"
            return f"{self.resource_type} {self.name} on {target} ({self.status}): {rows}"
        return f"{self.resource_type} {self.name} ({self.status}): {self.message}"


@dataclass(frozen=True)
class DbtRunSummary:
    """What one dbt invocation did, in a shape a task log or a run summary can print."""

    command: str
    as_of_date: str | None
    success: bool
    elapsed_seconds: float
    status_counts: dict[str, int] = field(default_factory=dict)
    failures: tuple[DbtNodeFailure, ...] = ()
    #: models and seeds not built because something they depend on failed
    skipped: tuple[str, ...] = ()
    skipped_tests: int = 0
    log_path: Path | None = None

    def summary(self) -> str:
        """A few lines for the task log: counts, then what failed and what was not built."""
        counts = ", ".join(f"{n} {s}" for s, n in sorted(self.status_counts.items())) or "nothing"
        night = f" for {self.as_of_date}" if self.as_of_date else ""
        head = (
            f"dbt {self.command}{night} {'succeeded' if self.success else 'failed'} "
            f"in {self.elapsed_seconds:.1f}s: {counts}."
        )
        lines = [head]
        lines += [f"  failed: {f.describe()}" for f in self.failures]
        if self.skipped or self.skipped_tests:
            models = ", ".join(self.skipped) or "no models"
            lines.append(
                f"  not built because something upstream failed: {models}"
                f" (and {self.skipped_tests} test(s))"
            )
        if not self.success and self.log_path:
            lines.append(f"  full log: {self.log_path}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for run summaries and XCom."""
        return {
            "command": self.command,
            "as_of_date": self.as_of_date,
            "success": self.success,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "status_counts": dict(self.status_counts),
            "failures": [
                {k: v for k, v in f.__dict__.items() if k != "compiled_sql"} for f in self.failures
            ],
            "skipped": list(self.skipped),
            "skipped_tests": self.skipped_tests,
            "log_path": str(self.log_path) if self.log_path else None,
        }


def dbt_log_dir(paths: Paths) -> Path:
    return paths.data_dir / "dbt" / "logs"


def docs_index_path(paths: Paths) -> Path:
    return paths.data_dir / "dbt_docs" / "index.html"


def run_dbt_build(
    paths: Paths,
    as_of_date: str,
    *,
    select: str | None = None,
    exclude: str | None = AFTER_GUARDS_SELECTOR,
    full_refresh: bool = False,
) -> DbtRunSummary:
    """Build seeds, models and their tests for the night ``as_of_date`` (YYYY-MM-DD).

    The models built after the guards (tag ``after_guards``) are left out unless ``exclude``
    says otherwise; the unit tests and the one-by-one column tests always are (CI runs them,
    :func:`run_dbt_tests`): each model's column tests run as one query over the rows the
    night wrote.

    Before dbt starts, the night and the days it rebuilds are written to ``transform.night``
    (:mod:`marketing_health.transform.night_plan`): the incremental staging tables read only
    what was published since the last build, the incremental daily models rebuild only the
    days that changed. ``full_refresh`` rebuilds everything from every raw row; the whole
    nightly build does so by itself on a first build or when the dbt project changed. A
    build of selected models (``select``) uses the plan's days but is not recorded as a night
    built.

    Raises:
        DbtBuildError: a model, seed or test failed (the message lists them), or dbt could
            not start (bad project, warehouse unreachable).
    """
    as_of_date = _checked_day(as_of_date)
    whole_night = select is None and exclude == AFTER_GUARDS_SELECTOR
    write_night_vocabularies(paths)
    write_night_parameters(paths)
    with connect(paths) as con:
        plan = plan_night(
            con,
            as_of_date,
            project_fingerprint=project_fingerprint(paths.dbt_project_dir),
            full_refresh=full_refresh,
        )
        write_night(con, plan)
    refresh = plan.full_refresh if whole_night else full_refresh
    log.info("Night %s: %s", as_of_date, plan.describe())
    summary = _build(
        paths,
        as_of_date,
        select=select,
        exclude=exclude,
        command="build --full-refresh" if refresh else "build",
        full_refresh=refresh,
    )
    if whole_night:
        with connect(paths) as con:
            record_build(con, plan)
    return summary


def write_night_vocabularies(paths: Paths) -> dict[str, int]:
    """Copy the vocabularies (package plus the team's config folder) into ``vocab.*``, where
    the models read them, so a term a team adds tonight is known to tonight's build.

    Raises:
        VocabularyError: a vocabulary file is wrong (the message names file and entry).
    """
    vocab = load_vocabularies()
    with connect(paths) as con:
        counts = write_vocabularies(con, vocab)
    log.info(
        "Vocabularies written (%s) from %s",
        ", ".join(f"{t}: {n}" for t, n in counts.items()),
        ", ".join(str(f) for f in vocab.files),
    )
    return counts


def write_night_parameters(paths: Paths) -> int:
    """Write the catalogue's guard parameters and tonight's overrides of them into
    ``params.guard_parameter_settings``, where dbt resolves them per campaign, so an override
    added tonight changes tonight's signals.

    Raises:
        GuardOverridesError: the overrides file is wrong (the message names the entry).
    """
    from marketing_health.guards.parameters import write_guard_parameters

    with connect(paths) as con:
        count = write_guard_parameters(con)
    log.info("Guard parameters written (%d setting(s))", count)
    return count


def run_dbt_reporting(paths: Paths, as_of_date: str) -> DbtRunSummary:
    """Build the models that read the night's guard results (tag ``after_guards``): guard
    states and campaign health, with their tests.

    Raises:
        DbtBuildError: as :func:`run_dbt_build`.
    """
    return _build(
        paths,
        _checked_day(as_of_date),
        select=AFTER_GUARDS_SELECTOR,
        exclude=None,
        command=f"build --select {AFTER_GUARDS_SELECTOR}",
    )


def run_dbt_tests(paths: Paths, select: str, *, exclude: str | None = None) -> DbtRunSummary:
    """``dbt test --select <select>``: what CI runs against a built warehouse and a night
    leaves out, such as the unit tests (``UNIT_TESTS_SELECTOR``) or the column tests one by
    one over whole tables (``COLUMN_TESTS_SELECTOR``).

    Raises:
        DbtBuildError: a test failed (the message names it) or dbt could not start.
    """
    args = ["test", "--select", *select.split()]
    if exclude:
        args += ["--exclude", *exclude.split()]
    summary = _invoke(paths, args, command=f"test --select {select}", as_of_date=None)
    if not summary.success:
        summary = _with_failed_column_tests(paths, summary)
        raise DbtBuildError(summary.summary(), summary)
    log.info("%s", summary.summary())
    return summary


def _build(
    paths: Paths,
    as_of_date: str,
    *,
    select: str | None,
    exclude: str | None,
    command: str,
    full_refresh: bool = False,
) -> DbtRunSummary:
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    if select:
        args += ["--select", *select.split()]
    args += ["--exclude", *(exclude or "").split(), *" ".join(NIGHTLY_EXCLUDED).split()]
    summary = _invoke(paths, args, command=command, as_of_date=as_of_date)
    if not summary.success:
        summary = _with_failed_column_tests(paths, summary)
        raise DbtBuildError(summary.summary(), summary)
    log.info("%s", summary.summary())
    return summary


def generate_docs(paths: Paths, *, as_of_date: str | None = None) -> Path:
    """Render the project's documentation as one self-contained HTML page and return its path.

    The page (``static_index.html``, with manifest and catalog inlined) is copied to
    ``<data_dir>/dbt_docs/index.html`` so it can be served or attached without the target
    folder. The SQL shown is compiled for the night last built (``transform.night``);
    ``as_of_date`` is only checked.
    """
    if as_of_date:
        _checked_day(as_of_date)
    args = ["docs", "generate", "--static", "--quiet"]
    summary = _invoke(paths, args, command="docs generate", as_of_date=as_of_date, write_json=True)
    rendered = paths.dbt_target_dir / "static_index.html"
    if not summary.success or not rendered.exists():
        raise DbtBuildError(summary.summary(), summary)
    target = docs_index_path(paths)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(rendered, target)
    return target


def _with_failed_column_tests(paths: Paths, summary: DbtRunSummary) -> DbtRunSummary:
    """Name the column tests behind a failed ``column_tests_on_new_rows``: its query returns
    one row per failing test, read again once dbt has let go of the warehouse."""
    failures = []
    for failure in summary.failures:
        if failure.compiled_sql and failure.name.startswith("column_tests_on_new_rows"):
            try:
                with connect(paths, read_only=True) as con:
                    rows = con.execute(failure.compiled_sql).fetchall()
            except QUERY_ERRORS as exc:
                log.warning("Could not list the failing column tests of %s: %s", failure.name, exc)
            else:
                checks = tuple(f"{name}: {count} row(s)" for name, count in rows)
                failure = replace(failure, failed_checks=checks)
        failures.append(failure)
    return replace(summary, failures=tuple(failures))


def _checked_day(value: str) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValueError(f"as_of_date must be a day written YYYY-MM-DD, got {value!r}") from None


def _invoke(
    paths: Paths,
    args: Sequence[str],
    *,
    command: str,
    as_of_date: str | None,
    write_json: bool = False,
) -> DbtRunSummary:
    """Run one dbt command in this process. Results come back as objects, so builds and tests
    skip writing manifest.json and run_results.json (about a second for this project); the
    parsed project for the next run (partial_parse.msgpack) is written either way."""
    from dbt.cli.main import dbtRunner  # heavy import: keep DAG parsing cheap

    log_dir = dbt_log_dir(paths)
    log_dir.mkdir(parents=True, exist_ok=True)
    paths.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    full_args = [
        *args,
        "--project-dir",
        str(paths.dbt_project_dir),
        "--profiles-dir",
        str(paths.dbt_project_dir),
        "--target-path",
        str(paths.dbt_target_dir),
        "--log-path",
        str(log_dir),
        "--no-use-colors",
        "--write-json" if write_json else "--no-write-json",
    ]
    from marketing_health import warehouse

    # this process's turn at the warehouse for the whole invocation: dbt opens it itself
    with _DBT_LOCK, warehouse.hold(paths, exclusive=True):
        if paths.warehouse_url is None:
            _wait_for_warehouse(paths.warehouse)
        started = time.monotonic()
        try:
            with _environment(profile_environment(paths)):
                result = dbtRunner().invoke(full_args)
        finally:
            _release_warehouse()
        elapsed = time.monotonic() - started
    return _summarise(
        result, command=command, as_of_date=as_of_date, elapsed=elapsed, log_dir=log_dir
    )


def profile_environment(paths: Paths) -> dict[str, str]:
    """What dbt's profile reads to reach this installation's warehouse."""
    if paths.warehouse_url is None:
        return {TARGET_ENV: "warehouse", WAREHOUSE_ENV: str(paths.warehouse)}
    url = urlsplit(paths.warehouse_url)
    return {
        TARGET_ENV: "postgres",
        WAREHOUSE_ENV: str(paths.warehouse),
        "MH_PG_HOST": url.hostname or "127.0.0.1",
        "MH_PG_PORT": str(url.port or 5432),
        "MH_PG_USER": unquote(url.username or ""),
        "MH_PG_DATABASE": unquote(url.path.lstrip("/")),
        PASSWORD_ENV: unquote(url.password or ""),
    }


def _wait_for_warehouse(path: Path) -> None:
    """Block until no other program (a notebook, say) holds DuckDB's own lock on the file."""
    from marketing_health import warehouse

    with warehouse.connect(path):
        pass


def _release_warehouse() -> None:
    """Close the database dbt-duckdb keeps open after an invocation.

    dbt-duckdb holds its DuckDB connection for the life of the process (``keep_open``, on by
    default, spares it reopening the file for every model). Left open, the file lock would
    stay with this process and a later read-only connection in it would be refused, so the
    runner closes it as soon as dbt returns.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter: nothing held
        return
    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        if environment is not None:
            environment.close()
    DuckDBConnectionManager.close_all_connections()


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _is_hook(node: Any) -> bool:
    return str(getattr(node, "resource_type", "")) == "operation"


def _summarise(
    result: Any, *, command: str, as_of_date: str | None, elapsed: float, log_dir: Path
) -> DbtRunSummary:
    node_results = list(getattr(result.result, "results", None) or [])
    # project hooks (on-run-start) prepare the warehouse; only models, seeds and tests count
    counts: Counter[str] = Counter(str(r.status) for r in node_results if not _is_hook(r.node))
    failures = [_failure(r) for r in node_results if str(r.status) in FAILED_STATUSES]
    skipped = [r.node for r in node_results if str(r.status) == "skipped"]
    if result.exception is not None:
        failures.append(
            DbtNodeFailure(
                name="dbt",
                resource_type="invocation",
                status="error",
                message=str(result.exception).strip(),
            )
        )
    success = bool(result.success) and not failures
    if not success and not failures:
        failures.append(
            DbtNodeFailure(
                name="dbt",
                resource_type="invocation",
                status="error",
                message="dbt reported a failure without naming a model or test; see the log",
            )
        )
    return DbtRunSummary(
        command=command,
        as_of_date=as_of_date,
        success=success,
        elapsed_seconds=elapsed,
        status_counts=dict(counts),
        failures=tuple(failures),
        skipped=tuple(n.name for n in skipped if not _is_test(n)),
        skipped_tests=sum(1 for n in skipped if _is_test(n)),
        log_path=log_dir / "dbt.log",
    )


def _is_test(node: Any) -> bool:
    return str(node.resource_type) in ("test", "unit_test")


def _failure(node_result: Any) -> DbtNodeFailure:
    node = node_result.node
    model = column = None
    if _is_test(node):
        attached = getattr(node, "attached_node", None) or getattr(node, "model", None)
        model = str(attached).rsplit(".", 1)[-1] if attached else None
        column = getattr(node, "column_name", None)
    return DbtNodeFailure(
        name=node.name,
        resource_type=str(node.resource_type),
        status=str(node_result.status),
        message=(node_result.message or "").strip(),
        model=model,
        column=column,
        failing_rows=getattr(node_result, "failures", None),
        compiled_sql=getattr(node, "compiled_code", None) if _is_test(node) else None,
    )
