"""Ingest's reasons in the ops channel's language, still naming their file, row and column.

Each quarantined row keeps its problem in ``ops.quarantine`` as a code and the values its
message names (:mod:`marketing_health.contract.problems`, where every message is defined
once), beside the English ``reason`` people query. The digest says the problem from the code
and values in the team's language, with the file, row (as the file shows it) and column (a
tool export's heading too). English shows the stored sentence unchanged. A row quarantined
before the warehouse kept codes, or with a code this version does not know, is shown in
English and says so.

A file rejected as a whole is told likewise: the ledger keeps the rejection's code and values
(:data:`marketing_health.contract.problems.REJECTIONS`) beside its English message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from marketing_health.contract import problems
from marketing_health.i18n import Translator

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


def rejection_reason(seen: Reason, t: Translator) -> str:
    """Why a whole file was rejected (the ledger's code and values) in ``t``'s language,
    naming the row and column the English message names. English gives back the ledger's
    message unchanged."""
    if t.locale.language == "en":
        return seen.reason
    said = problems.say_rejection(seen.problem, seen.values, t) if seen.problem else None
    if said is None:
        return t.gettext("{reason} (recorded in English only)", reason=seen.reason)
    file, row, column = seen.file_path, seen.values.get("row"), seen.values.get("column")
    if row is not None and column is not None:
        return t.gettext(
            "{file}, row {row}, column '{column}': {problem}",
            file=file,
            row=str(row),
            column=column,
            problem=said,
        )
    if row is not None:
        return t.gettext("{file}, row {row}: {problem}", file=file, row=str(row), problem=said)
    if column is not None:
        return t.gettext(
            "{file}, column '{column}': {problem}", file=file, column=column, problem=said
        )
    # Translators: a file and what is wrong with it as a whole
    return t.gettext("{file}: {problem}", file=file, problem=said)
