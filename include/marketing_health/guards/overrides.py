"""Guard overrides: a campaign, a brand or a channel judged against its own threshold or severity.

The catalogue sets one threshold and one severity per guard for everyone. Some teams have good
reasons to differ (a brand built on micro-creators, a campaign whose community replies on
weekdays only), so ``config/guard_overrides.yaml`` may change them for part of the portfolio:

    overrides:
      - {guard: P03, brand: Northwind Running, threshold: 0.9}
      - {guard: P10, campaign: CMP-0007, check: median_reply_hours, threshold: 48, severity: info}
      - {guard: P05, channel: influencer, severity: warning}

Each entry names a guarded pitfall, exactly one scope (``campaign``, ``brand``, or ``channel``:
campaigns whose plan includes that channel), optionally the checked column whose threshold it
changes (the guard's primary check when omitted) and at least one of ``threshold`` and
``severity``. A severity applies to the guard as a whole for that scope. An entry may instead
change a number inside the signal model, one of the pitfall's catalogue ``parameters``
(``{guard: P01, brand: Acme, parameter: min_audience_overlap, value: 0.4}``): the transform
stage writes every campaign's parameters for dbt (:func:`parameter_settings`). The most specific
scope wins, threshold and severity separately: campaign, then brand, then channel, then the
catalogue. Between two channel entries reaching the same campaign, the one listed first wins.

A wrong file must never be half applied: every problem is found when the file is loaded and
raised as one :class:`GuardOverridesError` that names the entry, before any guard runs. A file
that does not exist means no overrides.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from marketing_health.catalogue.model import Catalogue, Pitfall, load_catalogue
from marketing_health.contract.schema import CHANNELS
from marketing_health.guards.signals import GuardUnavailable
from marketing_health.settings import GUARD_OVERRIDES_ENV, guard_overrides_file

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger(__name__)

#: Scopes from the most to the least specific: the first one that sets a value wins.
SCOPES = ("campaign", "brand", "channel")
ALLOWED_KEYS = ("guard", *SCOPES, "check", "threshold", "severity", "parameter", "value")
#: Channels a ``channel`` scope may name: those a campaign plan can activate.
PLANNED_CHANNELS = tuple(c for c in CHANNELS if c != "plan")
#: The table telling which brand and planned channels each campaign has.
CAMPAIGN_PLAN_TABLE = "marts.dim_campaigns"


class GuardOverridesError(ValueError):
    """The overrides file is wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class CampaignScope:
    """What decides which overrides reach a campaign: its brand and planned channels."""

    campaign_id: str
    brand: str | None = None
    channels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Override:
    """One entry of the overrides file, checked against the catalogue."""

    #: Position in the file (1 = first entry), used in messages and to break channel ties.
    number: int
    guard: str
    scope: str
    target: str
    #: Checked column whose threshold changes (the guard's primary check when not written).
    check: str
    threshold: float | None = None
    severity: str | None = None
    #: Inner parameter of the pitfall's signal model this entry changes (with ``value``).
    parameter: str | None = None
    value: float | None = None

    @property
    def rank(self) -> tuple[int, int]:
        return (SCOPES.index(self.scope), self.number)

    def describe(self) -> str:
        return f"entry {self.number} ({self.guard}, {self.scope} {self.target!r})"

    def reaches(self, campaign: CampaignScope) -> bool:
        if self.scope == "campaign":
            return campaign.campaign_id == self.target
        if self.scope == "brand":
            return campaign.brand is not None and _brand_key(campaign.brand) == _brand_key(
                self.target
            )
        return self.target in campaign.channels


@dataclass(frozen=True)
class GuardSettings:
    """What one guard uses tonight where overrides reach: thresholds and severities."""

    #: campaign_id -> {checked column: threshold}
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)
    #: campaign_id -> severity
    severities: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GuardOverrides:
    """Every override of one installation, in file order."""

    entries: tuple[Override, ...] = ()
    source: str | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def for_guard(self, guard_id: str) -> tuple[Override, ...]:
        return tuple(e for e in self.entries if e.guard == guard_id)

    def needs_plan(self, guard_id: str | None = None) -> bool:
        """True when brand or channel entries (of one guard, or any) must read the plan."""
        entries = self.entries if guard_id is None else self.for_guard(guard_id)
        return any(e.scope != "campaign" for e in entries)

    def resolve(
        self,
        guard_id: str,
        campaign_ids: Iterable[str],
        plan: Mapping[str, CampaignScope] | GuardUnavailable | None = None,
    ) -> GuardSettings:
        """Thresholds and severities of one guard for the campaigns judged tonight.

        Raises:
            GuardUnavailable: the guard has brand or channel entries and the campaign plan
                could not be read, so it cannot tell which campaigns they reach.
        """
        entries = sorted(self.for_guard(guard_id), key=lambda e: e.rank)
        if not entries:
            return GuardSettings()
        if not isinstance(plan, Mapping) and any(e.scope != "campaign" for e in entries):
            reason = f": {plan}" if isinstance(plan, GuardUnavailable) else ""
            raise GuardUnavailable(
                f"the guard overrides for {guard_id} name brands or channels, and "
                f"{CAMPAIGN_PLAN_TABLE} (which says each campaign's brand and channels) "
                f"cannot be read{reason}. Build the dbt models and run the guards again."
            )
        known = plan if isinstance(plan, Mapping) else {}
        settings = GuardSettings()
        for campaign_id in map(str, campaign_ids):
            campaign = known.get(campaign_id) or CampaignScope(campaign_id)
            reaching = [e for e in entries if e.reaches(campaign)]
            for entry in reaching:
                if entry.threshold is not None:
                    settings.thresholds.setdefault(campaign_id, {}).setdefault(
                        entry.check, entry.threshold
                    )
                if entry.severity is not None:
                    settings.severities.setdefault(campaign_id, entry.severity)
        return settings

    def unmatched(self, plan: Mapping[str, CampaignScope]) -> list[Override]:
        """Entries that reach no campaign of the plan (a misspelt brand, say)."""
        campaigns = list(plan.values())
        return [e for e in self.entries if not any(e.reaches(c) for c in campaigns)]


def load_overrides(
    path: Path | str | None = None, catalogue: Catalogue | None = None
) -> GuardOverrides:
    """The overrides file (``MH_GUARD_OVERRIDES``, else ``config/guard_overrides.yaml``).

    Raises:
        GuardOverridesError: the file cannot be read or parsed, or any entry is wrong.
    """
    file = Path(path) if path is not None else guard_overrides_file()
    if not file.exists():
        level = logging.WARNING if path is None and _env_names_file() else logging.INFO
        log.log(level, "No guard overrides file at %s: catalogue thresholds apply", file)
        return GuardOverrides(source=str(file))
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise GuardOverridesError(f"{file}: cannot be read: {exc}") from exc
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise GuardOverridesError(f"{file}: not valid YAML: {exc}") from exc
    overrides = parse_overrides(data, catalogue or load_catalogue(), source=str(file))
    log.info("%d guard override(s) from %s", len(overrides), file)
    return overrides


def parse_overrides(
    data: Any, catalogue: Catalogue, *, source: str = "overrides"
) -> GuardOverrides:
    """Check every entry against the catalogue; the first problem raises, naming its entry."""
    if data is None:
        return GuardOverrides(source=source)
    if not isinstance(data, Mapping):
        raise GuardOverridesError(
            f"{source}: the file must hold a mapping with the key 'overrides' (a list of "
            "entries), not a list or a value"
        )
    unknown = sorted(str(k) for k in data if k != "overrides")
    if unknown:
        raise GuardOverridesError(
            f"{source}: unknown top-level key(s) {', '.join(unknown)}; the file holds only "
            "'overrides'"
        )
    raw = data.get("overrides")
    if raw is None:
        return GuardOverrides(source=source)
    if not isinstance(raw, list):
        raise GuardOverridesError(f"{source}: 'overrides' must be a list of entries")
    entries = tuple(
        _entry(number, spec, catalogue, source) for number, spec in enumerate(raw, start=1)
    )
    _reject_conflicts(entries, source)
    return GuardOverrides(entries=entries, source=source)


def read_campaign_plan(con: duckdb.DuckDBPyConnection) -> dict[str, CampaignScope]:
    """Brand and planned channels of every campaign in the plan.

    Raises:
        GuardUnavailable: the plan table is missing or unreadable.
    """
    from marketing_health.warehouse import QUERY_ERRORS

    try:
        rows = con.execute(
            f"select campaign_id, brand, planned_channels from {CAMPAIGN_PLAN_TABLE}"
        ).fetchall()
    except QUERY_ERRORS as exc:
        raise GuardUnavailable(str(exc).strip()) from exc
    plan: dict[str, CampaignScope] = {}
    for campaign_id, brand, channels in rows:
        if campaign_id is None:
            continue
        listed = channels if isinstance(channels, list | tuple) else []
        plan[str(campaign_id)] = CampaignScope(
            campaign_id=str(campaign_id),
            brand=None if brand is None else str(brand),
            channels=frozenset(str(c).strip().lower() for c in listed if c is not None),
        )
    return plan


def _entry(number: int, spec: Any, catalogue: Catalogue, source: str) -> Override:
    def fail(problem: str) -> GuardOverridesError:
        return GuardOverridesError(f"{source}: entry {number} {_shown(spec)}: {problem}")

    if not isinstance(spec, Mapping):
        raise fail("each entry must be a mapping such as {guard: P03, brand: Acme, threshold: 0.9}")
    unknown = [str(k) for k in spec if k not in ALLOWED_KEYS]
    if unknown:
        raise fail(
            f"unknown key(s) {', '.join(sorted(unknown))}; an entry may hold "
            f"{', '.join(ALLOWED_KEYS)}"
        )
    if "guard" not in spec:
        raise fail("'guard' is missing: name the guarded pitfall, e.g. guard: P03")
    pitfall = _guarded_pitfall(spec["guard"], catalogue, fail)
    assert pitfall.guard is not None
    scope, target = _scope(spec, fail)
    if "parameter" in spec or "value" in spec:
        parameter, value = _parameter_value(spec, pitfall, fail)
        return Override(
            number=number,
            guard=pitfall.id,
            scope=scope,
            target=target,
            check=pitfall.guard.primary.column,
            parameter=parameter,
            value=value,
        )
    checks = [c.column for c in pitfall.guard.checks]
    check = spec.get("check", pitfall.guard.primary.column)
    if check not in checks:
        raise fail(f"{pitfall.id} has no check on {check!r}; its checks are {', '.join(checks)}")
    threshold, severity = _values(spec, catalogue, fail)
    return Override(
        number=number,
        guard=pitfall.id,
        scope=scope,
        target=target,
        check=str(check),
        threshold=threshold,
        severity=severity,
    )


def _scope(spec: Mapping[str, Any], fail: Callable[[str], Exception]) -> tuple[str, str]:
    """The entry's one scope and its target, trimmed (channels lower-cased and checked)."""
    scopes = [s for s in SCOPES if s in spec]
    if len(scopes) != 1:
        found = f"it has {', '.join(scopes)}" if scopes else "it has none"
        raise fail(f"name exactly one scope of campaign, brand or channel; {found}")
    scope = scopes[0]
    target = spec[scope]
    if not isinstance(target, str) or not target.strip():
        raise fail(
            f"{scope} must be a name written as text (quote ids that look like numbers), "
            f"got {target!r}"
        )
    target = target.strip()
    if scope == "channel":
        target = target.lower()
        if target not in PLANNED_CHANNELS:
            raise fail(f"unknown channel {spec[scope]!r}; use one of {', '.join(PLANNED_CHANNELS)}")
    return scope, target


def _parameter_value(
    spec: Mapping[str, Any], pitfall: Pitfall, fail: Callable[[str], Exception]
) -> tuple[str, float]:
    """The entry's parameter (one of the pitfall's catalogue parameters) and its new value."""
    mixed = [k for k in ("check", "threshold", "severity") if k in spec]
    if mixed:
        raise fail(
            f"an entry changing a parameter cannot also set {', '.join(mixed)}; "
            "write a separate entry for it"
        )
    if "parameter" not in spec or "value" not in spec:
        raise fail("'parameter' and 'value' go together: name the parameter and its number")
    name = spec["parameter"]
    names = [q.name for q in pitfall.parameters]
    if not isinstance(name, str) or name not in names:
        listed = ", ".join(names) if names else "none yet"
        raise fail(f"{pitfall.id} has no parameter {name!r}; its parameters are {listed}")
    if pitfall.parameter(name).scope != "campaign":
        raise fail(
            f"parameter {name} of {pitfall.id} has one value for every campaign (scope global, "
            "see docs/pitfalls.md); change its default in the catalogue instead"
        )
    value = spec["value"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(f"value must be a number, got {value!r}")
    return name, float(value)


def _values(
    spec: Mapping[str, Any], catalogue: Catalogue, fail: Callable[[str], Exception]
) -> tuple[float | None, str | None]:
    """The entry's threshold and severity, at least one of them, each checked."""
    if "threshold" not in spec and "severity" not in spec:
        raise fail("set a threshold, a severity or both")
    threshold = spec.get("threshold")
    if "threshold" in spec and (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not math.isfinite(threshold)
    ):
        raise fail(f"threshold must be a number, got {threshold!r}")
    severity = spec.get("severity")
    if "severity" in spec and (
        not isinstance(severity, str) or severity not in catalogue.severities
    ):
        raise fail(f"unknown severity {severity!r}; use one of {', '.join(catalogue.severities)}")
    return (None if threshold is None else float(threshold)), severity


def _guarded_pitfall(
    guard_id: Any, catalogue: Catalogue, fail: Callable[[str], Exception]
) -> Pitfall:
    if not isinstance(guard_id, str):
        raise fail(f"guard must be a pitfall id such as P03, got {guard_id!r}")
    try:
        pitfall = catalogue[guard_id]
    except KeyError:
        guarded = ", ".join(p.id for p in catalogue.guarded)
        raise fail(f"unknown guard {guard_id!r}; guarded pitfalls are {guarded}") from None
    if pitfall.guard is None:
        raise fail(f"{guard_id} ({pitfall.title}) has no guard yet, so nothing to override")
    return pitfall


def _reject_conflicts(entries: tuple[Override, ...], source: str) -> None:
    """Two entries of the same scope may not set the same threshold, or differing severities."""
    thresholds: dict[tuple[str, str, str, str], Override] = {}
    severities: dict[tuple[str, str, str], Override] = {}
    parameters: dict[tuple[str, str, str, str], Override] = {}
    for e in entries:
        target = _brand_key(e.target) if e.scope == "brand" else e.target
        if e.parameter is not None:
            first = parameters.setdefault((e.guard, e.scope, target, e.parameter), e)
            if first is not e:
                raise GuardOverridesError(
                    f"{source}: {e.describe()} sets parameter {e.parameter} again; "
                    f"entry {first.number} already does. Keep one of them."
                )
        if e.threshold is not None:
            first = thresholds.setdefault((e.guard, e.scope, target, e.check), e)
            if first is not e:
                raise GuardOverridesError(
                    f"{source}: {e.describe()} sets the threshold of {e.check} again; "
                    f"entry {first.number} already does. Keep one of them."
                )
        if e.severity is not None:
            first = severities.setdefault((e.guard, e.scope, target), e)
            if first is not e and first.severity != e.severity:
                raise GuardOverridesError(
                    f"{source}: {e.describe()} sets severity {e.severity!r}, but entry "
                    f"{first.number} sets {first.severity!r} for the same guard and "
                    f"{e.scope}. Keep one of them."
                )


#: Columns of ``params.guard_parameter_settings``, which dbt resolves per campaign.
PARAMETER_SETTING_COLUMNS = (
    "pitfall_id",
    "name",
    "scope",
    "target",
    "value",
    "scope_rank",
    "precedence",
)
ParameterSetting = tuple[str, str, str, str, float, int, int]


def parameter_settings(catalogue: Catalogue, overrides: GuardOverrides) -> list[ParameterSetting]:
    """Every catalogue parameter's default and every override of one, as rows for dbt.

    dbt (model ``int_campaign_guard_parameters``) gives each campaign the row of the lowest
    ``scope_rank`` that reaches it (1 campaign, 2 brand, 3 channel, 4 the default) and, within
    a scope, the lowest ``precedence`` (position in the file): the same rule as thresholds.
    Brands are written as :func:`_brand_key` compares them (case and spaces ignored).
    """
    default_rank = len(SCOPES) + 1
    rows: list[ParameterSetting] = [
        (p.id, q.name, "default", "", q.default, default_rank, 0)
        for p in catalogue
        for q in p.parameters
    ]
    for e in overrides.entries:
        if e.parameter is None or e.value is None:
            continue
        target = _brand_key(e.target) if e.scope == "brand" else e.target
        rows.append(
            (e.guard, e.parameter, e.scope, target, e.value, SCOPES.index(e.scope) + 1, e.number)
        )
    return rows


def _brand_key(brand: str) -> str:
    return " ".join(brand.split()).casefold()


def _shown(spec: Any) -> str:
    """An entry as it would read in the file, on one line."""
    try:
        text = yaml.safe_dump(spec, default_flow_style=True, sort_keys=False, width=10_000)
    except yaml.YAMLError:
        text = repr(spec)
    text = text.strip().removesuffix("...").strip()
    return text if len(text) <= 160 else text[:157] + "..."


def _env_names_file() -> bool:
    import os

    return bool(os.getenv(GUARD_OVERRIDES_ENV))


class _StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key written twice in one mapping (the last would win)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is written twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)
