"""Reading one landing file in DuckDB, every value as text, rows numbered as in the file.

Typing is ours, not the reader's: CSV files are read with an explicit delimiter and every
column as VARCHAR, so a stray ``abc`` in a number column becomes one quarantined row instead of
a guessed column type, and Parquet / JSON values are turned into the text they would have had
in a CSV (lists become ``a|b``). Header names are matched to the contract ignoring case,
surrounding spaces, and spaces or dashes instead of underscores.

CSV, TSV and .xlsx files are first looked at (:mod:`~marketing_health.ingest.sniff`): a
tool export (Meta Ads Manager, Klaviyo, ...) is read through
:mod:`~marketing_health.ingest.tool_exports` into the contract's columns; a workbook in the
contract's columns is read like a CSV. A workbook is written to a private temporary CSV for
this, removed as soon as its rows are in DuckDB.

The file is exposed as a view, ``landed``, for as long as :func:`landed_file` is open: CSV,
JSON lines and Parquet files are read when the caller selects from it, once, so a file's raw
values are never stored. The caller reads the rows in the order of the file; rows whose
``_row_number`` is NULL are numbered by that order (see :mod:`~marketing_health.ingest.batch`).

A file that cannot be read as a whole (damaged, cut off, not UTF-8, a required column missing)
raises :class:`ContractViolation` naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from marketing_health.contract.schema import Source
from marketing_health.ingest.discover import LandingFile
from marketing_health.ingest.errors import ContractViolation
from marketing_health.ingest.pii import redact_text
from marketing_health.ingest.sniff import sniff, workbook_as_csv
from marketing_health.ingest.sql import ident, literal
from marketing_health.ingest.tool_exports import (
    ExportRead,
    PreparedExport,
    Recognised,
    decide_locales,
    drop_export_rows,
    finish_export,
    land_exports,
    prepare_export,
    read_export,
    recognise,
)

#: Name of the view the file is exposed as: ``_row_number`` then the contract's column names.
LANDED = "landed"
_READ = "landed_read"

_DELIMITERS = {"csv": ",", "tsv": "\t"}


@dataclass
class Landed:
    """What was read: the header as seen and how it maps onto the contract."""

    #: Data rows, when the reader counted them (a tool export); None: counted as they are read.
    rows: int | None
    header: list[str]
    unknown_columns: list[str] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)
    #: Add to a data row number to get the row a person sees (the CSV header is row 1).
    row_offset: int = 0
    #: The tool export the file was recognised as (None: the contract's own columns).
    export: str | None = None
    #: Contract column -> the export's header(s) it was read from, for messages.
    labels: dict[str, str] = field(default_factory=dict)
    #: Rows of the file that are not data (totals, other channels): reason -> count.
    skipped: dict[str, int] = field(default_factory=dict)
    #: A tool export's numbers and dates: the locale they were read in (None: nothing to say).
    locale_note: str | None = None


@dataclass(frozen=True)
class _Read:
    """How a reader exposes the table it loaded: names, text cast, row number, row offset."""

    header: list[str]
    as_text: Callable[[str], str]
    #: The row's number in the file, or NULL when rows are numbered in the order they are read.
    row_number_sql: str
    row_offset: int


def normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


@dataclass(frozen=True)
class PlainFile:
    """A CSV or TSV file (gzip or not) in the contract's own columns: read together with the
    other files of the same header, in one statement (:func:`plain_files`)."""

    landing: LandingFile
    delimiter: str
    header: tuple[str, ...]
    landed: Landed

    @property
    def layout(self) -> tuple[object, ...]:
        """Files of one layout are read by one reader."""
        return (self.delimiter, self.header, self.landing.path.name.lower().endswith(".gz"))


def plain_file(lf: LandingFile, source: Source) -> PlainFile | None:
    """How the file is read when it is a CSV / TSV in the contract's columns (looking at its
    first lines only); None when it needs a reader of its own (a tool export, a workbook,
    JSON lines, Parquet). Raises ContractViolation when its header cannot be read."""
    if lf.file_bytes == 0:
        raise ContractViolation(lf.rel_path, None, None, "empty_file")
    if lf.format not in ("csv", "tsv"):
        return None
    delimiter = _DELIMITERS[lf.format]
    if not lf.path.name.lower().endswith(".gz"):
        sniffed = sniff(lf.path, delimiter)
        if not sniffed.records:  # a byte-order mark and nothing else
            raise ContractViolation(lf.rel_path, None, None, "empty_file")
        if recognise(lf, source, sniffed) is not None:
            return None
    header = _csv_header(lf, lf.path, delimiter)
    mapping = _map_header(lf, source, header, 1)
    return PlainFile(lf, delimiter, tuple(header), _mapped(source, header, mapping, 1))


@contextmanager
def plain_files(
    con: duckdb.DuckDBPyConnection, source: Source, files: list[PlainFile]
) -> Iterator[None]:
    """Expose files of one layout as the view ``landed`` while the block runs, one reader for
    all: ``__file`` is each row's position in ``files``; rows are numbered in the order they
    are read (``_row_number`` NULL). Reading errors surface when the view is selected from."""
    first = files[0]
    header = first.header
    columns = "{" + ", ".join(f"{literal(f'c{i}')}: 'VARCHAR'" for i in range(len(header))) + "}"
    paths = "[" + ", ".join(literal(str(f.landing.path)) for f in files) + "]"
    mapping = _map_header(first.landing, source, list(header), 1)
    positions = {name: f"c{i}" for i, name in enumerate(header)}
    select = ["CAST(file_index AS BIGINT) AS __file", "NULL::BIGINT AS _row_number"]
    for col in source.columns:
        found = mapping.get(col.name)
        select.append(
            f"{ident(positions[found]) if found else 'NULL::VARCHAR'} AS {ident(col.name)}"
        )
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {LANDED} AS SELECT {', '.join(select)} FROM "
            f"read_csv({paths}, header = true, auto_detect = false, columns = {columns}, "
            f"delim = {literal(first.delimiter)}, quote = '\"', escape = '\"', "
            "strict_mode = true, encoding = 'utf-8')"
        )
        yield
    finally:
        drop_landed(con)


#: A tool export read and checked ahead (:func:`prepare_exports`), or why it cannot be read.
Prepared = PreparedExport | ContractViolation


def prepare_exports(
    con: duckdb.DuckDBPyConnection, source: Source, files: list[LandingFile]
) -> dict[str, Prepared]:
    """Read the night's CSV / TSV tool exports of one source ahead, and decide their locales
    together: one aggregate query per kind of export rather than one per file, whose planning
    costs far more than running it on an export's few hundred rows. Path -> the prepared
    export, or the violation :func:`landed_file` raises for it; files that are not tool
    exports (or are workbooks, gzip, JSON lines, Parquet) have no entry and are read as before.

    Each prepared export holds its rows in a table of its own until :func:`landed_file` reads
    it and drops the table (:func:`drop_prepared` drops what is left)."""
    found: dict[str, Prepared] = {}
    ready: list[PreparedExport] = []
    for lf in files:
        if lf.format not in ("csv", "tsv") or lf.path.name.lower().endswith(".gz"):
            continue
        if lf.file_bytes == 0:
            continue
        try:
            sniffed = sniff(lf.path, _DELIMITERS[lf.format])
            if not sniffed.records:
                continue
            rec = recognise(lf, source, sniffed)
            if rec is None:
                continue
            table = _prepared_table(len(found))
            one = prepare_export(con, lf, source, sniffed, rec, table)
        except ContractViolation as violation:
            con.execute(f"DROP TABLE IF EXISTS {_prepared_table(len(found))}")
            found[lf.rel_path] = violation
            continue
        found[lf.rel_path] = one
        ready.append(one)
    decided = decide_locales(con, ready)
    landed, _ = land_exports(con, decided, "export_landed_")
    for one, done in zip(decided, landed, strict=True):
        found[one.lf.rel_path] = done
        if isinstance(done, ContractViolation):
            con.execute(f"DROP TABLE IF EXISTS {one.pending.rows}")
    return found


def _prepared_table(n: int) -> str:
    return f"export_rows_{n}"


def drop_prepared(con: duckdb.DuckDBPyConnection, prepared: dict[str, Prepared]) -> None:
    """Forget the rows of prepared exports (they may hold personal data)."""
    tables = []
    for one in prepared.values():
        if isinstance(one, PreparedExport):
            tables.append(one.pending.rows)
            if one.landed is not None:
                tables.append(one.landed[0])
    for table in dict.fromkeys(tables):
        con.execute(f"DROP TABLE IF EXISTS {table}")


@contextmanager
def landed_file(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    source: Source,
    prepared: dict[str, Prepared] | None = None,
) -> Iterator[Landed]:
    """Expose the file as the view ``landed`` while the block runs; raise ContractViolation if
    it cannot be read as a whole. Reading errors of the data itself surface when the view is
    selected from (:func:`unreadable` words them).

    CSV, TSV and workbook files may be tool exports (``contract/exports``): those are
    recognised by their header and read into the contract's columns first.
    """
    if lf.file_bytes == 0:
        raise ContractViolation(lf.rel_path, None, None, "empty_file")
    ahead = (prepared or {}).get(lf.rel_path)
    try:
        if isinstance(ahead, ContractViolation):
            raise ahead
        if ahead is not None:
            yield _export_landed(finish_export(con, ahead, LANDED), ahead)
            return
        if lf.format in ("csv", "tsv", "xlsx") and not lf.path.name.lower().endswith(".gz"):
            with tempfile.TemporaryDirectory(prefix="mh-sheet-") as scratch:
                yield _read_text_or_export(con, lf, source, Path(scratch))
                return
        readers = {"jsonl": _read_jsonl, "parquet": _read_parquet, "csv": _read_delimited}
        yield _landed(con, lf, source, readers[lf.format or ""](con, lf, lf.path))
    finally:
        drop_landed(con)
        if isinstance(ahead, PreparedExport):
            con.execute(f"DROP TABLE IF EXISTS {ahead.pending.rows}")


def _read_text_or_export(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, source: Source, scratch: Path
) -> Landed:
    path = lf.path
    if lf.format == "xlsx":
        try:
            path = workbook_as_csv(lf.path, scratch / "sheet.csv")
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise ContractViolation(
                lf.rel_path,
                None,
                None,
                "workbook",
                error=type(exc).__name__,
            ) from None
    sniffed = sniff(path, _DELIMITERS.get(lf.format or "", ","))
    if not sniffed.records:  # a byte-order mark and nothing else
        raise ContractViolation(lf.rel_path, None, None, "empty_file")
    found = recognise(lf, source, sniffed)
    if found is None:
        delim = sniffed.delimiter if lf.format == "xlsx" else None
        return _landed(con, lf, source, _read_delimited(con, lf, path, delim))
    return _export_landed(read_export(con, lf, source, sniffed, found, LANDED), found)


def _export_landed(read: ExportRead, found: Recognised | PreparedExport) -> Landed:
    rec = found.rec if isinstance(found, PreparedExport) else found
    return Landed(
        rows=read.rows,
        header=read.header,
        unknown_columns=read.unknown_columns,
        missing_optional=read.missing_optional,
        row_offset=read.row_offset,
        export=rec.fmt.title,
        labels=read.labels,
        skipped=read.skipped,
        locale_note=read.locale_note,
    )


def _landed(con: duckdb.DuckDBPyConnection, lf: LandingFile, source: Source, read: _Read) -> Landed:
    mapping = _map_header(lf, source, read.header, read.row_offset)
    select = [f"{read.row_number_sql} AS _row_number"]
    for col in source.columns:
        found = mapping.get(col.name)
        value = read.as_text(found) if found else "NULL::VARCHAR"
        select.append(f"{value} AS {ident(col.name)}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW {LANDED} AS SELECT {', '.join(select)} FROM {_READ}")
    return _mapped(source, read.header, mapping, read.row_offset)


def _mapped(source: Source, header: list[str], mapping: dict[str, str], offset: int) -> Landed:
    """What the header says: columns not in the contract, optional columns missing."""
    known = set(mapping.values())
    return Landed(
        rows=None,
        header=header,
        unknown_columns=[redact_text(h) for h in header if h.strip() and h not in known],
        missing_optional=[c.name for c in source.columns if c.name not in mapping],
        row_offset=offset,
    )


def drop_landed(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the file's raw values (they may hold personal data) as soon as they are read."""
    con.execute(f"DROP VIEW IF EXISTS {LANDED}")
    con.execute(f"DROP VIEW IF EXISTS {_READ}")
    drop_export_rows(con)


def _map_header(lf: LandingFile, source: Source, header: list[str], offset: int) -> dict[str, str]:
    """Contract column -> file column; raise when the header repeats a name or lacks one.

    Names are redacted in messages: in a file exported without a header, the "header" is the
    first data row.
    """
    by_name: dict[str, str] = {}
    repeated = []
    for name in header:
        key = normalise_header(name)
        if key and key in by_name:
            repeated.append(name)
        elif key:  # a trailing separator in the header names no column
            by_name[key] = name
    mapping = {c.name: by_name[c.name] for c in source.columns if c.name in by_name}
    row = 1 if offset else None
    missing = [c.name for c in source.required_columns if c.name not in mapping]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        seen = redact_text(", ".join(header)) or "(nothing)"
        what = (
            "missing_in_header"
            if offset
            else ("missing_in_records" if lf.format == "jsonl" else "missing_in_file")
        )
        raise ContractViolation(
            lf.rel_path, row, missing[0], what, names=names, seen=seen, n=len(missing)
        )
    if repeated:
        name = redact_text(repeated[0])
        raise ContractViolation(lf.rel_path, row, name, "column_twice", name=name)
    return mapping


def _read_delimited(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, path: Path, delim: str | None = None
) -> _Read:
    delim = delim or _DELIMITERS[lf.format or "csv"]
    header = _csv_header(lf, path, delim)
    columns = "{" + ", ".join(f"{literal(f'c{i}')}: 'VARCHAR'" for i in range(len(header))) + "}"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {_READ} AS SELECT * FROM "
            f"read_csv({literal(str(path))}, header = true, auto_detect = false, "
            f"columns = {columns}, delim = {literal(delim)}, quote = '\"', escape = '\"', "
            "strict_mode = true, encoding = 'utf-8')"
        )
    except duckdb.Error as exc:
        raise unreadable(lf, exc) from None
    positions = {name: f"c{i}" for i, name in enumerate(header)}
    return _Read(header, lambda name: ident(positions[name]), "NULL::BIGINT", 1)


def _csv_header(lf: LandingFile, path: Path, delim: str) -> list[str]:
    """First record of the file, read by Python's csv module (only the header, never the data)."""
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with (
            opener(path, "rb") as raw,
            io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="") as text,
        ):
            first = next(csv.reader(text, delimiter=delim), [])
    except (OSError, EOFError, zlib.error):
        raise ContractViolation(lf.rel_path, None, None, "damaged_archive") from None
    header = [h.strip() for h in first]
    if any("\ufffd" in h for h in header):
        raise ContractViolation(lf.rel_path, 1, None, "header_not_utf8")
    if not any(header):
        raise ContractViolation(lf.rel_path, 1, None, "no_header")
    return header


def _read_jsonl(con: duckdb.DuckDBPyConnection, lf: LandingFile, _path: Path) -> _Read:
    path = literal(str(lf.path))
    try:
        described = con.execute(
            f"DESCRIBE SELECT * FROM read_json({path}, format = 'newline_delimited')"
        ).fetchall()
        header = [row[0] for row in described]
        if header == ["json"] and str(described[0][1]).upper() != "VARCHAR":
            raise ContractViolation(lf.rel_path, 1, None, "not_json_object")
        columns = "{" + ", ".join(f"{literal(h)}: 'VARCHAR'" for h in header) + "}"
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {_READ} AS SELECT * FROM "
            f"read_json({path}, format = 'newline_delimited', columns = {columns})"
        )
    except duckdb.Error as exc:
        raise unreadable(lf, exc) from None

    def cast(name: str) -> str:
        col = ident(name)
        return (
            f"CASE WHEN starts_with({col}, '[') AND json_valid({col}) "
            f"THEN array_to_string(from_json({col}, '[\"VARCHAR\"]'), '|') ELSE {col} END"
        )

    return _Read(header, cast, "NULL::BIGINT", 0)


def _read_parquet(con: duckdb.DuckDBPyConnection, lf: LandingFile, _path: Path) -> _Read:
    path = literal(str(lf.path))
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {_READ} AS SELECT * FROM "
            f"read_parquet({path}, file_row_number = true)"
        )
        described = con.execute(f"DESCRIBE {_READ}").fetchall()
    except duckdb.Error as exc:
        raise unreadable(lf, exc) from None
    types = {row[0]: str(row[1]) for row in described if row[0] != "file_row_number"}

    def cast(name: str) -> str:
        if types[name].endswith("[]"):
            return f"array_to_string({ident(name)}, '|')"
        return f"CAST({ident(name)} AS VARCHAR)"

    return _Read(list(types), cast, "file_row_number + 1", 0)


def unreadable(lf: LandingFile, exc: duckdb.Error) -> ContractViolation:
    """Translate a reader error into words, without echoing the offending line (it may hold
    personal data)."""
    text = str(exc)
    csv_line = re.search(r"CSV Error on Line: (\d+)", text)
    json_line = re.search(r"in line (\d+)", text)  # DuckDB counts JSON lines one too high
    row = int(csv_line.group(1)) if csv_line else int(json_line.group(1)) - 1 if json_line else None
    if "Expected Number of Columns" in text:
        counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
        expected, found = counts.groups() if counts else ("?", "?")
        return ContractViolation(
            lf.rel_path, row, None, "row_width", found=found, expected=expected
        )
    if "unterminated quote" in text:
        problem = "open_quote"
    elif "unicode" in text.lower() or "utf-8" in text.lower():
        problem = "not_utf8"
    elif "GZIP" in text or "gzip" in text:
        problem = "damaged_archive"
    elif "Malformed JSON" in text:
        problem = "bad_json_line"
    elif "magic bytes" in text.lower() or "parquet" in text.lower():
        problem = "bad_parquet"
    else:
        return ContractViolation(lf.rel_path, row, None, "unreadable", error=type(exc).__name__)
    return ContractViolation(lf.rel_path, row, None, problem)
