"""Evidence is plain JSON and the summary sentence survives NULLs."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from marketing_health.catalogue import Sentence, Summary, load_catalogue
from marketing_health.guards.evidence import evidence_of, render_summary, to_jsonable
from marketing_health.i18n import translator

from .guard_case import five_guards

EN = translator(None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.int64(3), 3),
        (np.float64(0.25), 0.25),
        (np.float64("nan"), None),
        (float("inf"), None),
        (pd.NA, None),
        (pd.NaT, None),
        (None, None),
        (Decimal("12.50"), 12.5),
        (dt.date(2026, 3, 14), "2026-03-14"),
        (pd.Timestamp("2026-03-14 08:30"), "2026-03-14T08:30:00"),
        (np.array(["social", "email"]), ["social", "email"]),
        (np.bool_(True), True),
        ("", ""),
    ],
)
def test_values_become_plain_json(value, expected):
    converted = to_jsonable(value)
    assert converted == expected
    json.dumps(converted)


def test_evidence_keeps_the_catalogue_columns_only():
    guard = five_guards()["P13"].guard
    row = {
        "campaign_id": "C-1",
        "sends_without_consent": np.int64(2),
        "sends_after_opt_out": pd.NA,
        "raw_personal_data_found": np.int64(0),
        "privacy_violations": 2,
    }
    assert evidence_of(guard, row) == {
        "sends_without_consent": 2,
        "sends_after_opt_out": None,
        "raw_personal_data_found": 0,
    }


def test_null_reads_na_even_under_a_format_spec():
    guard = five_guards()["P09"].guard
    row = {
        "integration_score": None,
        "active_channels": 2,
        "planned_channels": np.float64(3.0),
        "multi_channel_day_share": float("nan"),
        "tracked_share": 0.5,
    }
    assert render_summary(guard, row, EN) == (
        "Integration n/a: 2 of 3 planned channels active, n/a of days with two or more channels "
        "live, 50% of activity tracked with the campaign's utm_campaign."
    )
    assert render_summary(guard, row, translator("zh-Hans")).startswith("Integration 无数据")


def test_unformatted_fields_read_like_alert_text():
    guard = replace(
        five_guards()["P03"].guard,
        summary=Summary(
            (
                Sentence(
                    text="{nano_micro_spend_share} share, {influencer_spend} spent, "
                    "{creators} creators"
                ),
            )
        ),
    )
    row = {"nano_micro_spend_share": 0.875, "influencer_spend": 12500.5, "creators": 4.0}
    assert render_summary(guard, row, EN) == "88% share, 12,500.50 spent, 4 creators"


def test_a_sentence_about_nothing_is_left_out() -> None:
    """P15's platform sentence waits for a platform; an empty list leaves no dangling colon."""
    guard = load_catalogue()["P15"].guard
    row = {
        "short_video_posts": 0,
        "social_posts_28d": 61,
        "short_video_platforms": 0,
        "short_video_platform_names": "",
        "window_days": 28,
    }
    assert render_summary(guard, row, EN) == (
        "0 social posts out of 61 in the last 28 days were short videos."
    )
    row.update(short_video_posts=3, short_video_platforms=1, short_video_platform_names="tiktok")
    assert render_summary(guard, row, EN).endswith("Short videos ran on 1 platform: tiktok.")
    listless = replace(
        guard, summary=Summary((Sentence(text="Seen on: {short_video_platform_names}."),))
    )
    row["short_video_platform_names"] = ""
    assert render_summary(listless, row, EN) == "Seen on."
