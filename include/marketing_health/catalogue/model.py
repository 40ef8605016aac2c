"""Reads and checks ``pitfalls.yaml``, the one description of every pitfall.

The guard runner, the alert text and ``docs/pitfalls.md`` all come from these objects, so a
typo in the catalogue (an unknown severity, a guard comparing in an unknown direction, a
summary quoting a column the guard does not list) fails at load with the pitfall id in the
message rather than in the middle of a night.
"""

from __future__ import annotations

import operator
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from marketing_health.i18n.translator import Translator, translator
from marketing_health.settings import CATALOGUE_FILE

MustBe = Literal["at_most", "at_least", "below", "above"]

#: How a healthy value relates to the threshold.
COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "at_most": operator.le,
    "at_least": operator.ge,
    "below": operator.lt,
    "above": operator.gt,
}
UNITS = ("ratio", "count", "score", "days", "hours", "money")

#: Format specs a summary placeholder may carry, each mapped to a locale format by
#: ``guards/evidence.py``: ``{share:.0%}`` a percentage with 0 decimals (``+.0%`` signed),
#: ``{n:,.0f}`` a whole number, ``{x:.2f}`` a number with 2 decimals, ``{amount:money}`` an
#: amount in the guard's currency (``.0money``: in whole units), ``{window_days:days}`` a number
#: of days with the language's plural ("7 days", "1 day"): a tuned window reads right.
SUMMARY_SPEC = re.compile(
    r"^(?:(?P<sign>\+)?\.(?P<percent>\d)%|,?\.(?P<decimals>\d)f|(?P<whole>\.0)?money"
    r"|(?P<days>days))$"
)
#: English-only plural tricks a summary sentence must not use: "creator(s)", "address(es)".
_ENGLISH_PLURAL = re.compile(r"\w\((?:s|es)\)")
_SENTENCE_KEYS = frozenset({"text", "count", "one", "other", "when", "unless"})


class CatalogueError(ValueError):
    """The catalogue file is wrong."""


@dataclass(frozen=True)
class Check:
    """One comparison of a signal column with a threshold; a campaign must pass every check.

    A check whose signal counts terms the vocabularies classify (KPI names, personalisation
    tokens, platforms) may name an ``unknown`` column: how many more the count could be, had
    the terms nobody has classified yet been known. The true value then lies between the
    value and value + unknown; Great Expectations judges both ends (``suites.py``), and when
    they get different verdicts the check cannot tell, and says so instead of guessing.
    """

    column: str
    must_be: MustBe
    threshold: float
    unit: str
    #: Column of the signal mart: how much higher the true value may be (unknown terms).
    unknown: str | None = None

    def healthy(self, value: float, threshold: float | None = None) -> bool:
        return COMPARISONS[self.must_be](value, self.threshold if threshold is None else threshold)

    def describe_rule(self, threshold: float | None = None, t: Translator | None = None) -> str:
        """The rule in words (``late_deliverables must be at most 0``), English unless a
        translator is given; the GE suites and docs/pitfalls.md use the English one."""
        t = t or translator(None)
        value = format_value(self.threshold if threshold is None else threshold, self.unit, t)
        if self.must_be == "at_most":
            return t.gettext("{column} must be at most {value}", column=self.column, value=value)
        if self.must_be == "at_least":
            return t.gettext("{column} must be at least {value}", column=self.column, value=value)
        if self.must_be == "below":
            return t.gettext("{column} must be below {value}", column=self.column, value=value)
        return t.gettext("{column} must be above {value}", column=self.column, value=value)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a guard's summary: a plain text, or a plural sentence whose form
    (``one`` / ``other``) the ``count`` column's value chooses through the language's plural
    rule. With ``when`` it is shown only when that column holds something (not NULL, not 0,
    not empty), so a passing sub-check does not pad a failing alert; with ``unless`` only when
    it holds nothing."""

    text: str | None = None
    count: str | None = None
    one: str | None = None
    other: str | None = None
    when: str | None = None
    unless: str | None = None

    @property
    def is_plural(self) -> bool:
        return self.count is not None

    @property
    def forms(self) -> tuple[str, ...]:
        """The English texts of the sentence: (text,) or (one, other)."""
        if self.is_plural:
            return (str(self.one), str(self.other))
        return (str(self.text),)

    def message(self) -> str | tuple[str, str]:
        """What a translator translates: the text, or the (one, other) pair."""
        if self.is_plural:
            return (str(self.one), str(self.other))
        return str(self.text)

    def placeholders(self) -> dict[str, str]:
        """Column -> format spec of every ``{column}`` the sentence quotes (first spec wins)."""
        found: dict[str, str] = {}
        for form in self.forms:
            for _, field, spec, _ in string.Formatter().parse(form):
                if field is not None:
                    found.setdefault(field, spec or "")
        return found

    def columns(self) -> set[str]:
        """Every signal column the sentence reads: its placeholders, count and condition."""
        return set(self.placeholders()) | {c for c in (self.count, self.when, self.unless) if c}


@dataclass(frozen=True)
class Summary:
    """The evidence sentences of an alert, in order (``render_summary`` fills them)."""

    sentences: tuple[Sentence, ...]

    def messages(self) -> Iterator[str | tuple[str, str]]:
        """Each plain sentence, and each plural sentence as its (one, other) pair: the
        messages ``marketing-health i18n update`` extracts into catalogue.po."""
        for sentence in self.sentences:
            yield sentence.message()

    def columns(self) -> set[str]:
        return set().union(*(s.columns() for s in self.sentences))

    def specs(self) -> dict[str, str]:
        """Column -> format spec, from the English text (a translation may drop the spec)."""
        found: dict[str, str] = {}
        for sentence in self.sentences:
            for column, spec in sentence.placeholders().items():
                found.setdefault(column, spec)
        return found


@dataclass(frozen=True)
class Guard:
    model: str
    checks: tuple[Check, ...]
    evidence: dict[str, str]
    summary: Summary
    #: Evidence column naming the unknown terms behind the checks' ``unknown`` counts; set
    #: whenever a check declares ``unknown``.
    unknown_terms: str | None = None
    #: Evidence column holding the ISO currency of the guard's amounts (``{x:money}``).
    currency: str | None = None

    @property
    def primary(self) -> Check:
        """The check that names the guard's headline signal (the first one listed)."""
        return self.checks[0]

    @property
    def column(self) -> str:
        return self.primary.column

    @property
    def must_be(self) -> MustBe:
        return self.primary.must_be

    @property
    def threshold(self) -> float:
        return self.primary.threshold

    @property
    def unit(self) -> str:
        return self.primary.unit

    def check(self, column: str) -> Check:
        for c in self.checks:
            if c.column == column:
                return c
        raise KeyError(f"guard on {self.model} has no check on {column!r}")

    def healthy(self, value: float, threshold: float | None = None) -> bool:
        return self.primary.healthy(value, threshold)

    @property
    def unknown_columns(self) -> list[str]:
        """Columns counting what the checks could not classify, in check order."""
        return list(dict.fromkeys(c.unknown for c in self.checks if c.unknown))

    @property
    def signal_columns(self) -> list[str]:
        """Columns the guard reads from its signal mart: the checked columns first, then the
        unknown counts, then the evidence."""
        read = [c.column for c in self.checks]
        read += [c for c in self.unknown_columns if c not in read]
        return [*read, *(c for c in self.evidence if c not in read)]

    def describe_rule(self, threshold: float | None = None, t: Translator | None = None) -> str:
        if threshold is not None or len(self.checks) == 1:
            return self.primary.describe_rule(threshold, t)
        return "; ".join(c.describe_rule(t=t) for c in self.checks)


#: Where a parameter can differ: per campaign (brand and channel overrides reach it through the
#: campaigns they cover) or once for the whole installation.
PARAMETER_SCOPES = ("campaign", "global")
_PARAMETER_KEYS = frozenset({"name", "unit", "default", "description", "scope"})
_PARAMETER_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Parameter:
    """A number inside a signal model that decides a verdict (a window, a ratio a creator must
    reach, a minimum count): named in the catalogue so a team sees it and can tune it per
    campaign, brand or channel, as it tunes a guard's threshold. The dbt models read it
    through the macro ``guard_param`` rather than writing it as a literal."""

    name: str
    unit: str
    default: float
    description: str
    #: ``campaign``: resolved per campaign from overrides; ``global``: one value for everyone.
    scope: str = "campaign"


@dataclass(frozen=True)
class Pitfall:
    id: str
    title: str
    seed: str
    severity: str
    explanation: str
    remediation: str
    default: str
    guard: Guard | None
    #: How a judgement signal decides (overlap, fit, sensitivity), in words a marketer can check.
    judgement: str | None = None
    #: The numbers inside the signal model that decide the verdict, tunable like thresholds.
    parameters: tuple[Parameter, ...] = ()

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(f"{self.id} has no parameter {name!r}")

    @property
    def is_guarded(self) -> bool:
        return self.guard is not None


@dataclass(frozen=True)
class Catalogue:
    version: int
    severities: dict[str, dict[str, int]]
    pitfalls: tuple[Pitfall, ...]

    def __iter__(self) -> Iterator[Pitfall]:
        return iter(self.pitfalls)

    def __getitem__(self, pitfall_id: str) -> Pitfall:
        for p in self.pitfalls:
            if p.id == pitfall_id:
                return p
        raise KeyError(f"unknown pitfall id {pitfall_id!r}")

    @property
    def guarded(self) -> tuple[Pitfall, ...]:
        return tuple(p for p in self.pitfalls if p.guard is not None)

    def severity_rank(self, severity: str) -> int:
        return self.severities[severity]["rank"]


def format_value(value: Any, unit: str, t: Translator) -> str:
    """How a signal value reads in an alert, in the translator's language and locale: ratios
    as percentages, counts as whole numbers, days with the language's plural."""
    if value is None:
        return t.missing()
    number = float(value)
    if unit == "ratio":
        return t.percent(number, 0)
    if unit == "count":
        return t.integer(number)
    if unit == "days":
        days = round(number)
        return t.ngettext("{n} day", "{n} days", days)
    if unit == "hours":
        # Translators: a duration in hours, as short as the language writes it (26.5 h)
        return t.gettext("{hours} h", hours=t.number(number, 1))
    if unit == "money":
        return t.money(number)
    return t.number(number, 2)


def _check(where: str, spec: dict[str, Any]) -> Check:
    for key in ("column", "must_be", "threshold", "unit"):
        if key not in spec:
            raise CatalogueError(f"{where}: missing {key!r}")
    if spec["must_be"] not in COMPARISONS:
        raise CatalogueError(f"{where}: must_be must be one of {sorted(COMPARISONS)}")
    if spec["unit"] not in UNITS:
        raise CatalogueError(f"{where}: unit must be one of {UNITS}")
    try:
        threshold = float(spec["threshold"])
    except (TypeError, ValueError):
        raise CatalogueError(f"{where}: threshold must be a number") from None
    unknown = spec.get("unknown")
    if unknown is not None and (not isinstance(unknown, str) or not unknown.strip()):
        raise CatalogueError(f"{where}: unknown must name a column of the signal mart")
    if unknown == spec["column"]:
        raise CatalogueError(f"{where}: unknown must be another column than the one checked")
    return Check(
        column=str(spec["column"]),
        must_be=spec["must_be"],
        threshold=threshold,
        unit=spec["unit"],
        unknown=unknown,
    )


def _guard(pid: str, spec: dict[str, Any]) -> Guard:
    """A guard lists ``checks``; a single check may be written inline (column, must_be, ...)."""
    where = f"{CATALOGUE_FILE.name}: {pid}.guard"
    for key in ("model", "evidence", "summary"):
        if key not in spec:
            raise CatalogueError(f"{where}: missing {key!r}")
    if "checks" in spec:
        if not spec["checks"]:
            raise CatalogueError(f"{where}: checks must list at least one check")
        checks = tuple(_check(f"{where}.checks[{i}]", c) for i, c in enumerate(spec["checks"]))
    else:
        checks = (_check(where, spec),)
    columns = [c.column for c in checks]
    if len(set(columns)) != len(columns):
        raise CatalogueError(f"{where}: a column is checked twice")
    evidence = {str(k): str(v) for k, v in dict(spec["evidence"]).items()}
    currency = spec.get("currency")
    if currency is not None and currency not in evidence:
        raise CatalogueError(
            f"{where}: currency names {currency!r}, which must also be listed under evidence "
            "(the alert shows the amounts' currency)"
        )
    unknown_counts = [c.unknown for c in checks if c.unknown]
    clash = sorted(set(unknown_counts) & set(columns))
    if clash:
        raise CatalogueError(f"{where}: {clash} is checked and also counts unknown terms")
    unknown_terms = spec.get("unknown_terms")
    if unknown_counts and not unknown_terms:
        raise CatalogueError(
            f"{where}: a check counts unknown terms ({', '.join(unknown_counts)}), so the guard "
            "must name the evidence column listing them in unknown_terms"
        )
    if unknown_terms is not None and unknown_terms not in evidence:
        raise CatalogueError(
            f"{where}: unknown_terms names {unknown_terms!r}, which must also be listed under "
            "evidence (its label introduces the terms)"
        )
    if unknown_terms is not None and not unknown_counts:
        raise CatalogueError(
            f"{where}: unknown_terms is set but no check declares unknown: <count column>"
        )
    summary = _summary(f"{where}.summary", spec["summary"])
    _check_summary_columns(where, summary, [*evidence, *columns, *unknown_counts], currency)
    return Guard(
        model=spec["model"],
        checks=checks,
        evidence=evidence,
        summary=summary,
        unknown_terms=unknown_terms,
        currency=currency,
    )


def _check_summary_columns(
    where: str, summary: Summary, quotable: list[str], currency: str | None
) -> None:
    """A summary quotes only what the stored evidence keeps (so it can be re-rendered in
    another language), and money only when the guard names the amounts' currency."""
    unquotable = summary.columns() - set(quotable)
    if unquotable:
        raise CatalogueError(f"{where}: summary quotes {sorted(unquotable)}, not in evidence")
    money = [c for c, s in summary.specs().items() if s.endswith("money")]
    if money and currency is None:
        raise CatalogueError(
            f"{where}: summary shows {money} as money, so the guard must name the evidence "
            "column holding their currency in currency"
        )


def _summary(where: str, spec: Any) -> Summary:
    """A summary is a list of sentences (a single plain sentence may be written alone)."""
    items = [spec] if isinstance(spec, str) else spec
    if not isinstance(items, list) or not items:
        raise CatalogueError(f"{where}: must be a sentence or a list of sentences")
    return Summary(tuple(_sentence(f"{where}[{i}]", item) for i, item in enumerate(items)))


def _sentence(where: str, spec: Any) -> Sentence:
    """One summary sentence: a text, ``{text, when}`` or ``{count, one, other, when}``
    (``unless`` instead of or besides ``when``)."""
    if isinstance(spec, str):
        sentence = Sentence(text=spec)
    elif isinstance(spec, dict):
        sentence = _sentence_of_mapping(where, spec)
    else:
        raise CatalogueError(f"{where}: a sentence is a text or a mapping, not {spec!r}")
    for key in ("text", "count", "one", "other", "when", "unless"):
        value = getattr(sentence, key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise CatalogueError(f"{where}: {key} must be a non-empty text")
    for form in sentence.forms:
        _check_form(where, form)
    return sentence


def _sentence_of_mapping(where: str, spec: dict[str, Any]) -> Sentence:
    unknown = sorted(set(spec) - _SENTENCE_KEYS)
    if unknown:
        raise CatalogueError(
            f"{where}: unknown key(s) {unknown}; a sentence takes text, or count, one and "
            "other, and optionally when or unless"
        )
    plural = {"count", "one", "other"} & set(spec)
    if plural and "text" in spec:
        raise CatalogueError(f"{where}: a sentence is either text or count/one/other")
    if plural and plural != {"count", "one", "other"}:
        raise CatalogueError(f"{where}: a plural sentence needs count, one and other")
    if not plural and "text" not in spec:
        raise CatalogueError(f"{where}: a sentence needs text, or count, one and other")
    return Sentence(
        text=spec.get("text"),
        count=spec.get("count"),
        one=spec.get("one"),
        other=spec.get("other"),
        when=spec.get("when"),
        unless=spec.get("unless"),
    )


def _check_form(where: str, form: str) -> None:
    """No English-only plural, placeholders that name columns, only the known formats."""
    if _ENGLISH_PLURAL.search(form):
        raise CatalogueError(
            f"{where}: {form!r} writes a plural as '(s)', which only works in English; "
            "write {count: <column>, one: '... one ...', other: '... many ...'} instead"
        )
    try:
        fields = list(string.Formatter().parse(form))
    except ValueError as exc:
        raise CatalogueError(f"{where}: {form!r} is not a valid template: {exc}") from None
    for _, field, spec_text, conversion in fields:
        if field is None:
            continue
        if not field.isidentifier() or conversion:
            raise CatalogueError(f"{where}: {{{field}}} must name a column, nothing more")
        if spec_text and not SUMMARY_SPEC.match(spec_text):
            raise CatalogueError(
                f"{where}: {{{field}:{spec_text}}}: the format must be one of .0%, +.0%, "
                ",.0f, .2f (any digit), money, .0money or days"
            )


def _parameters(pid: str, spec: Any) -> tuple[Parameter, ...]:
    """The ``parameters`` list of a pitfall: each a name, unit, numeric default and a sentence."""
    where = f"{CATALOGUE_FILE.name}: {pid}.parameters"
    if spec is None:
        return ()
    if not isinstance(spec, list):
        raise CatalogueError(f"{where}: must be a list of {{name, unit, default, description}}")
    parameters: list[Parameter] = []
    for i, item in enumerate(spec):
        parameter = _parameter(f"{where}[{i}]", item)
        if any(p.name == parameter.name for p in parameters):
            raise CatalogueError(f"{where}[{i}]: parameter {parameter.name!r} is listed twice")
        parameters.append(parameter)
    return tuple(parameters)


def _parameter(at: str, item: Any) -> Parameter:
    if not isinstance(item, dict):
        raise CatalogueError(f"{at}: must be a mapping with name, unit, default, description")
    unknown = sorted(set(item) - _PARAMETER_KEYS)
    if unknown:
        raise CatalogueError(f"{at}: unknown key(s) {unknown}; use {sorted(_PARAMETER_KEYS)}")
    for key in ("name", "unit", "default", "description"):
        if key not in item:
            raise CatalogueError(f"{at}: missing {key!r}")
    name = item["name"]
    if not isinstance(name, str) or not _PARAMETER_NAME.match(name):
        raise CatalogueError(f"{at}: name must be lower_snake_case, got {name!r}")
    if item["unit"] not in UNITS:
        raise CatalogueError(f"{at}: unit must be one of {UNITS}")
    default = item["default"]
    if isinstance(default, bool) or not isinstance(default, int | float):
        raise CatalogueError(f"{at}: default must be a number, got {default!r}")
    description = " ".join(str(item["description"]).split())
    if not description.endswith("."):
        raise CatalogueError(f"{at}: description must be one sentence ending with a full stop")
    scope = item.get("scope", "campaign")
    if scope not in PARAMETER_SCOPES:
        raise CatalogueError(f"{at}: scope must be one of {PARAMETER_SCOPES}")
    return Parameter(
        name=name, unit=item["unit"], default=float(default), description=description, scope=scope
    )


def parse_catalogue(data: dict[str, Any]) -> Catalogue:
    severities = data.get("severities") or {}
    pitfalls = []
    seen: set[str] = set()
    for spec in data.get("pitfalls") or []:
        pid = spec.get("id", "?")
        for key in ("id", "title", "seed", "severity", "explanation", "remediation", "default"):
            if not spec.get(key):
                raise CatalogueError(f"{CATALOGUE_FILE.name}: {pid}: missing {key!r}")
        for key in ("explanation", "remediation"):
            if not str(spec[key]).rstrip().endswith((".", "!", "?")):
                raise CatalogueError(
                    f"{CATALOGUE_FILE.name}: {pid}: {key} must be a whole sentence ending with a "
                    "full stop (quote text containing ' #' or ': ' in the YAML)"
                )
        if pid in seen:
            raise CatalogueError(f"{CATALOGUE_FILE.name}: {pid} is listed twice")
        seen.add(pid)
        if spec["severity"] not in severities:
            raise CatalogueError(
                f"{CATALOGUE_FILE.name}: {pid}: severity must be one of {sorted(severities)}"
            )
        guard = _guard(pid, spec["guard"]) if spec.get("guard") else None
        pitfalls.append(
            Pitfall(
                id=pid,
                title=spec["title"],
                seed=spec["seed"],
                severity=spec["severity"],
                explanation=" ".join(spec["explanation"].split()),
                remediation=" ".join(spec["remediation"].split()),
                default=str(spec["default"]),
                guard=guard,
                judgement=" ".join(str(spec.get("judgement") or "").split()) or None,
                parameters=_parameters(pid, spec.get("parameters")),
            )
        )
    return Catalogue(
        version=int(data.get("version", 1)), severities=severities, pitfalls=tuple(pitfalls)
    )


@cache
def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    with open(path, encoding="utf-8") as fh:
        return parse_catalogue(yaml.safe_load(fh))
