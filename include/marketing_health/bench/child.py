"""One measured stage, run in a process of its own so its peak memory is its own.

DuckDB, dbt and Great Expectations all run inside the Python process, so the resident memory
of a fresh child process, read by the parent when the child exits, is the honest peak of one
stage. The child prints nothing the parent needs: it writes its timing to a JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import date
from pathlib import Path

from marketing_health.settings import WAREHOUSE_URL_ENV, Paths

STAGES = ("generate", "ingest", "transform", "guards", "report", "baseline", "plain")


def _paths(args: argparse.Namespace) -> Paths:
    # a PostgreSQL warehouse comes in the environment, never on the command line (password)
    base = Paths.under(args.data_dir, os.getenv(WAREHOUSE_URL_ENV))
    if args.landing is None:
        return base
    return Paths(
        data_dir=base.data_dir,
        landing_dir=args.landing,
        warehouse=base.warehouse,
        runs_dir=base.runs_dir,
        staging_dir=base.staging_dir,
        dbt_project_dir=base.dbt_project_dir,
        dbt_target_dir=base.dbt_target_dir,
        warehouse_url=base.warehouse_url,
    )


def _run(args: argparse.Namespace) -> dict[str, object]:
    from marketing_health import night as stages

    paths = _paths(args)
    night = stages.Night.for_date(args.as_of)
    if args.stage == "generate":
        from marketing_health.generate.landing import generate_landing

        manifest = generate_landing(
            paths.landing_dir,
            seed=args.seed,
            end_date=date.fromisoformat(args.as_of),
            days=args.days,
            scale=args.scale,
            overwrite=True,
        )
        return {"channel_rows": manifest.channel_rows, "campaigns": len(manifest.campaign_ids)}
    if args.stage == "ingest":
        loaded = stages.ingest(paths, night)
        return {"sources": len(loaded["stage"]), "published": loaded["publish"]}
    if args.stage == "transform":
        return stages.transform(paths, night)
    if args.stage == "guards":
        return stages.guard(paths, night)
    if args.stage == "report":
        return stages.report(paths, night)
    if args.stage == "plain":
        from marketing_health.bench.plain import plain_load

        return {"rows": sum(plain_load(args.plain_db, paths.landing_dir).values())}
    from marketing_health.bench.baseline import run_baseline

    run_baseline(args.baseline_db, paths.landing_dir, args.as_of, os.environ["MH_PII_HASH_KEY"])
    return {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marketing_health.bench.child")
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--landing", type=Path, default=None)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline-db", type=Path, default=None)
    parser.add_argument("--plain-db", type=Path, default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    detail = _run(args)
    seconds = time.perf_counter() - started
    args.result.write_text(json.dumps({"seconds": seconds, "detail": detail}, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
