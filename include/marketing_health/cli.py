"""``marketing-health``: the pipeline for people who are not in the Airflow UI.

marketing-health demo          sample data + one real nightly DAG run, then where to look
marketing-health generate      write a sample landing zone with injected pitfalls
marketing-health run-night     run every stage for one day in this process (no scheduler)
marketing-health docs          regenerate docs/landing-contract.md, docs/pitfalls.md and the
                               Great Expectations suites in gx/
marketing-health airflow ...   the Airflow CLI with this project's AIRFLOW_HOME and folders
                               (airflow standalone: the local UI, on 127.0.0.1 only)
marketing-health bench         time the pipeline at several sizes against hand-written SQL
marketing-health cluster       the Celery cluster topology on this machine until Ctrl-C
marketing-health i18n ...      keep the translations in step with the texts (update, check)
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from datetime import date

from marketing_health.settings import REPO_ROOT, Paths


def _cmd_generate(args: argparse.Namespace) -> int:
    from marketing_health.generate import run

    return run(args)


def _cmd_run_night(args: argparse.Namespace) -> int:
    import contextlib
    import os
    import time

    from marketing_health.night import Night, run_night
    from marketing_health.night_summary import night_summary_lines

    paths = Paths.from_env()
    # connections and the hashing key are read as Airflow reads them, from this project's home
    os.environ.setdefault("AIRFLOW_HOME", str(paths.data_dir / "airflow"))
    _log_once_to_stderr(args.verbose)
    started = time.monotonic()
    # what the stages print (dbt's progress lines) goes with the log, to stderr
    with contextlib.redirect_stdout(sys.stderr):
        result = run_night(
            paths, replace(Night.for_date(args.as_of), full_refresh=args.full_refresh)
        )
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print("\n".join(night_summary_lines(paths, result, time.monotonic() - started)))
    return 0


def _log_once_to_stderr(verbose: bool) -> None:
    """One handler, on stderr, so the summary (or the JSON) is all stdout holds.

    Importing Airflow (a stage reads its connections) installs Airflow's own logging on the
    root logger; importing it first and configuring ours after keeps one line per record.
    """
    import airflow.sdk  # noqa: F401  (installs Airflow's logging; ours replaces it below)

    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
        force=True,
    )
    # the pipeline's own progress; the libraries' chatter (Great Expectations registers its
    # helpers at INFO, hundreds of lines) only with --verbose
    if not verbose:
        logging.getLogger("marketing_health").setLevel(logging.INFO)


def _cmd_docs(args: argparse.Namespace) -> int:
    from marketing_health.docs import write_docs
    from marketing_health.guards.gx_project import write_repository_project

    for path in write_docs(REPO_ROOT / "docs"):
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    for path in write_repository_project():
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from marketing_health.demo import run_demo

    return run_demo(Paths.from_env(), seed=args.seed, end_date=args.end_date, scale=args.scale)


def _cmd_airflow(args: argparse.Namespace) -> int:
    from marketing_health.airflow_env import run_airflow

    if args.airflow_args[:1] == ["standalone"]:
        return _standalone(args.airflow_args[1:])
    return run_airflow(args.airflow_args, Paths.from_env(), check=False).returncode


def _standalone(argv: list[str]) -> int:
    """``airflow standalone`` as this project runs it: every component on 127.0.0.1, all of
    them stopped by Ctrl-C or SIGTERM (see marketing_health.local_cluster.embedded)."""
    from marketing_health.local_cluster.embedded import run_standalone

    parser = argparse.ArgumentParser(
        prog="marketing-health airflow standalone",
        description="Airflow's UI, scheduler, DAG processor and triggerer on 127.0.0.1 with "
        "this project's Airflow home, until Ctrl-C or SIGTERM stops them all.",
    )
    parser.add_argument(
        "--port", type=int, default=None, help="port of the UI (default AIRFLOW__API__PORT or 8080)"
    )
    return run_standalone(Paths.from_env(), port=parser.parse_args(argv).port)


def _cmd_cluster(args: argparse.Namespace) -> int:
    from marketing_health.demo import ensure_pii_key
    from marketing_health.local_cluster.airflow import run_cluster

    paths = Paths.from_env()
    print(f"personal data hashing key: {ensure_pii_key(paths)}")
    return run_cluster(
        paths,
        paths.data_dir / "cluster",
        workers=args.workers,
        concurrency=args.concurrency,
        port=args.port,
    )


def _cmd_i18n(args: argparse.Namespace) -> int:
    from marketing_health.i18n.domains import DOMAINS
    from marketing_health.i18n.extract import (
        languages_with_catalogues,
        missing_translations,
        update_catalogues,
    )

    if args.action == "update":
        domains = args.domain or DOMAINS
        for path in update_catalogues(add=args.add, domains=domains):
            print(f"wrote {path.relative_to(REPO_ROOT)}")
        return 0
    languages = languages_with_catalogues()
    gaps = [gap for language in languages for gap in missing_translations(language)]
    for gap in gaps:
        print(gap)
    print(f"{len(gaps)} message(s) to translate" if gaps else "every language is complete")
    return 1 if gaps else 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from marketing_health.bench import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marketing-health",
        description="Nightly marketing health: catch campaigns drifting into known pitfalls.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="sample landing zone + one real nightly DAG run")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=None,
        help="last day of sample data (default: yesterday)",
    )
    demo.add_argument("--scale", type=float, default=1.0)
    demo.set_defaults(func=_cmd_demo)

    gen = sub.add_parser("generate", help="write a sample landing zone with injected pitfalls")
    from marketing_health.generate import add_arguments

    add_arguments(gen)
    gen.set_defaults(func=_cmd_generate)

    night = sub.add_parser("run-night", help="run every stage for one day, without Airflow")
    night.add_argument("--as-of", required=True, help="day to judge, YYYY-MM-DD")
    night.add_argument(
        "--json", action="store_true", help="print every stage's result as JSON (for scripts)"
    )
    night.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every dbt table from all raw rows, not only the days that changed",
    )
    night.set_defaults(func=_cmd_run_night)

    docs = sub.add_parser("docs", help="regenerate the generated docs pages")
    docs.set_defaults(func=_cmd_docs)

    airflow = sub.add_parser("airflow", help="run the Airflow CLI with this project's settings")
    airflow.add_argument("airflow_args", nargs=argparse.REMAINDER)
    airflow.set_defaults(func=_cmd_airflow)

    bench = sub.add_parser(
        "bench", help="time the pipeline at several sizes against hand-written DuckDB SQL"
    )
    from marketing_health.bench import add_arguments as add_bench_arguments

    add_bench_arguments(bench)
    bench.set_defaults(func=_cmd_bench)

    i18n = sub.add_parser(
        "i18n",
        help="keep the message catalogues in step with the texts",
        description="update: re-extract the texts of the code and the pitfall catalogue into "
        "every language's .po files (--add LANG starts a new language). check: list every "
        "message a language lacks; exits 1 when one does.",
    )
    i18n.add_argument("action", choices=["update", "check"])
    i18n.add_argument("--add", metavar="LANG", help="start a language, e.g. de, fr, es")
    i18n.add_argument(
        "--domain", action="append", help="update only this catalogue (alerts, ops, report ...)"
    )
    i18n.set_defaults(func=_cmd_i18n)

    cluster = sub.add_parser(
        "cluster",
        help="API server, scheduler, Celery workers, PostgreSQL and Redis here, until Ctrl-C",
        description="Start the cluster topology from this machine's PostgreSQL and Redis "
        "packages: a fresh metadata database and (unless MH_WAREHOUSE_URL is set) a fresh "
        "PostgreSQL warehouse under <data>/cluster, the configured landing zone. Ctrl-C stops "
        "every process.",
    )
    cluster.add_argument("--workers", type=int, default=2, help="Celery workers (default 2)")
    cluster.add_argument("--concurrency", type=int, default=2, help="tasks per worker at once")
    cluster.add_argument("--port", type=int, default=8080, help="port of the Airflow UI and API")
    cluster.set_defaults(func=_cmd_cluster)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
