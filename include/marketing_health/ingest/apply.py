"""Writing one source's night into the warehouse: one transaction, the ledger's rules, and
every file's rows reconciled in the warehouse.

What happens to each file is decided from the load ledger, in delivery order, as if the files
were applied one by one: a file whose content the warehouse holds at its path is already
loaded; content held under another path (or by a file earlier in the night) is a duplicate; new
content at a known path replaces the earlier delivery's rows; a rejected file is recorded. Then
one transaction deletes the rows of replaced deliveries, inserts every loading file's rows,
quarantine records and privacy findings with one statement per table, counts what the
warehouse now holds per file, and writes the ledger rows in one statement.

A file whose rows do not add up in the warehouse (loaded + quarantined differ from its rows)
is refused: the transaction is rolled back and applied again without it, so nothing of that
file is loaded (its earlier delivery stays) while the other files load; the caller then fails
the night naming the file (:class:`~marketing_health.ingest.reconcile.ReconcileError`).

The rows come as SELECTs (:class:`~marketing_health.ingest.outputs.Relations`) in a DuckDB
connection ``side``: the warehouse connection itself (its temporary ``checked`` table, or the
staged Parquet files), or, for a PostgreSQL warehouse, an in-memory DuckDB whose results are
streamed in with ``COPY ... FROM STDIN``.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from marketing_health.contract.ddl import raw_columns
from marketing_health.contract.schema import Source
from marketing_health.ingest import ledger
from marketing_health.ingest.outputs import Relations
from marketing_health.ingest.reconcile import ReconcileError, RowCounts
from marketing_health.ingest.report import PublishedFile, StagedFile
from marketing_health.ingest.sql import ident, literal
from marketing_health.warehouse import engine_of

log = logging.getLogger(__name__)

_LEDGER_COLUMNS = (
    "source",
    "file_path",
    "delivery_day",
    "checksum",
    "file_bytes",
    "rows_in_file",
    "rows_loaded",
    "rows_quarantined",
    "status",
    "message",
    "problem",
    "problem_values",
    "loaded_at",
    "run_id",
)


@dataclass
class _Plan:
    """What the transaction does: outcomes in order, files to load, paths to clear."""

    outcomes: list[tuple[PublishedFile, StagedFile]] = field(default_factory=list)
    load: list[str] = field(default_factory=list)
    clear: list[str] = field(default_factory=list)
    record: list[tuple[PublishedFile, StagedFile]] = field(default_factory=list)


@dataclass
class Applied:
    """One source's night in the warehouse: each file's outcome, and the files refused."""

    files: list[PublishedFile] = field(default_factory=list)
    refused: list[ReconcileError] = field(default_factory=list)


def apply_source(
    con: Any,
    side: duckdb.DuckDBPyConnection,
    source: Source,
    staged_files: list[StagedFile],
    relations: Relations,
    run_id: str,
    now: datetime,
) -> Applied:
    """Apply one source's staged files in one transaction (see the module's text)."""
    ordered = sorted(staged_files, key=lambda f: (f.delivery_day or "", f.file_path))
    read = {f.file_path for f in ordered if f.status == "staged"}  # their rows are in relations
    refused: dict[str, ReconcileError] = {}
    while True:
        plan = _plan(con, source, [f for f in ordered if f.file_path not in refused])
        con.begin()
        try:
            failed = _write(con, side, source, plan, relations, read, run_id, now)
            if failed:
                con.rollback()
                refused.update(failed)
                continue
            _record(con, plan, now, run_id)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        break
    return Applied([outcome for outcome, _ in plan.outcomes], list(refused.values()))


def _plan(con: Any, source: Source, staged_files: list[StagedFile]) -> _Plan:
    """Each file's fate from the ledger, in delivery order (inside no transaction yet)."""
    current = ledger.current_deliveries(con, source.name)
    known = ledger.recorded_deliveries(con, source.name)
    plan = _Plan()
    for staged in staged_files:
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
        plan.outcomes.append((outcome, staged))
        if staged.status == "rejected":
            _record_once(plan, known, outcome, staged)
            continue
        previous = current.get(staged.file_path)
        snapshot = source.kind == "snapshot"
        holder = current.holder(staged.checksum, staged.delivery_day, snapshot)
        if previous == staged.checksum:
            _as_duplicate(outcome, "already loaded, unchanged")
            continue
        if holder is None and staged.status == "duplicate":
            outcome.status = "skipped"
            outcome.message = (
                f"{staged.file_path}: staged as already loaded, but the warehouse no longer "
                "holds that content; the next run loads it"
            )
            continue
        if previous is not None:  # new content at this path: the earlier delivery's rows go
            plan.clear.append(staged.file_path)
        if holder is not None:
            _as_duplicate(outcome, f"same content as {holder}, loaded once")
            _record_once(plan, known, outcome, staged)
            continue
        outcome.status = "loaded" if previous is None else "replaced"
        if previous is not None:
            outcome.message = (
                f"{staged.file_path}: corrected re-delivery; it replaces the rows of the "
                "earlier one"
            )
        elif staged.status == "staged" and snapshot:
            _note_reinstated(outcome, current)
        plan.load.append(staged.file_path)
        plan.record.append((outcome, staged))
        current.add(staged.file_path, staged.checksum, staged.delivery_day)
    return plan


def _note_reinstated(outcome: PublishedFile, current: ledger.CurrentDeliveries) -> None:
    """A snapshot delivery whose bytes equal an earlier one, loaded because other content came
    in between (A, B, A): its ledger row says which delivery it takes over from."""
    day = outcome.delivery_day
    earlier = [
        path
        for path, held in current.items()
        if held == outcome.checksum and day and (current.days.get(path) or "") <= day
    ]
    if not earlier:
        return
    first = max(earlier, key=lambda path: (current.days.get(path) or "", path))
    after = current.superseded(outcome.checksum, day, since=first)
    if after is None:
        return
    outcome.message = (
        f"{outcome.file_path}: same content as {first}, delivered again after {after}; "
        f"the latest delivery wins, so it replaces {after} as the current delivery"
    )


def _as_duplicate(outcome: PublishedFile, why: str) -> None:
    """Nothing loads; the content's rows are counted once, under the path that loaded them."""
    outcome.status = "duplicate"
    outcome.rows_in_file = None
    outcome.message = f"{outcome.file_path}: {why}"


def _record_once(
    plan: _Plan,
    known: set[tuple[str, str, str]],
    outcome: PublishedFile,
    staged: StagedFile,
) -> None:
    """A duplicate or rejected delivery is recorded once: re-running a night adds nothing."""
    key = (outcome.file_path, outcome.checksum, outcome.status)
    if key not in known:
        known.add(key)
        plan.record.append((outcome, staged))


def _write(
    con: Any,
    side: duckdb.DuckDBPyConnection,
    source: Source,
    plan: _Plan,
    relations: Relations,
    read: set[str],
    run_id: str,
    now: datetime,
) -> dict[str, ReconcileError]:
    """Clear, insert and reconcile; return the files that do not add up. ``read``: the files
    whose rows the relations hold."""
    for path in plan.clear:
        con.execute(f"DELETE FROM {source.raw_table} WHERE _file_path = ?", [path])
        for table in ("ops.quarantine", "ops.pii_findings"):
            con.execute(
                f"DELETE FROM {table} WHERE source = ? AND file_path = ?", [source.name, path]
            )
    if not plan.load:
        return {}
    jobs = [
        (source.raw_table, relations.rows, "_file_path", _ROWS),
        ("ops.quarantine", relations.quarantine, "file_path", _QUARANTINE),
        ("ops.pii_findings", relations.findings, "file_path", _FINDINGS),
    ]
    for table, relation, path_column, select in jobs:
        where = ""
        if set(plan.load) != read:
            where = f" WHERE {path_column} IN ({', '.join(literal(p) for p in plan.load)})"
        query = select.format(relation=f"({relation}) AS r{where}")
        params = [now] if table == source.raw_table else [now, run_id]
        if engine_of(con) == "postgres":
            _copy(con, side, table, query, params)
        else:
            con.execute(f"INSERT INTO {table} BY NAME {query}", params)
    return _reconcile(con, source, plan, now)


#: The SELECTs over a relation that give each table its rows; ``?`` are the load time and, for
#: the ops tables, the run id.
_ROWS = "SELECT * REPLACE (CAST(? AS TIMESTAMP) AS _loaded_at) FROM {relation}"
_QUARANTINE = (
    "SELECT source, file_path, row_number, column_name, reason, problem, "
    "CAST(problem_values AS JSON) AS problem_values, CAST(record AS JSON) AS record, "
    "CAST(? AS TIMESTAMP) AS quarantined_at, CAST(? AS VARCHAR) AS run_id FROM {relation}"
)
_FINDINGS = (
    "SELECT source, file_path, row_number, column_name, kind, campaign_id, data_day, "
    "CAST(? AS TIMESTAMP) AS found_at, CAST(? AS VARCHAR) AS run_id FROM {relation}"
)


def _copy(
    con: Any, side: duckdb.DuckDBPyConnection, table: str, query: str, params: list[Any]
) -> None:
    """Rows computed in DuckDB into a PostgreSQL table, set-based: DuckDB writes them as CSV
    and ``COPY ... FROM STDIN`` streams them in, inside the caller's transaction."""
    columns = [d[0] for d in side.execute(f"SELECT * FROM ({query}) LIMIT 0", params).description]
    with tempfile.TemporaryDirectory(prefix="mh-copy-") as scratch:
        csv_file = Path(scratch) / "rows.csv"
        side.execute(
            f"COPY ({query}) TO {literal(str(csv_file))} (FORMAT csv, HEADER false)", params
        )
        names = ", ".join(ident(c) for c in columns)
        with csv_file.open(encoding="utf-8") as data:
            con.raw.cursor().copy_expert(
                f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)", data
            )


def _reconcile(con: Any, source: Source, plan: _Plan, now: datetime) -> dict[str, ReconcileError]:
    """Every loading file's rows are loaded or quarantined, exactly once, as the checks said.

    Counted in the warehouse, inside the transaction, over the rows this load wrote (their
    load time is this load's).
    """
    loaded = dict(
        con.execute(
            f"SELECT _file_path, count(*) FROM {source.raw_table} WHERE _loaded_at = ? "
            "GROUP BY _file_path",
            [now],
        ).fetchall()
    )
    quarantined = dict(
        con.execute(
            "SELECT file_path, count(DISTINCT row_number) FROM ops.quarantine "
            "WHERE source = ? AND quarantined_at = ? GROUP BY file_path",
            [source.name, now],
        ).fetchall()
    )
    findings = dict(
        con.execute(
            "SELECT file_path, count(*) FROM ops.pii_findings "
            "WHERE source = ? AND found_at = ? GROUP BY file_path",
            [source.name, now],
        ).fetchall()
    )
    failed: dict[str, ReconcileError] = {}
    loading = set(plan.load)
    for outcome, staged in plan.outcomes:
        if outcome.file_path not in loading:
            continue
        n_loaded = loaded.get(staged.file_path, 0)
        n_quarantined = quarantined.get(staged.file_path, 0)
        counts = RowCounts(
            staged.file_path,
            staged.rows_in_file or 0,
            n_loaded,
            n_quarantined,
            outcome.rows_skipped,
        )
        try:
            counts.check("in the warehouse")
            if (n_loaded, n_quarantined) != (staged.rows_valid, staged.rows_quarantined):
                raise ReconcileError(
                    staged.file_path,
                    f"{staged.file_path}: the checks passed {staged.rows_valid} rows and "
                    f"quarantined {staged.rows_quarantined}, but the warehouse would hold "
                    f"{n_loaded} loaded and {n_quarantined} quarantined; nothing of the file "
                    "was loaded",
                )
        except ReconcileError as error:
            failed[staged.file_path] = error
            continue
        outcome.rows_loaded = n_loaded
        outcome.rows_quarantined = n_quarantined
        outcome.pii_findings = findings.get(staged.file_path, 0)
    return failed


def _record(con: Any, plan: _Plan, now: datetime, run_id: str) -> None:
    """The ledger rows of the night, in one statement. Loads are always recorded: they are
    what ``current`` is read from."""
    if not plan.record:
        return
    rows = []
    for outcome, staged in plan.record:
        rows.append(
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
                *_problem(outcome, staged),
                now,
                run_id,
            ]
        )
        outcome.ledger_row_written = True
    one = "(" + ", ".join("?" for _ in _LEDGER_COLUMNS) + ")"
    con.execute(
        f"INSERT INTO ops.load_ledger ({', '.join(_LEDGER_COLUMNS)}) "
        f"VALUES {', '.join(one for _ in rows)}",
        [value for row in rows for value in row],
    )


def _problem(outcome: PublishedFile, staged: StagedFile) -> tuple[str | None, str | None]:
    """Why a rejected file was rejected, as its code and values (JSON) for the ledger; the
    values also hold the row and column the message names, if any."""
    error = staged.error or {}
    if outcome.status != "rejected" or not error.get("problem"):
        return None, None
    values = dict(error.get("values") or {})
    values.update({k: error[k] for k in ("row", "column") if error.get(k) is not None})
    return str(error["problem"]), json.dumps(values, ensure_ascii=False, sort_keys=True)


def add_new_columns(con: Any, source: Source) -> None:
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


def log_outcome(outcome: PublishedFile) -> None:
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
