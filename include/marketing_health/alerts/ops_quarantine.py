"""Ingest's reasons in the ops channel's language, still naming their file, row and column.

Each quarantined row keeps its problem in ``ops.quarantine`` as a code and the values its
message names (:mod:`marketing_health.contract.problems`, where every message is defined
once), beside the English ``reason`` people query. The digest says the problem from the code
and values in the team's language, with the file, row (as the file shows it) and column (a
tool export's heading too). English shows the stored sentence unchanged. A row quarantined
before the warehouse kept codes, or with a code this version does not know, is shown in
English and says so.

A file rejected as a whole keeps only its English message in the ledger; it is said again by
matching it against the wording of the readers that reject files (:data:`REJECTIONS`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from marketing_health.contract import problems
from marketing_health.i18n import Translator
from marketing_health.i18n.domains import N_

if TYPE_CHECKING:
    from marketing_health.alerts.ops_digest import Reason

#: The problem of a key repeated in a file names every column of the key.
_KEY_PROBLEM = "repeated_key"


def _where(seen: Reason, t: Translator, said: str) -> str:
    """The problem after its place: file, row and column as the English reason names them."""
    row = seen.values.get("row", "")
    heading = seen.values.get("heading")
    if heading:
        # Translators: {label} is the column's heading in the tool's export, {column} ours
        return t.gettext(
            "{file}, row {row}, column {label} ({column}): {problem}",
            file=seen.file_path,
            row=str(row),
            label=heading,
            column=seen.column or "",
            problem=said,
        )
    if seen.problem == _KEY_PROBLEM:
        columns = ", ".join(f"'{c}'" for c in (seen.column or "").split(", "))
        return t.gettext(
            "{file}, row {row}, columns {columns}: {problem}",
            file=seen.file_path,
            row=str(row),
            columns=columns,
            problem=said,
        )
    return t.gettext(
        "{file}, row {row}, column '{column}': {problem}",
        file=seen.file_path,
        row=str(row),
        column=seen.column or "",
        problem=said,
    )


def quarantine_reason(seen: Reason, t: Translator) -> str:
    """A quarantine reason in ``t``'s language, from its problem code and values.

    The row number is kept as the file shows it (ungrouped), the file, column and value as
    the file holds them. English gives back the stored sentence unchanged.
    """
    if t.locale.language == "en":
        return seen.reason
    said = problems.say(seen.problem, seen.values, t) if seen.problem else None
    if said is None:
        # Translators: {reason} is an English sentence kept from before problems were stored
        # with a code (or by a newer version), shown as it is
        return t.gettext("{reason} (recorded in English only)", reason=seen.reason)
    return _where(seen, t, said)


#: Why a whole file was rejected, as ingest says it (``marketing_health.ingest.read`` and
#: ``discover``) after "<file>[, row <n>][, column '<c>']: ".
REJECTIONS: tuple[str, ...] = (
    N_("the file is empty; export it again"),
    N_(
        "files must sit in a delivery-day folder: {layout}; move the file into the folder of "
        "the day it was delivered"
    ),
    N_(
        "this file type is not accepted; export the data as CSV (.csv, comma-separated, UTF-8), "
        "TSV (.tsv), gzip CSV (.csv.gz), Parquet (.parquet), JSON lines (.jsonl / .ndjson), or "
        "a tool export as the tool writes it (.csv, .tsv, .xlsx)"
    ),
    # Translators: {error} is the name of the error the spreadsheet library reported
    N_("the workbook could not be opened ({error}); export it again"),
    N_("the column '{name}' appears twice; keep one of them"),
    N_("the compressed file is damaged or cut off; export it again"),
    N_("the header is not UTF-8 text; export the file as UTF-8"),
    N_("the file has no header row; the first row must name the columns"),
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(message: str) -> re.Pattern[str]:
    """The English message as a pattern whose groups are its placeholders."""
    parts, last = [], 0
    for found in _PLACEHOLDER.finditer(message):
        parts.append(re.escape(message[last : found.start()]))
        parts.append(f"(?P<{found[1]}>.+?)")
        last = found.end()
    parts.append(re.escape(message[last:]))
    return re.compile("".join(parts), re.S)


_REJECTIONS = tuple((message, _pattern(message)) for message in REJECTIONS)
_MISSING = re.compile(
    r"required columns? (?P<names>'.*?') (?:is|are) missing from (?P<what>the header|the records"
    r"|the file); it has: (?P<seen>.*)\. Add the column \(in any position\) and deliver the "
    r"file again\.",
    re.S,
)
_WHOLE_FILE = re.compile(
    r"(?P<file>.+?)(?:, row (?P<row>\d+))?(?:, column '(?P<column>[^']*)')?: (?P<problem>.+)",
    re.S,
)


def _missing_columns(t: Translator, found: re.Match[str]) -> str:
    """ "required column(s) ... missing from the header/records/file", one plural message each."""
    names, seen = found["names"], found["seen"]
    n = names.count("', '") + 1
    if found["what"] == "the header":
        return t.ngettext(
            "required column {names} is missing from the header; it has: {seen}. Add the column "
            "(in any position) and deliver the file again.",
            "required columns {names} are missing from the header; it has: {seen}. Add the "
            "column (in any position) and deliver the file again.",
            n,
            names=names,
            seen=seen,
        )
    if found["what"] == "the records":
        return t.ngettext(
            "required column {names} is missing from the records; it has: {seen}. Add the "
            "column (in any position) and deliver the file again.",
            "required columns {names} are missing from the records; it has: {seen}. Add the "
            "column (in any position) and deliver the file again.",
            n,
            names=names,
            seen=seen,
        )
    return t.ngettext(
        "required column {names} is missing from the file; it has: {seen}. Add the column "
        "(in any position) and deliver the file again.",
        "required columns {names} are missing from the file; it has: {seen}. Add the column "
        "(in any position) and deliver the file again.",
        n,
        names=names,
        seen=seen,
    )


def _rejection_problem(problem: str, t: Translator) -> str:
    missing = _MISSING.fullmatch(problem)
    if missing:
        return _missing_columns(t, missing)
    for message, pattern in _REJECTIONS:
        matched = pattern.fullmatch(problem)
        if matched:
            return t.translate(message).format_map(matched.groupdict())
    return problem


def rejection_reason(message: str, t: Translator) -> str:
    """Why a whole file was rejected (the ledger's message) in ``t``'s language."""
    found = _WHOLE_FILE.fullmatch(message)
    if found is None or t.locale.language == "en":
        return message
    said = _rejection_problem(found["problem"], t)
    file, row, column = found["file"], found["row"], found["column"]
    if row is not None and column is not None:
        return t.gettext(
            "{file}, row {row}, column '{column}': {problem}",
            file=file,
            row=row,
            column=column,
            problem=said,
        )
    if row is not None:
        return t.gettext("{file}, row {row}: {problem}", file=file, row=row, problem=said)
    if column is not None:
        return t.gettext(
            "{file}, column '{column}': {problem}", file=file, column=column, problem=said
        )
    # Translators: a file and what is wrong with it as a whole
    return t.gettext("{file}: {problem}", file=file, problem=said)
