"""Which languages a night's health report is written in, and which one a reader is shown.

A night's report exists in every language the alerting file uses (its default, and the
languages of teams and channels), so the link a Slack digest carries opens in the language the
digest was written in. The default language's report is ``health_report.html``; every other
one is ``health_report.<tag>.html`` beside it (``health_report.zh-Hans.html``), so the files
open offline from the run folder and link to each other.

A reader's language is negotiated as browsers expect: an explicit choice (``?lang=``) first,
then the ``Accept-Language`` header, matched by Babel to what exists. ``zh-CN`` is Simplified
Chinese, so it gets ``zh-Hans``; ``zh-TW`` (Traditional) does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.core import get_global

from marketing_health.alerts.policy import AlertPolicy, canonical_language, load_policy
from marketing_health.i18n.translator import parse_language

#: One entry of an Accept-Language header: a tag and an optional quality.
_ACCEPT_ENTRY = re.compile(
    r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$"
)


def language_name(tag: str) -> str:
    """A language in its own words, as a switcher shows it: ``English``, ``中文 (简体)``."""
    locale = parse_language(tag)
    name = locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]


def languages_in_use(policy: AlertPolicy | None = None) -> list[str]:
    """Every language the alerting file names (``None``: read it), the default first, each once.

    The file refuses a language without translations when it is read, so every one listed
    here can be written.
    """
    return list((policy or load_policy()).languages)


def unique_tags(tags: Iterable[str]) -> list[str]:
    """Canonical tags in the order given, each once (``zh_Hans`` and ``zh-Hans`` are one)."""
    seen: list[str] = []
    for tag in tags:
        canonical = canonical_language(tag)
        if canonical not in seen:
            seen.append(canonical)
    return seen


def accepted_languages(header: str | None) -> list[str]:
    """The tags of an ``Accept-Language`` header, most wanted first (``q=0`` and ``*`` left out)."""
    wanted: list[tuple[float, int, str]] = []
    for index, entry in enumerate((header or "").split(",")):
        match = _ACCEPT_ENTRY.match(entry)
        if not match or match.group(1) == "*":
            continue
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if quality > 0:
            wanted.append((-quality, index, match.group(1)))
    return [tag for _, _, tag in sorted(wanted)]


def _with_script(tag: str) -> list[str]:
    """A wanted tag and its language-and-script form (``zh-CN`` -> ``zh_Hans_CN``, ``zh_Hans``),
    so Babel's matching compares scripts, not only territories."""
    forms = [tag.replace("-", "_")]
    try:
        locale = Locale.parse(forms[0])
    except (ValueError, UnknownLocaleError):
        return forms
    script = locale.script
    if not script:
        likely = get_global("likely_subtags").get(locale.language, "")
        script = next((p for p in likely.split("_")[1:] if len(p) == 4), None)
    if script:
        if locale.territory:
            forms.append(f"{locale.language}_{script}_{locale.territory}")
        forms.append(f"{locale.language}_{script}")
    return forms


def negotiate(wanted: Sequence[str], available: Sequence[str]) -> str | None:
    """The first of ``available`` (tags) that serves a wanted tag, as Babel negotiates them."""
    by_name = {tag.replace("-", "_").casefold(): tag for tag in available}
    for tag in wanted:
        found = negotiate_locale(_with_script(tag), list(by_name), sep="_")
        if found is not None:
            return by_name[found.casefold()]
    return None


def choose_language(
    explicit: str | None, accept_language: str | None, available: Sequence[str], default: str
) -> tuple[str, bool]:
    """The language to show and whether the reader chose it (``?lang=``): an explicit choice
    that exists, else the browser's preference, else ``default``."""
    if explicit:
        found = negotiate([explicit], available)
        if found is not None:
            return found, True
    found = negotiate(accepted_languages(accept_language), available)
    return (found or default), False
