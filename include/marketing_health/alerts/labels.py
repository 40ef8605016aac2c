"""Learning from labels: which alerts people called expected or not a problem, and the override
that would have spared them.

Every "Expected" and "Not a problem" (from Slack or the Marketing health pages) is a label on one
alert: a campaign's pitfall on one night. Over the last 90 days they are counted per guard and
per brand; where the labelled alerts measured a value, the threshold that would have let every
one of those values pass is worked out from the guard's own rule (``at_most``: the largest value
seen, rounded up to two significant digits; ``at_least``: the smallest, rounded down; strictly
past it for ``below`` and ``above``), and written as a ready-to-paste entry of
``config/guard_overrides.yaml`` for that brand (or campaign, when the plan names no brand). A
guard whose labelled alerts measured nothing gets an entry lowering its severity to info
instead: it would not have avoided them, only made them quieter.

The health report and the ops digest show these; nothing is changed by itself.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import yaml

from marketing_health.alerts.actions import ACTIONS_TABLE, LABELS
from marketing_health.catalogue import Catalogue, load_catalogue
from marketing_health.catalogue.model import COMPARISONS

#: Days of labels the reports learn from.
LABEL_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Suggestion:
    """One ready-to-paste entry of config/guard_overrides.yaml."""

    #: "threshold": it would have let the labelled values pass; "severity": it makes the
    #: guard's alerts info for that scope (no value was measured to set a threshold from).
    kind: str
    entry: dict[str, Any]

    @property
    def yaml(self) -> str:
        """The entry as a line of the file's ``overrides:`` list."""
        text = yaml.safe_dump(
            [self.entry], default_flow_style=None, sort_keys=False, allow_unicode=True, width=1000
        )
        return text.strip()


@dataclass(frozen=True)
class ScopeLabels:
    """The labels of one guard within one brand (or one campaign without a brand)."""

    brand: str | None
    expected: int
    not_a_problem: int
    campaigns: tuple[str, ...]
    suggestions: tuple[Suggestion, ...] = ()

    @property
    def total(self) -> int:
        return self.expected + self.not_a_problem


@dataclass(frozen=True)
class GuardLabels:
    guard_id: str
    scopes: tuple[ScopeLabels, ...]

    @property
    def expected(self) -> int:
        return sum(s.expected for s in self.scopes)

    @property
    def not_a_problem(self) -> int:
        return sum(s.not_a_problem for s in self.scopes)

    @property
    def total(self) -> int:
        return self.expected + self.not_a_problem


@dataclass(frozen=True)
class LabelSummary:
    """The labels of the window ending on ``until``, per guard, most labelled first."""

    since: str
    until: str
    guards: tuple[GuardLabels, ...] = ()
    #: Labels given on the night before ``until`` or on ``until`` itself: news for ops.
    new: int = 0
    campaign_names: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.guards)


@dataclass(frozen=True)
class _Labelled:
    campaign_id: str
    guard_id: str
    night: str
    label: str
    acted_on: str
    brand: str | None
    #: (checked column, value, must_be) of each check that failed on that night.
    failed: tuple[tuple[str, float, str], ...]


def _failed_checks(
    evidence: Any, observed: Any, threshold: Any, must_be: Any, primary: str | None
) -> tuple:
    """The failing checks of one night's result, from its evidence (else its headline value,
    when that value breaks the threshold the night used)."""
    try:
        data = json.loads(evidence) if isinstance(evidence, str) else evidence or {}
    except ValueError:
        data = {}
    checks = data.get("checks") if isinstance(data, dict) else None
    found = []
    for check in checks or ():
        if not isinstance(check, dict) or check.get("outcome") != "fail":
            continue
        value, rule = check.get("observed"), check.get("must_be")
        if isinstance(value, int | float) and rule in COMPARISONS and check.get("column"):
            found.append((str(check["column"]), float(value), str(rule)))
    headline = observed is not None and threshold is not None and must_be in COMPARISONS
    if not found and primary and headline and not COMPARISONS[must_be](observed, threshold):
        found.append((primary, float(observed), str(must_be)))
    return tuple(found)


def _fetch(con: Any, since: str, until: str, catalogue: Catalogue) -> list[_Labelled]:
    from marketing_health.warehouse import table_exists

    results = table_exists(con, "guards", "guard_results")
    plan = table_exists(con, "marts", "dim_campaigns")
    values = (
        "g.evidence::varchar, g.observed_value, g.threshold, g.must_be"
        if results
        else "null, null, null, null"
    )
    brand = "p.brand" if plan else "null"
    joins = ""
    if results:
        joins += (
            " left join guards.guard_results as g on g.run_date = a.night"
            " and g.guard_id = a.pitfall_id and g.campaign_id = a.campaign_id"
        )
    if plan:
        joins += (
            " left join (select campaign_id, min(brand) as brand from marts.dim_campaigns"
            " group by campaign_id) as p on p.campaign_id = a.campaign_id"
        )
    labels = ", ".join(f"'{x}'" for x in LABELS)
    rows = con.execute(
        f"""
        select a.campaign_id, a.pitfall_id, a.night::varchar, a.action, a.acted_at,
               {brand}, {values}
        from {ACTIONS_TABLE} as a {joins}
        where a.night > ?::date and a.night <= ?::date and a.action in ({labels})
        order by a.acted_at, a.recorded_at
        """,
        [since, until],
    ).fetchall()
    latest: dict[tuple[str, str, str], _Labelled] = {}
    for cid, gid, night, label, acted_at, brand_name, evidence, observed, limit, rule in rows:
        try:
            guard = catalogue[str(gid)].guard
        except KeyError:
            guard = None
        primary = guard.primary.column if guard else None
        latest[(str(cid), str(gid), str(night))] = _Labelled(
            str(cid),
            str(gid),
            str(night),
            str(label),
            acted_at.date().isoformat(),
            None if brand_name is None else str(brand_name),
            _failed_checks(evidence, observed, limit, rule, primary),
        )
    return list(latest.values())


def _rounded(value: float, up: bool) -> float:
    """``value`` to two significant digits, rounded up or down."""
    if value == 0 or not math.isfinite(value):
        return value
    step = 10 ** (math.floor(math.log10(abs(value))) - 1)
    steps = math.ceil(value / step) if up else math.floor(value / step)
    return float(f"{steps * step:.10g}")


def passing_threshold(values: Sequence[float], must_be: str) -> float:
    """The round threshold that lets every one of ``values`` pass the rule ``must_be``."""
    healthy = COMPARISONS[must_be]
    up = must_be in ("at_most", "below")
    edge = max(values) if up else min(values)
    threshold = _rounded(edge, up)
    if not all(healthy(v, threshold) for v in values):  # strict rule met at the edge itself
        step = 10 ** (math.floor(math.log10(abs(threshold or 1))) - 1)
        threshold = float(f"{threshold + (step if up else -step):.10g}")
    return threshold


def _scope_entry(guard_id: str, brand: str | None, campaigns: Sequence[str]) -> dict[str, Any]:
    if brand:
        return {"guard": guard_id, "brand": brand}
    return {"guard": guard_id, "campaign": campaigns[0]}


def _suggestions(
    guard_id: str,
    brand: str | None,
    labelled: Sequence[_Labelled],
    catalogue: Catalogue,
) -> tuple[Suggestion, ...]:
    campaigns = sorted({x.campaign_id for x in labelled})
    if not brand and len(campaigns) != 1:
        return ()  # no one scope reaches exactly these campaigns
    try:
        pitfall = catalogue[guard_id]
    except KeyError:
        return ()
    if pitfall.guard is None:
        return ()
    primary = pitfall.guard.primary.column
    known = {c.column for c in pitfall.guard.checks}
    by_check: dict[tuple[str, str], list[float]] = {}
    for x in labelled:
        for column, value, rule in x.failed:
            if column in known:
                by_check.setdefault((column, rule), []).append(value)
    found = []
    for (column, rule), values in sorted(by_check.items()):
        entry = _scope_entry(guard_id, brand, campaigns)
        if column != primary:
            entry["check"] = column
        entry["threshold"] = passing_threshold(values, rule)
        found.append(Suggestion("threshold", entry))
    if not found and pitfall.severity != "info":
        found.append(
            Suggestion("severity", {**_scope_entry(guard_id, brand, campaigns), "severity": "info"})
        )
    return tuple(found)


def _group(labelled: Iterable[_Labelled], catalogue: Catalogue) -> tuple[GuardLabels, ...]:
    by_guard: dict[str, dict[str | None, list[_Labelled]]] = {}
    for x in labelled:
        scope = x.brand if x.brand else f"\x00{x.campaign_id}"
        by_guard.setdefault(x.guard_id, {}).setdefault(scope, []).append(x)
    guards = []
    for guard_id, scopes in by_guard.items():
        items = []
        for scope, xs in scopes.items():
            brand = None if scope is None or scope.startswith("\x00") else scope
            items.append(
                ScopeLabels(
                    brand=brand,
                    expected=sum(1 for x in xs if x.label == "expected"),
                    not_a_problem=sum(1 for x in xs if x.label == "not_a_problem"),
                    campaigns=tuple(sorted({x.campaign_id for x in xs})),
                    suggestions=_suggestions(guard_id, brand, xs, catalogue),
                )
            )
        items.sort(
            key=lambda s: (-s.total, s.brand is None, (s.brand or "").casefold(), s.campaigns)
        )
        guards.append(GuardLabels(guard_id, tuple(items)))
    guards.sort(key=lambda g: (-g.total, g.guard_id))
    return tuple(guards)


def _names(con: Any, ids: set[str]) -> dict[str, str]:
    from marketing_health.warehouse import table_exists

    if not ids or not table_exists(con, "marts", "dim_campaigns"):
        return {}
    rows = con.execute(
        "select campaign_id, min(campaign_name) from marts.dim_campaigns group by campaign_id"
    ).fetchall()
    return {str(c): str(n) for c, n in rows if str(c) in ids and n}


def load_labels(
    con: Any, run_date: str, *, days: int = LABEL_WINDOW_DAYS, catalogue: Catalogue | None = None
) -> LabelSummary:
    """The labels of the ``days`` nights up to ``run_date`` (empty when none was ever given)."""
    from marketing_health.warehouse import table_exists

    until = date.fromisoformat(run_date)
    since = (until - timedelta(days=days)).isoformat()
    if not table_exists(con, "alerts", "alert_actions"):
        return LabelSummary(since, until.isoformat())
    catalogue = catalogue or load_catalogue()
    labelled = _fetch(con, since, until.isoformat(), catalogue)
    yesterday = (until - timedelta(days=1)).isoformat()
    new = sum(1 for x in labelled if x.acted_on >= yesterday)
    return LabelSummary(
        since=since,
        until=until.isoformat(),
        guards=_group(labelled, catalogue),
        new=new,
        campaign_names=_names(con, {x.campaign_id for x in labelled}),
    )
