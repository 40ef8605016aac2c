"""Suites are built from the catalogue alone: one per guarded pitfall, no per-pitfall code."""

from __future__ import annotations

import pytest

from marketing_health.catalogue.model import Check, load_catalogue
from marketing_health.guards.suites import (
    CHECK_META_KEY,
    JUDGES_META_KEY,
    PairComparison,
    build_suite,
    pair_comparison,
    result_format,
    suite_name,
    threshold_column,
)

from .guard_case import with_management_guard

SIGNAL_THRESHOLD = threshold_column("signal")


@pytest.mark.parametrize("pitfall", load_catalogue().guarded, ids=lambda p: p.id)
def test_each_check_of_a_guarded_pitfall_has_one_pair_expectation(pitfall):
    """One per check on its value, and one on its bound when it counts unknown words."""
    suite = build_suite(pitfall)
    assert suite.name == suite_name(pitfall.id) == f"pitfall_{pitfall.id}"
    ends = [(c, False) for c in pitfall.guard.checks]
    ends += [(c, True) for c in pitfall.guard.checks if c.unknown]
    assert len(suite.expectations) == len(ends)
    by_end = {(e.meta[CHECK_META_KEY], e.meta[JUDGES_META_KEY]): e for e in suite.expectations}
    for check, bound in ends:
        expectation = by_end[(check.column, "bound" if bound else "value")]
        assert type(expectation).__name__ == "ExpectColumnPairValuesAToBeGreaterThanB"
        judged = f"bound__{check.column}" if bound else check.column
        assert {expectation.column_A, expectation.column_B} == {
            judged,
            f"threshold__{check.column}",
        }
        assert expectation.ignore_row_if == "either_value_is_missing"
        assert expectation.severity == pitfall.severity
    assert suite.meta["model"] == f"marts.{pitfall.guard.model}"


def test_a_guard_with_several_checks_gets_one_expectation_each():
    suite = build_suite(with_management_guard()["P04"])
    pairs = [(e.column_A, e.column_B, e.or_equal) for e in suite.expectations]
    assert pairs == [
        ("threshold__late_deliverables", "late_deliverables", True),
        ("threshold__max_feedback_days", "max_feedback_days", True),
        ("threshold__missing_briefs", "missing_briefs", True),
    ]
    assert [c["column"] for c in suite.meta["checks"]] == [
        "late_deliverables",
        "max_feedback_days",
        "missing_briefs",
    ]


@pytest.mark.parametrize(
    ("must_be", "expected"),
    [
        ("at_most", PairComparison(SIGNAL_THRESHOLD, "signal", True)),
        ("at_least", PairComparison("signal", SIGNAL_THRESHOLD, True)),
        ("below", PairComparison(SIGNAL_THRESHOLD, "signal", False)),
        ("above", PairComparison("signal", SIGNAL_THRESHOLD, False)),
    ],
)
def test_direction_decides_which_column_must_be_greater(must_be, expected):
    assert pair_comparison(Check("signal", must_be, 1.0, "count")) == expected


def test_failing_rows_are_reported_by_campaign():
    assert result_format() == {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": ["campaign_id"],
    }


def test_an_unguarded_pitfall_has_no_suite():
    unguarded = with_management_guard()["P01"]
    assert not unguarded.is_guarded
    with pytest.raises(ValueError, match="not guarded yet"):
        build_suite(unguarded)
