"""Runs the bench: each size generated, run through the pipeline's stages and the baseline,
then a year of history with one more night, loaded incrementally and rebuilt from nothing.

Every stage runs in its own process (see :mod:`marketing_health.bench.child`), one after the
other, so stages never compete for the cores and each peak memory belongs to one stage.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import duckdb

from marketing_health.bench import baseline
from marketing_health.bench.measure import Measurement, StageFailed, run_stage
from marketing_health.bench.sizes import scale_for
from marketing_health.bench.table import PIPELINE_STAGES, IncrementalResult, SizeResult
from marketing_health.contract import load_contract
from marketing_health.generate import volumes
from marketing_health.settings import WAREHOUSE_URL_ENV, Paths, mask_url

#: Path variables a child must not inherit: every bench folder is derived from --data-dir.
_PATH_ENV = (
    "MH_DATA_DIR",
    "MH_LANDING_DIR",
    "MH_WAREHOUSE",
    "MH_RUNS_DIR",
    "MH_STAGING_DIR",
    "MH_DBT_TARGET_DIR",
    WAREHOUSE_URL_ENV,
)
#: The engines a size can run on; the pipeline's stages write the engine's warehouse.
ENGINES = ("duckdb", "postgres")


@dataclass(frozen=True)
class BenchConfig:
    """What to measure and where to write."""

    work_dir: Path
    sizes: list[tuple[str, int]]
    days: int
    end_date: date
    history_days: int
    history_rows: int | None
    keep: bool
    seed: int = 7
    engines: tuple[str, ...] = ("duckdb",)
    #: a PostgreSQL server the bench may create databases on (for the postgres engine)
    postgres_url: str | None = field(default=None, repr=False)


Progress = Callable[[str], None]


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def child_env() -> dict[str, str]:
    """The bench's own environment: its own hashing key (sample data only, never printed)
    unless one is configured, and no path variables that would point a child elsewhere."""
    env = {k: v for k, v in os.environ.items() if k not in _PATH_ENV}
    env.setdefault("MH_PII_HASH_KEY", secrets.token_hex(16))
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def bench_database(server_url: str, label: str) -> str:
    """A fresh, empty database ``mh_bench_<label>`` on the server; returns its URL.

    Each size gets its own database so a run never mixes with another's tables; an earlier
    bench's database of the same name is dropped first.
    """
    import psycopg2

    name = "mh_bench_" + "".join(c if c.isalnum() else "_" for c in label.lower())
    con = psycopg2.connect(server_url)
    try:
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
    except psycopg2.Error as exc:
        raise RuntimeError(
            f"bench: could not create database {name} on {mask_url(server_url)}: "
            f"{str(exc).strip()} (the user needs CREATEDB)"
        ) from None
    finally:
        con.close()
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def drop_bench_database(database_url: str) -> None:
    import psycopg2

    name = urlsplit(database_url).path.strip("/")
    con = psycopg2.connect(urlunsplit(urlsplit(database_url)._replace(path="/postgres")))
    try:
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        con.close()


def _night(
    data_dir: Path,
    landing: Path,
    as_of: date,
    env: dict[str, str],
    say: Progress,
    out: dict[str, Measurement] | None = None,
) -> dict[str, Measurement]:
    """Each stage in its own process, in order; ``out`` keeps the stages that ran when a
    later one fails (:class:`StageFailed`)."""
    out = {} if out is None else out
    for stage in PIPELINE_STAGES:
        say(f"  {stage} ...")
        out[stage] = run_stage(
            stage,
            data_dir / "bench.log",
            env,
            data_dir=data_dir,
            landing=landing,
            as_of=as_of.isoformat(),
        )
    return out


def measure_size(
    config: BenchConfig, label: str, rows: int, env: dict[str, str], say: Progress = _say
) -> list[SizeResult]:
    """Generate one size; run the night on each engine, the baseline and the plain load on it,
    and check that each engine's marts agree with the baseline. One result per engine."""
    data_dir = config.work_dir / f"size_{label}"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    log = data_dir / "bench.log"
    landing = Paths.under(data_dir).landing_dir
    say(f"{label}: generating {rows:,} channel rows over {config.days} days ...")
    generated = run_stage(
        "generate",
        log,
        env,
        data_dir=data_dir,
        as_of=config.end_date.isoformat(),
        scale=scale_for(rows, config.days),
        days=config.days,
        seed=config.seed,
    )
    results: list[SizeResult] = []
    #: engine -> its PostgreSQL database (None: the DuckDB file under data_dir)
    urls: dict[str, str | None] = {}
    for engine in config.engines:
        result = SizeResult(
            label=label,
            rows=int(generated.detail["channel_rows"]),
            campaigns=int(generated.detail["campaigns"]),
            generate_seconds=generated.seconds,
            engine=engine,
        )
        if engine == "postgres":
            if not config.postgres_url:
                raise ValueError("the postgres engine needs --postgres-url or MH_WAREHOUSE_URL")
            url = bench_database(config.postgres_url, label)
            say(f"{label}: night on PostgreSQL ({mask_url(url)}) ...")
            night_dir, night_env = data_dir / engine, {**env, WAREHOUSE_URL_ENV: url}
        else:
            url = None
            say(f"{label}: night on DuckDB ...")
            night_dir, night_env = data_dir, env
        try:
            _night(night_dir, landing, config.end_date, night_env, say, out=result.stages)
        except StageFailed as exc:
            # the other engines and the baseline still run: one slow or broken warehouse
            # does not lose the rest of the measurements
            result.failure = str(exc)
            say(f"{label}: {result.failure}")
        results.append(result)
        urls[engine] = url
    say(f"{label}: hand-written baseline ...")
    baseline_db = data_dir / "baseline.duckdb"
    base = run_stage(
        "baseline",
        log,
        env,
        data_dir=data_dir,
        as_of=config.end_date.isoformat(),
        baseline_db=baseline_db,
    )
    say(f"{label}: plain load ...")
    plain_db = data_dir / "plain.duckdb"
    plain = run_stage(
        "plain", log, env, data_dir=data_dir, as_of=config.end_date.isoformat(), plain_db=plain_db
    )
    plain_db.unlink(missing_ok=True)
    for result in results:
        result.baseline, result.plain = base, plain
        url = urls[result.engine]
        if result.failure:
            found = []
        elif url:
            found = baseline.compare_postgres(url, baseline_db, baseline.COMPARED)
            if not config.keep:
                drop_bench_database(url)
        else:
            warehouse = Paths.under(data_dir).warehouse
            found = baseline.compare(warehouse, baseline_db, baseline.COMPARED)
        result.mismatches = [m.describe() for m in found]
    if not config.keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    return results


def _split_last_day(landing: Path, last_day: date, aside: Path) -> None:
    """Hold the last day's exports back: event files move to ``aside``; the plan snapshots,
    written on the last day, are dated the day before (a plan the history already had)."""
    day, previous = last_day.isoformat(), (last_day - timedelta(days=1)).isoformat()
    for source in load_contract():
        folder = landing / source.name / day
        if not folder.exists():
            continue
        if source.kind == "snapshot":
            folder.replace(landing / source.name / previous)
        else:
            (aside / source.name).mkdir(parents=True, exist_ok=True)
            folder.replace(aside / source.name / day)


def _deliver_held_back(landing: Path, aside: Path) -> None:
    for source_dir in sorted(p for p in aside.iterdir() if p.is_dir()):
        for day_dir in sorted(source_dir.iterdir()):
            day_dir.replace(landing / source_dir.name / day_dir.name)


def measure_incremental(
    config: BenchConfig, env: dict[str, str], say: Progress = _say
) -> IncrementalResult:
    """A year of history loaded night by night is one warehouse; add the next day's files and
    time that night, then time rebuilding a fresh warehouse from every file."""
    root = config.work_dir / "incremental"
    shutil.rmtree(root, ignore_errors=True)
    landing, aside = root / "landing", root / "next_day"
    history_end = config.end_date - timedelta(days=1)
    days = config.history_days + 1
    rows = config.history_rows
    scale = scale_for(rows, days) if rows else 1.0
    say(f"incremental: generating {days} days ...")
    generated = run_stage(
        "generate",
        root / "bench.log",
        env,
        data_dir=root / "nightly",
        landing=landing,
        as_of=config.end_date.isoformat(),
        scale=scale,
        days=days,
        seed=config.seed,
    )
    _split_last_day(landing, config.end_date, aside)
    new_day_rows = _count_rows(aside)
    say(f"incremental: first load of {config.history_days} days ...")
    history = _night(root / "nightly", landing, history_end, env, say)
    _deliver_held_back(landing, aside)
    say("incremental: the next night on top of the history ...")
    incremental = _night(root / "nightly", landing, config.end_date, env, say)
    say("incremental: full rebuild of the same files ...")
    rebuild = _night(root / "rebuild", landing, config.end_date, env, say)
    nightly, rebuilt = Paths.under(root / "nightly"), Paths.under(root / "rebuild")
    # the reporting models read the guard results, which carry each run's own timestamps
    reporting = {p.stem for p in (nightly.dbt_project_dir / "models" / "reporting").glob("*.sql")}
    tables = baseline.warehouse_tables(nightly.warehouse, reporting)
    mismatches = baseline.compare(nightly.warehouse, rebuilt.warehouse, tables)
    result = IncrementalResult(
        history_days=config.history_days,
        rows=int(generated.detail["channel_rows"]),
        new_day_rows=new_day_rows,
        campaigns=int(generated.detail["campaigns"]),
        history=history,
        incremental=incremental,
        rebuild=rebuild,
        mismatches=[m.describe() for m in mismatches],
    )
    if not config.keep:
        shutil.rmtree(root, ignore_errors=True)
    return result


def _count_rows(folder: Path) -> int:
    """Channel rows among the exports under ``folder``."""
    total = 0
    with duckdb.connect() as con:
        for source in volumes.CHANNEL_SOURCES:
            files = sorted(str(p) for p in (folder / source).glob("*/*.csv"))
            if files:
                total += con.execute("SELECT count(*) FROM read_csv(?)", [files]).fetchone()[0]
    return total
