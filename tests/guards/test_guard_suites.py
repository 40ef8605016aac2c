"""Suites are built from the catalogue alone: one per guarded pitfall, no per-pitfall code."""

from __future__ import annotations

import pytest

from marketing_health.catalogue.model import load_catalogue
from marketing_health.guards.suites import (
    THRESHOLD_COLUMN,
    PairComparison,
    build_suite,
    pair_comparison,
    result_format,
    suite_name,
)


@pytest.mark.parametrize("pitfall", load_catalogue().guarded, ids=lambda p: p.id)
def test_each_guarded_pitfall_has_one_pair_expectation(pitfall):
    suite = build_suite(pitfall)
    assert suite.name == suite_name(pitfall.id) == f"pitfall_{pitfall.id}"
    [expectation] = suite.expectations
    assert type(expectation).__name__ == "ExpectColumnPairValuesAToBeGreaterThanB"
    assert {expectation.column_A, expectation.column_B} == {pitfall.guard.column, THRESHOLD_COLUMN}
    assert expectation.ignore_row_if == "either_value_is_missing"
    assert expectation.severity == pitfall.severity
    assert suite.meta["model"] == f"marts.{pitfall.guard.model}"


@pytest.mark.parametrize(
    ("must_be", "expected"),
    [
        ("at_most", PairComparison(THRESHOLD_COLUMN, "signal", True)),
        ("at_least", PairComparison("signal", THRESHOLD_COLUMN, True)),
        ("below", PairComparison(THRESHOLD_COLUMN, "signal", False)),
        ("above", PairComparison("signal", THRESHOLD_COLUMN, False)),
    ],
)
def test_direction_decides_which_column_must_be_greater(must_be, expected):
    guard = load_catalogue().guarded[0].guard
    from dataclasses import replace

    assert pair_comparison(replace(guard, column="signal", must_be=must_be)) == expected


def test_failing_rows_are_reported_by_campaign():
    assert result_format() == {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": ["campaign_id"],
    }


def test_an_unguarded_pitfall_has_no_suite():
    unguarded = next(p for p in load_catalogue() if not p.is_guarded)
    with pytest.raises(ValueError, match="not guarded yet"):
        build_suite(unguarded)
