"""Reads and checks ``sources.yaml``.

The loader, the sample generator and the docs page all go through :func:`load_contract`, so a
mistake in the contract file is caught once, at load, with the source and column it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from marketing_health.settings import CONTRACT_FILE

ColumnType = Literal["text", "integer", "decimal", "date", "timestamp", "boolean"]

#: Contract type -> DuckDB type used in the warehouse.
COLUMN_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DECIMAL(18,4)",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "boolean": "BOOLEAN",
}
PII_KINDS = ("email", "phone")
SOURCE_KINDS = ("snapshot", "event")
#: What a day without activity looks like in the landing zone: ``header_only``, the tool exports
#: every day and a quiet day comes as a file with only the header (a day without a file is a
#: file missing); ``no_file``, nothing is exported when nothing happened (a day without a file
#: is a quiet day).
QUIET_DAYS = ("header_only", "no_file")
CHANNELS = ("plan", "social", "email", "paid", "influencer")
#: Vocabularies a text column may be read through (``vocabulary:``): a known name loads as the
#: vocabulary's id, an unknown one as written (lower case, "_"), never quarantined.
COLUMN_VOCABULARIES = ("platforms", "post_formats")


class ContractDefinitionError(ValueError):
    """The contract file itself is wrong (not a landing file)."""


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    doc: str
    required: bool = True
    nullable: bool = False
    enum: tuple[str, ...] = ()
    min: float | None = None
    pii: Literal["email", "phone"] | None = None
    free_text: bool = False
    #: A value that may also be written as a percentage (``50 %`` loads as 0.5).
    percent: bool = False
    #: An amount: a currency sign or ISO code may stand before or after the number
    #: (``$1,284.15``, ``1.234,56 €``); it never changes the number.
    money: bool = False
    #: The ISO code of the currency of the row's amounts: a sign naming another currency
    #: quarantines the amount.
    currency_code: bool = False
    #: platforms | post_formats: values are names read through that vocabulary
    vocabulary: str | None = None

    @property
    def warehouse_name(self) -> str:
        """Personal data lands hashed, under a name that says so."""
        return f"{self.name}_hash" if self.pii else self.name

    @property
    def duckdb_type(self) -> str:
        return "VARCHAR" if self.pii else COLUMN_TYPES[self.type]


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    channel: str
    kind: Literal["snapshot", "event"]
    doc: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    day_column: str | None = None
    #: One of :data:`QUIET_DAYS`: whether a day without activity still needs a file.
    quiet_days: Literal["header_only", "no_file"] = "header_only"

    @property
    def needs_file_every_day(self) -> bool:
        """A day without a file is a missing file (not a quiet day): the ops digest may call
        the source late."""
        return self.quiet_days == "header_only"

    @property
    def raw_table(self) -> str:
        return f"raw.{self.name}"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"source {self.name!r} has no column {name!r}")

    @property
    def currency_column(self) -> Column | None:
        """The column naming the currency of the row's amounts (``currency_code: true``)."""
        return next((c for c in self.columns if c.currency_code), None)

    @property
    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


@dataclass(frozen=True)
class Contract:
    version: int
    sources: dict[str, Source] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Source:
        try:
            return self.sources[name]
        except KeyError:
            known = ", ".join(sorted(self.sources))
            raise KeyError(f"unknown source {name!r}; the contract knows {known}") from None

    def __iter__(self):
        return iter(self.sources.values())


def _column(source: str, name: str, spec: dict[str, Any]) -> Column:
    where = f"{CONTRACT_FILE.name}: sources.{source}.columns.{name}"
    fields = {"type", "doc", "required", "nullable", "enum", "min", "pii", "free_text"}
    fields |= {"vocabulary"}
    unknown = set(spec) - fields - {"percent", "money", "currency_code"}
    if unknown:
        raise ContractDefinitionError(f"{where}: unknown field(s) {sorted(unknown)}")
    vocabulary = spec.get("vocabulary")
    if vocabulary is not None and vocabulary not in COLUMN_VOCABULARIES:
        raise ContractDefinitionError(
            f"{where}: vocabulary must be one of {', '.join(COLUMN_VOCABULARIES)}"
        )
    if vocabulary is not None and (spec.get("type") != "text" or spec.get("enum")):
        raise ContractDefinitionError(
            f"{where}: a vocabulary column is text without an enum (the vocabulary is its list)"
        )
    if spec.get("type") not in COLUMN_TYPES:
        raise ContractDefinitionError(f"{where}: type must be one of {sorted(COLUMN_TYPES)}")
    if spec.get("percent") and spec.get("type") != "decimal":
        raise ContractDefinitionError(f"{where}: percent: true applies to decimal columns only")
    if spec.get("money") and (spec.get("type") != "decimal" or spec.get("pii")):
        raise ContractDefinitionError(f"{where}: money: true applies to decimal columns only")
    if spec.get("currency_code") and (spec.get("type") != "text" or spec.get("pii")):
        raise ContractDefinitionError(f"{where}: currency_code: true applies to text columns only")
    if spec.get("pii") not in (None, *PII_KINDS):
        raise ContractDefinitionError(f"{where}: pii must be one of {PII_KINDS}")
    if not spec.get("doc"):
        raise ContractDefinitionError(f"{where}: every column needs a doc line")
    return Column(
        name=name,
        type=spec["type"],
        doc=spec["doc"],
        required=bool(spec.get("required", True)),
        nullable=bool(spec.get("nullable", False)),
        enum=tuple(str(v).lower() for v in spec.get("enum", ())),
        min=spec.get("min"),
        pii=spec.get("pii"),
        free_text=bool(spec.get("free_text", False)),
        percent=bool(spec.get("percent", False)),
        money=bool(spec.get("money", False)),
        currency_code=bool(spec.get("currency_code", False)),
        vocabulary=vocabulary,
    )


def _source(name: str, spec: dict[str, Any]) -> Source:
    where = f"{CONTRACT_FILE.name}: sources.{name}"
    for required in ("title", "channel", "kind", "quiet_days", "doc", "key", "columns"):
        if required not in spec:
            raise ContractDefinitionError(f"{where}: missing {required!r}")
    if spec["kind"] not in SOURCE_KINDS:
        raise ContractDefinitionError(f"{where}: kind must be one of {SOURCE_KINDS}")
    if spec["quiet_days"] not in QUIET_DAYS:
        raise ContractDefinitionError(f"{where}: quiet_days must be one of {QUIET_DAYS}")
    if spec["channel"] not in CHANNELS:
        raise ContractDefinitionError(f"{where}: channel must be one of {CHANNELS}")
    columns = tuple(_column(name, col, cs) for col, cs in spec["columns"].items())
    currency_codes = [c.name for c in columns if c.currency_code]
    if len(currency_codes) > 1:
        raise ContractDefinitionError(
            f"{where}: one column gives the row's currency; currency_code: true is on "
            f"{', '.join(currency_codes)}"
        )
    names = {c.warehouse_name for c in columns}
    missing_key = [k for k in spec["key"] if k not in names]
    if missing_key:
        raise ContractDefinitionError(f"{where}: key column(s) {missing_key} are not columns")
    day_column = spec.get("day_column")
    if spec["kind"] == "event" and (day_column is None or day_column not in names):
        raise ContractDefinitionError(f"{where}: event sources need a day_column that is a column")
    return Source(
        name=name,
        title=spec["title"],
        channel=spec["channel"],
        kind=spec["kind"],
        doc=" ".join(str(spec["doc"]).split()),
        key=tuple(spec["key"]),
        columns=columns,
        day_column=day_column,
        quiet_days=spec["quiet_days"],
    )


def parse_contract(data: dict[str, Any]) -> Contract:
    if not isinstance(data, dict) or "sources" not in data:
        raise ContractDefinitionError(f"{CONTRACT_FILE.name}: top level needs 'sources'")
    return Contract(
        version=int(data.get("version", 1)),
        sources={name: _source(name, spec) for name, spec in data["sources"].items()},
    )


@cache
def load_contract(path: Path = CONTRACT_FILE) -> Contract:
    with open(path, encoding="utf-8") as fh:
        return parse_contract(yaml.safe_load(fh))
