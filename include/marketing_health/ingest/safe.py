"""A file's values as they may be kept: trimmed, empty as NULL, personal data hashed, free text
redacted. The one place raw values are read.

Each landing file is appended to the source's table ``safe`` straight from its reader (the
``landed`` view of :mod:`~marketing_health.ingest.read`) with the SELECT built here, so raw
values live only inside that one statement: e-mail / phone columns become their keyed hash
(``<name>_hash``), e-mail addresses and phone numbers in free text become ``[redacted
e-mail]`` / ``[redacted phone]``, with a flag per cell (``__email__<column>``,
``__phone__<column>``) for ``ops.pii_findings``. Everything after, the contract checks, the
quarantine records and the warehouse, is built from ``safe``.

Only values that need it are trimmed: a value is looked at by its first and last character, and
trimmed only when one of them is a space, tab, line break or no-break space.
"""

from __future__ import annotations

import duckdb

from marketing_health.contract.schema import Column, Source
from marketing_health.ingest import locale_sql, pii
from marketing_health.ingest.sql import ident, literal

#: The table every new file of a source is appended to.
SAFE = "safe"
#: Characters trimmed from both ends of a value: space, tab, line breaks, no-break space.
_SPACES = literal(" \t\n\r\u00a0")


def work(part: str, col: Column) -> str:
    """A working column of the free-text redaction: noemail, phones, email or phone."""
    return ident(f"__{part}__{col.name}")


def clean_sql(value_sql: str) -> str:
    """The value without surrounding spaces, NULL when empty. Most values have none, so the
    trim runs only when the first or last character is one."""
    return (
        f"CASE WHEN {value_sql} = '' THEN NULL "
        f"WHEN contains({_SPACES}, {value_sql}[1]) OR contains({_SPACES}, {value_sql}[-1]) "
        f"THEN NULLIF(trim({value_sql}, {_SPACES}), '') ELSE {value_sql} END"
    )


def table_columns(source: Source) -> dict[str, str]:
    """Column name -> type of ``safe`` for the source."""
    columns = {"_file": "INTEGER", "_row_number": "BIGINT", "__ordinal": "BIGINT"}
    for c in source.columns:
        columns[c.warehouse_name] = "VARCHAR"
        if c.free_text and not c.pii:
            columns[f"__email__{c.name}"] = "BOOLEAN"
            columns[f"__phone__{c.name}"] = "BOOLEAN"
    for c in source.columns:  # a tool export's reader leaves its locale problems here
        if locale_sql.column_kind(c) is not None:
            columns[locale_sql.PROBLEM_PREFIX + c.name] = "VARCHAR"
    return columns


def create_table(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    body = ", ".join(f"{ident(n)} {t}" for n, t in table_columns(source).items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE {SAFE} ({body})")


def select_sql(source: Source, file_sql: str, landed: str, problems: list[str]) -> str:
    """The rows of ``landed`` as ``safe`` holds them, each tagged with its file (``file_sql``,
    over ``landed``).

    ``problems`` are the locale problem columns the reader put beside the values. Rows are
    numbered in the order they are read (``__ordinal``), before anything may reorder them. A
    keyed hash
    costs two SHA-256 computations, so each distinct (normalised) address or number is hashed
    once and joined back: a mailing list names the same people send after send. (Two ways of
    writing one address are two values here, normalised to the same hash.)
    """
    free = [c for c in source.columns if c.free_text and not c.pii]
    personal = [c for c in source.columns if c.pii]
    # A personal-data value is cleaned where it is hashed, once per distinct value, not per row.
    cleaned = ", ".join(
        f"{ident(c.name)} AS {work('plain', c)}"
        if c.pii
        else f"{clean_sql(ident(c.name))} AS {ident(c.name)}"
        for c in source.columns
    )
    cleaned += "".join(f", {ident(p)}" for p in problems)
    no_email = "".join(
        f", {pii.without_emails_sql(ident(c.name))} AS {work('noemail', c)}" for c in free
    )
    phones = "".join(
        f", {pii.had_email_sql(ident(c.name), work('noemail', c))} AS {work('email', c)}"
        f", {pii.phone_candidates_sql(work('noemail', c))} AS {work('phones', c)}"
        for c in free
    )
    hashes = "".join(
        f", {_hashes(c)} AS (SELECT __value, {pii.hash_sql(clean_sql('__value'), c.pii)} AS __hash "
        "FROM "
        f"(SELECT DISTINCT {work('plain', c)} AS __value FROM cells "
        f"WHERE {work('plain', c)} IS NOT NULL))"
        for c in personal
    )
    joins = "".join(
        f" LEFT JOIN {_hashes(c)} ON {work('plain', c)} = {_hashes(c)}.__value" for c in personal
    )
    final = []
    for c in source.columns:
        if c.pii:
            final.append(f"{_hashes(c)}.__hash AS {ident(c.warehouse_name)}")
        elif c.free_text:
            redacted = pii.without_phones_sql(work("noemail", c), work("phones", c))
            final += [
                f"{redacted} AS {ident(c.name)}",
                work("email", c),
                f"coalesce(len({work('phones', c)}) > 0, false) AS {work('phone', c)}",
            ]
        else:
            final.append(ident(c.name))
    final += [ident(p) for p in problems]
    cells = "cells AS MATERIALIZED" if personal else "cells AS"
    return (
        f"WITH {cells} (SELECT {file_sql}::INTEGER AS _file, _row_number, "
        f"row_number() OVER () AS __ordinal, {cleaned} FROM {landed}), "
        f"no_email AS (SELECT *{no_email} FROM cells), "
        f"phones AS (SELECT *{phones} FROM no_email){hashes} "
        f"SELECT _file, _row_number, __ordinal, {', '.join(final)} FROM phones{joins}"
    )


def _hashes(col: Column) -> str:
    """The CTE of the distinct values of a personal-data column and their keyed hashes."""
    return ident(f"__hashes__{col.name}")
