"""The vocabularies: KPI metrics, sensitive attributes, disclosure markers, platforms,
deliverable statuses and the words for yes and no, in several languages, as data.

Each vocabulary is one YAML file in ``catalogue/vocabularies/``; a team adds terms with a file
of the same name and shape in its config folder (``MH_VOCABULARIES_DIR``, default
``config/vocabularies``). Every reader and every dbt model reads the same definition: readers
through :func:`load_vocabularies`, dbt through the ``vocab.*`` tables :func:`write_vocabularies`
fills before each build.

Terms are compared after :func:`normalise_term` (lower case, runs of whitespace and hyphens
read as ``_``); the dbt macro ``vocab_term`` does the same in SQL, so "Site visits",
"site-visits" and ``site_visits`` are one term, and Chinese terms pass unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from marketing_health.settings import VOCABULARIES_PACKAGE_DIR, vocabularies_dir

KpiClass = Literal["outcome", "vanity", "diagnostic"]
KPI_CLASSES: tuple[str, ...] = ("outcome", "vanity", "diagnostic")
DeliverableStatus = Literal["published", "pending", "cancelled"]
DELIVERABLE_STATUSES: tuple[str, ...] = ("published", "pending", "cancelled")
MARKER_KINDS: tuple[str, ...] = ("hashtags", "labels")
#: The platform key of disclosure markers valid on every platform.
ANY_PLATFORM = "any"
#: The number sign Chinese and Japanese keyboards type in full width.
FULLWIDTH_HASH = "\uff03"
#: Every vocabulary file, in the order they are read.
VOCABULARY_FILES: tuple[str, ...] = (
    "kpi_metrics",
    "sensitive_attributes",
    "disclosure_markers",
    "platforms",
    "deliverable_statuses",
    "yes_no",
)
#: Channels a platform's activity appears in: a platform's ``channels`` and ``links`` name them.
PLATFORM_CHANNELS: tuple[str, ...] = ("social", "influencer", "paid")
#: The two answers of the yes/no vocabulary, as its file keys them.
ANSWERS: tuple[str, ...] = ("true", "false")
#: Message contexts of the vocabulary labels people read (a platform's ``label``, a post
#: format's name): translated as data in the catalogue domain, where a short word such as
#: "story" or "live" needs its context.
PLATFORM_LABEL_CONTEXT = "platform"
POST_FORMAT_LABEL_CONTEXT = "post format"

_SEPARATORS = re.compile(r"[\s\-]+")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class VocabularyError(ValueError):
    """A vocabulary file is wrong; the message names the file and the entry."""


def normalise_term(text: str) -> str:
    """How terms are compared everywhere: trimmed, lower case, whitespace and hyphens as ``_``."""
    return _SEPARATORS.sub("_", str(text).strip().lower())


@dataclass(frozen=True)
class KpiMetric:
    metric: str
    kpi_class: str
    observed_by: str | None
    #: language -> terms as written in the file
    terms: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class SensitiveCategory:
    category: str
    basis: str
    #: language -> normalised stems
    stems: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Platform:
    platform: str
    label: str
    channels: tuple[str, ...]
    formats: tuple[str, ...]
    #: language -> names as written in the file
    names: Mapping[str, tuple[str, ...]]
    #: Channels whose activity on the platform can carry a tracked link (a URL with a
    #: utm_campaign a reader can follow); empty when none can, None when no file says.
    links: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Marker:
    platform: str
    language: str
    kind: str  # hashtag | label
    marker: str


@dataclass(frozen=True)
class Vocabularies:
    """Every vocabulary, merged from the package and a team's config folder."""

    kpi_metrics: Mapping[str, KpiMetric]
    sensitive: Mapping[str, SensitiveCategory]
    ordinary_tokens: Mapping[str, tuple[str, ...]]
    platforms: Mapping[str, Platform]
    post_formats: Mapping[str, Mapping[str, tuple[str, ...]]]
    markers: tuple[Marker, ...]
    statuses: Mapping[str, Mapping[str, tuple[str, ...]]]
    #: "true" / "false" -> language -> words as written in the file
    yes_no: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    #: the files read, package first
    files: tuple[Path, ...] = ()
    _index: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    # lookups ---------------------------------------------------------------------------------
    def kpi_metric_for(self, term: str) -> str | None:
        return self._index["kpi"].get(normalise_term(term))

    def platform_for(self, term: str) -> str | None:
        return self._index["platform"].get(normalise_term(term))

    def post_format_for(self, term: str) -> str | None:
        return self._index["post_format"].get(normalise_term(term))

    def deliverable_status_for(self, term: str) -> str | None:
        return self._index["status"].get(normalise_term(term))

    def boolean_for(self, term: str) -> bool | None:
        """True or False for a yes/no word of any language (``ja``, ``是``, ``non``), else None."""
        answer = self._index["yes_no"].get(normalise_term(term))
        return None if answer is None else answer == "true"

    def is_ordinary_token(self, token: str) -> bool:
        return normalise_term(token) in self._index["ordinary"]

    def sensitive_category_for(self, token: str) -> str | None:
        """The category of the first stem the token contains, unless the token is ordinary."""
        term = normalise_term(token)
        if term in self._index["ordinary"]:
            return None
        for stem, category in self._index["stem"].items():
            if stem in term:
                return category
        return None

    def disclosure_markers(self, platform: str | None = None) -> tuple[str, ...]:
        """Lower-case markers valid on ``platform`` (its own and those of every platform)."""
        wanted = {ANY_PLATFORM} | ({self.platform_for(platform) or platform} if platform else set())
        return tuple(dict.fromkeys(m.marker for m in self.markers if m.platform in wanted))

    def disclosure_patterns(self) -> dict[str, str]:
        """Platform key -> one regular expression (RE2, as DuckDB and PostgreSQL read it)
        finding, in lower-case text, any marker of that platform; key ``*``: the markers valid
        on every platform. A text is disclosed on a platform when the ``*`` pattern or the
        platform's own pattern finds something.

        Hashtags are whole tags: ``#ad`` is found in "#ad #partner" and "#ad," but not in
        "#adidas" or "#ad_campaign"; a tag ending in ``#`` (``#广告#``) ends there. Labels are
        found inside the text, except that an end written in a script that separates words
        (Latin) must not touch another letter: "werbung" is not found in "Werbungskosten",
        while "广告" is found inside a Chinese sentence, which has no spaces.
        """
        by_platform: dict[str, list[Marker]] = {"*": []}
        for m in self.markers:
            by_platform.setdefault(platform_key(m.platform), []).append(m)
        return {platform: _markers_regex(markers) for platform, markers in by_platform.items()}

    # warehouse rows --------------------------------------------------------------------------
    def table_rows(self) -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
        """``vocab.<table>`` -> (columns, rows): what dbt reads."""
        kpi_terms = [
            (normalise_term(t), m.metric, lang)
            for m in self.kpi_metrics.values()
            for lang, terms in _with_id(m.metric, m.terms)
            for t in terms
        ]
        platform_terms = [
            (normalise_term(t), p.platform, lang)
            for p in self.platforms.values()
            for lang, names in _with_id(p.platform, p.names)
            for t in names
        ]
        format_terms = [
            (normalise_term(t), fmt, lang)
            for fmt, names in self.post_formats.items()
            for lang, terms in _with_id(fmt, names)
            for t in terms
        ]
        return {
            "kpi_metrics": (
                ("metric", "kpi_class", "observed_by"),
                [(m.metric, m.kpi_class, m.observed_by) for m in self.kpi_metrics.values()],
            ),
            "kpi_terms": (("term", "metric", "language"), _unique(kpi_terms)),
            "sensitive_terms": (
                ("stem", "category", "language"),
                _unique(
                    (stem, c.category, lang)
                    for c in self.sensitive.values()
                    for lang, stems in c.stems.items()
                    for stem in stems
                ),
            ),
            "ordinary_tokens": (
                ("term", "language"),
                _unique(
                    (normalise_term(t), lang)
                    for lang, terms in self.ordinary_tokens.items()
                    for t in terms
                ),
            ),
            "platforms": (
                ("platform", "label", "channels", "links"),
                [
                    (
                        p.platform,
                        p.label,
                        "|".join(p.channels),
                        None if p.links is None else "|".join(p.links),
                    )
                    for p in self.platforms.values()
                ],
            ),
            "platform_terms": (("term", "platform", "language"), _unique(platform_terms)),
            "platform_formats": (
                ("platform", "post_format"),
                [(p.platform, f) for p in self.platforms.values() for f in p.formats],
            ),
            "post_format_terms": (("term", "post_format", "language"), _unique(format_terms)),
            "disclosure_markers": (
                ("platform", "marker", "language", "kind"),
                _unique(
                    [
                        (platform_key(m.platform), m.marker, m.language, m.kind)
                        for m in self.markers
                    ],
                    width=2,
                ),
            ),
            "deliverable_statuses": (
                ("term", "status", "language"),
                _unique(
                    (normalise_term(t), status, lang)
                    for status, by_lang in self.statuses.items()
                    for lang, terms in _with_id(status, by_lang)
                    for t in terms
                ),
            ),
            "yes_no_terms": (
                ("term", "answer", "language"),
                _unique(
                    (normalise_term(t), answer, lang)
                    for answer, by_lang in self.yes_no.items()
                    for lang, terms in _with_id(answer, by_lang)
                    for t in terms
                ),
            ),
        }


def post_format_label(post_format: str) -> str:
    """How people write a post format kind in English: its key with spaces (``short video``);
    other languages translate it (catalogue domain, context ``post format``)."""
    return post_format.replace("_", " ")


def platform_key(platform: str) -> str:
    """How ``vocab.disclosure_markers`` writes a platform: ``*`` for markers of every platform."""
    return "*" if platform == ANY_PLATFORM else platform


#: Where a hashtag or a word ends: not followed by a letter, a digit or "_".
_WORD_END = r"(?:[^\pL\pN_]|$)"
#: Where a word starts: not preceded by a letter, a digit or "_".
_WORD_START = r"(?:^|[^\pL\pN_])"


def _separates_words(char: str) -> bool:
    """Whether ``char`` is a letter or digit of a script written with spaces between words."""
    return (char.isascii() and char.isalnum()) or "LATIN" in unicodedata.name(char, "")


def _re2_escape(text: str) -> str:
    """``text`` as a literal in an RE2 pattern: ASCII punctuation escaped, letters of any script
    kept, a space matching any run of spaces or line breaks."""
    out = []
    for c in text:
        if c.isspace():
            out.append(r"\s+")
        elif c.isascii() and not c.isalnum():
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def _markers_regex(markers: list[Marker]) -> str:
    """One pattern finding any of the markers (see :meth:`Vocabularies.disclosure_patterns`).

    Markers are grouped by the word boundaries they need, so each boundary appears once per
    group: a boundary is a large Unicode class, and repeating it per marker makes the pattern
    slow to compile.
    """
    groups: dict[tuple[bool, bool], list[str]] = {}
    for marker in markers:
        text = marker.marker
        if marker.kind == "hashtag":
            needs = (False, text[-1] not in ("#", FULLWIDTH_HASH))
        else:
            needs = (_separates_words(text[0]), _separates_words(text[-1]))
        groups.setdefault(needs, []).append(_re2_escape(text))
    parts = [
        (_WORD_START if start else "")
        + "(?:"
        + "|".join(dict.fromkeys(sorted(texts, key=len, reverse=True)))
        + ")"
        + (_WORD_END if end else "")
        for (start, end), texts in sorted(groups.items())
    ]
    return "|".join(parts) if parts else "[^\\s\\S]"


def _with_id(
    identifier: str, by_language: Mapping[str, tuple[str, ...]]
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The terms per language, and the identifier itself (always accepted) under ``id``."""
    yield "id", (identifier,)
    yield from by_language.items()


def _unique(rows: Iterable[tuple[Any, ...]], width: int = 1) -> list[tuple[Any, ...]]:
    """Rows once each by their first ``width`` columns: a term written in two languages is
    kept under the first."""
    seen: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for row in rows:
        seen.setdefault(row[:width], row)
    return list(seen.values())


# loading ---------------------------------------------------------------------------------------


def load_vocabularies(extra_dir: Path | None = None) -> Vocabularies:
    """The packaged vocabularies plus a team's extensions (``MH_VOCABULARIES_DIR``).

    Raises:
        VocabularyError: a file is malformed, or one term means two different things; the
            message names the file(s) and the entry.
    """
    folder = vocabularies_dir() if extra_dir is None else extra_dir
    files = [VOCABULARIES_PACKAGE_DIR / f"{name}.yaml" for name in VOCABULARY_FILES]
    if folder.is_dir():
        unknown = sorted(
            p.name
            for p in folder.glob("*.y*ml")
            if p.stem not in VOCABULARY_FILES and p.suffix in (".yaml", ".yml")
        )
        if unknown:
            raise VocabularyError(
                f"{folder}: {', '.join(unknown)} is not a vocabulary; the files a team can add "
                f"are {', '.join(n + '.yaml' for n in VOCABULARY_FILES)}"
            )
        files += [folder / f"{name}.yaml" for name in VOCABULARY_FILES]
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in files if p.is_file())
    return _load(stamp)


def load_package_vocabularies() -> Vocabularies:
    """The packaged vocabularies alone, whatever a team added: what the documentation lists."""
    files = [VOCABULARIES_PACKAGE_DIR / f"{name}.yaml" for name in VOCABULARY_FILES]
    return _load(tuple((str(p), p.stat().st_mtime_ns) for p in files if p.is_file()))


@cache
def _load(stamp: tuple[tuple[str, int], ...]) -> Vocabularies:
    builder = _Builder()
    for name, _ in stamp:
        path = Path(name)
        builder.read(path)
    return builder.build(tuple(Path(n) for n, _ in stamp))


class _Builder:
    """Merges vocabulary files, remembering where each term came from to name conflicts."""

    def __init__(self) -> None:
        self.kpi: dict[str, dict[str, Any]] = {}
        self.sensitive: dict[str, dict[str, Any]] = {}
        self.ordinary: dict[str, list[str]] = {}
        self.platforms: dict[str, dict[str, Any]] = {}
        self.formats: dict[str, dict[str, list[str]]] = {}
        self.markers: list[Marker] = []
        self.statuses: dict[str, dict[str, list[str]]] = {}
        self.yes_no: dict[str, dict[str, list[str]]] = {}
        #: index name -> normalised term -> (meaning, file)
        self.seen: dict[str, dict[str, tuple[str, Path]]] = {}

    # --- helpers
    def _claim(self, index: str, term: str, meaning: str, path: Path, what: str) -> None:
        key = normalise_term(term)
        if not key:
            raise VocabularyError(f"{path}: an empty {what} term")
        known = self.seen.setdefault(index, {}).get(key)
        if known and known[0] != meaning:
            raise VocabularyError(
                f"{path}: {what} term {term!r} means {meaning!r} here but {known[0]!r} in "
                f"{known[1]}; a term can mean one thing only"
            )
        self.seen[index].setdefault(key, (meaning, path))

    @staticmethod
    def _mapping(value: Any, path: Path, where: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise VocabularyError(f"{path}: {where} must be a mapping")
        return value

    def _terms(self, value: Any, path: Path, where: str) -> dict[str, list[str]]:
        """language -> list of terms."""
        out: dict[str, list[str]] = {}
        for lang, terms in self._mapping(value, path, where).items():
            if not isinstance(lang, str) or not _LANGUAGE.match(lang):
                raise VocabularyError(
                    f"{path}: {where}: {lang!r} is not a language tag (e.g. en, zh-Hans, de)"
                )
            if terms is None:
                continue
            if not isinstance(terms, list) or not all(isinstance(t, str | int) for t in terms):
                raise VocabularyError(f"{path}: {where}.{lang} must be a list of words")
            read_as_answer = [t for t in terms if isinstance(t, bool)]
            if read_as_answer:
                raise VocabularyError(
                    f"{path}: {where}.{lang}: YAML reads yes, no, on, off, true and false "
                    f"written without quotes as {str(read_as_answer[0]).lower()}, not as a "
                    'word; write them in quotes, e.g. ["yes", "no"]'
                )
            out[lang] = [str(t) for t in terms]
        return out

    # --- files
    def read(self, path: Path) -> None:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise VocabularyError(f"{path}: not valid YAML: {exc}") from None
        data = self._mapping(data, path, "the file")
        getattr(self, "_read_" + path.stem)(data, path)

    def _read_kpi_metrics(self, data: dict[str, Any], path: Path) -> None:
        self._only(data, path, {"version", "metrics"})
        for metric, entry in self._mapping(data.get("metrics"), path, "metrics").items():
            entry = self._mapping(entry, path, f"metrics.{metric}")
            self._only(entry, path, {"class", "observed_by", "terms"}, f"metrics.{metric}")
            current = self.kpi.setdefault(
                metric, {"class": None, "observed_by": None, "terms": {}, "file": path}
            )
            kpi_class = entry.get("class", current["class"])
            if kpi_class not in KPI_CLASSES:
                raise VocabularyError(
                    f"{path}: metrics.{metric}.class must be one of {', '.join(KPI_CLASSES)}"
                )
            current["class"] = kpi_class
            current["observed_by"] = entry.get("observed_by", current["observed_by"]) or None
            for lang, terms in self._terms(entry.get("terms"), path, f"metrics.{metric}").items():
                for t in terms:
                    self._claim("kpi", t, metric, path, "KPI metric")
                current["terms"].setdefault(lang, []).extend(terms)
            self._claim("kpi", metric, metric, path, "KPI metric")

    def _read_sensitive_attributes(self, data: dict[str, Any], path: Path) -> None:
        self._only(data, path, {"version", "categories", "ordinary_tokens"})
        for cat, entry in self._mapping(data.get("categories"), path, "categories").items():
            entry = self._mapping(entry, path, f"categories.{cat}")
            self._only(entry, path, {"basis", "stems"}, f"categories.{cat}")
            current = self.sensitive.setdefault(cat, {"basis": "", "stems": {}})
            current["basis"] = entry.get("basis") or current["basis"]
            for lang, stems in self._terms(entry.get("stems"), path, f"categories.{cat}").items():
                for s in stems:
                    self._claim("stem", s, cat, path, "sensitive stem")
                current["stems"].setdefault(lang, []).extend(normalise_term(s) for s in stems)
        for lang, terms in self._terms(
            data.get("ordinary_tokens"), path, "ordinary_tokens"
        ).items():
            self.ordinary.setdefault(lang, []).extend(normalise_term(t) for t in terms)

    def _read_platforms(self, data: dict[str, Any], path: Path) -> None:
        self._only(data, path, {"version", "platforms", "post_formats"})
        for pid, entry in self._mapping(data.get("platforms"), path, "platforms").items():
            entry = self._mapping(entry, path, f"platforms.{pid}")
            self._only(
                entry, path, {"label", "channels", "formats", "links", "names"}, f"platforms.{pid}"
            )
            current = self.platforms.setdefault(
                pid, {"label": pid, "channels": [], "formats": [], "links": None, "names": {}}
            )
            if entry.get("formats"):
                current["file"] = path
            current["label"] = entry.get("label") or current["label"]
            current["channels"] = list(
                dict.fromkeys([*current["channels"], *(entry.get("channels") or [])])
            )
            current["formats"] = list(
                dict.fromkeys([*current["formats"], *(entry.get("formats") or [])])
            )
            if "links" in entry:
                # a later file replaces the list: the team knows where its own links go
                current["links"] = self._links(entry["links"], path, f"platforms.{pid}.links")
            for lang, names in self._terms(entry.get("names"), path, f"platforms.{pid}").items():
                for n in names:
                    self._claim("platform", n, pid, path, "platform")
                current["names"].setdefault(lang, []).extend(names)
            self._claim("platform", pid, pid, path, "platform")
        for fmt, names in self._mapping(data.get("post_formats"), path, "post_formats").items():
            current = self.formats.setdefault(fmt, {})
            for lang, terms in self._terms(names, path, f"post_formats.{fmt}").items():
                for t in terms:
                    self._claim("post_format", t, fmt, path, "post format")
                current.setdefault(lang, []).extend(terms)
            self._claim("post_format", fmt, fmt, path, "post format")

    @staticmethod
    def _links(value: Any, path: Path, where: str) -> list[str]:
        """The channels of a platform's ``links``: a list of channels, [] for none."""
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            raise VocabularyError(
                f"{path}: {where} must be a list of channels ({', '.join(PLATFORM_CHANNELS)}), "
                "[] when no activity on the platform can carry a link"
            )
        wrong = [c for c in value if c not in PLATFORM_CHANNELS]
        if wrong:
            raise VocabularyError(
                f"{path}: {where}: {', '.join(wrong)} is not a channel; use "
                f"{', '.join(PLATFORM_CHANNELS)} ([] when no activity on the platform can "
                "carry a link)"
            )
        return list(dict.fromkeys(value))

    def _read_disclosure_markers(self, data: dict[str, Any], path: Path) -> None:
        self._only(data, path, {"version", "markers"})
        for platform, by_lang in self._mapping(data.get("markers"), path, "markers").items():
            for lang, kinds in self._mapping(by_lang, path, f"markers.{platform}").items():
                where = f"markers.{platform}.{lang}"
                if not _LANGUAGE.match(str(lang)):
                    raise VocabularyError(f"{path}: {where}: {lang!r} is not a language tag")
                kinds = self._mapping(kinds, path, where)
                self._only(kinds, path, set(MARKER_KINDS), where)
                for kind in MARKER_KINDS:
                    for marker in kinds.get(kind) or []:
                        text = str(marker).strip().lower()
                        if kind == "hashtags" and not text.startswith(("#", FULLWIDTH_HASH)):
                            raise VocabularyError(
                                f"{path}: {where}.hashtags: {marker!r} must start with #"
                            )
                        variants = [text]
                        if kind == "hashtags":
                            variants.append(FULLWIDTH_HASH + text[1:])
                        for v in variants:
                            self.markers.append(Marker(str(platform), lang, kind[:-1], v))

    def _read_deliverable_statuses(self, data: dict[str, Any], path: Path) -> None:
        self._only(data, path, {"version", "statuses"})
        for status, by_lang in self._mapping(data.get("statuses"), path, "statuses").items():
            if status not in DELIVERABLE_STATUSES:
                raise VocabularyError(
                    f"{path}: statuses.{status} is not a status; use "
                    f"{', '.join(DELIVERABLE_STATUSES)}"
                )
            current = self.statuses.setdefault(status, {})
            for lang, terms in self._terms(by_lang, path, f"statuses.{status}").items():
                for t in terms:
                    self._claim("status", t, status, path, "deliverable status")
                current.setdefault(lang, []).extend(terms)

    def _read_yes_no(self, data: dict[str, Any], path: Path) -> None:
        self._only(data, path, {"version", "values"})
        for key, by_lang in self._mapping(data.get("values"), path, "values").items():
            answer = str(key).lower()  # an unquoted true / false key arrives as a bool
            if answer not in ANSWERS:
                raise VocabularyError(
                    f'{path}: values.{key} is not an answer; use "true" or "false"'
                )
            current = self.yes_no.setdefault(answer, {})
            for lang, terms in self._terms(by_lang, path, f"values.{answer}").items():
                for t in terms:
                    self._claim("yes_no", t, answer, path, "yes/no")
                current.setdefault(lang, []).extend(terms)

    @staticmethod
    def _only(data: dict[str, Any], path: Path, allowed: set[str], where: str = "") -> None:
        wrong = sorted(str(k) for k in data if k not in allowed)
        if wrong:
            place = f"{where}: " if where else ""
            raise VocabularyError(
                f"{path}: {place}unknown key(s) {', '.join(wrong)}; expected "
                f"{', '.join(sorted(allowed))}"
            )

    # --- result
    def build(self, files: tuple[Path, ...]) -> Vocabularies:
        for metric, entry in self.kpi.items():
            if entry["class"] is None:
                raise VocabularyError(f"{entry['file']}: metrics.{metric} has no class")
        for pid, entry in self.platforms.items():
            unknown = [f for f in entry["formats"] if f not in self.formats]
            if unknown:
                raise VocabularyError(
                    f"{entry.get('file')}: platforms.{pid}: format(s) {', '.join(unknown)} "
                    f"are not post formats; use {', '.join(self.formats)}"
                )
        tup = _tuples
        index = {
            name: {term: meaning for term, (meaning, _) in terms.items()}
            for name, terms in self.seen.items()
        }
        index.setdefault("ordinary", {})
        index["ordinary"] = {t: t for terms in self.ordinary.values() for t in terms}
        # longer stems first: the most specific category wins
        index["stem"] = dict(
            sorted(
                (
                    (s, c)
                    for c, e in self.sensitive.items()
                    for stems in e["stems"].values()
                    for s in stems
                ),
                key=lambda sc: -len(sc[0]),
            )
        )
        for name in ("kpi", "platform", "post_format", "status", "yes_no"):
            index.setdefault(name, {})
        return Vocabularies(
            kpi_metrics={
                m: KpiMetric(m, e["class"], e["observed_by"], tup(e["terms"]))
                for m, e in self.kpi.items()
            },
            sensitive={
                c: SensitiveCategory(c, e["basis"], tup(e["stems"]))
                for c, e in self.sensitive.items()
            },
            ordinary_tokens=tup(self.ordinary),
            platforms={
                p: Platform(
                    p,
                    e["label"],
                    tuple(e["channels"]),
                    tuple(e["formats"]),
                    tup(e["names"]),
                    None if e["links"] is None else tuple(e["links"]),
                )
                for p, e in self.platforms.items()
            },
            post_formats={f: tup(n) for f, n in self.formats.items()},
            markers=tuple(dict.fromkeys(self.markers)),
            statuses={s: tup(n) for s, n in self.statuses.items()},
            yes_no={a: tup(n) for a, n in self.yes_no.items()},
            files=files,
            _index=index,
        )


def _tuples(by_language: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {lang: tuple(dict.fromkeys(terms)) for lang, terms in by_language.items()}


# warehouse ---------------------------------------------------------------------------------


def write_vocabularies(con: Any, vocab: Vocabularies | None = None) -> dict[str, int]:
    """(Re)write the ``vocab`` schema from the vocabularies: what dbt joins against.

    Works on a DuckDB connection and on the PostgreSQL wrapper alike (plain DDL and
    ``executemany``); the tables are small (hundreds of rows). Returns rows per table.
    """
    from marketing_health.warehouse import engine_of

    vocab = vocab or load_vocabularies()
    counts = {}
    con.execute("CREATE SCHEMA IF NOT EXISTS vocab")
    for table, (columns, rows) in vocab.table_rows().items():
        name = f"vocab.{table}"
        written = con.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'vocab' AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        if [c for (c,) in written] == list(columns):
            # emptied, not dropped: views dbt built on it stay (PostgreSQL keeps them bound)
            con.execute(f"DELETE FROM {name}")
        else:
            # a new shape: such views go too on PostgreSQL, and the next dbt build makes them
            cascade = " CASCADE" if engine_of(con) == "postgres" else ""
            con.execute(f"DROP TABLE IF EXISTS {name}{cascade}")
            con.execute(f"CREATE TABLE {name} ({', '.join(c + ' VARCHAR' for c in columns)})")
        _insert_rows(con, name, len(columns), rows)
        counts[table] = len(rows)
    return counts


#: Rows per INSERT statement: a few thousand parameters, well under PostgreSQL's 65,535.
_ROWS_PER_INSERT = 500


def _insert_rows(con: Any, table: str, width: int, rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` with one multi-row INSERT per ``_ROWS_PER_INSERT`` rows.

    Not ``executemany``: on DuckDB it runs and commits one statement per row, each commit
    written to the file on its own (1,400 vocabulary rows took about 8 s of the night).
    """
    row_marks = "(" + ", ".join("?" for _ in range(width)) + ")"
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start : start + _ROWS_PER_INSERT]
        marks = ", ".join(row_marks for _ in chunk)
        con.execute(
            f"INSERT INTO {table} VALUES {marks}", [value for row in chunk for value in row]
        )
