"""Great Expectations suites built from the catalogue: one suite per guarded pitfall.

A guard is data. Its spec (signal mart, column, direction, threshold) maps onto a single GE
expectation comparing the signal column with a ``threshold`` column that travels with every
row, so a campaign judged against its own threshold needs no extra expectation and no code.
The four directions differ only in which column is ``A`` and whether equality is healthy:

    at_most   threshold >= signal        at_least   signal >= threshold
    below     threshold >  signal        above      signal >  threshold

Rows whose signal is NULL are left out by GE (``either_value_is_missing``): the guard has
nothing to judge there, and the runner records them as not applicable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from marketing_health.catalogue.model import Guard, Pitfall

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite

#: Column holding the threshold each row is judged against.
THRESHOLD_COLUMN = "threshold"
#: Column naming the campaign of a signal row; GE reports failing rows by it.
KEY_COLUMN = "campaign_id"
#: Column naming the night a signal row belongs to.
DATE_COLUMN = "as_of_date"
SUITE_PREFIX = "pitfall_"
#: GE severities; a catalogue severity outside them is recorded as critical in the suite.
GX_SEVERITIES = ("critical", "warning", "info")


class PairComparison(NamedTuple):
    """Arguments of ``ExpectColumnPairValuesAToBeGreaterThanB`` for one guard."""

    column_A: str
    column_B: str
    or_equal: bool


def suite_name(pitfall_id: str) -> str:
    return f"{SUITE_PREFIX}{pitfall_id}"


def pair_comparison(guard: Guard) -> PairComparison:
    """Which column must be greater than which for a healthy campaign."""
    signal, threshold = guard.column, THRESHOLD_COLUMN
    return {
        "at_most": PairComparison(threshold, signal, True),
        "at_least": PairComparison(signal, threshold, True),
        "below": PairComparison(threshold, signal, False),
        "above": PairComparison(signal, threshold, False),
    }[guard.must_be]


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
        "column": guard.column,
        "must_be": guard.must_be,
        "default_threshold": guard.threshold,
        "unit": guard.unit,
    }


def build_suite(pitfall: Pitfall) -> ExpectationSuite:
    """The GE suite guarding one pitfall, named ``pitfall_<ID>``."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    guard = _guard_of(pitfall)
    comparison = pair_comparison(guard)
    expectation = gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=comparison.column_A,
        column_B=comparison.column_B,
        or_equal=comparison.or_equal,
        ignore_row_if="either_value_is_missing",
        description=f"{pitfall.id} {pitfall.title}: {guard.describe_rule()}",
        severity=pitfall.severity if pitfall.severity in GX_SEVERITIES else "critical",
        meta=suite_meta(pitfall),
    )
    return gx.ExpectationSuite(
        name=suite_name(pitfall.id), expectations=[expectation], meta=suite_meta(pitfall)
    )


def _guard_of(pitfall: Pitfall) -> Guard:
    if pitfall.guard is None:
        raise ValueError(f"{pitfall.id} is catalogued but not guarded yet: it has no suite")
    return pitfall.guard
