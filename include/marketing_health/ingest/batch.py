"""One source's new landing files of a night, read into one table.

Every file of the source is listed and recognised by its checksum first: content already loaded
at its path is only counted (``unchanged``), content the warehouse holds under another path is
a duplicate and is not read (unless a snapshot source delivered other content since: see
:meth:`~marketing_health.ingest.ledger.CurrentDeliveries.holder`). Each remaining file is read
once, straight into the table ``safe`` (:mod:`~marketing_health.ingest.safe`), its rows
tagged with the file's position in the batch (``_file``): CSV / TSV files in the contract's
columns with the same header by one statement for all of them, the others (tool exports,
workbooks, JSON lines, Parquet) by their own reader into a small table each, appended to
``safe`` by one statement per shape of file. A file that cannot be read as a whole is
rejected, with a message naming file, row and column, and leaves nothing in ``safe``.

The per-file facts the checks and messages need (path, delivery day, checksum, the row a
person sees for each row number, how a tool export names each column) go to the small table
``batch_files`` / ``batch_labels``, so the contract checks of all files run as one statement
(:mod:`~marketing_health.ingest.validate`).

Rows a reader does not number (CSV, JSON lines) are numbered by the order they are read: the
statement that reads them numbers them as they come (``__ordinal``, ``row_number() OVER ()``,
which follows the files' order, one file after the other), so a row's number is its ordinal
minus the file's first, plus one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from marketing_health.contract.schema import Source
from marketing_health.ingest import pii, safe
from marketing_health.ingest.discover import LandingFile, discover, sha256_file
from marketing_health.ingest.errors import ContractViolation
from marketing_health.ingest.ledger import CurrentDeliveries
from marketing_health.ingest.locale_sql import PROBLEM_PREFIX
from marketing_health.ingest.read import (
    LANDED,
    Landed,
    PlainFile,
    Prepared,
    drop_prepared,
    landed_file,
    plain_file,
    plain_files,
    prepare_exports,
    unreadable,
)
from marketing_health.ingest.report import StagedFile
from marketing_health.ingest.sql import ident

log = logging.getLogger(__name__)

FILES = "batch_files"
LABELS = "batch_labels"

#: Errors of DuckDB that are a fault of the query, not of the file's data.
_NOT_READ = (
    duckdb.BinderException,
    duckdb.CatalogException,
    duckdb.ParserException,
    duckdb.InternalException,
)


@dataclass
class BatchFile:
    """One landing file of the night and where its rows are in ``safe``."""

    index: int
    landing: LandingFile
    staged: StagedFile
    #: Ordinal of its first row in the statement that read it (``safe.__ordinal``).
    start: int = 1
    #: Add to a row number to get the row a person sees (a CSV's header is row 1).
    row_offset: int = 0
    #: Contract column -> how a tool export names it, for messages.
    labels: dict[str, str] = field(default_factory=dict)
    #: Read by a tool export's reader: its numbers and dates are read already.
    exported: bool = False
    #: What the export's reader says about the locale it read the file in.
    locale_note: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rel_path(self) -> str:
        return self.landing.rel_path

    def add_note(self, note: str) -> None:
        """Kept with the file's ledger row, so the night's decisions stay inspectable."""
        self.notes.append(note)
        self.staged.message = f"{self.rel_path}: {'; '.join(self.notes)}"


@dataclass
class SourceBatch:
    source: Source
    files: list[BatchFile] = field(default_factory=list)
    #: Files loaded by an earlier night at their path with this content: counted, not listed.
    unchanged: int = 0

    @property
    def read(self) -> list[BatchFile]:
        """Files whose rows are in ``safe``."""
        return [f for f in self.files if f.staged.status == "staged"]


def read_source(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    landing_dir: Path,
    current: CurrentDeliveries,
    pii_key: str,
) -> SourceBatch:
    """Read the source's new files into ``safe``; ``current`` maps each path loaded to the
    checksum of its content (the load ledger)."""
    con.execute("SET preserve_insertion_order = true")  # row numbers follow file order
    safe.create_table(con, source)
    batch = SourceBatch(source)
    layouts: dict[tuple[object, ...], list[tuple[BatchFile, PlainFile]]] = {}
    own: list[BatchFile] = []
    for lf in discover(landing_dir, source.name):
        checksum = sha256_file(lf.path)
        if current.get(lf.rel_path) == checksum:
            batch.unchanged += 1
            continue
        day = lf.delivery_day
        staged = StagedFile(
            file_path=lf.rel_path,
            delivery_day=day.isoformat() if day else None,
            format=lf.format,
            checksum=checksum,
            file_bytes=lf.file_bytes,
            status="staged",
        )
        file = BatchFile(len(batch.files), lf, staged)
        batch.files.append(file)
        holder = current.holder(checksum, staged.delivery_day, source.kind == "snapshot")
        if holder is not None:
            staged.status = "duplicate"
            staged.message = f"{lf.rel_path}: same content as {holder}, which is already loaded"
            continue
        try:
            lf.check_layout()
            plain = plain_file(lf, source)
            if plain is None:
                own.append(file)
            else:
                _describe(file, plain.landed)
                layouts.setdefault(plain.layout, []).append((file, plain))
        except ContractViolation as violation:
            _reject(file, violation)
    # Tool exports are read ahead and their locales decided together (one query, not one
    # per file); then every file with a reader of its own is read, in the order found.
    prepared = prepare_exports(con, source, [f.landing for f in own])
    held: list[HeldFile] = []
    try:
        for file in own:
            try:
                held.append(_read_file(con, source, file, prepared))
            except ContractViolation as violation:
                _reject(file, violation)
    finally:
        drop_prepared(con, prepared)
    _append_held(con, source, held, pii_key)
    for files in layouts.values():
        _read_plain(con, source, files, pii_key)
    _write_file_facts(con, batch)
    return batch


def _reject(file: BatchFile, violation: ContractViolation) -> None:
    file.staged.status = "rejected"
    file.staged.message = violation.text
    file.staged.error = violation.as_dict()


def _describe(file: BatchFile, landed: Landed) -> None:
    """What reading the file's header and first lines found."""
    staged = file.staged
    staged.unknown_columns = landed.unknown_columns
    staged.missing_optional_columns = landed.missing_optional
    staged.export_format = landed.export
    staged.rows_skipped = landed.skipped
    file.row_offset = landed.row_offset
    file.labels = landed.labels
    file.exported = landed.export is not None
    file.locale_note = landed.locale_note
    if landed.export:
        file.add_note(f"read as {landed.export}")
    for why, n in landed.skipped.items():
        file.add_note(f"not data, not loaded: {n} {why}")
    if landed.unknown_columns:
        file.add_note(
            f"columns not in the contract, not loaded: {', '.join(landed.unknown_columns)}"
        )


def _append(con: duckdb.DuckDBPyConnection, source: Source, file_sql: str, pii_key: str) -> int:
    """Append the rows of the view ``landed`` to ``safe``; returns how many."""
    problems = [
        row[0]
        for row in con.execute(f"DESCRIBE {LANDED}").fetchall()
        if row[0].startswith(PROBLEM_PREFIX)
    ]
    sql = f"INSERT INTO {safe.SAFE} BY NAME {safe.select_sql(source, file_sql, LANDED, problems)}"
    return con.execute(sql, pii.parameters_for(sql, pii_key)).fetchone()[0]


@dataclass
class HeldFile:
    """A file read by its own reader, its rows held in a temporary table until the night's
    files of its shape are appended to ``safe`` together."""

    file: BatchFile
    table: str
    #: Its columns and their types: files of one shape are appended by one statement.
    shape: tuple[tuple[str, str], ...]


_HELD_FILE = "__held_file"
_HELD_SEQ = "__held_seq"


def _read_file(
    con: duckdb.DuckDBPyConnection, source: Source, file: BatchFile, prepared: dict[str, Prepared]
) -> HeldFile:
    """A file with a reader of its own: a tool export, a workbook, JSON lines, Parquet.

    Its rows are held in a small table rather than appended at once: the statement that
    appends to ``safe`` (every cleaning and hashing expression of the source) takes far longer
    to plan than to run on one file's rows, so it runs once per shape of file, not per file."""
    table = f"__held_{file.index}"
    with landed_file(con, file.landing, source, prepared) as landed:
        _describe(file, landed)
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {ident(table)} AS SELECT *, "
                f"{file.index} AS {_HELD_FILE}, row_number() OVER () AS {_HELD_SEQ} "
                f"FROM {LANDED}"
            )
        except _NOT_READ:
            raise  # a fault of the query, not of the file
        except duckdb.Error as exc:
            raise unreadable(file.landing, exc) from None
    shape = tuple(
        (row[0], row[1])
        for row in con.execute(f"DESCRIBE {ident(table)}").fetchall()
        if row[0] not in (_HELD_FILE, _HELD_SEQ)
    )
    return HeldFile(file, table, shape)


def _append_held(
    con: duckdb.DuckDBPyConnection, source: Source, held: list[HeldFile], pii_key: str
) -> None:
    """Append the held files to ``safe``, one statement per shape, in the order read. When one
    statement fails, each of its files is appended on its own, so only the file whose rows
    cannot be appended is rejected."""
    shapes: dict[tuple[tuple[str, str], ...], list[HeldFile]] = {}
    for one in held:
        shapes.setdefault(one.shape, []).append(one)
    try:
        for files in shapes.values():
            try:
                _append_tables(con, source, files, pii_key)
            except _NOT_READ:
                raise
            except duckdb.Error as exc:
                if len(files) == 1:
                    _reject(files[0].file, unreadable(files[0].file.landing, exc))
                    continue
                for one in files:
                    try:
                        _append_tables(con, source, [one], pii_key)
                    except _NOT_READ:
                        raise
                    except duckdb.Error as exc_one:
                        _reject(one.file, unreadable(one.file.landing, exc_one))
    finally:
        for one in held:
            con.execute(f"DROP TABLE IF EXISTS {ident(one.table)}")


def _append_tables(
    con: duckdb.DuckDBPyConnection, source: Source, files: list[HeldFile], pii_key: str
) -> None:
    """One statement appends the held tables of one shape, each file's rows in their order."""
    before = _rows(con)
    union = " UNION ALL ".join(f"SELECT * FROM {ident(f.table)}" for f in files)
    relation = f"(SELECT * FROM ({union}) ORDER BY {_HELD_FILE}, {_HELD_SEQ})"
    problems = [name for name, _ in files[0].shape if name.startswith(PROBLEM_PREFIX)]
    sql = (
        f"INSERT INTO {safe.SAFE} BY NAME {safe.select_sql(source, _HELD_FILE, relation, problems)}"
    )
    con.execute(sql, pii.parameters_for(sql, pii_key))
    _record_appended(con, before, [one.file for one in files])


def _read_plain(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    files: list[tuple[BatchFile, PlainFile]],
    pii_key: str,
) -> None:
    """Files in the contract's columns with one header, read by one statement. When one of
    them cannot be read, each is read on its own, so only that one is rejected."""
    before = _rows(con)
    indexes = "[" + ", ".join(str(f.index) for f, _ in files) + "]"
    try:
        with plain_files(con, source, [p for _, p in files]):
            _append(con, source, f"({indexes})[__file + 1]", pii_key)
    except _NOT_READ:
        raise
    except duckdb.Error as exc:
        if len(files) > 1:
            for one in files:
                _read_plain(con, source, [one], pii_key)
            return
        _reject(files[0][0], unreadable(files[0][0].landing, exc))
        return
    _record_appended(con, before, [file for file, _ in files])


def _record_appended(con: duckdb.DuckDBPyConnection, before: int, files: list[BatchFile]) -> None:
    """Each file's first row number and row count, from the rows one statement appended to
    ``safe`` after ``before``: counted by the warehouse, not by reading the files again."""
    found = {
        index: (start, rows)
        for index, start, rows in con.execute(
            f"SELECT _file, min(__ordinal), count(*) FROM {safe.SAFE} WHERE rowid >= ? "
            "GROUP BY _file",
            [before],
        ).fetchall()
    }
    for file in files:
        file.start, file.staged.rows_in_file = found.get(file.index, (1, 0))


def _rows(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(f"SELECT count(*) FROM {safe.SAFE}").fetchone()[0]


def _write_file_facts(con: duckdb.DuckDBPyConnection, batch: SourceBatch) -> None:
    """``batch_files`` (file, path, delivery day, checksum, row offset) and ``batch_labels``."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {FILES} (_file INTEGER, file_path VARCHAR, "
        "delivery_day DATE, checksum VARCHAR, row_offset BIGINT, start BIGINT)"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {LABELS} "
        "(_file INTEGER, column_name VARCHAR, label VARCHAR, heading VARCHAR)"
    )
    read = batch.read
    if read:
        _insert_rows(
            con,
            FILES,
            [
                [
                    f.index,
                    f.rel_path,
                    f.staged.delivery_day,
                    f.staged.checksum,
                    f.row_offset,
                    f.start,
                ]
                for f in read
            ],
        )
    labels = [
        [f.index, column, f"column {label} ({column})", label]
        for f in read
        for column, label in f.labels.items()
    ]
    if labels:
        _insert_rows(con, LABELS, labels)


def _insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[list[object]]) -> None:
    """All rows by one statement: ``executemany`` runs one INSERT per row (a night has
    hundreds of files)."""
    one = "(" + ", ".join("?" * len(rows[0])) + ")"
    con.execute(
        f"INSERT INTO {table} VALUES {', '.join([one] * len(rows))}",
        [value for row in rows for value in row],
    )


def starts_sql(batch: SourceBatch) -> str:
    """The ordinal of each file's first row in ``safe``, as a list indexed by ``_file + 1``."""
    return "([" + ", ".join(str(f.start) for f in batch.files) + "]::BIGINT[])"


def offsets_sql(batch: SourceBatch) -> str:
    """Each file's row offset, as a list indexed by ``_file + 1``."""
    return "([" + ", ".join(str(f.row_offset) for f in batch.files) + "]::BIGINT[])"


def drop_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in (safe.SAFE, FILES, LABELS):
        con.execute(f"DROP TABLE IF EXISTS {ident(table)}")
