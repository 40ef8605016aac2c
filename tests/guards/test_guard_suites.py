"""Suites are built from the catalogue alone: one per guarded pitfall, no per-pitfall code, each
check as the expectation that fits it, described in words."""

from __future__ import annotations

import pytest

from marketing_health.catalogue.model import Check, load_catalogue
from marketing_health.guards.suites import (
    CHECK_META_KEY,
    JUDGES_META_KEY,
    PER_CAMPAIGN,
    THRESHOLD_META_KEY,
    PairComparison,
    build_suite,
    pair_comparison,
    result_format,
    suite_name,
    threshold_column,
)

from .guard_case import five_guards, with_management_guard

SIGNAL_THRESHOLD = threshold_column("signal")


def _kind(expectation) -> str:
    return type(expectation).__name__


@pytest.mark.parametrize("pitfall", load_catalogue().guarded, ids=lambda p: p.id)
def test_each_check_of_a_guarded_pitfall_gets_the_expectation_that_fits_it(pitfall):
    """One per check on its value, and one on its bound when it counts unknown words: a count
    healthy only at 0 must be in {0}, any other threshold is a range, none is a pair."""
    suite = build_suite(pitfall)
    assert suite.name == suite_name(pitfall.id) == f"pitfall_{pitfall.id}"
    ends = [(c, False) for c in pitfall.guard.checks]
    ends += [(c, True) for c in pitfall.guard.checks if c.unknown]
    assert len(suite.expectations) == len(ends)
    by_end = {(e.meta[CHECK_META_KEY], e.meta[JUDGES_META_KEY]): e for e in suite.expectations}
    for check, bound in ends:
        expectation = by_end[(check.column, "bound" if bound else "value")]
        judged = f"bound__{check.column}" if bound else check.column
        assert expectation.column == judged
        assert expectation.meta[THRESHOLD_META_KEY] == check.threshold
        if check.unit == "count" and check.must_be == "at_most" and check.threshold == 0:
            assert _kind(expectation) == "ExpectColumnValuesToBeInSet"
            assert expectation.value_set == [0]
        else:
            assert _kind(expectation) == "ExpectColumnValuesToBeBetween"
            low = check.must_be in ("at_least", "above")
            assert (expectation.min_value, expectation.max_value) == (
                (check.threshold, None) if low else (None, check.threshold)
            )
            assert expectation.strict_min == (check.must_be == "above")
            assert expectation.strict_max == (check.must_be == "below")
        assert expectation.severity == pitfall.severity
        assert expectation.description and check.column in expectation.description
    assert suite.meta["model"] == f"marts.{pitfall.guard.model}"
    assert pitfall.explanation in suite.notes


def test_the_catalogue_uses_ranges_and_sets_and_no_pair_by_default():
    kinds = [_kind(e) for p in load_catalogue().guarded for e in build_suite(p).expectations]
    assert set(kinds) == {"ExpectColumnValuesToBeInSet", "ExpectColumnValuesToBeBetween"}


def test_descriptions_say_in_words_what_is_checked():
    catalogue = load_catalogue()
    [share] = build_suite(catalogue["P03"]).expectations
    assert share.description == (
        "Spend share in nano/micro tiers (nano_micro_spend_share) must be at most 80%."
    )
    late = build_suite(with_management_guard()["P04"]).expectations
    assert [e.description for e in late] == [
        "Late deliverables (late_deliverables) must be 0.",
        "Longest wait for feedback (max_feedback_days) must be at most 3 days.",
        "Posts live without a brief (missing_briefs) must be 0.",
    ]


def test_a_check_whose_campaigns_carry_their_own_thresholds_becomes_a_pair():
    """Only the check whose rows differ tonight compares each row with its threshold column."""
    suite = build_suite(
        with_management_guard()["P04"], {"late_deliverables": 0.0, "max_feedback_days": None}
    )
    kinds = [(_kind(e), e.meta[THRESHOLD_META_KEY]) for e in suite.expectations]
    assert kinds == [
        ("ExpectColumnValuesToBeInSet", 0.0),
        ("ExpectColumnPairValuesAToBeGreaterThanB", PER_CAMPAIGN),
        ("ExpectColumnValuesToBeInSet", 0),  # not given: the catalogue's threshold
    ]
    pair = suite.expectations[1]
    assert (pair.column_A, pair.column_B, pair.or_equal) == (
        "threshold__max_feedback_days",
        "max_feedback_days",
        True,
    )
    assert pair.ignore_row_if == "either_value_is_missing"
    assert "the campaign's own threshold, in threshold__max_feedback_days" in pair.description
    assert "3 days unless an override sets another" in pair.description


def test_a_threshold_every_campaign_shares_is_a_plain_range():
    [share] = build_suite(five_guards()["P03"], {"nano_micro_spend_share": 0.9}).expectations
    assert _kind(share) == "ExpectColumnValuesToBeBetween" and share.max_value == 0.9
    assert share.description.endswith("must be at most 90%.")


def test_suites_are_the_same_every_time_they_are_built():
    """Ids come from names, so the suites kept in gx/ do not change when regenerated."""
    pitfall = load_catalogue()["P12"]
    first, second = build_suite(pitfall), build_suite(pitfall)
    assert first.id == second.id
    assert [e.id for e in first.expectations] == [e.id for e in second.expectations]
    assert len({e.id for e in first.expectations}) == len(first.expectations)


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
