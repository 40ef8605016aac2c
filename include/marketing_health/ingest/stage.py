"""The Airflow way, step 1: check one source's new landing files and stage them as Parquet,
never touching the warehouse for writing, so one task per source can run in parallel (DuckDB
lets one process write a database file at a time).

All the source's new files are read and checked together (:mod:`~marketing_health.ingest.check`)
in an in-memory DuckDB; the night of the source becomes three Parquet files, whatever the
number of landing files: ``rows.parquet`` (typed rows in the shape of ``raw.<source>``),
``quarantine.parquet`` and ``pii_findings.parquet``, plus ``manifest.json`` (the stage report,
with each file's counts), which :func:`~marketing_health.ingest.publish.publish` applies.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from marketing_health.contract.schema import Contract, load_contract
from marketing_health.ingest import check, outputs
from marketing_health.ingest.ledger import read_current_deliveries
from marketing_health.ingest.locales import load_locale_config
from marketing_health.ingest.report import StageReport
from marketing_health.ingest.sql import literal
from marketing_health.settings import Paths

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
#: Staged file of each kind of row, in the source's staging folder.
OUTPUTS = {
    "rows": "rows.parquet",
    "quarantine": "quarantine.parquet",
    "pii_findings": "pii_findings.parquet",
}

_RUN_ID = re.compile(r"[A-Za-z0-9_.\-]+")


def staging_folder(paths: Paths, run_id: str, source: str | None = None) -> Path:
    if not _RUN_ID.fullmatch(run_id) or run_id in {".", ".."}:
        raise ValueError(f"run id {run_id!r} must be letters, digits, '_', '-' or '.'")
    folder = Path(paths.staging_dir) / run_id
    return folder / source if source else folder


def new_report(source: str, run_id: str, contract: Contract) -> StageReport:
    return StageReport(
        source=source,
        run_id=run_id,
        staged_at=datetime.now(UTC).isoformat(timespec="seconds"),
        contract_version=contract.version,
    )


def stage_source(
    source_name: str, paths: Paths, run_id: str, pii_key: str, *, contract: Contract | None = None
) -> StageReport:
    """Check every new landing file of one source and stage what loads.

    Files already loaded at their path with the same content are only counted
    (``unchanged_files``): a landing zone keeps its history, and each night lists what is new.
    Files whose content the warehouse already holds are not read again. Re-running replaces
    the folder ``<staging_dir>/<run_id>/<source>/``, so a retried task starts clean.
    """
    contract = contract or load_contract()
    source = contract[source_name]
    if not pii_key:
        raise ValueError("an empty key cannot protect personal data; see resolve_pii_key()")
    locales = load_locale_config()  # a wrong config/locales.yaml stops here, naming the entry
    folder = staging_folder(paths, run_id, source.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    report = new_report(source.name, run_id, contract)
    current = read_current_deliveries(paths, source.name)
    con = duckdb.connect(":memory:")
    spill = folder / ".spill"
    try:
        check.prepare(con)
        # A night too big for memory spills here, not to the working directory, and is removed.
        con.execute(f"SET temp_directory = {literal(str(spill))}")
        batch = check.check_source(con, source, paths.landing_dir, current, pii_key, locales)
        if batch.read:
            relations = outputs.relations(source)
            for kind, sql in (
                ("rows", relations.rows),
                ("quarantine", relations.quarantine),
                ("pii_findings", relations.findings),
            ):
                target = literal(str(folder / OUTPUTS[kind]))
                con.execute(f"COPY ({sql}) TO {target} (FORMAT parquet)")
                report.outputs[kind] = OUTPUTS[kind]
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    report.files = [f.staged for f in batch.files]
    report.unchanged_files = batch.unchanged
    _write_manifest(folder / MANIFEST, report)
    log.info("%s", report.summary())
    return report


def _write_manifest(path: Path, report: StageReport) -> None:
    """Write atomically: publish must never read half a manifest."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(report.as_dict(), indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
