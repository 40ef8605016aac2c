"""Ingest's reasons in the ops channel's language, still naming their file, row and column.

Ingest writes each reason to ``ops.quarantine`` in English, one sentence per problem ("ads.csv,
row 3, column 'spend': '-12.50' is negative; it must be 0 or more"): the table is the record
people query, and its text does not change with a channel's language. The ops digest reads
the reason back in the team's language: the sentence is matched against the checks' own
wording (:data:`PROBLEMS`, the same English the contract checks write) and said again from the
translated message with the file, row, column and value it names. A reason no message matches
(a wording added to the checks but not here) keeps its location translated and its problem in
English, so nothing of what was seen is lost; the test of every check's wording keeps that
from happening unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from marketing_health.i18n import Translator
from marketing_health.i18n.domains import N_

#: The problems the contract checks write after "<file>, row <n>, <column>: ", as messages.
#: ``{value}`` is the cell as the file holds it, in quotes (cut to a readable length).
PROBLEMS: tuple[str, ...] = (
    # Translators: a required cell of a landing file is empty
    N_("is empty; every row needs a value here"),
    N_("{value} is not a whole number"),
    N_(
        "{value} is not a number (write it like 1234.56: a dot for decimals, no thousands "
        "separators or currency signs)"
    ),
    N_("{value} is not a date in the form YYYY-MM-DD"),
    N_("{value} is not a date and time in the form YYYY-MM-DD HH:MM:SS"),
    N_(
        "{value} is not yes or no (write true/false, yes/no, 1/0 or a word of the yes/no "
        "vocabulary: ja/nein, 是/否, oui/non, sí/no; a team adds its own words in "
        "config/vocabularies/yes_no.yaml)"
    ),
    N_(
        "{value} is not a number (write it like 1234.56, or as the file's locale writes "
        "numbers; a currency sign or code may stand before or after it: $1,234.56, "
        "1.234,56 €, CNY 1,234.56)"
    ),
    # Translators: {allowed} lists the values the column accepts, as the contract writes them
    N_("{value} is not an allowed value; use one of: {allowed}"),
    N_("{value} is negative; it must be 0 or more"),
    N_("{value} is below the minimum of {minimum}"),
    # Translators: {key} is the repeated key as the file holds it, e.g. "campaign_id C1"
    N_("repeats row {first} ({key}); only the first of them was loaded"),
    # Translators: {locale} is a locale tag such as en-US, {like} examples joined by "or"
    N_(
        "{value} is not a whole number as {locale} writes it (the file's locale, declared in "
        "{config}, {entry}): write it like {like}"
    ),
    N_(
        "{value} is not a number as {locale} writes it (the file's locale, declared in "
        "{config}, {entry}): write it like {like}"
    ),
    N_(
        "{value} is not a date as {locale} writes it (the file's locale, declared in "
        "{config}, {entry}): write it like {like}"
    ),
    N_(
        "{value} is not a date and time as {locale} writes it (the file's locale, declared in "
        "{config}, {entry}): write it like {like}"
    ),
    # Translators: {readings} lists each way the value reads, with the locales reading it so
    N_("{value} could be {readings}: declare the file's locale in {config}"),
    N_(
        "{value} could be {readings}: write it as YYYY-MM-DD or declare the file's locale in "
        "{config}"
    ),
    # Translators: {currency} is the sign as written with the currencies it stands for
    N_(
        "{value} is an amount in {currency}, but the row's currency (column '{column}') is "
        "{code}: correct the sign or the currency"
    ),
)
#: Placeholders holding alternatives ingest joined with " or ": joined again in the language.
_ALTERNATIVES = ("like", "readings")

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_GROUP = {"value": r"'.*'", "first": r"\d+", "minimum": r"-?[0-9.eE+-]+"}


def _pattern(message: str) -> re.Pattern[str]:
    """The English message as a pattern whose groups are its placeholders."""
    parts, last = [], 0
    for found in _PLACEHOLDER.finditer(message):
        parts.append(re.escape(message[last : found.start()]))
        name = found[1]
        parts.append(f"(?P<{name}>{_GROUP.get(name, '.+?')})")
        last = found.end()
    parts.append(re.escape(message[last:]))
    return re.compile("".join(parts), re.S)


_PATTERNS = tuple((message, _pattern(message)) for message in PROBLEMS)
_REASON = re.compile(
    r"(?P<file>.+?), row (?P<row>\d+), "
    r"(?:column '(?P<column>[^']*)'|column (?P<label>.+?) \((?P<named>[^()]+)\)"
    r"|columns (?P<columns>.+?)): (?P<problem>.+)",
    re.S,
)


@dataclass(frozen=True)
class Reason:
    """A quarantine reason taken apart: where, and the problem as a message with its values."""

    file: str
    row: str
    where: Callable[[Translator, str], str]
    problem: str
    message: str | None
    values: dict[str, str]


def parse(reason: str) -> Reason | None:
    """The parts of a reason as ingest writes it; None for text of another shape."""
    found = _REASON.fullmatch(reason)
    if found is None:
        return None
    problem = found["problem"]
    message, values = None, {}
    for candidate, pattern in _PATTERNS:
        matched = pattern.fullmatch(problem)
        if matched:
            message, values = candidate, matched.groupdict()
            break
    if found["column"] is not None:
        column = found["column"]

        def where(t: Translator, said: str) -> str:
            return t.gettext(
                "{file}, row {row}, column '{column}': {problem}",
                file=found["file"],
                row=found["row"],
                column=column,
                problem=said,
            )
    elif found["named"] is not None:
        label, named = found["label"], found["named"]

        def where(t: Translator, said: str) -> str:
            # Translators: {label} is the column's heading in the tool's export, {column} ours
            return t.gettext(
                "{file}, row {row}, column {label} ({column}): {problem}",
                file=found["file"],
                row=found["row"],
                label=label,
                column=named,
                problem=said,
            )
    else:
        columns = found["columns"]

        def where(t: Translator, said: str) -> str:
            return t.gettext(
                "{file}, row {row}, columns {columns}: {problem}",
                file=found["file"],
                row=found["row"],
                columns=columns,
                problem=said,
            )

    return Reason(found["file"], found["row"], where, problem, message, values)


def quarantine_reason(reason: str, t: Translator) -> str:
    """``reason`` (as ``ops.quarantine`` holds it) in ``t``'s language.

    The row number is kept as written (the table's number, ungrouped), the file, column and
    value as the file holds them. English gives back the stored sentence unchanged.
    """
    parsed = parse(reason)
    if parsed is None or t.locale.language == "en":
        return reason
    if parsed.message is None:
        return parsed.where(t, parsed.problem)
    values = dict(parsed.values)
    for name in _ALTERNATIVES:
        if name in values:
            values[name] = t.list(values[name].split(" or "), "or")
    return parsed.where(t, t.translate(parsed.message).format_map(values))


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
