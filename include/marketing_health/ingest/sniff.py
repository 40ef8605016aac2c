"""A look at the first lines of a delimited file: encoding, separator and the records there.

Tools do not agree on what a CSV is: Meta writes UTF-8 with a byte-order mark, Google Ads'
"Excel .csv" is UTF-16 with tabs, several tools put a title and a date range above the header.
Only the first few kilobytes are read here, in Python; the data itself is read by DuckDB with
the encoding, separator and header line found here. Workbooks (.xlsx) are first written out
as a UTF-8 CSV, cell for cell, so every later step reads one kind of file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

#: Records looked at for a header below title lines.
HEAD_RECORDS = 15
_HEAD_BYTES = 64 * 1024
_SEPARATORS = (",", "\t", ";")


@dataclass(frozen=True)
class Sniffed:
    """What the start of a text file looks like."""

    path: Path
    #: DuckDB's name of the encoding: ``utf-8`` or ``utf-16``.
    encoding: str
    delimiter: str
    #: The first records as cells (stripped), and the physical line each one starts on
    #: (0-based, counted the way DuckDB's ``skip`` counts lines).
    records: list[list[str]]
    lines: list[int]
    #: A byte-order mark was found (reported, never a problem).
    bom: bool = False


def _encoding(head: bytes) -> tuple[str, str, bool]:
    """(Python codec, DuckDB encoding, has BOM) from the first bytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "utf-16", True
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "utf-8", True
    # UTF-16 without a mark: every other byte of ASCII text is a zero.
    sample = head[:200]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le", "utf-16", False
    return "utf-8", "utf-8", False


def _decode(head: bytes, codec: str, complete: bool) -> str:
    if codec.startswith("utf-16") and len(head) % 2:
        head = head[:-1]
    text = head.decode(codec, errors="replace")
    if not complete and "\n" in text:
        text = text[: text.rfind("\n") + 1]  # the last line may be cut in the middle
    return text


def _records(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, lines = [], []
    start = 0
    try:
        for row in reader:
            records.append([cell.strip().strip("\ufeff") for cell in row])
            lines.append(start)
            start = reader.line_num
            if len(records) >= HEAD_RECORDS:
                break
    except csv.Error:
        pass  # a quote left open in the sample: the records read so far are enough
    return records, lines


def sniff(path: Path, default_delimiter: str) -> Sniffed:
    """Encoding, separator and first records of ``path``.

    The separator is the one giving the widest record among the first lines (a title line has
    one cell whatever the separator); a ``sep=;`` first line, as spreadsheet exports write it,
    wins.
    """
    with open(path, "rb") as fh:
        head = fh.read(_HEAD_BYTES)
        complete = not fh.read(1)
    codec, encoding, bom = _encoding(head)
    text = _decode(head, codec, complete)
    first = text.split("\n", 1)[0].strip().strip("\ufeff").lower()
    if first.startswith("sep=") and len(first) == 5:
        delimiter = first[4]
    else:
        widths = {}
        for sep in (default_delimiter, *[s for s in _SEPARATORS if s != default_delimiter]):
            records, _ = _records(text, sep)
            widths[sep] = max((len(r) for r in records), default=0)
        delimiter = max(widths, key=lambda s: widths[s])  # ties keep the file type's separator
    records, lines = _records(text, delimiter)
    return Sniffed(path, encoding, delimiter, records, lines, bom)


def _cell_text(value: object) -> str:
    """A workbook cell as a CSV exporter would write it (ids stored as numbers stay visible as
    the scientific notation a spreadsheet shows, so they can be recognised as damaged)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.time() != time() else "%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def workbook_as_csv(path: Path, target: Path) -> Path:
    """Write the first sheet of an .xlsx workbook to ``target`` as UTF-8 CSV, one line per
    sheet row (empty rows included, so row numbers stay those the spreadsheet shows)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    width = max((len(r) for r in rows), default=0)
    with open(target, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for row in rows:
            writer.writerow(row + [""] * (width - len(row)) if width > 1 else row or [""])
    return target
