"""Words the vocabularies do not know, and the guard checks that could not tell because of them.

A team writes its own words in its exports: a KPI called 种草指数, a platform called 视频号, a
deliverable status "ready to post". A word no vocabulary knows is loaded as written and listed
in ``marts.fct_unknown_terms`` (one row per vocabulary, word, source, column and file); a guard
whose verdict depends on it says ``cannot_tell`` in ``guards.guard_results`` and names the
words in its evidence (``unknown_terms``). This module reads both and says, for each word, where
it came from, which campaigns use it, which guards could not tell, and how to teach it to the
pipeline: the team's ``config/vocabularies/<vocabulary>.yaml`` (or the packaged file, for
everyone) with an entry of the right shape. The ops digest, the health report and the
end-of-run summary all read it from here, so they say the same thing.

A word is *new* on the night the first file holding it is loaded; on later nights, while it
stays unknown, it is *still unknown*: the ops digest lists new words in full and the others in
one line, as it reports quarantined rows only for the files of the night.

Every sentence here is said in the reader's language: the functions take a
:class:`~marketing_health.i18n.Translator` (English when none is given). The entry that teaches a
word stays a vocabulary file, keys in English as the vocabularies read them; only its comment is
translated.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from marketing_health.catalogue.vocabularies import (
    DELIVERABLE_STATUSES,
    VOCABULARY_FILES,
    load_vocabularies,
    normalise_term,
)
from marketing_health.i18n import Translator, translator
from marketing_health.i18n.domains import N_
from marketing_health.settings import REPO_ROOT, VOCABULARIES_PACKAGE_DIR, vocabularies_dir

#: The mart listing every word the vocabularies do not know (built by dbt every night).
UNKNOWN_TERMS_TABLE = "marts.fct_unknown_terms"
#: The guard outcome of a campaign a guard cannot judge because a word is unknown.
CANNOT_TELL = "cannot_tell"
#: Key of the guard evidence naming the unknown words a ``cannot_tell`` depends on.
EVIDENCE_KEY = "unknown_terms"
#: Ledger statuses meaning a file's rows are (or were already) in the warehouse.
_LOADED = ("loaded", "replaced", "duplicate")
#: Vocabularies kept in another vocabulary's file (post formats live in platforms.yaml).
_FILE_OF = {"post_formats": "platforms"}
#: How people call an entry of each vocabulary (singular, plural), translated where shown.
_WORDS = {
    "kpi_metrics": (N_("KPI name"), N_("KPI names")),
    "sensitive_attributes": (N_("personalisation token"), N_("personalisation tokens")),
    "platforms": (N_("platform"), N_("platforms")),
    "post_formats": (N_("post format"), N_("post formats")),
    "deliverable_statuses": (N_("deliverable status"), N_("deliverable statuses")),
    "disclosure_markers": (N_("disclosure marker"), N_("disclosure markers")),
}
#: Channels a platform entry may name (platforms.yaml ``channels``).
_PLATFORM_CHANNELS = ("social", "influencer", "paid")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPLIT = re.compile(r"\s*[,;\n]\s*")
#: "unknown KPI names: " before the words, when the catalogue does not name the label.
_LABEL = re.compile(r"^[^:,]*\bunknown\b[^:,]*:\s*", re.IGNORECASE)

_UNKNOWN_SQL = f"""
select vocabulary, term, source, column_name, file_path, row_count, campaign_ids,
       first_delivery_day, vocabulary_file
from {UNKNOWN_TERMS_TABLE}
where first_delivery_day is null or first_delivery_day <= ?::date
"""

#: Files loaded by a run other than tonight's: their words were there before tonight.
_EARLIER_FILES_SQL = f"""
select distinct file_path from ops.load_ledger
where status in {_LOADED!r} and run_id <> ?
"""

_CANNOT_TELL_SQL = """
select guard_id, campaign_id, summary, evidence::varchar
from guards.guard_results
where run_date = ?::date and outcome = 'cannot_tell'
"""


@dataclass(frozen=True)
class Occurrence:
    """Where a word was found: one source column of one landing file."""

    source: str
    column_name: str
    file_path: str
    rows: int


@dataclass(frozen=True)
class CannotTell:
    """A guard that could not judge one campaign tonight because of unknown words."""

    guard_id: str
    campaign_id: str
    terms: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class UnknownTerm:
    """One word one vocabulary does not know, everywhere it was found."""

    vocabulary: str
    term: str
    occurrences: tuple[Occurrence, ...]
    campaign_ids: tuple[str, ...]
    vocabulary_file: str
    #: First found in a file loaded tonight (none of its files was loaded by an earlier run).
    new: bool
    #: Guards that could not judge a campaign tonight because of this word.
    cannot_tell: tuple[CannotTell, ...] = ()

    @property
    def rows(self) -> int:
        return sum(o.rows for o in self.occurrences)

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(o.file_path for o in self.occurrences))

    @property
    def what(self) -> str:
        """What the word is meant to be, in English words: "KPI name", "platform" ..."""
        return vocabulary_words(self.vocabulary)[0]

    def what_in(self, t: Translator) -> str:
        """What the word is meant to be, in the reader's language ("KPI名称")."""
        return vocabulary_words(self.vocabulary, t)[0]

    @property
    def guard_ids(self) -> tuple[str, ...]:
        return tuple(sorted({c.guard_id for c in self.cannot_tell}))

    @property
    def package_file(self) -> str:
        return package_file(self.vocabulary)

    @property
    def example(self) -> str | None:
        return yaml_example(self.vocabulary, self.term, self.occurrences)

    def example_in(self, t: Translator) -> str | None:
        """The teaching entry with its comment in the reader's language."""
        return yaml_example(self.vocabulary, self.term, self.occurrences, t)


@dataclass(frozen=True)
class UnknownTerms:
    """Tonight's unknown words and the guard checks that could not tell."""

    terms: tuple[UnknownTerm, ...]
    #: Every ``cannot_tell`` result of the night, whether or not its words are listed.
    cannot_tell: tuple[CannotTell, ...]
    #: Whether ``marts.fct_unknown_terms`` exists (it does once dbt has built it).
    listed: bool = True

    def __bool__(self) -> bool:
        return bool(self.terms or self.cannot_tell)

    @property
    def new(self) -> tuple[UnknownTerm, ...]:
        return tuple(t for t in self.terms if t.new)

    @property
    def earlier(self) -> tuple[UnknownTerm, ...]:
        return tuple(t for t in self.terms if not t.new)

    @property
    def unmatched(self) -> tuple[CannotTell, ...]:
        """Cannot-tell results whose words are not in the listing (e.g. before it is built)."""
        matched = {id(c) for t in self.terms for c in t.cannot_tell}
        return tuple(c for c in self.cannot_tell if id(c) not in matched)

    def for_campaign(self, campaign_id: str) -> tuple[CannotTell, ...]:
        return tuple(c for c in self.cannot_tell if c.campaign_id == campaign_id)

    def term_of(self, word: str) -> UnknownTerm | None:
        """The listed word a guard's evidence names (compared as the vocabularies compare)."""
        key = normalise_term(word)
        return next((t for t in self.terms if normalise_term(t.term) == key), None)


# ---------------------------------------------------------------- words and files


def vocabulary_words(vocabulary: str, t: Translator | None = None) -> tuple[str, str]:
    """(singular, plural) of what an entry of ``vocabulary`` is called, as labels ("KPI name")
    in the reader's language (English without a translator)."""
    t = t or translator()
    if vocabulary in _WORDS:
        one, many = _WORDS[vocabulary]
        return t.translate(one), t.translate(many)
    name = vocabulary.replace("_", " ")
    return (
        t.gettext("{vocabulary} term", vocabulary=name),
        t.gettext("{vocabulary} terms", vocabulary=name),
    )


def vocabulary_file_stem(vocabulary: str) -> str:
    return _FILE_OF.get(vocabulary, vocabulary)


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT.resolve()))
    except ValueError:
        return str(path)


def team_file(vocabulary: str) -> str:
    """The team's extension file for a vocabulary (``MH_VOCABULARIES_DIR``)."""
    return _shown_path(vocabularies_dir() / f"{vocabulary_file_stem(vocabulary)}.yaml")


def package_file(vocabulary: str) -> str:
    """The packaged file of a vocabulary, for a word every team should share."""
    return _shown_path(VOCABULARIES_PACKAGE_DIR / f"{vocabulary_file_stem(vocabulary)}.yaml")


def _language(term: str) -> str:
    """The language tag an example files a word under: Chinese script, else English."""
    return "zh-Hans" if _HAN.search(term) else "en"


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar inside a flow collection, quoted only when it must be."""
    try:
        plain = yaml.safe_load(f"[{text}]") == [text] and yaml.safe_load(f"{{{text}: 1}}") == {
            text: 1
        }
    except yaml.YAMLError:
        plain = False
    return text if plain and text.strip() == text and text else json.dumps(text, ensure_ascii=False)


@cache
def _format_names() -> tuple[str, ...]:
    return tuple(load_vocabularies().post_formats)


def _platform_channel(occurrences: tuple[Occurrence, ...]) -> str:
    from marketing_health.contract import load_contract

    contract = load_contract()
    for o in occurrences:
        try:
            channel = contract[o.source].channel
        except KeyError:
            continue
        if channel in _PLATFORM_CHANNELS:
            return channel
    return _PLATFORM_CHANNELS[0]


def _comment(text: str) -> str:
    """A YAML end-of-line comment: whatever a translation says, it stays one comment."""
    return "  # " + " ".join(text.split())


def yaml_example(
    vocabulary: str,
    term: str,
    occurrences: tuple[Occurrence, ...] = (),
    t: Translator | None = None,
) -> str | None:
    """Three lines of the team file that teach ``term`` to ``vocabulary``; None if unknown shape.

    Each example is a complete, valid vocabulary file: copied as it is, it makes the word
    known. The comment says which choice to check (a KPI's class, a platform's formats ...),
    in the reader's language; keys and values are the ones the vocabulary files read, so
    they stay as they are in every language.
    """
    t = t or translator()
    word, key, lang = _scalar(term), _scalar(normalise_term(term)), _language(term)
    if vocabulary == "kpi_metrics":
        # Translators: a YAML comment; outcome, vanity and diagnostic are keys, keep them.
        note = t.gettext("class: outcome, vanity or diagnostic")
        body = f"metrics:\n  {key}: {{class: vanity, terms: {{{lang}: [{word}]}}}}" + _comment(note)
    elif vocabulary == "sensitive_attributes":
        # Translators: a YAML comment about a personalisation token (a stem is a word root).
        note = t.gettext("harmless; if it is sensitive, add it as a stem instead")
        body = f"ordinary_tokens:{_comment(note)}\n  {lang}: [{word}]"
    elif vocabulary == "platforms":
        formats = _format_names()
        channel = _platform_channel(occurrences)
        # Translators: a YAML comment; {formats} are keys of the vocabulary, kept in English.
        note = t.gettext("formats it offers: {formats}", formats=", ".join(formats))
        # Translators: a YAML comment; links, [] and the channel names are keys, keep them.
        links = t.gettext("links: the channels whose posts can carry a tracked link, [] for none")
        body = (
            f"platforms:\n  {key}: {{label: {word}, channels: [{channel}], "
            f"formats: [{formats[0]}], links: []}}" + _comment(f"{note}; {links}")
        )
    elif vocabulary == "post_formats":
        formats = _format_names()
        # Translators: a YAML comment offering the other keys; {keys} stay in English.
        note = t.gettext("or {keys}", keys=", ".join(formats[1:]))
        body = f"post_formats:\n  {formats[0]}: {{{lang}: [{word}]}}" + _comment(note)
    elif vocabulary == "deliverable_statuses":
        first, *others = DELIVERABLE_STATUSES
        note = t.gettext("or {keys}", keys=", ".join(others))
        body = f"statuses:\n  {first}: {{{lang}: [{word}]}}" + _comment(note)
    else:
        return None
    return "version: 1\n" + body


def how_to_add(term: UnknownTerm, t: Translator | None = None) -> str:
    """One sentence saying which file teaches the word to the pipeline."""
    t = t or translator()
    stem = vocabulary_file_stem(term.vocabulary)
    if stem not in VOCABULARY_FILES:
        return t.gettext(
            "Ask the data team which vocabulary reads {what}.",
            what=vocabulary_words(term.vocabulary, t)[1],
        )
    if term.example:
        return t.gettext(
            "Add it to {team_file} (this team) or {package_file} (everyone), for example:",
            team_file=term.vocabulary_file,
            package_file=term.package_file,
        )
    return t.gettext(
        "Add it to {team_file} (this team) or {package_file} (everyone), in the shape of that "
        "file.",
        team_file=term.vocabulary_file,
        package_file=term.package_file,
    )


def _named_words(vocabulary: str | None, words: list[str], t: Translator) -> str:
    """ "the KPI names 种草指数 and 互动指数": the words with what they are meant to be."""
    n, listed = len(words), t.list(words)
    if vocabulary == "kpi_metrics":
        return t.ngettext("the KPI name {words}", "the KPI names {words}", n, words=listed)
    if vocabulary == "sensitive_attributes":
        return t.ngettext(
            "the personalisation token {words}",
            "the personalisation tokens {words}",
            n,
            words=listed,
        )
    if vocabulary == "platforms":
        return t.ngettext("the platform {words}", "the platforms {words}", n, words=listed)
    if vocabulary == "post_formats":
        return t.ngettext("the post format {words}", "the post formats {words}", n, words=listed)
    if vocabulary == "deliverable_statuses":
        return t.ngettext(
            "the deliverable status {words}", "the deliverable statuses {words}", n, words=listed
        )
    if vocabulary == "disclosure_markers":
        return t.ngettext(
            "the disclosure marker {words}", "the disclosure markers {words}", n, words=listed
        )
    return t.ngettext("the word {words}", "the words {words}", n, words=listed)


def cannot_tell_sentence(
    result: CannotTell, unknown: UnknownTerms, t: Translator | None = None
) -> str:
    """What a campaign's owner may read: "P02 cannot tell: the KPI name 种草指数 is unknown"."""
    t = t or translator()
    by_vocabulary: dict[str | None, list[str]] = {}
    for word in result.terms:
        listed = unknown.term_of(word)
        vocabulary = listed.vocabulary if listed else None
        by_vocabulary.setdefault(vocabulary, []).append(listed.term if listed else word)
    if not by_vocabulary:
        return t.gettext(
            "{guard} cannot tell: a word it depends on is unknown; ops has been told",
            guard=result.guard_id,
        )
    named = t.list(_named_words(v, words, t) for v, words in by_vocabulary.items())
    return t.ngettext(
        "{guard} cannot tell: {words} is unknown; ops has been told",
        "{guard} cannot tell: {words} are unknown; ops has been told",
        len(result.terms),
        guard=result.guard_id,
        words=named,
    )


# ---------------------------------------------------------------- reading the warehouse


def _exists(con: Any, qualified: str) -> bool:
    schema, table = qualified.split(".", 1)
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def _terms_label(guard_id: str) -> str | None:
    """The evidence label the guard puts before its unknown words ("unknown KPI names")."""
    from marketing_health.catalogue import load_catalogue

    try:
        guard = load_catalogue()[guard_id].guard
    except KeyError:
        return None
    column = getattr(guard, "unknown_terms", None) if guard else None
    return guard.evidence.get(column) if guard and column else None


def evidence_terms(guard_id: str, evidence: Any) -> tuple[str, ...]:
    """The words a cannot-tell result names.

    The guard writes them under ``unknown_terms`` as text, comma-separated and introduced by
    the catalogue's evidence label ("unknown KPI names: 种草指数, 互动指数"); a list is read too.
    """
    try:
        data = json.loads(evidence) if isinstance(evidence, str) else evidence
    except ValueError:
        return ()
    value = data.get(EVIDENCE_KEY) if isinstance(data, dict) else None
    if value is None:
        return ()
    if not isinstance(value, list):
        text = str(value).strip()
        label = _terms_label(guard_id)
        if label and text.startswith(f"{label}:"):
            text = text[len(label) + 1 :]
        else:
            text = _LABEL.sub("", text, count=1)
        value = _SPLIT.split(text)
    return tuple(dict.fromkeys(str(t).strip() for t in value if str(t).strip()))


def cannot_tell_results(con: Any, run_date: str) -> tuple[CannotTell, ...]:
    """Every ``cannot_tell`` result of the night, by guard then campaign."""
    if not _exists(con, "guards.guard_results"):
        return ()
    rows = con.execute(_CANNOT_TELL_SQL, [run_date]).fetchall()
    return tuple(
        sorted(
            (
                CannotTell(str(g), str(c), evidence_terms(str(g), e), (s or "").strip())
                for g, c, s, e in rows
            ),
            key=lambda c: (c.guard_id, c.campaign_id),
        )
    )


def load_unknown_terms(con: Any, run_date: str, run_key: str | None = None) -> UnknownTerms:
    """The night's unknown words, grouped per vocabulary and word, with the guards they blind.

    Args:
        con: an open warehouse connection (read access is enough).
        run_date: the night judged; words first delivered after it are left out.
        run_key: the run that loaded tonight's files (load ledger ``run_id``); a word is new
            when no file holding it was loaded by another run. None: every word is new.
    """
    blind = cannot_tell_results(con, run_date)
    if not _exists(con, UNKNOWN_TERMS_TABLE):
        return UnknownTerms((), blind, listed=False)
    earlier: set[str] = set()
    if run_key is not None and _exists(con, "ops.load_ledger"):
        earlier = {str(p) for (p,) in con.execute(_EARLIER_FILES_SQL, [run_key]).fetchall()}
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for vocab, term, source, column, path, rows, campaigns, _first, file in con.execute(
        _UNKNOWN_SQL, [run_date]
    ).fetchall():
        vocab, term = str(vocab), str(term)
        entry = grouped.setdefault(
            (vocab, normalise_term(term)),
            {"term": term, "occ": [], "campaigns": set(), "file": file},
        )
        entry["occ"].append(Occurrence(str(source), str(column), str(path), int(rows or 0)))
        entry["campaigns"].update(c for c in _SPLIT.split(campaigns or "") if c)
        entry["file"] = entry["file"] or file
    terms = []
    for (vocab, key), entry in grouped.items():
        occurrences = tuple(sorted(entry["occ"], key=lambda o: (o.file_path, o.column_name)))
        blinded = tuple(c for c in blind if key in {normalise_term(t) for t in c.terms})
        terms.append(
            UnknownTerm(
                vocabulary=vocab,
                term=entry["term"],
                occurrences=occurrences,
                campaign_ids=tuple(sorted(entry["campaigns"])),
                vocabulary_file=str(entry["file"] or team_file(vocab)),
                new=not any(o.file_path in earlier for o in occurrences),
                cannot_tell=blinded,
            )
        )
    terms.sort(key=lambda t: (not t.new, -len(t.cannot_tell), t.vocabulary, t.term.casefold()))
    return UnknownTerms(tuple(terms), blind)
