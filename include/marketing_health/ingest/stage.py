"""Step 1: check one source's landing files and stage them as parquet, never touching the
warehouse for writing, so one task per source can run in parallel."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from marketing_health.contract.schema import Contract, Source, load_contract
from marketing_health.ingest import validate
from marketing_health.ingest.discover import LandingFile, discover, sha256_file
from marketing_health.ingest.errors import ContractViolation
from marketing_health.ingest.ledger import read_current_deliveries
from marketing_health.ingest.locales import LocaleConfig, load_locale_config
from marketing_health.ingest.read import drop_landed, read_landing_file
from marketing_health.ingest.reconcile import RowCounts
from marketing_health.ingest.report import StagedFile, StageReport
from marketing_health.ingest.sql import literal
from marketing_health.settings import Paths

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
#: Problems logged one by one per file; the rest are counted (all of them reach ops.quarantine).
WARNINGS_PER_FILE = 20

_RUN_ID = re.compile(r"[A-Za-z0-9_.\-]+")


def staging_folder(paths: Paths, run_id: str, source: str | None = None) -> Path:
    if not _RUN_ID.fullmatch(run_id) or run_id in {".", ".."}:
        raise ValueError(f"run id {run_id!r} must be letters, digits, '_', '-' or '.'")
    folder = Path(paths.staging_dir) / run_id
    return folder / source if source else folder


def stage_source(
    source_name: str, paths: Paths, run_id: str, pii_key: str, *, contract: Contract | None = None
) -> StageReport:
    """Check every landing file of one source and stage what loads.

    Files already loaded at their path with the same content are only counted
    (``unchanged_files``): a landing zone keeps its history, and each night lists what is new.
    Writes ``<staging_dir>/<run_id>/<source>/``: per file ``NNNN.rows.parquet`` (typed rows in
    the shape of ``raw.<source>``), ``NNNN.quarantine.parquet`` and ``NNNN.pii_findings.parquet``,
    plus ``manifest.json`` (the returned report). Files whose content the warehouse already
    holds are not read again. Re-running replaces the folder, so a retried task starts clean.
    """
    contract = contract or load_contract()
    source = contract[source_name]
    if not pii_key:
        raise ValueError("an empty key cannot protect personal data; see resolve_pii_key()")
    locales = load_locale_config()  # a wrong config/locales.yaml stops here, naming the entry
    folder = staging_folder(paths, run_id, source.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    report = StageReport(
        source=source.name,
        run_id=run_id,
        staged_at=datetime.now(UTC).isoformat(timespec="seconds"),
        contract_version=contract.version,
    )
    current = read_current_deliveries(paths, source.name)
    holders = {checksum: path for path, checksum in current.items()}
    con = duckdb.connect(":memory:")
    spill = folder / ".spill"
    try:
        con.execute("SET TimeZone = 'UTC'")
        # A file too big for memory spills here, not to the working directory, and is removed.
        con.execute(f"SET temp_directory = {literal(str(spill))}")
        for index, lf in enumerate(discover(paths.landing_dir, source.name)):
            checksum = sha256_file(lf.path)
            if current.get(lf.rel_path) == checksum:
                report.unchanged_files += 1  # loaded by an earlier run: counted, not listed
                continue
            staged = _stage_file(
                con, source, lf, checksum, index, folder, pii_key, holders, locales
            )
            report.files.append(staged)
            _log_file(staged)
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    _write_manifest(folder / MANIFEST, report)
    log.info("%s", report.summary())
    return report


def _stage_file(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    lf: LandingFile,
    checksum: str,
    index: int,
    folder: Path,
    pii_key: str,
    holders: dict[str, str],
    locales: LocaleConfig,
) -> StagedFile:
    """Stage one file; ``holders`` maps each checksum already loaded to the path holding it."""
    day = lf.delivery_day
    staged = StagedFile(
        file_path=lf.rel_path,
        delivery_day=day.isoformat() if day else None,
        format=lf.format,
        checksum=checksum,
        file_bytes=lf.file_bytes,
        status="staged",
    )
    holder = holders.get(checksum)
    if holder is not None:
        staged.status = "duplicate"
        staged.message = f"{lf.rel_path}: same content as {holder}, which is already loaded"
        return staged
    try:
        lf.check_layout()
        _check_and_write(con, source, lf, staged, f"{index:04d}", folder, pii_key, locales)
    except ContractViolation as violation:
        staged.status = "rejected"
        staged.message = violation.text
        staged.error = violation.as_dict()
        staged.outputs = {}
    finally:
        drop_landed(con)
        validate.drop_work_tables(con)
    return staged


def _check_and_write(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    lf: LandingFile,
    staged: StagedFile,
    stem: str,
    folder: Path,
    pii_key: str,
    locales: LocaleConfig,
) -> None:
    landed = read_landing_file(con, lf, source)
    staged.rows_in_file = landed.rows
    staged.unknown_columns = landed.unknown_columns
    staged.missing_optional_columns = landed.missing_optional
    staged.export_format = landed.export
    staged.rows_skipped = landed.skipped
    notes = [f"read as {landed.export}"] if landed.export else []
    notes += [f"not data, not loaded: {n} {why}" for why, n in landed.skipped.items()]
    if landed.unknown_columns:
        drift = ", ".join(landed.unknown_columns)
        notes.append(f"columns not in the contract, not loaded: {drift}")
    if notes:  # kept with the file's ledger row, so the night's decisions stay inspectable
        staged.message = f"{lf.rel_path}: {'; '.join(notes)}"
    validate.create_safe(con, source, pii_key)
    drop_landed(con)
    locale_note = validate.create_checked(con, source, lf.rel_path, locales) or landed.locale_note
    if locale_note:  # how its numbers and dates were read, when it took a locale to read them
        notes.append(locale_note)
        staged.message = f"{lf.rel_path}: {'; '.join(notes)}"
    ctx = validate.FileContext(
        source=source,
        file_path=lf.rel_path,
        delivery_day=lf.delivery_day,
        checksum=staged.checksum,
        row_offset=landed.row_offset,
        labels=landed.labels,
    )
    validate.create_issues(con, ctx)
    outputs = {
        "rows": validate.good_rows_sql(ctx),
        "quarantine": validate.quarantine_sql(ctx),
        "pii_findings": validate.findings_sql(ctx),
    }
    counts = {}
    for kind, sql in outputs.items():
        name = f"{stem}.{kind}.parquet"
        target = literal(str(folder / name))
        con.execute(f"COPY ({sql}) TO {target} (FORMAT parquet)")
        counts[kind] = con.execute(f"SELECT count(*) FROM read_parquet({target})").fetchone()[0]
        staged.outputs[kind] = name
    staged.rows_valid = counts["rows"]
    staged.problems = counts["quarantine"]
    staged.pii_findings = counts["pii_findings"]
    staged.rows_quarantined = con.execute(
        f"SELECT count(DISTINCT _row_number) FROM {validate.ISSUES}"
    ).fetchone()[0]
    skipped = sum(landed.skipped.values())
    RowCounts(lf.rel_path, landed.rows, staged.rows_valid, staged.rows_quarantined, skipped).check(
        "by the contract checks"
    )
    _warn_problems(con, ctx, staged.problems)


def _warn_problems(
    con: duckdb.DuckDBPyConnection, ctx: validate.FileContext, problems: int
) -> None:
    if not problems:
        return
    reasons = con.execute(
        f"SELECT reason FROM ({validate.quarantine_sql(ctx)}) LIMIT {WARNINGS_PER_FILE}"
    ).fetchall()
    for (reason,) in reasons:
        log.warning("%s", reason)
    if problems > len(reasons):
        log.warning(
            "%s: %d more problem(s) not listed here; every one is kept in ops.quarantine",
            ctx.file_path,
            problems - len(reasons),
        )


def _log_file(staged: StagedFile) -> None:
    """One INFO line per file; WARNING lines for what someone has to fix."""
    if staged.status == "rejected":
        log.warning("%s", staged.message)
    if staged.unknown_columns:
        log.warning(
            "%s: columns not in the contract, not loaded: %s",
            staged.file_path,
            ", ".join(staged.unknown_columns),
        )
    if staged.rows_in_file == 0:
        log.warning("%s: the file has a header but no rows", staged.file_path)
    if staged.export_format and staged.status == "staged":
        log.info("%s", staged.message)
    log.info(
        "%s: %s, %d row(s) valid, %d quarantined, %d privacy finding(s)%s",
        staged.file_path,
        staged.status,
        staged.rows_valid,
        staged.rows_quarantined,
        staged.pii_findings,
        f" ({staged.message})" if staged.status == "duplicate" else "",
    )


def _write_manifest(path: Path, report: StageReport) -> None:
    """Write atomically: publish must never read half a manifest."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(report.as_dict(), indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
