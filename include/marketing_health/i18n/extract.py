"""Message templates from the code and the catalogue, and the ``.po`` files kept in step.

``marketing-health i18n update`` re-extracts every domain and merges it into each language's
``.po`` files: new texts appear untranslated, removed ones disappear, translations stay.
:func:`missing_translations` is what the test suite and ``marketing-health i18n check`` use to
refuse a language with an untranslated or mis-placeholdered message.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from marketing_health.catalogue.model import load_catalogue
from marketing_health.catalogue.vocabularies import (
    PLATFORM_LABEL_CONTEXT,
    POST_FORMAT_LABEL_CONTEXT,
    load_package_vocabularies,
    post_format_label,
)
from marketing_health.i18n.domains import (
    CATALOGUE_DOMAIN,
    DOMAINS,
    KEYWORDS,
    PACKAGE_DIR,
    python_sources,
)
from marketing_health.i18n.translator import LOCALES_DIR, parse_language

PROJECT = "marketing-health"


def template(domain: str) -> Catalog:
    """Every message of a domain, with where it comes from."""
    catalog = _catalog()
    if domain == CATALOGUE_DOMAIN:
        for message, context, where in catalogue_messages():
            catalog.add(message, context=context, locations=[(where, 0)])
        return catalog
    for path in python_sources(domain):
        relative = path.relative_to(PACKAGE_DIR).as_posix()
        for lineno, message, comments, context in extract_from_file(
            "python", path, keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            catalog.add(
                message,
                locations=[(relative, lineno)],
                auto_comments=comments,
                context=context,
                flags=_flags(message),
            )
    return catalog


def catalogue_messages() -> Iterator[tuple[str | tuple[str, str], str | None, str]]:
    """The texts of pitfalls.yaml people read: titles, why, what to do, evidence labels and
    summary sentences (a summary with ``one``/``other`` forms is a plural message)."""
    catalogue = load_catalogue()
    for pitfall in catalogue.pitfalls:
        where = f"catalogue/pitfalls.yaml:{pitfall.id}"
        for text in (pitfall.title, pitfall.explanation, pitfall.remediation):
            if text:
                yield text, None, where
        for text in (getattr(pitfall, "judgement", None), getattr(pitfall, "default", None)):
            if text:
                yield text, None, where
        for parameter in getattr(pitfall, "parameters", ()):
            yield parameter.description, None, where
        guard = pitfall.guard
        if guard is None:
            continue
        for label in guard.evidence.values():
            if label:
                yield label, None, where
        for sentence in _summary_forms(guard):
            yield sentence, None, where
    yield from vocabulary_messages()


def vocabulary_messages() -> Iterator[tuple[str, str, str]]:
    """The vocabulary labels an alert shows (platforms, post formats), each with its context."""
    vocabularies = load_package_vocabularies()
    where = "catalogue/vocabularies/platforms.yaml"
    for platform in vocabularies.platforms.values():
        yield platform.label, PLATFORM_LABEL_CONTEXT, where
    for post_format in vocabularies.post_formats:
        yield post_format_label(post_format), POST_FORMAT_LABEL_CONTEXT, where


def _summary_forms(guard: object) -> Iterator[str | tuple[str, str]]:
    """A plain summary is one message; a structured one lists its own (``messages()``), a
    plural sentence as its (one, other) pair."""
    summary = getattr(guard, "summary", None)
    if not summary:
        return
    if isinstance(summary, str):
        yield summary
    else:
        yield from summary.messages()


def _flags(message: str | tuple[str, ...]) -> tuple[str, ...]:
    texts = message if isinstance(message, tuple) else (message,)
    return ("python-brace-format",) if any(_placeholders(t) for t in texts) else ()


def _catalog(language: str | None = None) -> Catalog:
    return Catalog(
        locale=language,
        project=PROJECT,
        version="1",
        copyright_holder="the marketing-health contributors",
        msgid_bugs_address="",
        last_translator="",
        language_team="",
        fuzzy=False,
    )


def po_path(language: str, domain: str) -> Path:
    return LOCALES_DIR / str(parse_language(language)) / "LC_MESSAGES" / f"{domain}.po"


def languages_with_catalogues() -> list[str]:
    """Folder names (``zh_Hans``) of every translated language."""
    if not LOCALES_DIR.is_dir():
        return []
    return sorted(p.name for p in LOCALES_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())


def update_catalogues(add: str | None = None, domains: Sequence[str] = DOMAINS) -> list[Path]:
    """Merge fresh templates into every language's ``.po`` files (and start ``add``'s), for
    every domain or the ones named."""
    unknown = sorted(set(domains) - set(DOMAINS))
    if unknown:
        raise ValueError(f"unknown domain(s) {unknown}; domains: {', '.join(DOMAINS)}")
    languages = languages_with_catalogues()
    if add:
        languages.append(str(parse_language(add)))
    written: list[Path] = []
    for domain in domains:
        fresh = template(domain)
        for language in sorted(set(languages)):
            path = po_path(language, domain)
            if path.exists():
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=language)
            else:
                catalog = _catalog(language)
            catalog.update(fresh, no_fuzzy_matching=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog, width=100, ignore_obsolete=True, omit_header=False)
            written.append(path)
    return written


@dataclass(frozen=True)
class Gap:
    """A message a language cannot say: untranslated, fuzzy, or placeholders that differ."""

    language: str
    domain: str
    message: str
    problem: str

    def __str__(self) -> str:
        return f"{self.language}/{self.domain}.po: {self.problem}: {self.message!r}"


def missing_translations(language: str) -> list[Gap]:
    """Every message of every domain that ``language`` lacks or translates wrongly."""
    gaps: list[Gap] = []
    for domain in DOMAINS:
        path = po_path(language, domain)
        existing: dict[tuple[object, str | None], Message] = {}
        if path.exists():
            with path.open("rb") as handle:
                for message in read_po(handle, locale=language):
                    if message.id:
                        existing[(message.id, message.context)] = message
        for wanted in template(domain):
            if not wanted.id:
                continue
            label = wanted.id if isinstance(wanted.id, str) else wanted.id[0]
            found = existing.get((wanted.id, wanted.context))
            if found is None:
                gaps.append(Gap(language, domain, label, "missing"))
                continue
            strings = found.string if isinstance(found.string, tuple) else (found.string,)
            if found.fuzzy or not all(strings):
                gaps.append(Gap(language, domain, label, "untranslated"))
                continue
            ids = wanted.id if isinstance(wanted.id, tuple) else (wanted.id,)
            expected = _placeholders(*ids)
            for translated in strings:
                got = _placeholders(translated)
                # {n} may stay implicit in a form only ever used for one ("one night")
                if not got <= expected or not (expected - got) <= {"n"}:
                    gaps.append(Gap(language, domain, label, f"placeholders {sorted(got)}"))
                    break
    return gaps


def _placeholders(*texts: str) -> set[str]:
    found: set[str] = set()
    for text in texts:
        try:
            parsed = list(string.Formatter().parse(text))
        except ValueError:
            continue
        found.update(field.split(".")[0].split("[")[0] for _, field, _, _ in parsed if field)
    return found
