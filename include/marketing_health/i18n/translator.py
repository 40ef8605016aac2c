"""A translator per language: gettext messages plus Babel's numbers, money, dates and lists.

Messages use Python's brace placeholders (``"{n} campaigns need attention"``): translators
move them freely, so no sentence is built from English-only fragments. Values that are not
text are shown in the locale's format (whole numbers with its grouping, dates in its long
form), so a caller never formats a number by hand. Plural forms come from the language's
gettext rule (Babel's CLDR data), never from "(s)".

The ``.po`` files are compiled in memory on first use, so a translator edits a text file and
sees it on the next night without a build step.
"""

from __future__ import annotations

import copy
import datetime as dt
import gettext
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, parse_pattern
from babel.support import Translations

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"
SOURCE_LANGUAGE = "en"
MISSING = "n/a"


class UnknownLanguageError(ValueError):
    """A language tag Babel does not know, or one without message catalogues."""


def language_dir_name(locale: Locale) -> str:
    """The folder name gettext uses for a locale: ``zh_Hans``, ``de``, ``pt_BR``."""
    return str(locale)


def supported_languages() -> list[str]:
    """English plus every language with a catalogue folder, as BCP 47 tags (``zh-Hans``)."""
    found = {SOURCE_LANGUAGE}
    if LOCALES_DIR.is_dir():
        for folder in LOCALES_DIR.iterdir():
            if (folder / "LC_MESSAGES").is_dir():
                found.add(folder.name.replace("_", "-"))
    return sorted(found)


def parse_language(tag: str) -> Locale:
    """A Babel locale from a BCP 47 tag (``zh-Hans``, ``de-CH``) or a gettext name (``zh_Hans``)."""
    text = str(tag).strip()
    try:
        return Locale.parse(text.replace("-", "_"))
    except (ValueError, UnknownLocaleError) as exc:
        raise UnknownLanguageError(
            f"{tag!r} is not a language tag Babel knows (examples: en, zh-Hans, de, de-CH, fr)"
        ) from exc


def _catalogue_folder(locale: Locale) -> Path | None:
    """The catalogue folder serving a locale: ``de_CH`` falls back to ``de``, ``zh_Hans_CN`` to
    ``zh_Hans``."""
    candidates = [str(locale)]
    if locale.script:
        candidates.append(f"{locale.language}_{locale.script}")
    if locale.territory:
        candidates.append(f"{locale.language}_{locale.territory}")
    candidates.append(locale.language)
    for name in candidates:
        folder = LOCALES_DIR / name / "LC_MESSAGES"
        if folder.is_dir():
            return folder
    return None


@cache
def _translations(folder: Path | None) -> gettext.NullTranslations:
    """Every domain's ``.po`` of one language merged into one translations object."""
    if folder is None:
        return gettext.NullTranslations()
    merged: Translations | None = None
    for po_path in sorted(folder.glob("*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        part = Translations(buffer, domain=po_path.stem)
        merged = part if merged is None else merged.merge(part)
    return merged if merged is not None else gettext.NullTranslations()


@dataclass(frozen=True)
class Translator:
    """Messages and formats of one language (``tag``) and its Babel ``locale``."""

    tag: str
    locale: Locale
    translations: gettext.NullTranslations

    # -- messages ---------------------------------------------------------------------------

    def gettext(self, message: str, /, **values: Any) -> str:
        """The message in this language, its ``{placeholders}`` filled in the locale's format."""
        return self._fill(self.translations.gettext(message), values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """The plural form this language uses for ``n`` (also available as ``{n}``)."""
        values.setdefault("n", n)
        return self._fill(self.translations.ngettext(singular, plural, int(n)), values)

    def pgettext(self, context: str, message: str, /, **values: Any) -> str:
        """A message whose English is ambiguous (a button "Snooze" vs a status "Snooze")."""
        return self._fill(self.translations.pgettext(context, message), values)

    def npgettext(self, context: str, singular: str, plural: str, n: int, /, **values: Any) -> str:
        values.setdefault("n", n)
        text = self.translations.npgettext(context, singular, plural, int(n))
        return self._fill(text, values)

    def translate(self, text: str | None) -> str:
        """A text that is data (a catalogue sentence, a label): translated when a catalogue has
        it, else as written. Placeholders are left for the caller to fill."""
        if not text:
            return text or ""
        return self.translations.gettext(text)

    def translate_plural(self, singular: str | None, plural: str | None, n: int) -> str:
        """A plural text that is data (a catalogue sentence with ``one``/``other`` forms): the
        form this language uses for ``n``, placeholders left for the caller to fill."""
        if not singular or not plural:
            return (singular if n == 1 else plural) or ""
        return self.translations.ngettext(singular, plural, int(n))

    def _fill(self, text: str, values: Mapping[str, Any]) -> str:
        if not values:
            return text
        return text.format_map({k: self.display(v) for k, v in values.items()})

    # -- values -----------------------------------------------------------------------------

    def display(self, value: Any) -> str:
        """Any value as people of this locale read it: numbers grouped, dates in long form."""
        if value is None:
            return self.missing()
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return self.gettext("yes") if value else self.gettext("no")
        if isinstance(value, int):
            return self.integer(value)
        if isinstance(value, float | Decimal):
            return self.number(value)
        if isinstance(value, dt.datetime):
            return self.datetime(value)
        if isinstance(value, dt.date):
            return self.date(value)
        if isinstance(value, list | tuple):
            return self.list(self.display(v) for v in value)
        return str(value)

    def missing(self) -> str:
        """What a value the warehouse could not compute reads as."""
        return self.pgettext("value", "n/a")

    def integer(self, value: float | int | None) -> str:
        if value is None:
            return self.missing()
        return format_decimal(round(float(value)), format="#,##0", locale=self.locale)

    def number(self, value: float | Decimal | int | None, decimals: int | None = None) -> str:
        """A decimal number: ``decimals`` fixed places, or up to 2 when not given."""
        if value is None:
            return self.missing()
        if decimals is None:
            return format_decimal(value, format="#,##0.##", locale=self.locale)
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, ratio: float | Decimal | None, decimals: int = 0) -> str:
        """A ratio (0.125) as the locale writes a percentage: ``12.5%``, ``12,5 %``."""
        if ratio is None:
            return self.missing()
        # a copy: Babel caches the locale's pattern, and every later percentage would keep
        # these decimals
        pattern = copy.copy(parse_pattern(self.locale.percent_formats[None]))
        pattern.frac_prec = (decimals, decimals)
        return pattern.apply(float(ratio), self.locale)

    def money(
        self,
        amount: float | Decimal | None,
        currency: str | None = None,
        decimals: int | None = None,
    ) -> str:
        """An amount in the currency the data names (ISO 4217); without one, a plain number
        (never a guessed currency). ``decimals``: fixed places (0 for whole units of a
        budget), else the currency's usual ones (two without a currency)."""
        if amount is None:
            return self.missing()
        if not currency:
            return self.number(amount, decimals=2 if decimals is None else decimals)
        code = str(currency).upper()
        if decimals is None:
            return format_currency(amount, code, locale=self.locale)
        pattern = copy.copy(parse_pattern(self.locale.currency_formats["standard"]))
        pattern.frac_prec = (decimals, decimals)
        return pattern.apply(amount, self.locale, currency=code, currency_digits=False)

    def date(self, value: dt.date | str | None, style: str = "long") -> str:
        """A day: ``December 5, 2026``, ``2026年12月5日``, ``5. Dezember 2026``."""
        if value is None:
            return self.missing()
        day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
        if isinstance(day, dt.datetime):
            day = day.date()
        return format_date(day, format=style, locale=self.locale)

    def datetime(self, value: dt.datetime | str | None, style: str = "medium") -> str:
        if value is None:
            return self.missing()
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return format_datetime(moment, format=style, locale=self.locale)

    def list(self, items: Iterable[str], style: str = "standard") -> str:
        """Items joined as the language joins them: ``a, b and c``, ``a、b和c``."""
        values = [str(i) for i in items]
        if not values:
            return ""
        return format_list(values, style=style, locale=self.locale)


@cache
def translator(tag: str | None = None) -> Translator:
    """The translator of a language tag; ``None`` is the default language.

    A tag Babel knows but no catalogue serves (``fr`` before its ``.po`` files exist) is an
    error naming the supported languages: a team would otherwise get English without knowing
    why. English needs no catalogue.
    """
    wanted = tag or DEFAULT_LANGUAGE
    locale = parse_language(wanted)
    folder = _catalogue_folder(locale)
    if folder is None and locale.language != SOURCE_LANGUAGE:
        raise UnknownLanguageError(
            f"no messages in {wanted!r} yet; supported: {', '.join(supported_languages())}. "
            f"Add a language with `marketing-health i18n update --add {wanted}` and translate "
            f"the files it writes under {LOCALES_DIR}"
        )
    return Translator(tag=str(wanted), locale=locale, translations=_translations(folder))
