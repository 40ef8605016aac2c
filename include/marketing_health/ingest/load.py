"""The single-process way (``run-night``, the bench): every source read, checked and written
straight into the warehouse, with no staged files in between.

The process opens the warehouse once and gives each source a connection of its own
(``cursor()``: its own temporary tables, the same database). Sources are independent, so they
are read and checked in parallel, up to one per core; their writes, one transaction per source
(:func:`~marketing_health.ingest.apply.apply_source`), take turns. DuckDB uses every core
within each statement as well.

A PostgreSQL warehouse is loaded the Airflow way, staged and published, in this process.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from marketing_health.contract.ddl import create_warehouse_tables
from marketing_health.contract.schema import Contract, Source, load_contract
from marketing_health.ingest import check, ledger, outputs
from marketing_health.ingest.apply import Applied, add_new_columns, apply_source, log_outcome
from marketing_health.ingest.discover import discover
from marketing_health.ingest.locales import LocaleConfig, load_locale_config
from marketing_health.ingest.publish import publish
from marketing_health.ingest.report import PublishReport, StageReport
from marketing_health.ingest.space import no_space_left
from marketing_health.ingest.stage import new_report, stage_source
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

log = logging.getLogger(__name__)


def load_night(
    paths: Paths, run_id: str, pii_key: str, *, contract: Contract | None = None
) -> tuple[dict[str, StageReport], PublishReport]:
    """Load every source's new files; returns what staging and publishing would report."""
    contract = contract or load_contract()
    if not pii_key:
        raise ValueError("an empty key cannot protect personal data; see resolve_pii_key()")
    sources = _largest_first(paths, contract)
    if paths.engine == "postgres":
        with ThreadPoolExecutor(max_workers=_workers(sources)) as pool:
            staged = list(pool.map(lambda s: stage_source(s.name, paths, run_id, pii_key), sources))
        reports = {r.source: r for r in staged}
        return {s.name: reports[s.name] for s in contract}, publish(paths, run_id)
    locales = load_locale_config()  # a wrong config/locales.yaml stops here, naming the entry
    now = datetime.now(UTC).replace(tzinfo=None)
    turns = threading.Lock()
    with connect(paths) as con:
        create_warehouse_tables(con, contract)
        for source in contract:
            add_new_columns(con, source)

        def one(source: Source) -> tuple[StageReport, Applied]:
            with turns:  # a connection is opened one at a time
                cursor = con.cursor()
            try:
                return _load_source(cursor, source, paths, run_id, pii_key, locales, now, turns)
            except Exception as exc:
                full = no_space_left(exc, source.name, paths.warehouse_label, None)
                if full is None:
                    raise
                raise full from exc
            finally:
                cursor.close()

        with ThreadPoolExecutor(max_workers=_workers(sources)) as pool:
            done = dict(zip([s.name for s in sources], pool.map(one, sources), strict=True))
    reports = {name: report for name, (report, _) in done.items()}
    published = PublishReport(
        run_id=run_id,
        warehouse=paths.warehouse_label,
        schema_drift={n: r.schema_drift for n, r in reports.items() if r.schema_drift},
        unchanged_files=sum(r.unchanged_files for r in reports.values()),
    )
    refused = []
    for source in contract:
        applied = done[source.name][1]
        for outcome in applied.files:
            log_outcome(outcome)
        published.files += applied.files
        refused += applied.refused
    log.info("%s", published.summary())
    if refused:
        for error in refused:
            log.error("%s", error)
        raise refused[0]
    return {s.name: reports[s.name] for s in contract}, published


def _load_source(
    con: Any,
    source: Source,
    paths: Paths,
    run_id: str,
    pii_key: str,
    locales: LocaleConfig,
    now: datetime,
    turns: threading.Lock,
) -> tuple[StageReport, Applied]:
    check.prepare(con)
    report = new_report(source.name, run_id, load_contract())
    started = time.perf_counter()
    try:
        current = ledger.current_deliveries(con, source.name)
        batch = check.check_source(con, source, paths.landing_dir, current, pii_key, locales)
        report.files = [f.staged for f in batch.files]
        report.unchanged_files = batch.unchanged
        log.info("%s", report.summary())
        checked = time.perf_counter()
        with turns:
            waited = time.perf_counter()
            applied = apply_source(
                con, con, source, report.files, outputs.relations(source), run_id, now
            )
    finally:
        check.drop_tables(con)
    log.info(
        "%s: read and checked in %.1fs, written in %.1fs",
        source.name,
        checked - started,
        time.perf_counter() - waited,
    )
    return report, applied


def _largest_first(paths: Paths, contract: Contract) -> list[Source]:
    """Sources by the bytes in their landing folders, largest first, so the parallel work
    ends together."""
    size = {
        s.name: sum(f.file_bytes for f in discover(paths.landing_dir, s.name)) for s in contract
    }
    return sorted(contract, key=lambda s: -size[s.name])


def _workers(sources: list[Source]) -> int:
    return max(1, min(len(sources), os.cpu_count() or 1))
