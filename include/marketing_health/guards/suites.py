"""Great Expectations suites built from the catalogue: one suite per guarded pitfall.

A guard is data. Each of its checks (signal column, direction, threshold) becomes the GE
expectation that fits it, with a description saying in words what it checks:

    a count that must be 0 (late deliverables, a 0/1 flag)   ExpectColumnValuesToBeInSet [0]
    any other threshold (ratio, score, days, count >= 1)     ExpectColumnValuesToBeBetween
    campaigns judged against thresholds of their own         ExpectColumnPairValuesAToBeGreaterThanB

The first two judge every row against one number. When brands, channels or campaigns carry
their own thresholds (``config/guard_overrides.yaml``), the rows of one night no longer share
one: the check then compares the signal with the ``threshold__<column>`` column that travels
with every row, as a pair expectation (which column is ``A`` and whether equality is healthy
follows the direction)::

    at_most   threshold >= signal        at_least   signal >= threshold
    below     threshold >  signal        above      signal >  threshold

So the suites kept in ``gx/expectations/`` (catalogue thresholds, ``marketing-health docs``)
hold no pair expectation, and a night's suites (``gx_project.py``) hold one only for a check
whose rows differ that night.

Rows whose signal is NULL are left out by GE: that check has nothing to judge there. A campaign
fails the guard when any check lists it; when every checked column is NULL the runner records
it as not applicable.

A check that declares ``unknown: <count column>`` (terms no vocabulary knows could add up to
that count) gets a second expectation of the same kind on ``bound__<column>``, the value
raised by the unknown count. GE thus judges both ends of what the value may truly be; a
campaign listed by one expectation and not the other is one the check cannot tell about.

Suites and expectations carry ids derived from their names, so the suites written to
``gx/expectations/`` are the same bytes every time they are generated.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from marketing_health.catalogue.model import Check, Guard, Pitfall, format_value
from marketing_health.i18n import translator

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite
    from great_expectations.expectations import Expectation

#: Prefix of the per-check threshold columns: ``threshold__<checked column>``.
THRESHOLD_PREFIX = "threshold__"
#: Column naming the campaign of a signal row; GE reports failing rows by it.
KEY_COLUMN = "campaign_id"
#: Column naming the night a signal row belongs to.
DATE_COLUMN = "as_of_date"
SUITE_PREFIX = "pitfall_"
#: Prefix of the per-check bound columns: ``bound__<column>`` = value + unknown count.
BOUND_PREFIX = "bound__"
#: Key of an expectation's meta naming the checked column it judges.
CHECK_META_KEY = "check_column"
#: Key of an expectation's meta saying which end of the check it judges: value or bound.
JUDGES_META_KEY = "judges"
JUDGES_VALUE = "value"
JUDGES_BOUND = "bound"
#: Key of an expectation's meta with the threshold it judges against ("per campaign" when
#: every row carries its own in the threshold column).
THRESHOLD_META_KEY = "threshold"
PER_CAMPAIGN = "per campaign"
#: GE severities; a catalogue severity outside them is recorded as critical in the suite.
GX_SEVERITIES = ("critical", "warning", "info")
#: Namespace of the ids of generated suites and expectations (uuid5 of their names).
_ID_NAMESPACE = uuid.UUID("5f0c3f52-8d0e-4d55-9a77-4d2b8f1f6a41")
#: Where the suites come from, for people reading them in GE.
CATALOGUE_SOURCE = "include/marketing_health/catalogue/pitfalls.yaml"

#: Per check column, the threshold every row of a night is judged against, or None when the
#: rows carry different ones (overrides): see :func:`build_suite`.
SharedThresholds = Mapping[str, float | None]


class PairComparison(NamedTuple):
    """Arguments of ``ExpectColumnPairValuesAToBeGreaterThanB`` for one check."""

    column_A: str
    column_B: str
    or_equal: bool


def suite_name(pitfall_id: str) -> str:
    return f"{SUITE_PREFIX}{pitfall_id}"


def threshold_column(column: str) -> str:
    """The column holding the threshold each row's ``column`` is judged against."""
    return f"{THRESHOLD_PREFIX}{column}"


def bound_column(column: str) -> str:
    """The column holding ``column`` raised by its check's unknown count."""
    return f"{BOUND_PREFIX}{column}"


def pair_comparison(check: Check | Guard, *, bound: bool = False) -> PairComparison:
    """Which column must be greater than which for a healthy campaign (a guard: its primary);
    ``bound`` compares the value raised by the check's unknown count instead."""
    if isinstance(check, Guard):
        check = check.primary
    signal = bound_column(check.column) if bound else check.column
    threshold = threshold_column(check.column)
    return {
        "at_most": PairComparison(threshold, signal, True),
        "at_least": PairComparison(signal, threshold, True),
        "below": PairComparison(threshold, signal, False),
        "above": PairComparison(signal, threshold, False),
    }[check.must_be]


def must_be_zero(check: Check, threshold: float) -> bool:
    """A count (or 0/1 flag) that is healthy only at 0: judged as membership of {0}."""
    return check.unit == "count" and check.must_be == "at_most" and threshold == 0


def result_format() -> dict[str, Any]:
    """COMPLETE results with failing rows named by campaign, so GE says who failed."""
    return {"result_format": "COMPLETE", "unexpected_index_column_names": [KEY_COLUMN]}


def suite_meta(pitfall: Pitfall) -> dict[str, Any]:
    guard = _guard_of(pitfall)
    return {
        "pitfall_id": pitfall.id,
        "title": pitfall.title,
        "severity": pitfall.severity,
        "model": f"marts.{guard.model}",
        "generated_from": CATALOGUE_SOURCE,
        "checks": [
            {
                "column": c.column,
                "must_be": c.must_be,
                "default_threshold": c.threshold,
                "unit": c.unit,
                **({"unknown": c.unknown} if c.unknown else {}),
            }
            for c in guard.checks
        ],
    }


def suite_notes(pitfall: Pitfall) -> str:
    """What the suite guards, in the catalogue's words, for the suite's page in Data Docs."""
    guard = _guard_of(pitfall)
    return (
        f"{pitfall.id} {pitfall.title} ({pitfall.severity}). {pitfall.explanation} "
        f"What to do: {pitfall.remediation} One row per campaign and night from "
        f"marts.{guard.model}; a campaign fails when any expectation lists it. Generated from "
        f"{CATALOGUE_SOURCE} by `marketing-health docs`: change the catalogue, not this suite."
    )


def check_meta(
    pitfall: Pitfall, check: Check, *, bound: bool = False, threshold: float | None = None
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "pitfall_id": pitfall.id,
        CHECK_META_KEY: check.column,
        JUDGES_META_KEY: JUDGES_BOUND if bound else JUDGES_VALUE,
        "must_be": check.must_be,
        "default_threshold": check.threshold,
        THRESHOLD_META_KEY: PER_CAMPAIGN if threshold is None else threshold,
        "unit": check.unit,
    }
    if check.unknown:
        meta["unknown"] = check.unknown
    return meta


def expectation_count(pitfall: Pitfall) -> int:
    """Expectations in the guard's suite: one per check, one more per check with unknowns."""
    guard = _guard_of(pitfall)
    return len(guard.checks) + sum(1 for c in guard.checks if c.unknown)


def describe_expectation(
    guard: Guard, check: Check, threshold: float | None, *, bound: bool = False
) -> str:
    """What one expectation checks, in the catalogue's words (English, like GE's own pages):
    ``Spend share in nano/micro tiers (nano_micro_spend_share) must be at most 80%.``"""
    label = _label(guard, check.column)
    relation = check.must_be.replace("_", " ")
    if threshold is None:
        default = format_value(check.threshold, check.unit, translator(None))
        rule = (
            f"{label} must be {relation} the campaign's own threshold, in "
            f"{threshold_column(check.column)} ({default} unless an override sets another)"
        )
    elif must_be_zero(check, threshold):
        rule = f"{label} must be 0"
    else:
        value = format_value(threshold, check.unit, translator(None))
        rule = f"{label} must be {relation} {value}"
    if not bound or check.unknown is None:
        return f"{_capitalised(rule, check.column)}."
    unknown = _label(guard, check.unknown)
    return (
        f"Counting {unknown} too, in {bound_column(check.column)}: {rule}. Where only one "
        "of this and the expectation on the value fails, the guard cannot tell."
    )


def check_expectation(
    pitfall: Pitfall, check: Check, threshold: float | None, *, bound: bool = False
) -> Expectation:
    """The expectation that fits one end of one check: a value that must be 0, a range, or
    the pair comparison with each row's own threshold (``threshold`` None)."""
    import great_expectations.expectations as gxe

    guard = _guard_of(pitfall)
    column = bound_column(check.column) if bound else check.column
    common: dict[str, Any] = {
        "description": describe_expectation(guard, check, threshold, bound=bound),
        "severity": pitfall.severity if pitfall.severity in GX_SEVERITIES else "critical",
        "meta": check_meta(pitfall, check, bound=bound, threshold=threshold),
    }
    if threshold is None:
        comparison = pair_comparison(check, bound=bound)
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=comparison.column_A,
            column_B=comparison.column_B,
            or_equal=comparison.or_equal,
            ignore_row_if="either_value_is_missing",
            **common,
        )
    if must_be_zero(check, threshold):
        return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[0], **common)
    if check.must_be in ("at_most", "below"):
        return gxe.ExpectColumnValuesToBeBetween(
            column=column, max_value=threshold, strict_max=check.must_be == "below", **common
        )
    return gxe.ExpectColumnValuesToBeBetween(
        column=column, min_value=threshold, strict_min=check.must_be == "above", **common
    )


def build_suite(pitfall: Pitfall, thresholds: SharedThresholds | None = None) -> ExpectationSuite:
    """The GE suite guarding one pitfall, named ``pitfall_<ID>``: one expectation per check,
    and one on the bound of each check that counts unknown terms.

    Args:
        thresholds: per checked column, the threshold all of a night's rows share, or None
            where they differ (a pair expectation against ``threshold__<column>``). Columns
            not given, or no mapping at all, take the catalogue's threshold.
    """
    import great_expectations as gx

    guard = _guard_of(pitfall)
    shared = dict(thresholds or {})
    expectations = [
        check_expectation(pitfall, check, shared.get(check.column, check.threshold), bound=bound)
        for check in guard.checks
        for bound in ((False, True) if check.unknown else (False,))
    ]
    name = suite_name(pitfall.id)
    suite = gx.ExpectationSuite(
        name=name,
        expectations=expectations,
        meta=suite_meta(pitfall),
        notes=suite_notes(pitfall),
        id=str(uuid.uuid5(_ID_NAMESPACE, name)),
    )
    for expectation in suite.expectations:  # ids only once the suite holds them (GE's rule)
        meta = expectation.meta or {}
        key = f"{name}/{meta[CHECK_META_KEY]}/{meta[JUDGES_META_KEY]}"
        expectation.id = str(uuid.uuid5(_ID_NAMESPACE, key))
    return suite


def _label(guard: Guard, column: str) -> str:
    """The catalogue's evidence label of a column with the column's name, else the name."""
    label = guard.evidence.get(column)
    return f"{label} ({column})" if label else column


def _capitalised(sentence: str, column: str) -> str:
    """A sentence starting with a capital, unless it starts with a column's name."""
    if sentence.startswith(column):
        return sentence
    return sentence[:1].upper() + sentence[1:]


def _guard_of(pitfall: Pitfall) -> Guard:
    if pitfall.guard is None:
        raise ValueError(f"{pitfall.id} is catalogued but not guarded yet: it has no suite")
    return pitfall.guard
