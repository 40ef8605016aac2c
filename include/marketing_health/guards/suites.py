"""Great Expectations suites built from the catalogue: one suite per guarded pitfall.

A guard is data. Each of its checks (signal column, direction, threshold) maps onto one GE
expectation comparing the signal column with a ``threshold__<column>`` column that travels
with every row, so a campaign judged against its own threshold needs no extra expectation and
no code. The four directions differ only in which column is ``A`` and whether equality is
healthy:

    at_most   threshold >= signal        at_least   signal >= threshold
    below     threshold >  signal        above      signal >  threshold

Rows whose signal is NULL are left out by GE (``either_value_is_missing``): that check has
nothing to judge there. A campaign fails the guard when any check lists it; when every checked
column is NULL the runner records it as not applicable.

A check that declares ``unknown: <count column>`` (terms no vocabulary knows could add up to
that count) gets a second expectation of the same shape on ``bound__<column>``, the value
raised by the unknown count. GE thus judges both ends of what the value may truly be; a
campaign listed by one expectation and not the other is one the check cannot tell about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from marketing_health.catalogue.model import Check, Guard, Pitfall

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite

#: Prefix of the per-check threshold columns: ``threshold__<checked column>``.
THRESHOLD_PREFIX = "threshold__"
#: Column naming the campaign of a signal row; GE reports failing rows by it.
KEY_COLUMN = "campaign_id"
#: Column naming the night a signal row belongs to.
DATE_COLUMN = "as_of_date"
SUITE_PREFIX = "pitfall_"
#: Prefix of the per-check bound columns: ``bound__<checked column>`` = value + unknown count.
BOUND_PREFIX = "bound__"
#: Key of an expectation's meta naming the checked column it judges.
CHECK_META_KEY = "check_column"
#: Key of an expectation's meta saying which end of the check it judges: value or bound.
JUDGES_META_KEY = "judges"
JUDGES_VALUE = "value"
JUDGES_BOUND = "bound"
#: GE severities; a catalogue severity outside them is recorded as critical in the suite.
GX_SEVERITIES = ("critical", "warning", "info")


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


def check_meta(pitfall: Pitfall, check: Check, *, bound: bool = False) -> dict[str, Any]:
    meta = {
        "pitfall_id": pitfall.id,
        CHECK_META_KEY: check.column,
        JUDGES_META_KEY: JUDGES_BOUND if bound else JUDGES_VALUE,
        "must_be": check.must_be,
        "default_threshold": check.threshold,
        "unit": check.unit,
    }
    if check.unknown:
        meta["unknown"] = check.unknown
    return meta


def expectation_count(pitfall: Pitfall) -> int:
    """Expectations in the guard's suite: one per check, one more per check with unknowns."""
    guard = _guard_of(pitfall)
    return len(guard.checks) + sum(1 for c in guard.checks if c.unknown)


def build_suite(pitfall: Pitfall) -> ExpectationSuite:
    """The GE suite guarding one pitfall, named ``pitfall_<ID>``: one expectation per check,
    and one on the bound of each check that counts unknown terms."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    guard = _guard_of(pitfall)
    severity = pitfall.severity if pitfall.severity in GX_SEVERITIES else "critical"
    expectations = []
    for check in guard.checks:
        for bound in (False, True) if check.unknown else (False,):
            comparison = pair_comparison(check, bound=bound)
            rule = check.describe_rule()
            if bound:  # the value as high as the unknown terms could make it
                rule = rule.replace(check.column, f"{check.column} + {check.unknown}", 1)
            expectations.append(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A=comparison.column_A,
                    column_B=comparison.column_B,
                    or_equal=comparison.or_equal,
                    ignore_row_if="either_value_is_missing",
                    description=f"{pitfall.id} {pitfall.title}: {rule}",
                    severity=severity,
                    meta=check_meta(pitfall, check, bound=bound),
                )
            )
    return gx.ExpectationSuite(
        name=suite_name(pitfall.id), expectations=expectations, meta=suite_meta(pitfall)
    )


def _guard_of(pitfall: Pitfall) -> Guard:
    if pitfall.guard is None:
        raise ValueError(f"{pitfall.id} is catalogued but not guarded yet: it has no suite")
    return pitfall.guard
