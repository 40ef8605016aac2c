"""Reads and checks ``pitfalls.yaml``, the one description of every pitfall.

The guard runner, the alert text and ``docs/pitfalls.md`` all come from these objects, so a
typo in the catalogue (an unknown severity, a guard comparing in an unknown direction, a
summary quoting a column the guard does not list) fails at load with the pitfall id in the
message rather than in the middle of a night.
"""

from __future__ import annotations

import operator
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

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

    def describe_rule(self, threshold: float | None = None) -> str:
        words = {"at_most": "at most", "at_least": "at least", "below": "below", "above": "above"}
        value = self.threshold if threshold is None else threshold
        return f"{self.column} must be {words[self.must_be]} {format_value(value, self.unit)}"


@dataclass(frozen=True)
class Guard:
    model: str
    checks: tuple[Check, ...]
    evidence: dict[str, str]
    summary: str
    #: Evidence column naming the unknown terms behind the checks' ``unknown`` counts; set
    #: whenever a check declares ``unknown``.
    unknown_terms: str | None = None

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

    def describe_rule(self, threshold: float | None = None) -> str:
        if threshold is not None or len(self.checks) == 1:
            return self.primary.describe_rule(threshold)
        return "; ".join(c.describe_rule() for c in self.checks)


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


def format_value(value: Any, unit: str) -> str:
    """How a signal value reads in an alert: ratios as percentages, counts as whole numbers."""
    if value is None:
        return "n/a"
    if unit == "ratio":
        return f"{float(value):.0%}"
    if unit == "count":
        return f"{float(value):,.0f}"
    if unit == "days":
        return f"{float(value):,.0f} day(s)"
    if unit == "hours":
        return f"{float(value):,.1f} h"
    if unit == "money":
        return f"{float(value):,.2f}"
    return f"{float(value):.2f}"


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
    quoted = {f for _, f, _, _ in string.Formatter().parse(spec["summary"]) if f}
    unquotable = quoted - set(evidence) - set(columns) - set(unknown_counts)
    if unquotable:
        raise CatalogueError(f"{where}: summary quotes {sorted(unquotable)}, not in evidence")
    return Guard(
        model=spec["model"],
        checks=checks,
        evidence=evidence,
        summary=spec["summary"],
        unknown_terms=unknown_terms,
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
            )
        )
    return Catalogue(
        version=int(data.get("version", 1)), severities=severities, pitfalls=tuple(pitfalls)
    )


@cache
def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    with open(path, encoding="utf-8") as fh:
        return parse_catalogue(yaml.safe_load(fh))
