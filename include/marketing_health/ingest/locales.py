"""Which locale a landing file's numbers and dates are written in, and how each locale writes
them.

Teams in Germany write ``1.234,56`` and ``06.12.2026``, teams in China ``2026年12月6日``, teams
in the US ``12/06/2026``. Two things decide how a file is read:

* **Declarations** in ``config/locales.yaml`` (or the file named by ``MH_LOCALES_CONFIG``): a
  locale per source, or per file pattern relative to the landing folder; a file entry beats a
  source entry. A wrong entry (a locale Babel does not know, a source the contract does not
  know) stops staging with a message naming the entry: a file is never read under a half-read
  configuration.
* **Candidates**: without a declaration, a file is recognised among the candidate locales
  (``contract/locales.yaml``, or ``candidates`` in the team's file) from its own values
  (:mod:`marketing_health.ingest.locale_sql`).

How a locale writes numbers and dates is CLDR data read through Babel (decimal and grouping
symbols, percent and minus signs, date, time and date-time patterns, month names), turned here
into regular expressions and ``strptime`` formats for DuckDB. Nothing about a locale is
written by hand; only the characters people type for a grouping symbol their keyboard lacks
(an apostrophe for the right single quotation mark, U+2019) are listed, as data, next to the
candidates.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import (
    format_date,
    format_datetime,
    get_date_format,
    get_datetime_format,
    get_month_names,
    get_period_names,
    get_time_format,
    tokenize_pattern,
)
from babel.numbers import (
    format_currency,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    get_territory_currencies,
)

from marketing_health.contract.schema import load_contract
from marketing_health.settings import PACKAGE_DIR, REPO_ROOT

#: Environment variable naming the team's locale declarations.
LOCALES_CONFIG_ENV = "MH_LOCALES_CONFIG"
#: The candidate locales and the grouping look-alikes shipped with the contract.
DEFAULTS_FILE = PACKAGE_DIR / "contract" / "locales.yaml"

_TOP_KEYS = {"sources", "files", "candidates"}
#: Date patterns of a locale that are read (CLDR's full pattern names the weekday: not read).
_DATE_WIDTHS = ("short", "medium", "long")
_TIME_WIDTHS = ("short", "medium")
#: Times everyone writes, whatever the locale's own pattern (a 24-hour clock).
_ANY_TIMES = ("HH:mm", "HH:mm:ss")
_ANY_JOIN = "{1} {0}"
#: Example values for messages ("write it like ...").
_EXAMPLE_NUMBER = 1234.56
_EXAMPLE_DAY = date(2026, 12, 6)
_EXAMPLE_TIME = datetime(2026, 12, 6, 14, 30)
#: Space characters a value may hold where a pattern has a space.
SPACES = "\u00a0\u202f\u2009"


class LocaleConfigError(ValueError):
    """The locale declarations (or the candidate list) are wrong: names the file and entry."""


def config_file() -> Path:
    """The team's declarations: ``MH_LOCALES_CONFIG``, else ``config/locales.yaml``."""
    return Path(os.getenv(LOCALES_CONFIG_ENV, REPO_ROOT / "config" / "locales.yaml"))


def shown_path(path: Path) -> str:
    """A path as messages show it: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT.resolve()))
    except ValueError:
        return str(path)


# --- how a locale writes numbers and dates (Babel) ------------------------------------------


@dataclass(frozen=True)
class NumberStyle:
    """How numbers are written: ``1.234,56`` is decimal ``,`` and grouping ``.``."""

    decimal: str
    #: The grouping symbol and what else is read as it (U+2019 and an apostrophe).
    groups: tuple[str, ...]
    minus: str
    percent: str


@dataclass(frozen=True)
class DateFormat:
    """One written form of a date or a date and time.

    ``regex`` is matched (case-insensitive) against the value with its spaces made plain; when
    ``month_names`` is set the month's name is replaced by its number before ``strptime`` reads
    the value with ``strptime``.
    """

    regex: str
    strptime: str
    month_names: bool


@dataclass(frozen=True)
class DateStyle:
    dates: tuple[DateFormat, ...]
    timestamps: tuple[DateFormat, ...]
    #: Lower-case month names (abbreviated and wide, without a final dot) and their numbers.
    months: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class LocaleStyle:
    """A candidate or declared locale: its name and how it writes numbers and dates."""

    tag: str
    number: NumberStyle
    date: DateStyle
    #: ``1.234,56``, ``06.12.2026``, ``06.12.2026 14:30``: for messages.
    number_example: str
    date_example: str
    timestamp_example: str
    #: ``1.234,56 €``: an amount in the currency of the locale's country (else the number).
    money_example: str


def _regex_escape(text: str) -> str:
    return "".join("\\" + ch if ch in r"\.^$|?*+()[]{}/-" else ch for ch in text)


def _plain_spaces(text: str) -> str:
    return re.sub(f"[{SPACES}]", " ", text)


def _month_names(loc: Locale) -> tuple[tuple[str, int], ...]:
    names: dict[str, int] = {}
    for width in ("abbreviated", "wide"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context, loc).items():
                names.setdefault(name.lower().rstrip("."), number)
    return tuple(sorted(names.items(), key=lambda item: (-len(item[0]), item[0])))


def month_regex(months: tuple[tuple[str, int], ...]) -> str:
    """The month names as one regex group, longest first (``marzo`` before ``mar``)."""
    return "((?:" + "|".join(_regex_escape(name) for name, _ in months) + ")\\.?)"


def _am_pm(loc: Locale) -> bool:
    """Whether the locale's AM / PM markers are the ones ``strptime`` reads (``%p``)."""
    periods = get_period_names("abbreviated", locale=loc)
    return str(periods.get("am", "")).lower() == "am" and str(periods.get("pm", "")).lower() == "pm"


_FIELDS = {
    # CLDR field letter -> (regex, strptime directive) for numeric fields.
    "y": ("[0-9]{4}", "%Y"),  # four-digit years only: '26' is no year anyone can be sure of
    "d": ("[0-9]{1,2}", "%d"),
    "H": ("[0-9]{1,2}", "%H"),
    "h": ("[0-9]{1,2}", "%I"),
    "m": ("[0-9]{2}", "%M"),
    "s": ("[0-9]{2}", "%S"),
}


def date_format(
    pattern: str, months: tuple[tuple[str, int], ...], am_pm: bool
) -> DateFormat | None:
    """A CLDR pattern (``dd.MM.y``, ``MMM d, y``) as a regex and a ``strptime`` format; None
    when it holds a field this reader does not read (weekday, era, ...)."""
    regex, fmt, names = [], [], False
    for kind, value in tokenize_pattern(pattern):
        if kind == "chars":
            text = _plain_spaces(value)
            regex.append(_regex_escape(text))
            fmt.append(text.replace("%", "%%"))
            continue
        letter, count = value
        if letter in ("M", "L") and count >= 3:
            if names:
                return None
            regex.append(month_regex(months))
            fmt.append("%m")
            names = True
        elif letter in ("M", "L"):
            regex.append("[0-9]{1,2}")
            fmt.append("%m")
        elif letter == "a" and am_pm:
            regex.append("(?:am|pm)")
            fmt.append("%p")
        elif letter in _FIELDS:
            regex.append(_FIELDS[letter][0])
            fmt.append(_FIELDS[letter][1])
        else:
            return None
    return DateFormat("".join(regex), "".join(fmt), names)


def _unique(items: list[DateFormat | None]) -> tuple[DateFormat, ...]:
    return tuple(dict.fromkeys(i for i in items if i is not None))


def _date_style(loc: Locale) -> DateStyle:
    months = _month_names(loc)
    am_pm = _am_pm(loc)
    dates = [get_date_format(w, loc).pattern for w in _DATE_WIDTHS]
    times = [get_time_format(w, loc).pattern for w in _TIME_WIDTHS] + list(_ANY_TIMES)
    joins = [str(get_datetime_format(w, loc)) for w in _TIME_WIDTHS] + [_ANY_JOIN]
    stamps = [
        join.replace("{1}", d).replace("{0}", t)
        for d in dates
        for t in times
        for join in dict.fromkeys(joins)
    ]
    return DateStyle(
        dates=_unique([date_format(p, months, am_pm) for p in dates]),
        timestamps=_unique([date_format(p, months, am_pm) for p in stamps + dates]),
        months=months,
    )


def _four_digit_years(pattern: str) -> str:
    return re.sub(r"y+", "y", pattern)


@cache
def _lookalikes() -> dict[str, tuple[str, ...]]:
    data = read_yaml(DEFAULTS_FILE)
    return {str(k): tuple(str(v) for v in vs) for k, vs in data.get("group_lookalikes", {}).items()}


def parse_locale(tag: str) -> Locale:
    """Babel's locale for a BCP 47 / CLDR name (``de-DE``, ``zh-Hans-CN``, ``de_CH``)."""
    return Locale.parse(tag.replace("-", "_"))


@cache
def locale_style(tag: str) -> LocaleStyle:
    """How ``tag`` writes numbers and dates, from Babel. Raises ValueError for an unknown one."""
    loc = parse_locale(tag)
    group = get_group_symbol(locale=loc)
    symbols = loc.number_symbols.get("latn", {})
    number = NumberStyle(
        decimal=get_decimal_symbol(locale=loc),
        groups=(group, *(g for g in _lookalikes().get(group, ()) if g != group)),
        minus=str(symbols.get("minusSign", "-")),
        percent=str(symbols.get("percentSign", "%")),
    )
    short_date = _four_digit_years(get_date_format("short", loc).pattern)
    short_time = get_time_format("short", loc).pattern
    return LocaleStyle(
        tag=tag,
        number=number,
        date=_date_style(loc),
        number_example=format_decimal(_EXAMPLE_NUMBER, locale=loc),
        date_example=format_date(_EXAMPLE_DAY, short_date, locale=loc),
        timestamp_example=format_datetime(
            _EXAMPLE_TIME, f"{short_date} {short_time}", tzinfo=None, locale=loc
        ),
        money_example=_money_example(loc),
    )


def _money_example(loc: Locale) -> str:
    currencies = get_territory_currencies(loc.territory) if loc.territory else []
    if not currencies:
        return format_decimal(_EXAMPLE_NUMBER, locale=loc)
    return format_currency(_EXAMPLE_NUMBER, currencies[0], locale=loc)


# --- declarations (config/locales.yaml) -----------------------------------------------------


@dataclass(frozen=True)
class Declaration:
    """The locale a file is declared in, and the entry that says so (for messages)."""

    locale: str
    entry: str
    config: str

    def describe(self) -> str:
        return f"declared in {self.config}, {self.entry}"


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A landing-relative glob: ``*`` and ``?`` stay within a folder, ``**`` spans folders."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


@dataclass(frozen=True)
class LocaleConfig:
    """The team's declarations and the candidate locales, checked."""

    config: str
    candidates: tuple[str, ...]
    sources: dict[str, str]
    files: tuple[tuple[str, re.Pattern[str], str], ...]

    def declared_for(self, source: str, rel_path: str) -> Declaration | None:
        """The file entry matching ``rel_path`` (the first listed), else the source's entry."""
        for pattern, regex, locale in self.files:
            if regex.fullmatch(rel_path):
                return Declaration(locale, f"files: {pattern!r}", self.config)
        if source in self.sources:
            return Declaration(self.sources[source], f"sources: {source}", self.config)
        return None

    def candidate_styles(self) -> tuple[LocaleStyle, ...]:
        return tuple(locale_style(tag) for tag in self.candidates)

    def locales_in_use(self) -> tuple[str, ...]:
        """Every locale a file may be read in: the candidates and the declared ones."""
        declared = [*self.sources.values(), *(locale for _, _, locale in self.files)]
        return tuple(dict.fromkeys([*self.candidates, *declared]))


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except OSError as exc:
        raise LocaleConfigError(f"{shown_path(path)}: cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise LocaleConfigError(f"{shown_path(path)}: not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LocaleConfigError(f"{shown_path(path)}: the top level must be a mapping")
    return data


def _checked_locale(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LocaleConfigError(f"{where}: the locale must be a name like de-DE, got {value!r}")
    tag = value.strip()
    try:
        locale_style(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        raise LocaleConfigError(
            f"{where}: unknown locale {tag!r}; use a BCP 47 / CLDR name Babel knows, "
            "e.g. en-US, en-GB, de-DE, fr-FR, es-ES, zh-Hans-CN"
        ) from None
    return tag


def _mapping(data: dict[str, Any], key: str, where: str) -> dict[Any, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise LocaleConfigError(f"{where}: '{key}' must be a mapping of name: locale")
    return value


def parse_locale_config(
    data: dict[str, Any], config: str, source_names: set[str], defaults: tuple[str, ...]
) -> LocaleConfig:
    """Check every entry; the first wrong one raises :class:`LocaleConfigError` naming it."""
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise LocaleConfigError(
            f"{config}: unknown key(s) {', '.join(unknown)}; the file takes "
            f"{', '.join(sorted(_TOP_KEYS))}"
        )
    known = ", ".join(sorted(source_names))
    sources: dict[str, str] = {}
    for name, value in _mapping(data, "sources", config).items():
        where = f"{config}, sources: {name}"
        if name not in source_names:
            raise LocaleConfigError(f"{where}: unknown source {name!r}; the contract knows {known}")
        sources[str(name)] = _checked_locale(value, where)
    files = []
    for pattern, value in _mapping(data, "files", config).items():
        where = f"{config}, files: {pattern!r}"
        text = str(pattern).strip().lstrip("/")
        first = text.split("/", 1)[0]
        if "/" not in text or (not any(ch in first for ch in "*?[") and first not in source_names):
            raise LocaleConfigError(
                f"{where}: a file pattern starts with the source folder, e.g. "
                f"'paid_ads/**/*.csv'; {first!r} is no source the contract knows ({known})"
            )
        files.append((text, glob_regex(text), _checked_locale(value, where)))
    candidates = data.get("candidates", defaults)
    if not isinstance(candidates, list | tuple) or not candidates:
        raise LocaleConfigError(f"{config}: 'candidates' must be a list of locales, e.g. [en-US]")
    checked = tuple(
        _checked_locale(tag, f"{config}, candidates: {tag!r}") for tag in dict.fromkeys(candidates)
    )
    return LocaleConfig(config, checked, sources, tuple(files))


def load_locale_config(path: Path | None = None) -> LocaleConfig:
    """The declarations in force: ``path``, else ``MH_LOCALES_CONFIG``, else
    ``config/locales.yaml``; a missing file declares nothing. Read again when it changes."""
    file = path or config_file()
    stamp = file.stat().st_mtime_ns if file.exists() else None
    return _load(file, stamp)


def default_candidates() -> tuple[str, ...]:
    """The candidate locales shipped with the contract (``contract/locales.yaml``)."""
    return tuple(str(tag) for tag in read_yaml(DEFAULTS_FILE).get("candidates") or ())


@cache
def _load(file: Path, stamp: int | None) -> LocaleConfig:
    data = read_yaml(file) if stamp is not None else {}
    names = {s.name for s in load_contract()}
    return parse_locale_config(data, shown_path(file), names, default_candidates())
