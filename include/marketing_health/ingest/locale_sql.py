"""Reading a file's numbers and dates in its locale, as set-based DuckDB SQL.

Every typed value is read under each locale still possible for its file (a *reading*: the
canonical text ``1234.56`` / ``2026-12-06``, then the contract's type). Locales that write
numbers or dates the same way share one reading, so a file is read once per way of writing,
not once per locale.

Which locales are possible is decided per file by
:func:`marketing_health.ingest.locale_evidence.decide`: the declared one, else the candidates
the file's own values leave possible.

A value the file's locales read differently (``1.234``: 1234 in Germany, 1.234 in the US) is
never guessed: it gets a problem naming each reading and its locales, and the row is
quarantined. ISO dates and times are read the same under every locale, and so are plain
whole numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from babel.numbers import format_decimal, format_percent

from marketing_health.contract.problems import problem_sql
from marketing_health.contract.schema import Column
from marketing_health.ingest.locales import SPACES, Declaration, LocaleStyle, parse_locale
from marketing_health.ingest.sql import ident, literal

#: How a value is read: ``percent`` is a ratio that may be written ``12,5 %`` (= 0.125).
Kind = Literal["integer", "decimal", "percent", "date", "timestamp"]
NUMBER_KINDS = ("integer", "decimal", "percent")
DATE_KINDS = ("date", "timestamp")

#: Columns a tool export's reader adds to the landed view: ``__locale__<column>`` holds the
#: problem text of that column's value (NULL: none), for the contract checks to quarantine.
PROBLEM_PREFIX = "__locale__"
_SHOW_CHARS = 60
_WHOLE = "'[+-]?[0-9]+(\\.0*)?'"
_SPACE_CLASS = "[" + SPACES + "]"

#: A date and time in ISO 8601 without offset or zone, read without time zone arithmetic.
_PLAIN_TIMESTAMP = "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9:.]+)?"

#: The problem code of a value not written as the file's declared locale writes its kind.
_NOT_AS_WRITTEN = {
    "integer": "not_locale_whole_number",
    "decimal": "not_locale_number",
    "percent": "not_locale_number",
    "date": "not_locale_date",
    "timestamp": "not_locale_timestamp",
}


def column_kind(col: Column) -> Kind | None:
    """How a contract column's values are read in a locale; None for text, true / false and
    personal data, which are not numbers or dates."""
    if col.pii or col.type in ("text", "boolean"):
        return None
    if col.type == "decimal" and col.percent:
        return "percent"
    return col.type  # type: ignore[return-value]


def show_sql(value_sql: str) -> str:
    """A value quoted for a message, cut to a readable length."""
    return (
        f"('''' || CASE WHEN length({value_sql}) > {_SHOW_CHARS} "
        f"THEN left({value_sql}, {_SHOW_CHARS - 3}) || '...' ELSE {value_sql} END || '''')"
    )


def cast_sql(kind: Kind, text: str) -> str:
    """The contract's typed value of a canonical text (NULL when it is not one)."""
    if kind == "integer":
        return f"CASE WHEN regexp_full_match({text}, {_WHOLE}) THEN TRY_CAST({text} AS BIGINT) END"
    if kind in ("decimal", "percent"):
        return f"TRY_CAST({text} AS DECIMAL(18,4))"
    # ISO 8601, year first with four digits: DuckDB would also take '12/6/26' as the year 12.
    iso = f"regexp_matches({text}, '^[0-9]{{4}}[^0-9]')"
    if kind == "date":
        return f"CASE WHEN {iso} THEN TRY_CAST({text} AS DATE) END"
    # A time with an offset or zone is read through TIMESTAMPTZ (in UTC); one without, the
    # usual case, directly, which gives the same time at a fraction of the cost.
    return (
        f"CASE WHEN regexp_full_match({text}, {literal(_PLAIN_TIMESTAMP)}) "
        f"THEN TRY_CAST({text} AS TIMESTAMP) "
        f"WHEN {iso} THEN TRY_CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS TIMESTAMP) END"
    )


# --- one locale's reading of one value ---------------------------------------------------------


def _rx(text: str) -> str:
    return "".join("\\" + ch if ch in r"\.^$|?*+()[]{}/-" else ch for ch in text)


def _number_regex(style: LocaleStyle, whole: bool) -> str:
    n = style.number
    groups = "(?:" + "|".join(_rx(g) for g in n.groups) + ")"
    minus = _rx(n.minus) if n.minus != "-" else ""
    fraction = "" if whole else f"(?:{_rx(n.decimal)}[0-9]+)?"
    return f"[+\\-{minus}]?(?:[1-9][0-9]{{0,2}}(?:{groups}[0-9]{{3}})+|[0-9]+){fraction}"


def _plain_number(style: LocaleStyle, v: str) -> str:
    """``1.234,56`` -> ``1234.56`` (the value already matched the locale's form)."""
    n = style.number
    out = v
    for g in n.groups:
        out = f"replace({out}, {literal(g)}, '')"
    if n.decimal != ".":
        out = f"replace({out}, {literal(n.decimal)}, '.')"
    if n.minus != "-":
        out = f"replace({out}, {literal(n.minus)}, '-')"
    return out


def _number_text(style: LocaleStyle, v: str, whole: bool) -> str:
    """Canonical text of a number written in ``style``. In a dot-decimal locale the contract's
    own form (``1234.56``, ``1200.0``) is read as before; in the others only the locale's."""
    matched = f"regexp_full_match({v}, {literal(_number_regex(style, whole))})"
    otherwise = v if style.number.decimal == "." else "NULL"
    return f"CASE WHEN {matched} THEN {_plain_number(style, v)} ELSE {otherwise} END"


def _percent_text(style: LocaleStyle, v: str) -> str:
    """``12,5 %`` -> ``0.125``; without a percent sign the value is the ratio itself."""
    signs = "".join(dict.fromkeys(["%", style.number.percent]))
    sign = f"[ {SPACES}]*[{_rx(signs)}]$"
    number = _number_text(style, f"regexp_replace({v}, {literal(sign)}, '')", False)
    fraction = f"CAST(TRY_CAST({number} AS DECIMAL(38,12)) * 0.01 AS VARCHAR)"
    return (
        f"CASE WHEN regexp_matches({v}, {literal('[0-9]' + sign)}) THEN {fraction} "
        f"ELSE {_number_text(style, v, False)} END"
    )


def _date_text(style: LocaleStyle, v: str, kind: Kind) -> str:
    """Canonical text of a date (or date and time) written in ``style``; what the contract
    already reads (ISO 8601) is kept as written, the same under every locale."""
    formats = style.date.dates if kind == "date" else style.date.timestamps
    out = "%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M:%S"
    plain = f"lower(regexp_replace({v}, '{_SPACE_CLASS}', ' ', 'g'))"
    names = [name for name, _ in style.date.months]
    numbers = [str(number) for _, number in style.date.months]
    whens = []
    for f in formats:
        text = plain
        if f.month_names:
            found = f"regexp_extract({plain}, {literal('^' + f.regex + '$')}, 1)"
            number = (
                f"[{', '.join(literal(x) for x in numbers)}]"
                f"[list_position([{', '.join(literal(x) for x in names)}], rtrim({found}, '.'))]"
            )
            text = f"replace({plain}, {found}, {number})"
        whens.append(
            f"WHEN regexp_full_match({plain}, {literal(f.regex)}) "
            f"THEN strftime(try_strptime({text}, {literal(f.strptime)}), {literal(out)})"
        )
    return f"CASE WHEN {cast_sql(kind, v)} IS NOT NULL THEN {v} {' '.join(whens)} END"


def canonical_sql(style: LocaleStyle, kind: Kind, v: str) -> str:
    """The canonical text of ``v`` as ``style`` writes it; NULL when it is not such a value."""
    if kind == "integer":
        return _number_text(style, v, True)
    if kind == "decimal":
        return _number_text(style, v, False)
    if kind == "percent":
        return _percent_text(style, v)
    return _date_text(style, v, kind)


# --- a file's reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One typed value of a file to be read: its working name, its SQL and its kind.

    ``value`` is SQL over the relation being read. ``before`` gives, for a value's SQL, how
    it was typed before locales were read (default: the contract's own forms); it only feeds
    the note saying that a file needed its locale. ``money``: an amount, its currency sign
    already taken off ``value`` (:mod:`~marketing_health.ingest.money`); messages then show
    how the locale writes an amount.
    """

    name: str
    value: str
    kind: Kind
    before: Callable[[str], str] | None = None
    money: bool = False

    def column(self, part: str) -> str:
        return ident(f"__{part}__{self.name}")

    def before_sql(self, value: str | None = None) -> str:
        v = value or self.value
        return self.before(v) if self.before else cast_sql(self.kind, v)


@dataclass(frozen=True)
class Reader:
    """One way of writing numbers (or dates), and the locales that write them so."""

    style: LocaleStyle
    tags: tuple[str, ...]


def reader_key(style: LocaleStyle, kind: Kind) -> object:
    return style.number if kind in NUMBER_KINDS else style.date


def readers_of(styles: tuple[LocaleStyle, ...], kind: Kind) -> tuple[Reader, ...]:
    """The distinct ways of writing ``kind`` among ``styles``, in their order."""
    found: dict[object, list[LocaleStyle]] = {}
    for style in styles:
        found.setdefault(reader_key(style, kind), []).append(style)
    return tuple(Reader(group[0], tuple(s.tag for s in group)) for group in found.values())


def _display(kind: Kind, typed: str) -> str:
    if kind == "integer":
        return f"CAST({typed} AS VARCHAR)"
    if kind in ("decimal", "percent"):
        return f"regexp_replace(CAST({typed} AS VARCHAR), '\\.?0+$', '')"
    if kind == "date":
        return f"strftime({typed}, '%-d %B %Y')"
    return f"strftime({typed}, '%-d %B %Y %H:%M:%S')"


def common_sql(cell: Cell) -> str:
    """The reading every locale shares: a plain whole number, an ISO 8601 date."""
    if cell.kind in NUMBER_KINDS:
        plain = f"regexp_full_match({cell.value}, '[0-9]{{1,18}}')"
        return f"CASE WHEN {plain} THEN {cast_sql(cell.kind, cell.value)} END"
    return cast_sql(cell.kind, cell.value)


@dataclass(frozen=True)
class FileReading:
    """The locales a file's numbers and dates are read in, and the SQL that reads them.

    Cells are read in the CTEs of :meth:`readings_sql`, so that nothing is computed twice:
    the reading every locale shares (a plain whole number, an ISO date) once per value, the
    canonical text and the typed value per reader for the other values; ``typed``, ``text``
    and ``problem`` are SQL over those columns.
    """

    styles: tuple[LocaleStyle, ...]
    config: str
    declared: Declaration | None = None
    #: What the file's ledger message says about its locale (None: nothing worth saying).
    note: str | None = None
    #: Cell name -> the one reader that reads every value of that cell of this file as any
    #: of the file's locales would (found by the evidence query): the others are not needed.
    only: dict[str, Reader] = field(default_factory=dict, compare=False, hash=False)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(s.tag for s in self.styles)

    def readers(self, cell: Cell) -> tuple[Reader, ...]:
        """The ways of writing the cell's kind the file's values are read in."""
        if cell.name in self.only:
            return (self.only[cell.name],)
        return readers_of(self.styles, cell.kind)

    def readings_sql(self, cells: list[Cell], relation: str) -> str:
        """CTEs ending in ``read``: ``relation`` plus the reading columns of ``cells``."""
        common = [f"{common_sql(c)} AS {c.column('k')}" for c in cells]
        texts, typed = [], []
        for c in cells:
            for i, r in enumerate(self.readers(c)):
                canonical = canonical_sql(r.style, c.kind, c.value)
                texts.append(
                    f"CASE WHEN {c.column('k')} IS NULL THEN {canonical} END AS {c.column(f'c{i}')}"
                )
                cast = cast_sql(c.kind, c.column(f"c{i}"))
                typed.append(f"coalesce({c.column('k')}, {cast}) AS {c.column(f'r{i}')}")
        return (
            f"WITH k AS (SELECT *, {', '.join(common)} FROM {relation}), "
            f"l1 AS (SELECT *, {', '.join(texts)} FROM k), "
            f"read AS (SELECT *, {', '.join(typed)} FROM l1)"
        )

    def working(self, cell: Cell) -> list[str]:
        """The reading columns of ``cell``, to leave out of what is kept."""
        n = len(self.readers(cell))
        return [cell.column("k")] + [cell.column(f"{p}{i}") for p in ("c", "r") for i in range(n)]

    @staticmethod
    def _r(cell: Cell, i: int) -> str:
        return cell.column(f"r{i}")

    def ambiguous(self, cell: Cell) -> str:
        """True where two of the file's locales read the value differently."""
        n = len(self.readers(cell))
        pairs = [
            f"{self._r(cell, i)} <> {self._r(cell, j)}" for i in range(n) for j in range(i + 1, n)
        ]
        return f"coalesce({' OR '.join(pairs)}, false)" if pairs else "false"

    def typed(self, cell: Cell) -> str:
        """The value in the contract's type; NULL when it is not valid or is ambiguous."""
        n = len(self.readers(cell))
        if n == 1:
            return self._r(cell, 0)
        read = ", ".join(self._r(cell, i) for i in range(n))
        return f"CASE WHEN {self.ambiguous(cell)} THEN NULL ELSE coalesce({read}) END"

    def text(self, cell: Cell) -> str:
        """The value as the contract writes it (``1234.56``, ``2026-12-06``); NULL likewise."""
        whens = " ".join(
            f"WHEN {self._r(cell, i)} IS NOT NULL THEN {cell.column(f'c{i}')}"
            for i in range(len(self.readers(cell)))
        )
        common = f"WHEN {cell.column('k')} IS NOT NULL THEN {cell.value}"
        return f"CASE WHEN {self.ambiguous(cell)} THEN NULL {common} {whens} END"

    def problem(self, cell: Cell, shown: str | None = None) -> str:
        """What is wrong with the value (a problem of :mod:`~marketing_health.contract.problems`;
        NULL when nothing): ambiguous between the file's locales, or not written as the
        declared locale writes it."""
        shown = show_sql(shown or cell.value)
        if self.declared:
            return (
                f"CASE WHEN {cell.value} IS NOT NULL AND {self._r(cell, 0)} IS NULL "
                f"THEN {self._declared_problem(cell, shown)} END"
            )
        readers = self.readers(cell)
        if len(readers) < 2:
            return "NULL::VARCHAR"
        parts = []
        for i, _ in enumerate(readers):
            ri = self._r(cell, i)
            earlier = " OR ".join(f"{ri} = {self._r(cell, j)}" for j in range(i))
            first = f" AND NOT coalesce({earlier}, false)" if earlier else ""
            tags = ", ".join(
                f"CASE WHEN {ri} = {self._r(cell, j)} THEN {literal(', '.join(r.tags))} END"
                for j, r in enumerate(readers)
            )
            parts.append(
                f"CASE WHEN {ri} IS NOT NULL{first} "
                f"THEN {_display(cell.kind, ri)} || ' (' || concat_ws(', ', {tags}) || ')' END"
            )
        readings = f"list_filter([{', '.join(parts)}], lambda __r: __r IS NOT NULL)"
        code = "ambiguous_number" if cell.kind in NUMBER_KINDS else "ambiguous_date"
        problem = problem_sql(code, value=shown, readings=readings, config=literal(self.config))
        return f"CASE WHEN {self.ambiguous(cell)} THEN {problem} END"

    def _declared_problem(self, cell: Cell, shown: str) -> str:
        style = self.styles[0]
        assert self.declared is not None
        loc = parse_locale(style.tag)
        number = [style.number_example]
        if cell.money and style.money_example != style.number_example:
            number.append(style.money_example)
        like = {
            "integer": [format_decimal(1234, locale=loc)],
            "decimal": number,
            "percent": [*number, format_percent(0.5, locale=loc)],
            "date": [style.date_example, "2026-12-06"],
            "timestamp": [style.timestamp_example, "2026-12-06 14:30:00"],
        }[cell.kind]
        return problem_sql(
            _NOT_AS_WRITTEN[cell.kind],
            value=shown,
            locale=literal(style.tag),
            config=literal(self.declared.config),
            entry=literal(self.declared.entry),
            like=f"[{', '.join(literal(x) for x in like)}]",
        )
