"""SQL snippets the channel renderers share: list literals of the vocabulary and the macros
that turn a person number into a stable fake e-mail address, phone number and consent time.

Strings are built in DuckDB from numeric columns so that ten million rows never exist as
Python string objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import duckdb

from marketing_health.generate import arrays, vocab, volumes

#: Contract type -> type of the staged column. Money and conversions carry two decimals.
STAGE_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DECIMAL(18,2)",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "boolean": "BOOLEAN",
}


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def text_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(quote(v) for v in values) + "]"


def int_list(values: Iterable[int]) -> str:
    return "CAST([" + ", ".join(str(int(v)) for v in values) + "] AS BIGINT[])"


def pick(values: tuple[str, ...], index_sql: str) -> str:
    """The ``index_sql``-th (0-based, wrapped) value of a vocabulary list."""
    return f"{text_list(values)}[({index_sql}) % {len(values)} + 1]"


def localised(
    lists: dict[str, tuple[str, ...]], index_sql: str, locale_sql: str = "c.locale"
) -> str:
    """A vocabulary pick in the campaign's language (``c.locale``; English when the lists have
    none in it)."""
    branches = " ".join(
        f"WHEN {locale_sql} = {quote(locale)} THEN {pick(values, index_sql)}"
        for locale, values in lists.items()
        if locale != "en"
    )
    return f"CASE {branches} ELSE {pick(lists['en'], index_sql)} END"


def utm(code_sql: str = "f.utm") -> str:
    return (
        f"CASE {code_sql} WHEN {arrays.UTM_EXACT} THEN c.utm_campaign "
        f"WHEN {arrays.UTM_STRAY} THEN {pick(vocab.STRAY_UTMS, 'f._ord')} "
        f"WHEN {arrays.UTM_UPPER} THEN upper(c.utm_campaign) END"
    )


def day(first_day: date, index_sql: str = "f.day") -> str:
    return f"(DATE '{first_day.isoformat()}' + CAST({index_sql} AS INTEGER))"


def create_macros(con: duckdb.DuckDBPyConnection, first_day: date) -> None:
    """Person number -> e-mail, phone and consent time, stable across sends and campaigns."""
    n_first, n_last = len(vocab.FIRST_NAMES), len(vocab.LAST_NAMES)
    combos = n_first * n_last
    markets = vocab.MARKETS
    con.execute(
        f"""
        CREATE OR REPLACE TEMP MACRO email_of(p) AS
            {text_list(vocab.FIRST_NAMES)}[p % {n_first} + 1] || '.'
            || {text_list(vocab.LAST_NAMES)}[(p // {n_first}) % {n_last} + 1]
            || CASE WHEN p // {combos} = 0 THEN '' ELSE CAST(p // {combos} AS VARCHAR) END
            || '@' || {text_list(vocab.EMAIL_DOMAINS)}[(p // 7) % {len(vocab.EMAIL_DOMAINS)} + 1]
        """
    )
    # A person's market follows from the mailing list they are on (brand x market blocks). One
    # CASE branch per market keeps every regular expression constant (compiled once).
    market = f"((p // {volumes.AUDIENCE_SIZE}) % {len(markets)})"
    branches = " ".join(
        f"WHEN {i} THEN {quote(m.phone_prefix)} || regexp_replace("
        f"lpad(CAST((p * 2654435761 + 104729) % {10**m.phone_digits} AS VARCHAR), "
        f"{m.phone_digits}, '0'), {quote(m.phone_pattern)}, {quote(m.phone_layout)})"
        for i, m in enumerate(markets)
    )
    con.execute(f"CREATE OR REPLACE TEMP MACRO phone_of(p) AS CASE {market} {branches} END")
    con.execute("CREATE OR REPLACE TEMP MACRO has_phone(p) AS (p * 40503) % 100 < 35")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP MACRO consent_at_of(p) AS
            TIMESTAMP '{first_day.isoformat()} 00:00:00'
            - to_days(CAST(1 + (p * 7919) % 700 AS INTEGER))
            + to_seconds((p * 104729) % 86400)
        """
    )
