"""One source's night, read and checked: the step both ways of loading share.

:func:`check_source` reads the source's new files into ``safe``
(:mod:`~marketing_health.ingest.batch`), builds ``checked`` with one statement
(:mod:`~marketing_health.ingest.validate`), takes each file's counts from it, checks that every
row of every file is valid or quarantined, and logs what someone has to fix. What ``checked``
becomes is then written to the warehouse (:mod:`~marketing_health.ingest.load`) or to staged
Parquet files (:mod:`~marketing_health.ingest.stage`).
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from marketing_health.contract.schema import Source
from marketing_health.ingest import batch as batches
from marketing_health.ingest import outputs, validate
from marketing_health.ingest.batch import SourceBatch
from marketing_health.ingest.ledger import CurrentDeliveries
from marketing_health.ingest.locales import LocaleConfig
from marketing_health.ingest.reconcile import RowCounts
from marketing_health.ingest.report import StagedFile

log = logging.getLogger(__name__)


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Session settings the checks rely on: timestamps with an offset are read as UTC."""
    con.execute("SET TimeZone = 'UTC'")


def check_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    landing_dir: Path,
    current: CurrentDeliveries,
    pii_key: str,
    locales: LocaleConfig,
) -> SourceBatch:
    """Read and check the source's new files; ``checked`` holds the result (see the module)."""
    batch = batches.read_source(con, source, landing_dir, current, pii_key)
    validate.create_checked(con, batch, locales)
    outputs.count_files(con, batch)
    problems = False
    for f in batch.read:
        staged = f.staged
        skipped = sum(staged.rows_skipped.values())
        RowCounts(
            f.rel_path,
            staged.rows_in_file or 0,
            staged.rows_valid,
            staged.rows_quarantined,
            skipped,
        ).check("by the contract checks")
        problems = problems or staged.problems > 0
    reasons = outputs.first_reasons(con, source) if problems else {}
    for f in batch.files:
        _log_file(f.staged, reasons.get(f.rel_path, []))
    return batch


def drop_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the night's rows of the source (they may be large)."""
    validate.drop_checked(con)
    batches.drop_tables(con)


def _log_file(staged: StagedFile, reasons: list[str]) -> None:
    """One INFO line per file; WARNING lines for what someone has to fix."""
    if staged.status == "rejected":
        log.warning("%s", staged.message)
    if staged.unknown_columns:
        log.warning(
            "%s: columns not in the contract, not loaded: %s",
            staged.file_path,
            ", ".join(staged.unknown_columns),
        )
    if staged.rows_in_file == 0:  # the contract's "nothing today": a delivery, not a problem
        log.info(
            "%s: header only, no rows: nothing to report for that day; counted as delivered",
            staged.file_path,
        )
    if staged.export_format and staged.status == "staged":
        log.info("%s", staged.message)
    for reason in reasons:
        log.warning("%s", reason)
    if staged.problems > len(reasons):
        log.warning(
            "%s: %d more problem(s) not listed here; every one is kept in ops.quarantine",
            staged.file_path,
            staged.problems - len(reasons),
        )
    log.info(
        "%s: %s, %d row(s) valid, %d quarantined, %d privacy finding(s)%s",
        staged.file_path,
        staged.status,
        staged.rows_valid,
        staged.rows_quarantined,
        staged.pii_findings,
        f" ({staged.message})" if staged.status == "duplicate" else "",
    )
