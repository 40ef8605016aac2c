"""Overrides of the numbers inside the signal models: checked when the file is read, then
written as rows dbt resolves per campaign (tests/transform/test_guard_parameters.py runs them
through a night)."""

from __future__ import annotations

from typing import Any

import pytest

from marketing_health.catalogue import load_catalogue
from marketing_health.catalogue.model import CatalogueError, parse_catalogue
from marketing_health.guards.overrides import (
    GuardOverridesError,
    parameter_settings,
    parse_overrides,
)


def _parse(*entries: dict[str, Any]):
    return parse_overrides({"overrides": list(entries)}, load_catalogue(), source="o.yaml")


def test_defaults_and_overrides_become_rows_with_their_scope_rank() -> None:
    overrides = _parse(
        {"guard": "P01", "brand": " Northwind  Running", "parameter": "window_days", "value": 14},
        {"guard": "P01", "campaign": "CMP-7", "parameter": "min_audience_overlap", "value": 0.4},
    )
    rows = parameter_settings(load_catalogue(), overrides)
    assert ("P01", "min_audience_overlap", "default", "", 0.5, 4, 0) in rows
    assert ("P01", "window_days", "default", "", 28.0, 4, 0) in rows
    assert ("P01", "window_days", "brand", "northwind running", 14.0, 2, 1) in rows
    assert ("P01", "min_audience_overlap", "campaign", "CMP-7", 0.4, 1, 2) in rows
    # a parameter entry sets no threshold and no severity
    settings = overrides.resolve("P01", ["CMP-7"], {})
    assert settings.thresholds == {} and settings.severities == {}


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            {"guard": "P01", "campaign": "C", "parameter": "overlap", "value": 0.4},
            "P01 has no parameter 'overlap'; its parameters are min_audience_overlap, window_days",
        ),
        (
            {"guard": "P01", "campaign": "C", "parameter": "window_days", "value": "two weeks"},
            "value must be a number, got 'two weeks'",
        ),
        (
            {"guard": "P01", "campaign": "C", "parameter": "window_days"},
            "'parameter' and 'value' go together",
        ),
        (
            {
                "guard": "P01",
                "campaign": "C",
                "parameter": "window_days",
                "value": 14,
                "threshold": 1,
            },
            "cannot also set threshold",
        ),
        (
            # the engagement norms are shared by every campaign: no scope can own them
            {"guard": "P08", "brand": "Stride", "parameter": "min_norm_posts", "value": 5},
            "has one value for every campaign (scope global",
        ),
    ],
)
def test_a_wrong_parameter_entry_names_the_entry(entry: dict[str, Any], problem: str) -> None:
    with pytest.raises(GuardOverridesError) as error:
        _parse(entry)
    assert str(error.value).startswith("o.yaml: entry 1 ")
    assert problem in str(error.value)


def test_the_same_parameter_twice_for_one_scope_is_refused() -> None:
    entry = {"guard": "P01", "channel": "influencer", "parameter": "window_days", "value": 14}
    with pytest.raises(GuardOverridesError, match="sets parameter window_days again; entry 1"):
        _parse(entry, {**entry, "value": 21})


def test_a_catalogue_parameter_needs_a_unit_a_number_and_a_sentence() -> None:
    pitfall = {
        "id": "P99",
        "title": "t",
        "seed": "s",
        "severity": "info",
        "explanation": "Why.",
        "remediation": "What.",
        "default": "d",
        "parameters": [{"name": "window_days", "unit": "weeks", "default": 2, "description": "."}],
    }
    data = {"severities": {"info": {"rank": 1, "weight": 1}}, "pitfalls": [pitfall]}
    with pytest.raises(CatalogueError, match=r"P99.parameters\[0\]: unit must be one of"):
        parse_catalogue(data)
