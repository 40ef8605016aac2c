"""Amounts written with a currency sign: ``$1,284.15``, ``1.234,56 €``, ``CNY 1,234.56``.

Spreadsheets export currency cells with their sign (a Google Sheet's ``$420,000.00``), and
teams type the sign they see: ``¥1,234.56``, ``€ 1.234,56``, ``1 234,56 €``, ``US$1,234``. In
a contract column marked ``money: true`` a sign or ISO code before or after the number is
accepted, set-based in SQL: the sign is taken off, the number is read in the file's locale
like any other (:mod:`~marketing_health.ingest.locale_sql`), and the sign is kept apart.

The sign never changes the number. It only speaks when the row names its currency (the
column marked ``currency_code: true``) and the sign stands for another one: ``$420,000.00``
in a row whose currency is EUR is quarantined with both, never converted or guessed.

Which signs exist is CLDR data read through Babel: each currency's symbol in each locale a
file may be written in (the candidates and the declared locales), for the currencies of
those locales' countries and the common currencies listed in ``contract/locales.yaml``; each
currency's ISO code is a sign too. Only what people type for a sign their keyboard lacks
(the full-width ``￥``) is listed, as data, next to the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from babel.numbers import get_currency_symbol, get_territory_currencies, list_currencies

from marketing_health.contract.problems import problem_sql
from marketing_health.ingest.locales import DEFAULTS_FILE, SPACES, parse_locale, read_yaml
from marketing_health.ingest.sql import literal

_SP = f"[ {SPACES}]*"
_MINUS = "[+\\-\u2212]?"


@dataclass(frozen=True)
class CurrencySigns:
    """Sign -> the ISO codes of the currencies it stands for (``¥``: CNY, JPY)."""

    signs: tuple[tuple[str, tuple[str, ...]], ...]

    def regex(self) -> str:
        """The signs as one regex group, longest first (``US$`` before ``$``)."""
        ordered = sorted((s for s, _ in self.signs), key=lambda s: (-len(s), s))
        return "(" + "|".join(_rx(s) for s in ordered) + ")"

    def codes_sql(self, sign: str) -> str:
        """The ISO codes a sign stands for (SQL list; NULL for no sign)."""
        whens = " ".join(
            f"WHEN {literal(s)} THEN [{', '.join(literal(c) for c in codes)}]"
            for s, codes in self.signs
        )
        return f"CASE {sign} {whens} END"

    def words_sql(self, sign: str) -> str:
        """``$ (USD)``, ``¥ (CNY or JPY)``: a sign and what it stands for, for messages."""
        whens = " ".join(
            f"WHEN {literal(s)} THEN {literal(_words(s, codes))}" for s, codes in self.signs
        )
        return f"CASE {sign} {whens} END"


def _words(sign: str, codes: tuple[str, ...]) -> str:
    return sign if codes == (sign,) else f"{sign} ({' or '.join(codes)})"


def _rx(text: str) -> str:
    return "".join("\\" + ch if ch in r"\.^$|?*+()[]{}/-" else ch for ch in text)


@cache
def _defaults() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    data = read_yaml(DEFAULTS_FILE)
    common = tuple(str(c).upper() for c in data.get("currencies") or ())
    lookalikes = {
        str(k): tuple(str(v) for v in vs)
        for k, vs in (data.get("currency_lookalikes") or {}).items()
    }
    return common, lookalikes


def _territory_currencies(tag: str) -> tuple[str, ...]:
    territory = parse_locale(tag).territory
    return tuple(get_territory_currencies(territory, date.today())) if territory else ()


@cache
def currency_signs(tags: tuple[str, ...]) -> CurrencySigns:
    """The signs of the currencies of ``tags``' countries and the common ones, as ``tags``
    write them (Babel), each ISO code included."""
    common, lookalikes = _defaults()
    codes = list(dict.fromkeys([*(c for t in tags for c in _territory_currencies(t)), *common]))
    found: dict[str, list[str]] = {}
    for code in codes:
        written = [code, *(get_currency_symbol(code, parse_locale(t)) for t in tags)]
        for sign in dict.fromkeys(written):
            for same in (sign, *lookalikes.get(sign, ())):
                if code not in found.setdefault(same, []):
                    found[same].append(code)
    return CurrencySigns(tuple((s, tuple(sorted(cs))) for s, cs in sorted(found.items())))


def _lead(signs: CurrencySigns) -> str:
    """``$1,234.56``, ``-€ 12``, ``CNY 1,234.56``: (minus, sign, number)."""
    return f"^({_MINUS}){_SP}{signs.regex()}{_SP}({_MINUS}[0-9][^%]*)$"


def _trail(signs: CurrencySigns) -> str:
    """``1.234,56 €``, ``12$US``: (number, sign)."""
    return f"^([^%]*[0-9]){_SP}{signs.regex()}$"


def amount_sql(v: str, signs: CurrencySigns) -> str:
    """The value without its currency sign (as written when it has none)."""
    lead, trail = literal(_lead(signs)), literal(_trail(signs))
    return (
        f"CASE WHEN regexp_full_match({v}, {lead}) THEN regexp_replace({v}, {lead}, '\\1\\3') "
        f"WHEN regexp_full_match({v}, {trail}) THEN regexp_replace({v}, {trail}, '\\1') "
        f"ELSE {v} END"
    )


def sign_sql(v: str, signs: CurrencySigns) -> str:
    """The value's currency sign (NULL when it has none)."""
    lead, trail = literal(_lead(signs)), literal(_trail(signs))
    return (
        f"CASE WHEN regexp_full_match({v}, {lead}) THEN regexp_extract({v}, {lead}, 2) "
        f"WHEN regexp_full_match({v}, {trail}) THEN regexp_extract({v}, {trail}, 2) END"
    )


@cache
def _iso_codes() -> tuple[str, ...]:
    return tuple(sorted(c.upper() for c in list_currencies()))


def contradiction_sql(
    sign: str, currency: str, shown: str, signs: CurrencySigns, currency_column: str
) -> str:
    """The problem of an amount whose sign stands for another currency than the row's (a
    problem of :mod:`~marketing_health.contract.problems`, NULL when none). A row's currency
    that is no ISO code (``RMB``) contradicts nothing: the sign is then not checked."""
    code = f"upper({currency})"
    known = f"[{', '.join(literal(c) for c in _iso_codes())}]"
    problem = problem_sql(
        "other_currency",
        value=shown,
        currency=signs.words_sql(sign),
        column=literal(currency_column),
        code=code,
    )
    return (
        f"CASE WHEN {sign} IS NOT NULL AND list_contains({known}, {code}) "
        f"AND NOT list_contains({signs.codes_sql(sign)}, {code}) "
        f"THEN {problem} END"
    )
