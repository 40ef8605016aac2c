"""Every problem the contract checks find in a row, defined once: a code and its message.

A check says what is wrong as a code and the values its message names (:func:`problem_sql`:
one JSON text per problem, built in the checking statement). ``ops.quarantine`` keeps the code
(``problem``) and the values (``problem_values``) beside the file, row and column, and its
English ``reason`` is said from the same message in SQL (:func:`english_sql`), for every
quarantined row at once. The ops digest says it again from the code and values in the ops
channel's language (:func:`say`). So the wording lives here only: a check cannot write a
sentence that the digest does not know.

Besides the message's placeholders, ``problem_values`` holds ``row`` (the row number as the
file shows it, header lines counted) and, for a tool export, ``heading`` (the column's
heading in the export), so the digest can name the place as the English reason does.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from typing import Any

from marketing_health.i18n import Translator
from marketing_health.i18n.domains import N_


def literal(value: str) -> str:
    """A quoted SQL string literal (as ``marketing_health.ingest.sql`` quotes them; this module
    is read by the alerts too, which do not load ingest)."""
    return "'" + value.replace("'", "''") + "'"


#: Problem code -> its message after "<file>, row <n>, <column>: ". ``{value}`` is the cell as
#: the file holds it, in quotes (cut to a readable length).
PROBLEMS: dict[str, str] = {
    # Translators: a required cell of a landing file is empty
    "empty": N_("is empty; every row needs a value here"),
    "not_whole_number": N_("{value} is not a whole number"),
    "not_number": N_(
        "{value} is not a number (write it like 1234.56: a dot for decimals, no thousands "
        "separators or currency signs)"
    ),
    "not_date": N_("{value} is not a date in the form YYYY-MM-DD"),
    "not_timestamp": N_("{value} is not a date and time in the form YYYY-MM-DD HH:MM:SS"),
    "not_yes_no": N_(
        "{value} is not yes or no (write true/false, yes/no, 1/0 or a word of the yes/no "
        "vocabulary: ja/nein, 是/否, oui/non, sí/no; a team adds its own words in "
        "config/vocabularies/yes_no.yaml)"
    ),
    "not_amount": N_(
        "{value} is not a number (write it like 1234.56, or as the file's locale writes "
        "numbers; a currency sign or code may stand before or after it: $1,234.56, "
        "1.234,56 €, CNY 1,234.56)"
    ),
    # Translators: {allowed} lists the values the column accepts, as the contract writes them
    "not_allowed": N_("{value} is not an allowed value; use one of: {allowed}"),
    "negative": N_("{value} is negative; it must be 0 or more"),
    "below_minimum": N_("{value} is below the minimum of {minimum}"),
    # Translators: {key} is the repeated key as the file holds it, e.g. "campaign_id C1"
    "repeated_key": N_("repeats row {first} ({key}); only the first of them was loaded"),
    # Translators: {locale} is a locale tag such as en-US, {like} examples joined by "or"
    "not_locale_whole_number": N_(
        "{value} is not a whole number as {locale} writes it (the file's locale, declared in "
        "{config}, {entry}): write it like {like}"
    ),
    "not_locale_number": N_(
        "{value} is not a number as {locale} writes it (the file's locale, declared in "
        "{config}, {entry}): write it like {like}"
    ),
    "not_locale_date": N_(
        "{value} is not a date as {locale} writes it (the file's locale, declared in "
        "{config}, {entry}): write it like {like}"
    ),
    "not_locale_timestamp": N_(
        "{value} is not a date and time as {locale} writes it (the file's locale, declared in "
        "{config}, {entry}): write it like {like}"
    ),
    # Translators: {readings} lists each way the value reads, with the locales reading it so
    "ambiguous_number": N_("{value} could be {readings}: declare the file's locale in {config}"),
    "ambiguous_date": N_(
        "{value} could be {readings}: write it as YYYY-MM-DD or declare the file's locale in "
        "{config}"
    ),
    # Translators: {currency} is the sign as written with the currencies it stands for
    "other_currency": N_(
        "{value} is an amount in {currency}, but the row's currency (column '{column}') is "
        "{code}: correct the sign or the currency"
    ),
}

#: Values that are alternatives (a JSON array): joined by "or" in the reader's language.
ALTERNATIVES = ("like", "readings")


def placeholders(code: str) -> tuple[str, ...]:
    """The names a problem's message fills in, in order."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(PROBLEMS[code]) if name)


def problem_sql(kind: str, /, **values: str) -> str:
    """A problem as DuckDB SQL: JSON text ``{"k": code, "v": {name: value}}``.

    ``kind`` is the code (positional only: a message may name a value ``code``), ``values``
    SQL expressions, one per placeholder of its message (an alternative is a list
    expression). A name missing or extra is an error when the SQL is built, not a sentence
    with a gap.
    """
    if kind not in PROBLEMS:
        raise KeyError(f"no problem message has the code {kind!r}")
    wanted = set(placeholders(kind))
    if set(values) != wanted:
        raise ValueError(
            f"problem {kind!r} fills {sorted(wanted)}, but the check gives {sorted(values)}"
        )
    pairs = ", ".join(f"{literal(name)}, {sql}" for name, sql in values.items())
    inner = f"json_object({pairs})" if pairs else "json_object()"
    return f"CAST(json_object('k', {literal(kind)}, 'v', {inner}) AS VARCHAR)"


def code_sql(problem: str) -> str:
    """The code of a problem made by :func:`problem_sql` (SQL)."""
    return f"json_extract_string({problem}, '$.k')"


def values_sql(problem: str) -> str:
    """The values of a problem made by :func:`problem_sql` (SQL, JSON)."""
    return f"json_extract({problem}, '$.v')"


def _value_sql(problem: str, name: str) -> str:
    path = literal(f"$.v.{name}")
    if name in ALTERNATIVES:
        return f"array_to_string(CAST(json_extract({problem}, {path}) AS VARCHAR[]), ' or ')"
    return f"json_extract_string({problem}, {path})"


def english_sql(problem: str) -> str:
    """The English sentence of a problem made by :func:`problem_sql` (SQL over every row at
    once), from the code's message: the same words the digest translates."""
    whens = []
    for code, message in PROBLEMS.items():
        parts = []
        for text, name, _, _ in string.Formatter().parse(message):
            if text:
                parts.append(literal(text))
            if name:
                parts.append(f"coalesce({_value_sql(problem, name)}, '')")
        whens.append(f"WHEN {literal(code)} THEN {' || '.join(parts)}")
    return f"(CASE {code_sql(problem)} {' '.join(whens)} END)"


def loads(values: Any) -> dict[str, Any]:
    """``problem_values`` as the warehouse hands it over (JSON text or already a dict)."""
    if values is None:
        return {}
    if isinstance(values, str):
        values = json.loads(values)
    return dict(values) if isinstance(values, Mapping) else {}


def say(code: str, values: Mapping[str, Any], t: Translator) -> str | None:
    """The problem in ``t``'s language (None: a code this version does not know)."""
    message = PROBLEMS.get(code)
    if message is None:
        return None
    filled = {}
    for name in placeholders(code):
        value = values.get(name)
        if name in ALTERNATIVES and isinstance(value, list):
            filled[name] = t.list([str(v) for v in value], "or")
        else:
            filled[name] = "" if value is None else str(value)
    return t.translate(message).format_map(filled)


# ---------------------------------------------------------------- files rejected as a whole

#: Why a whole landing file was rejected: code -> message (a file's problem, after
#: "<file>[, row <n>][, column '<c>']: "). Codes whose message depends on a count are in
#: :func:`_plural_rejection`.
REJECTIONS: dict[str, str] = {
    "empty_file": N_("the file is empty; export it again"),
    "outside_day_folder": N_(
        "files must sit in a delivery-day folder: {layout}; move the file into the folder of "
        "the day it was delivered"
    ),
    "file_type": N_(
        "this file type is not accepted; export the data as CSV (.csv, comma-separated, UTF-8), "
        "TSV (.tsv), gzip CSV (.csv.gz), Parquet (.parquet), JSON lines (.jsonl / .ndjson), or "
        "a tool export as the tool writes it (.csv, .tsv, .xlsx)"
    ),
    # Translators: {error} is the name of the error the spreadsheet library reported
    "workbook": N_("the workbook could not be opened ({error}); export it again"),
    "column_twice": N_("the column '{name}' appears twice; keep one of them"),
    "damaged_archive": N_("the compressed file is damaged or cut off; export it again"),
    "header_not_utf8": N_("the header is not UTF-8 text; export the file as UTF-8"),
    "no_header": N_("the file has no header row; the first row must name the columns"),
    "not_json_object": N_('each line must be one JSON object, e.g. {{"campaign_id": "C1"}}'),
    "row_width": N_(
        "this row has {found} values but the header has {expected} columns; the file may be "
        "cut off, or a value contains the separator without quotes"
    ),
    "open_quote": N_("a quoted value is never closed; the file may be cut off"),
    "not_utf8": N_("the file is not UTF-8 text; export it as UTF-8"),
    "bad_json_line": N_("this line is not valid JSON; the file may be cut off"),
    "bad_parquet": N_("the file is not a readable Parquet file; export it again"),
    # Translators: {error} is the name of the error the reader reported
    "unreadable": N_("the file could not be read ({error}); export it again"),
    # Translators: {export} is a tool's report ("Meta Ads Manager report"), {feeds} and
    # {source} name data sources, {folder} is where the file belongs
    "export_elsewhere": N_(
        "this is a {export}, which feeds {feeds}: move it to {folder} (this folder is for {source})"
    ),
    # Translators: {closest} lists the known exports whose headers come closest
    "not_recognised_closest_known": N_(
        "the file was not recognised and nothing of it was loaded. Headers seen: {seen}. "
        "Closest known exports: {closest}. This folder takes the columns of {source} "
        "(docs/landing-contract.md) or these exports: {known}."
    ),
    "not_recognised_closest": N_(
        "the file was not recognised and nothing of it was loaded. Headers seen: {seen}. "
        "Closest known exports: {closest}. This folder takes the columns of {source} "
        "(docs/landing-contract.md)."
    ),
    "not_recognised_known": N_(
        "the file was not recognised and nothing of it was loaded. Headers seen: {seen}. "
        "It shares no header with any known export. This folder takes the columns of {source} "
        "(docs/landing-contract.md) or these exports: {known}."
    ),
    "not_recognised": N_(
        "the file was not recognised and nothing of it was loaded. Headers seen: {seen}. "
        "It shares no header with any known export. This folder takes the columns of {source} "
        "(docs/landing-contract.md)."
    ),
    "export_cut_off": N_(
        "the last row has {has} of the header's {width} values and the file does not end with "
        "a line break: it was cut off during export or upload. Nothing of it was loaded; export "
        "it again."
    ),
    "mangled_ids": N_(
        "the ids in this column were turned into numbers by a spreadsheet (e.g. 1.20253E+17): "
        "their last digits are lost and cannot be recovered. Download the export again and "
        "drop it here without opening and saving it in Excel or Sheets (or format the column "
        "as text first). Nothing of it was loaded."
    ),
    "days_added_up": N_(
        "this export adds several days up in one row (reporting starts and ends differ); daily "
        "spend cannot be told apart. Export again with the breakdown By time > Day. Nothing of "
        "it was loaded."
    ),
    # Translators: {needed} is the contract's column, {needs} the export's columns it is read from
    "no_source_column": N_(
        "this {export} has none of the columns {needed} is read from ({needs}); add one to the "
        "export and drop the file again. Nothing of it was loaded."
    ),
}
#: Rejections whose message depends on how many columns they name (``n``).
PLURAL_REJECTIONS = (
    "missing_in_header",
    "missing_in_records",
    "missing_in_file",
    "export_lacks_columns",
)


def _plural_rejection(code: str, values: Mapping[str, Any], t: Translator) -> str:
    """A rejection naming ``n`` columns, in the plural form of ``t``'s language."""
    n = int(values.get("n", 1))
    filled = {k: str(v) for k, v in values.items() if k != "n"}
    if code == "missing_in_header":
        return t.ngettext(
            "required column {names} is missing from the header; it has: {seen}. Add the column "
            "(in any position) and deliver the file again.",
            "required columns {names} are missing from the header; it has: {seen}. Add the "
            "column (in any position) and deliver the file again.",
            n,
            **filled,
        )
    if code == "missing_in_records":
        return t.ngettext(
            "required column {names} is missing from the records; it has: {seen}. Add the "
            "column (in any position) and deliver the file again.",
            "required columns {names} are missing from the records; it has: {seen}. Add the "
            "column (in any position) and deliver the file again.",
            n,
            **filled,
        )
    if code == "missing_in_file":
        return t.ngettext(
            "required column {names} is missing from the file; it has: {seen}. Add the column "
            "(in any position) and deliver the file again.",
            "required columns {names} are missing from the file; it has: {seen}. Add the column "
            "(in any position) and deliver the file again.",
            n,
            **filled,
        )
    # Translators: {export} is a tool's report, {download} where to change what it exports
    return t.ngettext(
        "this {export} lacks the column {names}; add it to the export ({download}) and drop "
        "the file again. Nothing of it was loaded.",
        "this {export} lacks the columns {names}; add them to the export ({download}) and drop "
        "the file again. Nothing of it was loaded.",
        n,
        **filled,
    )


def say_rejection(code: str, values: Mapping[str, Any], t: Translator) -> str | None:
    """Why a whole file was rejected, in ``t``'s language (None: a code not known here)."""
    if code in PLURAL_REJECTIONS:
        return _plural_rejection(code, values, t)
    message = REJECTIONS.get(code)
    if message is None:
        return None
    return t.translate(message).format_map({k: str(v) for k, v in values.items()})
