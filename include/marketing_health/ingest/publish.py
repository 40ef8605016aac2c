"""Step 2: the one writer. Applies every staged file of a run to the warehouse.

Each file is applied in its own transaction together with its ledger row, so a crash leaves
every file either fully loaded (and recorded) or untouched, and a retry carries on where it
stopped: files already committed are recognised by their checksum.
"""

from __future__ import annotations

import json
import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from marketing_health.contract.ddl import create_warehouse_tables, raw_columns
from marketing_health.contract.schema import Contract, Source, load_contract
from marketing_health.ingest import ledger
from marketing_health.ingest.reconcile import ReconcileError, RowCounts
from marketing_health.ingest.report import PublishedFile, PublishReport, StagedFile, StageReport
from marketing_health.ingest.sql import ident, literal
from marketing_health.ingest.stage import MANIFEST, staging_folder
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

log = logging.getLogger(__name__)


def publish(
    paths: Paths, run_id: str, *, contract: Contract | None = None, keep_staged: bool = False
) -> PublishReport:
    """Load the files staged for ``run_id`` into ``raw.*``, ``ops.quarantine`` and
    ``ops.pii_findings`` and record each one in ``ops.load_ledger``.

    The staging folder of the run is removed once every file is applied (unless
    ``keep_staged``); it is kept when publishing fails, for the retry.
    """
    contract = contract or load_contract()
    run_folder = staging_folder(paths, run_id)
    manifests = _read_manifests(run_folder, contract)
    report = PublishReport(
        run_id=run_id,
        warehouse=str(paths.warehouse),
        missing_sources=[s.name for s in contract if s.name not in manifests],
        schema_drift={n: m.schema_drift for n, m in manifests.items() if m.schema_drift},
        unchanged_files=sum(m.unchanged_files for m in manifests.values()),
    )
    if report.missing_sources:
        log.warning("Nothing staged for %s in run %s", ", ".join(report.missing_sources), run_id)
    with connect(paths.warehouse) as con:
        create_warehouse_tables(con, contract)
        for source in contract:
            if source.name not in manifests:
                continue
            _add_new_columns(con, source)
            staged_files = sorted(
                manifests[source.name].files, key=lambda f: (f.delivery_day or "", f.file_path)
            )
            for staged in staged_files:
                outcome = _apply_in_transaction(
                    con, source, staged, run_folder / source.name, run_id
                )
                report.files.append(outcome)
                _log_outcome(outcome)
    log.info("%s", report.summary())
    if not keep_staged:
        shutil.rmtree(run_folder, ignore_errors=True)
    return report


def _read_manifests(run_folder: Path, contract: Contract) -> dict[str, StageReport]:
    manifests = {}
    for source in contract:
        path = run_folder / source.name / MANIFEST
        if path.exists():
            manifests[source.name] = StageReport.from_dict(json.loads(path.read_text("utf-8")))
    return manifests


def _add_new_columns(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Columns added to the contract since the raw table was created: add them, empty."""
    existing = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = ?",
            [source.name],
        ).fetchall()
    }
    for name, typ in raw_columns(source).items():
        if name not in existing:
            con.execute(f"ALTER TABLE {source.raw_table} ADD COLUMN {ident(name)} {typ}")


def _apply_in_transaction(
    con: duckdb.DuckDBPyConnection, source: Source, staged: StagedFile, folder: Path, run_id: str
) -> PublishedFile:
    con.begin()
    try:
        outcome = _apply(con, source, staged, folder, run_id)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return outcome


def _apply(
    con: duckdb.DuckDBPyConnection, source: Source, staged: StagedFile, folder: Path, run_id: str
) -> PublishedFile:
    """Decide the file's fate from the ledger and apply it (inside the caller's transaction)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    outcome = PublishedFile(
        source=source.name,
        file_path=staged.file_path,
        delivery_day=staged.delivery_day,
        checksum=staged.checksum,
        status=staged.status,
        rows_in_file=staged.rows_in_file,
        rows_skipped=sum(staged.rows_skipped.values()),
        message=staged.message,
    )
    if staged.status == "rejected":
        return _record(con, outcome, staged, now, run_id)
    current = ledger.current_deliveries(con, source.name)
    previous = current.get(staged.file_path)
    holder = next((p for p, c in sorted(current.items()) if c == staged.checksum), None)
    if previous == staged.checksum:
        return _as_duplicate(outcome, "already loaded, unchanged")
    if holder is None and not staged.outputs:
        outcome.status = "skipped"
        outcome.message = (
            f"{staged.file_path}: staged as already loaded, but the warehouse no longer holds "
            "that content; the next run loads it"
        )
        return outcome
    if previous is not None:  # new content at this path: the earlier delivery's rows go
        _delete_file_rows(con, source, staged.file_path)
    if holder is not None:
        _as_duplicate(outcome, f"same content as {holder}, loaded once")
        return _record(con, outcome, staged, now, run_id)
    outcome.status = "loaded" if previous is None else "replaced"
    if previous is not None:
        outcome.message = (
            f"{staged.file_path}: corrected re-delivery; it replaces the rows of the earlier one"
        )
    _insert_staged(con, source, staged, folder, run_id, now)
    _reconcile(con, source, staged, outcome)
    return _record(con, outcome, staged, now, run_id)


def _as_duplicate(outcome: PublishedFile, why: str) -> PublishedFile:
    """Nothing loads; the content's rows are counted once, under the path that loaded them."""
    outcome.status = "duplicate"
    outcome.rows_in_file = None
    outcome.message = f"{outcome.file_path}: {why}"
    return outcome


def _delete_file_rows(con: duckdb.DuckDBPyConnection, source: Source, file_path: str) -> None:
    con.execute(f"DELETE FROM {source.raw_table} WHERE _file_path = ?", [file_path])
    for table in ("ops.quarantine", "ops.pii_findings"):
        con.execute(
            f"DELETE FROM {table} WHERE source = ? AND file_path = ?", [source.name, file_path]
        )


def _insert_staged(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    staged: StagedFile,
    folder: Path,
    run_id: str,
    now: datetime,
) -> None:
    def parquet(kind: str) -> str:
        return f"read_parquet({literal(str(folder / staged.outputs[kind]))})"

    con.execute(
        f"INSERT INTO {source.raw_table} BY NAME "
        f"SELECT * REPLACE (CAST(? AS TIMESTAMP) AS _loaded_at) FROM {parquet('rows')}",
        [now],
    )
    con.execute(
        "INSERT INTO ops.quarantine BY NAME SELECT source, file_path, row_number, column_name, "
        "reason, CAST(record AS JSON) AS record, CAST(? AS TIMESTAMP) AS quarantined_at, "
        f"? AS run_id FROM {parquet('quarantine')}",
        [now, run_id],
    )
    con.execute(
        "INSERT INTO ops.pii_findings BY NAME SELECT *, CAST(? AS TIMESTAMP) AS found_at, "
        f"? AS run_id FROM {parquet('pii_findings')}",
        [now, run_id],
    )


def _reconcile(
    con: duckdb.DuckDBPyConnection, source: Source, staged: StagedFile, outcome: PublishedFile
) -> None:
    """Every row of the file is either loaded or quarantined, exactly once; else roll back.

    Counted in the warehouse inside the file's transaction, so a failed check leaves nothing.
    """
    loaded = con.execute(
        f"SELECT count(*) FROM {source.raw_table} WHERE _file_path = ? AND _checksum = ?",
        [staged.file_path, staged.checksum],
    ).fetchone()[0]
    quarantined, findings = con.execute(
        "SELECT (SELECT count(DISTINCT row_number) FROM ops.quarantine "
        "        WHERE source = $s AND file_path = $f), "
        "       (SELECT count(*) FROM ops.pii_findings WHERE source = $s AND file_path = $f)",
        {"s": source.name, "f": staged.file_path},
    ).fetchone()
    counts = RowCounts(
        staged.file_path, staged.rows_in_file or 0, loaded, quarantined, outcome.rows_skipped
    )
    counts.check("in the warehouse")
    if (loaded, quarantined) != (staged.rows_valid, staged.rows_quarantined):
        raise ReconcileError(
            staged.file_path,
            f"{staged.file_path}: the checks passed {staged.rows_valid} rows and quarantined "
            f"{staged.rows_quarantined}, but the warehouse would hold {loaded} loaded and "
            f"{quarantined} quarantined; nothing of the file was loaded",
        )
    outcome.rows_loaded = loaded
    outcome.rows_quarantined = quarantined
    outcome.pii_findings = findings


def _record(
    con: duckdb.DuckDBPyConnection,
    outcome: PublishedFile,
    staged: StagedFile,
    now: datetime,
    run_id: str,
) -> PublishedFile:
    """Add the ledger row. A duplicate or rejected delivery is recorded once: re-running a
    night adds nothing. Loads are always recorded, they are what ``current`` is read from."""
    if outcome.status in ("duplicate", "rejected"):
        known = ledger.recorded_statuses(con, outcome.source, outcome.file_path, outcome.checksum)
        if outcome.status in known:
            return outcome
    con.execute(
        """
        INSERT INTO ops.load_ledger (source, file_path, delivery_day, checksum, file_bytes,
            rows_in_file, rows_loaded, rows_quarantined, status, message, loaded_at, run_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            outcome.source,
            outcome.file_path,
            outcome.delivery_day,
            outcome.checksum,
            staged.file_bytes,
            outcome.rows_in_file,
            outcome.rows_loaded,
            outcome.rows_quarantined,
            outcome.status,
            outcome.message,
            now,
            run_id,
        ],
    )
    outcome.ledger_row_written = True
    return outcome


def _log_outcome(outcome: PublishedFile) -> None:
    """One INFO line per file; a WARNING when a file newly failed to load."""
    log.info(
        "%s: %s, %d row(s) loaded, %d quarantined",
        outcome.file_path,
        outcome.status,
        outcome.rows_loaded,
        outcome.rows_quarantined,
    )
    newly_rejected = outcome.status == "rejected" and outcome.ledger_row_written
    if newly_rejected or outcome.status == "skipped":
        log.warning("%s", outcome.message)
