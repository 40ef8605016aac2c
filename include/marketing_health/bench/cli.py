"""``marketing-health bench``: options, and the report it prints."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from marketing_health.bench.machine import describe_machine
from marketing_health.bench.sizes import parse_size, parse_sizes
from marketing_health.generate import volumes
from marketing_health.settings import REPO_ROOT, WAREHOUSE_URL_ENV, checked_warehouse_url

if TYPE_CHECKING:
    from marketing_health.bench.run import BenchConfig

DEFAULT_SIZES = "1M,10M,50M"
#: --quick: the smallest landing zone the generator writes, and a short history.
QUICK_SIZE = "100k"
QUICK_DAYS = volumes.MIN_DAYS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sizes",
        default=None,
        help=f"channel rows per landing zone, comma-separated (default {DEFAULT_SIZES}); "
        "a size below one unit of the generator's scale gets that unit",
    )
    parser.add_argument(
        "--days", type=int, default=None, help="days of data per landing zone (default 60)"
    )
    parser.add_argument(
        "--history-days",
        type=int,
        default=None,
        help="days of history under the incremental night (default 365)",
    )
    parser.add_argument(
        "--history-size",
        default=None,
        help="channel rows of that history (default 6M: about 220 campaigns over a year)",
    )
    parser.add_argument("--no-incremental", action="store_true", help="skip the incremental night")
    parser.add_argument(
        "--no-sizes", action="store_true", help="only the incremental night, no size runs"
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=REPO_ROOT / "var" / "bench",
        help="where landing zones and warehouses are written (default var/bench)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep each size's files (default: removed after)"
    )
    parser.add_argument(
        "--engines",
        default="duckdb",
        help="warehouses the size runs write, comma-separated: duckdb, postgres "
        "(default duckdb; postgres needs --postgres-url); each gets its own table",
    )
    parser.add_argument(
        "--postgres-url",
        default=None,
        help="a PostgreSQL server the bench may create databases on, "
        "postgresql://user:password@host:port/postgres (default $MH_WAREHOUSE_URL); "
        "each size gets a fresh database mh_bench_<size>, dropped after unless --keep",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a check that everything runs: {QUICK_SIZE} rows over {QUICK_DAYS} days and a "
        f"{QUICK_DAYS}-day history, unless sizes or days are given",
    )


def _config(args: argparse.Namespace) -> BenchConfig:
    from marketing_health.bench.run import ENGINES, BenchConfig

    quick = args.quick
    engines = tuple(e.strip() for e in args.engines.split(",") if e.strip())
    unknown = [e for e in engines if e not in ENGINES]
    if unknown or not engines:
        raise ValueError(
            f"unknown engine {', '.join(unknown) or '(none)'}; choose from {', '.join(ENGINES)}"
        )
    postgres_url = checked_warehouse_url(args.postgres_url or os.getenv(WAREHOUSE_URL_ENV))
    if "postgres" in engines and not postgres_url:
        raise ValueError(
            "--engines postgres needs a server: --postgres-url postgresql://user:password@"
            "host:port/postgres (or MH_WAREHOUSE_URL); docs/benchmarks.md says how to start one"
        )
    days = args.days or (QUICK_DAYS if quick else 60)
    return BenchConfig(
        work_dir=args.work_dir,
        sizes=parse_sizes(args.sizes or (QUICK_SIZE if quick else DEFAULT_SIZES)),
        days=days,
        end_date=date.today() - timedelta(days=1),
        history_days=args.history_days or (QUICK_DAYS if quick else 365),
        history_rows=parse_size(args.history_size)
        if args.history_size
        else (None if quick else 6_000_000),
        keep=args.keep,
        engines=engines,
        postgres_url=postgres_url if "postgres" in engines else None,
    )


def run(args: argparse.Namespace) -> int:
    from marketing_health.bench.run import child_env, measure_incremental, measure_size
    from marketing_health.bench.table import (
        ENGINE_TITLES,
        cpu_table,
        incremental_table,
        size_table,
    )

    try:
        config = _config(args)
    except ValueError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    env = child_env()
    lines = ["Machine:", *(f"  {line}" for line in describe_machine()), ""]
    results = []
    for label, rows in [] if args.no_sizes else config.sizes:
        measured = measure_size(config, label, rows, env)
        results += measured
        for result in measured:
            print(ENGINE_TITLES[result.engine], file=sys.stderr)
            print(size_table([result]), file=sys.stderr, flush=True)
    for engine in config.engines:
        ran = [r for r in results if r.engine == engine]
        if ran:
            lines += [
                f"{ENGINE_TITLES[engine]}: nightly run per size ({config.days} days of data; "
                "stages in seconds; ratio = (ingest + transform) / baseline; "
                "ingest/plain = ingest / plain load):",
                "",
                size_table(ran),
                "",
                "The same runs in CPU seconds (user + system, all threads of each stage's "
                "process; the baseline and the plain load use both cores as the stages do):",
                "",
                cpu_table(ran),
                "",
            ]
    failed = False
    for result in results:
        lines.append(
            f"{result.label} ({ENGINE_TITLES[result.engine]}): {result.campaigns} campaigns, "
            f"generated in {result.generate_seconds:.1f}s; baseline and pipeline "
            + ("agree on every compared table." if result.agrees else "DISAGREE:")
        )
        if result.failure:
            lines[-1] = (
                f"{result.label} ({ENGINE_TITLES[result.engine]}): the night did not finish; "
                + result.failure.replace("\n", "\n  ")
            )
        lines += [f"  {m}" for m in result.mismatches]
        failed |= not result.agrees
    if not args.no_incremental:
        inc = measure_incremental(config, env)
        lines += [
            "",
            f"Incremental night: {inc.campaigns} campaigns, {inc.rows:,} channel rows over "
            f"{inc.history_days} days, then one more day ({inc.new_day_rows:,} channel rows):",
            "",
            incremental_table(inc),
            "",
            f"The incremental night took {inc.share:.1%} of a full rebuild"
            + (f" ({inc.cpu_share:.1%} in CPU seconds)" if inc.cpu_share is not None else "")
            + "; its warehouse "
            + (
                "holds the same marts as the rebuild."
                if not inc.mismatches
                else "DIFFERS from the rebuild:"
            ),
        ]
        lines += [f"  {m}" for m in inc.mismatches]
        failed |= bool(inc.mismatches)
    print("\n".join(lines))
    return 1 if failed else 0
