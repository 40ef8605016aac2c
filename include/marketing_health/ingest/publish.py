"""Step 2: the one writer. Applies every staged file of a run to the warehouse.

Each file is applied in its own transaction together with its ledger row, so a crash leaves
every file either fully loaded (and recorded) or untouched, and a retry carries on where it
stopped: files already committed are recognised by their checksum.

On a PostgreSQL warehouse the rows travel set-based too: an in-memory DuckDB turns each staged
Parquet file into CSV and ``COPY ... FROM STDIN`` streams it into the file's transaction.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from marketing_health.contract.ddl import create_warehouse_tables, raw_columns
from marketing_health.contract.schema import Contract, Source, load_contract
from marketing_health.ingest import ledger
from marketing_health.ingest.reconcile import ReconcileError, RowCounts
from marketing_health.ingest.report import PublishedFile, PublishReport, StagedFile, StageReport
from marketing_health.ingest.sql import ident, literal
from marketing_health.ingest.stage import MANIFEST, staging_folder
from marketing_health.settings import Paths
from marketing_health.warehouse import connect, engine_of
from marketing_health.warehouse_postgres import PostgresConnection

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
        warehouse=paths.warehouse_label,
        missing_sources=[s.name for s in contract if s.name not in manifests],
        schema_drift={n: m.schema_drift for n, m in manifests.items() if m.schema_drift},
        unchanged_files=sum(m.unchanged_files for m in manifests.values()),
    )
    if report.missing_sources:
        log.warning("Nothing staged for %s in run %s", ", ".join(report.missing_sources), run_id)
    with connect(paths) as con, _csv_writer(con) as side:
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
                    con, source, staged, run_folder / source.name, run_id, side
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


def _add_new_columns(con: Any, source: Source) -> None:
    """Columns added to the contract since the raw table was created: add them, empty."""
    existing = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = ?",
            [source.name],
        ).fetchall()
    }
    for name, typ in raw_columns(source, engine_of(con)).items():
        if name not in existing:
            con.execute(f"ALTER TABLE {source.raw_table} ADD COLUMN {ident(name)} {typ}")


@contextmanager
def _csv_writer(con: Any) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """An in-memory DuckDB that turns staged Parquet into CSV for a PostgreSQL warehouse."""
    if engine_of(con) != "postgres":
        yield None
        return
    with duckdb.connect(":memory:") as side:
        side.execute("SET TimeZone = 'UTC'")
        yield side


def _apply_in_transaction(
    con: Any,
    source: Source,
    staged: StagedFile,
    folder: Path,
    run_id: str,
    side: duckdb.DuckDBPyConnection | None = None,
) -> PublishedFile:
    con.begin()
    try:
        outcome = _apply(con, source, staged, folder, run_id, side)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return outcome


def _apply(
    con: Any,
    source: Source,
    staged: StagedFile,
    folder: Path,
    run_id: str,
    side: duckdb.DuckDBPyConnection | None = None,
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
    if side is not None:
        _copy_staged(con, side, source, staged, folder, run_id, now)
    else:
        _insert_staged(con, source, staged, folder, run_id, now)
    _reconcile(con, source, staged, outcome)
    return _record(con, outcome, staged, now, run_id)


def _as_duplicate(outcome: PublishedFile, why: str) -> PublishedFile:
    """Nothing loads; the content's rows are counted once, under the path that loaded them."""
    outcome.status = "duplicate"
    outcome.rows_in_file = None
    outcome.message = f"{outcome.file_path}: {why}"
    return outcome


def _delete_file_rows(con: Any, source: Source, file_path: str) -> None:
    con.execute(f"DELETE FROM {source.raw_table} WHERE _file_path = ?", [file_path])
    for table in ("ops.quarantine", "ops.pii_findings"):
        con.execute(
            f"DELETE FROM {table} WHERE source = ? AND file_path = ?", [source.name, file_path]
        )


def _insert_staged(
    con: Any,
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


#: What each staged file becomes on PostgreSQL: table and the SELECT over the file (``{file}``)
#: that yields its columns; ``?`` are the load time and, for the ops tables, the run id.
_COPIED = {
    "quarantine": (
        "ops.quarantine",
        "SELECT source, file_path, row_number, column_name, reason, CAST(record AS JSON) AS "
        "record, CAST(? AS TIMESTAMP) AS quarantined_at, CAST(? AS VARCHAR) AS run_id FROM {file}",
    ),
    "pii_findings": (
        "ops.pii_findings",
        "SELECT *, CAST(? AS TIMESTAMP) AS found_at, CAST(? AS VARCHAR) AS run_id FROM {file}",
    ),
}


def _copy_staged(
    con: PostgresConnection,
    side: duckdb.DuckDBPyConnection,
    source: Source,
    staged: StagedFile,
    folder: Path,
    run_id: str,
    now: datetime,
) -> None:
    """The staged Parquet files into PostgreSQL, set-based: DuckDB (in memory) writes each as
    CSV and ``COPY ... FROM STDIN`` streams it in, inside the caller's transaction."""
    rows = (
        source.raw_table,
        "SELECT * REPLACE (CAST(? AS TIMESTAMP) AS _loaded_at) FROM {file}",
    )
    jobs = [("rows", *rows, [now])]
    jobs += [(kind, table, select, [now, run_id]) for kind, (table, select) in _COPIED.items()]
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        for kind, table, select, params in jobs:
            parquet = f"read_parquet({literal(str(folder / staged.outputs[kind]))})"
            csv_file = Path(scratch) / f"{kind}.csv"
            query = select.format(file=parquet)
            columns = [
                d[0] for d in side.execute(f"SELECT * FROM ({query}) LIMIT 0", params).description
            ]
            side.execute(
                f"COPY ({query}) TO {literal(str(csv_file))} (FORMAT csv, HEADER false)", params
            )
            names = ", ".join(ident(c) for c in columns)
            with csv_file.open(encoding="utf-8") as data:
                con.raw.cursor().copy_expert(
                    f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)", data
                )


def _reconcile(con: Any, source: Source, staged: StagedFile, outcome: PublishedFile) -> None:
    """Every row of the file is either loaded or quarantined, exactly once; else roll back.

    Counted in the warehouse inside the file's transaction, so a failed check leaves nothing.
    """
    loaded = con.execute(
        f"SELECT count(*) FROM {source.raw_table} WHERE _file_path = ? AND _checksum = ?",
        [staged.file_path, staged.checksum],
    ).fetchone()[0]
    quarantined, findings = con.execute(
        "SELECT (SELECT count(DISTINCT row_number) FROM ops.quarantine "
        "        WHERE source = ? AND file_path = ?), "
        "       (SELECT count(*) FROM ops.pii_findings WHERE source = ? AND file_path = ?)",
        [source.name, staged.file_path, source.name, staged.file_path],
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
    con: Any,
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
