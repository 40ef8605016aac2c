"""Reads and checks the tool exports the landing zone understands (``contract/exports/*.yaml``).

Marketers drop what their tools export, not files reshaped to the contract. Each YAML file
describes one export (Meta Ads Manager ad report, Klaviyo campaigns export, ...): the contract
source it feeds, the headers it carries in each supported language, the rows that are totals
rather than data, and how each contract column is derived from it. Keeping this as data means a
renamed header or a new UI language is a change to a YAML file, not to the loader.

A mistake in one of these files is caught at load with the file and the entry it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from marketing_health.contract.schema import Contract, load_contract
from marketing_health.settings import PACKAGE_DIR

EXPORTS_DIR = PACKAGE_DIR / "contract" / "exports"

#: How a cell is read: the loader turns each kind into SQL (``ingest/export_sql.py``).
KINDS = (
    "text",
    "id",
    "number",
    "ratio",
    "date",
    "date_without_year",
    "timestamp",
    "utm",
    "url_id",
    "contains",
    "map",
    "tier",
    "campaign",
    "platform",
    "post_format",
    "disclosure",
)
#: Kinds read through a vocabulary (catalogue/vocabularies/): a reader keeps no list of its own.
VOCABULARY_KINDS = {"platform": "platforms", "post_format": "post_formats"}
#: How a value is compared: ``prefix`` (map: the key starts the value), ``words`` (platform,
#: post_format: the longest vocabulary name the value holds as whole words, ``IG reel``).
MATCHES = {"map": ("prefix",), "platform": ("words",), "post_format": ("words",)}
#: Languages header aliases may be given in (ISO 639-1; zh = Simplified Chinese).
LANGUAGES = {"en": "English", "zh": "Simplified Chinese"}
RULE_KEYS = {
    "value",
    "from",
    "as",
    "default",
    "formats",
    "words",
    "then",
    "else",
    "map",
    "match",
    "when",
    "first_of",
    "sum",
    "rate",
    "of",
    "currency_of",
    "case",
    "delivery_day",
    "file_name",
    "utm",
    "text",
}


@lru_cache(maxsize=65536)
def header_key(text: str) -> str:
    """A header as compared: case, spacing, quotes and a byte-order mark do not count.
    Cached: every landing file's first lines are compared with every export's headers."""
    return " ".join(text.strip().strip("\ufeff\"'").lower().split())


class ExportDefinitionError(ValueError):
    """An export definition file itself is wrong (not a landing file)."""


@dataclass(frozen=True)
class ExportField:
    """A column of the export, known by its header in one or more languages."""

    name: str
    aliases: dict[str, tuple[str, ...]]
    optional: bool = False
    #: The header carries the currency: ``Amount spent (EUR)``.
    currency_in_header: bool = False
    #: Values are platform ids: a value a spreadsheet turned into ``1.20253E+17`` rejects the file.
    is_id: bool = False

    @property
    def label(self) -> str:
        """The English header, as the tool's documentation and users call it."""
        return next(iter(self.aliases.get("en") or next(iter(self.aliases.values()))))


@dataclass(frozen=True)
class SkipRule:
    """Rows that are not data (totals, other channels): dropped and counted, never loaded."""

    reason: str
    blank: tuple[str, ...] = ()
    first_cell_starts_with: tuple[str, ...] = ()
    keep_only: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportFormat:
    name: str
    tool: str
    title: str
    source: str
    download: str
    file_types: tuple[str, ...]
    evidence: str
    fields: dict[str, ExportField]
    recognised_by: tuple[str, ...]
    skip_rows: tuple[SkipRule, ...]
    columns: dict[str, dict[str, Any]]
    notes: tuple[str, ...] = ()
    #: ``starts`` / ``ends`` fields that must be equal (one day per row) unless the field
    #: ``unless`` (a day column) is in the file.
    one_day_per_row: dict[str, str] = field(default_factory=dict)

    @property
    def header_index(self) -> dict[str, str]:
        """Header key (:func:`header_key`) -> field, for every alias in every language."""
        return _header_index(self.name)

    @property
    def languages(self) -> tuple[str, ...]:
        found = {lang for f in self.fields.values() for lang in f.aliases}
        return tuple(lang for lang in LANGUAGES if lang in found)


def _where(path: Path, *parts: str) -> str:
    return ": ".join([path.name, *parts])


def _field(path: Path, name: str, spec: dict[str, Any]) -> ExportField:
    aliases = {lang: tuple(spec[lang]) for lang in LANGUAGES if spec.get(lang)}
    unknown = set(spec) - {*LANGUAGES, "optional", "currency_in_header", "id"}
    if unknown:
        raise ExportDefinitionError(_where(path, f"headers.{name}", f"unknown keys {unknown}"))
    if "en" not in aliases:
        raise ExportDefinitionError(_where(path, f"headers.{name}", "needs an English header"))
    return ExportField(
        name=name,
        aliases=aliases,
        optional=bool(spec.get("optional", False)),
        currency_in_header=bool(spec.get("currency_in_header", False)),
        is_id=bool(spec.get("id", False)),
    )


def rule_fields(rule: dict[str, Any]) -> list[str]:
    """Every export field a column rule reads."""
    found: list[str] = []
    for key in ("from", "rate", "of", "currency_of", "utm", "text"):
        if isinstance(rule.get(key), str):
            found.append(rule[key])
    when = rule.get("when")
    if isinstance(when, dict):
        found.append(when["field"])
    for item in rule.get("sum", ()):
        found.append(item)
    for sub in rule.get("first_of", ()):
        found += rule_fields(sub)
    for branch in rule.get("case", ()):
        whens = branch["when"]
        found += [whens] if isinstance(whens, str) else list(whens)
    return found


def _check_rule(path: Path, column: str, rule: dict[str, Any], fields: dict[str, Any]) -> None:
    where = _where(path, f"columns.{column}")
    unknown = set(rule) - RULE_KEYS
    if unknown:
        raise ExportDefinitionError(f"{where}: unknown keys {sorted(unknown)}")
    kind = rule.get("as", "text")
    if kind not in KINDS:
        raise ExportDefinitionError(f"{where}: 'as' must be one of {KINDS}")
    if "match" in rule and rule["match"] not in MATCHES.get(kind, ()):
        allowed = ", ".join(f"{m} (as: {k})" for k, ms in MATCHES.items() for m in ms)
        raise ExportDefinitionError(f"{where}: 'match' must be one of {allowed}")
    if column == "has_disclosure" and kind == "contains":
        raise ExportDefinitionError(
            f"{where}: read a disclosure with 'as: disclosure' (the markers of "
            "catalogue/vocabularies/disclosure_markers.yaml), not a word list of its own, so "
            "every export accepts the same markers"
        )
    for sub in rule.get("first_of", ()):
        _check_rule(path, column, sub, fields)
    for name in rule_fields(rule):
        if name not in fields:
            raise ExportDefinitionError(f"{where}: reads '{name}', which is not under headers")


def _skip(path: Path, spec: dict[str, Any], fields: dict[str, Any]) -> SkipRule:
    rule = SkipRule(
        reason=spec["reason"],
        blank=tuple(spec.get("blank", ())),
        first_cell_starts_with=tuple(spec.get("first_cell_starts_with", ())),
        keep_only={
            k: tuple(str(x).lower() for x in v) for k, v in spec.get("keep_only", {}).items()
        },
    )
    for name in (*rule.blank, *rule.keep_only):
        if name not in fields:
            raise ExportDefinitionError(_where(path, "skip_rows", f"'{name}' is not a header"))
    return rule


def parse_export(path: Path, data: dict[str, Any], contract: Contract) -> ExportFormat:
    for key in ("tool", "title", "source", "download", "files", "headers", "recognised_by"):
        if key not in data:
            raise ExportDefinitionError(_where(path, f"missing {key!r}"))
    try:
        source = contract[data["source"]]
    except KeyError as exc:
        raise ExportDefinitionError(_where(path, str(exc))) from None
    fields = {name: _field(path, name, spec) for name, spec in data["headers"].items()}
    columns = data.get("columns", {})
    for column, rule in columns.items():
        if column not in {c.name for c in source.columns}:
            raise ExportDefinitionError(_where(path, f"columns.{column}", "not a contract column"))
        _check_rule(path, column, rule, fields)
        if rule.get("as") == "disclosure" and source.column(column).type != "boolean":
            raise ExportDefinitionError(
                _where(
                    path,
                    f"columns.{column}",
                    "'as: disclosure' gives true / false: use it for a boolean column",
                )
            )
    missing = [c.name for c in source.required_columns if c.name not in columns]
    if missing:
        raise ExportDefinitionError(_where(path, f"no rule for required column(s) {missing}"))
    for name in data["recognised_by"]:
        if name not in fields or fields[name].optional:
            raise ExportDefinitionError(
                _where(path, "recognised_by", f"'{name}' must be a header that is not optional")
            )
    for name in data.get("one_day_per_row", {}).values():
        if name not in fields:
            raise ExportDefinitionError(
                _where(path, "one_day_per_row", f"'{name}' is not a header")
            )
    return ExportFormat(
        name=path.stem,
        tool=data["tool"],
        title=data["title"],
        source=source.name,
        download=" ".join(str(data["download"]).split()),
        file_types=tuple(data["files"]),
        evidence=" ".join(str(data.get("evidence", "")).split()),
        fields=fields,
        recognised_by=tuple(data["recognised_by"]),
        skip_rows=tuple(_skip(path, s, fields) for s in data.get("skip_rows", ())),
        columns=columns,
        notes=tuple(" ".join(str(n).split()) for n in data.get("notes", ())),
        one_day_per_row=dict(data.get("one_day_per_row", {})),
    )


@cache
def _header_index(name: str) -> dict[str, str]:
    (fmt,) = (f for f in load_exports() if f.name == name)
    return {
        header_key(alias): f.name
        for f in fmt.fields.values()
        for names in f.aliases.values()
        for alias in names
    }


@cache
def load_exports(folder: Path = EXPORTS_DIR) -> tuple[ExportFormat, ...]:
    """Every known export, in file-name order (the order the docs list them)."""
    contract = load_contract()
    formats = []
    for path in sorted(folder.glob("*.yaml")):
        with open(path, encoding="utf-8") as fh:
            formats.append(parse_export(path, yaml.safe_load(fh), contract))
    return tuple(formats)
