# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""Examples a signal mart names (silent channels, late deliverables, creators and formats to
review) arrive as JSON arrays of typed objects and are written in the reader's language: the
catalogue's summary sentences with the examples in English and in Chinese, numbers, percentages
and dates in each locale, platform and format names from the vocabularies' labels."""

from __future__ import annotations

import json
from typing import Any

import pytest

from marketing_health.catalogue import load_catalogue
from marketing_health.guards.evidence import evidence_of, render_summary, summary_from_evidence
from marketing_health.guards.examples import parse_examples, render_examples
from marketing_health.i18n import translator

CATALOGUE = load_catalogue()
EN, ZH = translator(None), translator("zh-Hans")
ENGLISH_WORDS = ("silent since", "never ran", " post ", "due", " vs ", "creators on", "overlap")


def _json(examples: list[dict[str, Any]]) -> str:
    """As DuckDB hands a JSON column to pandas: text."""
    return json.dumps(examples)


def test_silent_channels_read_with_their_day_in_each_locale() -> None:
    guard = CATALOGUE["P09"].guard
    silent = [
        {
            "kind": "silent_channel",
            "channel": "email",
            "silent_since": "2026-10-28",
            "days": 24,
            "never_ran": False,
        },
        {
            "kind": "silent_channel",
            "channel": "paid",
            "silent_since": "2026-11-20",
            "days": 1,
            "never_ran": True,
        },
    ]
    row = {"integration_score": 0.7, "silent_channel_days": 24, "silent_channels": _json(silent)}
    english = render_summary(guard, row, EN)
    assert (
        "Planned channels silent tonight: email silent since Oct 28, 2026 (24 days) and paid "
        "silent since Nov 20, 2026 (1 day, never ran)."
    ) in english
    chinese = render_summary(guard, row, ZH)
    assert "邮件（自2026年10月28日起无活动，截至当晚 24 天）" in chinese
    assert "付费投放（自2026年11月20日起无活动，截至当晚 1 天，从未启动）" in chinese
    for word in ENGLISH_WORDS:
        assert word not in chinese, word


def test_the_stored_evidence_keeps_the_examples_and_rewrites_them_in_chinese() -> None:
    guard = CATALOGUE["P04"].guard
    late = [
        {
            "kind": "late_deliverable",
            "handle": "@小美",
            "post_id": "123",
            "due": "2026-11-08",
            "status": "审核中",
        },
        {"kind": "late_deliverable", "handle": "@sam", "post_id": "9", "due": "2026-11-09"},
    ]
    row = {
        "late_deliverables": 2,
        "deliverables_28d": 5,
        "max_feedback_days": None,
        "missing_briefs": 0,
        "late_examples": _json(late),
    }
    evidence = evidence_of(guard, row)
    assert evidence["late_examples"] == late, "stored as data, not as text"
    assert render_summary(guard, row, EN).endswith(
        "To chase: @小美 post 123 (due Nov 8, 2026, 审核中) and @sam post 9 (due Nov 9, 2026)."
    )
    chinese = summary_from_evidence(guard, evidence, ZH)
    assert chinese is not None
    assert "@小美 的内容 123（应于2026年11月8日发布，状态：审核中）" in chinese
    assert "@sam 的内容 9（应于2026年11月9日发布）" in chinese
    for word in ENGLISH_WORDS:
        assert word not in chinese, word


def test_creators_to_review_show_rates_overlap_and_flags_by_locale() -> None:
    content = [
        {
            "kind": "underperforming_creator",
            "handle": "@mia",
            "rate": 0.01,
            "baseline": 0.04,
            "platform": "xiaohongshu",
        }
    ]
    assert render_examples(content, EN) == "@mia (1.0% vs 4.0% on Xiaohongshu (RED))"
    assert render_examples(content, ZH) == "@mia（互动率 1.0%，小红书常规水平 4.0%）"
    fit = [
        {"kind": "misfit_creator", "handle": "@eve", "overlap": 0.333, "flags": None},
        {"kind": "misfit_creator", "handle": "@finn", "overlap": None, "flags": ["a", "b"]},
    ]
    assert render_examples(fit, EN) == "@eve (overlap 0.33) and @finn (flags: a and b)"
    assert render_examples(fit, ZH) == "@eve（受众重合度 0.33）和@finn（品牌安全标记：a和b）"


def test_formats_use_the_vocabulary_labels_and_keep_unknown_names() -> None:
    formats = [
        {"kind": "platform_format", "platform": "xiaohongshu", "format": "short_video"},
        {"kind": "platform_format", "platform": "lemon8", "format": "种草视频"},
        {"kind": "creator_platform", "platform": "douyin"},
    ]
    assert render_examples(formats, EN) == (
        "Xiaohongshu (RED) short video, lemon8 种草视频, and creators on Douyin"
    )
    assert render_examples(formats, ZH) == "小红书短视频、lemon8种草视频和抖音达人"


def test_no_example_means_no_sentence() -> None:
    guard = CATALOGUE["P08"].guard
    row = {
        "underperforming_creators": 0,
        "judged_creators": 2,
        "active_creators": 3,
        "underperforming_examples": "[]",
    }
    without = {**row, "underperforming_examples": None}
    assert "Creators to review" not in render_summary(guard, row, EN)
    assert render_summary(guard, row, ZH) == render_summary(guard, without, ZH)
    row["underperforming_examples"] = _json(
        [
            {
                "kind": "underperforming_creator",
                "handle": "@mia",
                "rate": 0.01,
                "baseline": 0.04,
                "platform": "instagram",
            }
        ]
    )
    assert "Creators to review: @mia (1.0% vs 4.0% on Instagram)." in render_summary(guard, row, EN)


@pytest.mark.parametrize(
    "value",
    ["", "email 3", "[not json", [1, 2], ["a"], [{"handle": "@x"}], {"kind": "x"}, None],
)
def test_only_arrays_of_example_objects_are_examples(value: object) -> None:
    assert parse_examples(value) is None


def test_an_empty_array_is_no_example() -> None:
    assert parse_examples("[]") == [] and parse_examples([]) == []


def test_sponsored_posts_name_platform_post_and_creator_by_locale() -> None:
    posts = [
        {"kind": "sponsored_post", "platform": "instagram", "post_id": "123", "handle": None},
        {"kind": "sponsored_post", "platform": "xiaohongshu", "post_id": "X9", "handle": "@小美"},
    ]
    assert render_examples(posts, EN) == (
        "Instagram post 123 on the brand account and Xiaohongshu (RED) post X9 by @小美"
    )
    assert render_examples(posts, ZH) == "品牌账号在Instagram的帖子 123和@小美 在小红书的帖子 X9"


def test_untagged_links_and_spellings_count_activity_per_channel_with_plurals() -> None:
    guard = CATALOGUE["P09"].guard
    untagged = [
        {
            "kind": "channel_activities",
            "channel": "social",
            "platform": "facebook",
            "activities": 28,
        },
        {"kind": "channel_activities", "channel": "paid", "platform": "google", "activities": 1},
        {"kind": "channel_activities", "channel": "email", "platform": None, "activities": 3},
    ]
    spellings = [
        {
            "kind": "utm_spelling",
            "spelling": "spring_sale_26",
            "activities": [{"kind": "channel_activities", "channel": "social", "activities": 12}],
        },
        {
            "kind": "utm_spelling",
            "spelling": "Spring-Sale-26",
            "activities": [
                {"kind": "channel_activities", "channel": "email", "activities": 1},
                {"kind": "channel_activities", "channel": "influencer", "activities": 2},
            ],
        },
    ]
    row = {
        "integration_score": 0.7,
        "consistently_tracked_share": 0.8,
        "planned_utm_spelling": "spring_sale_26",
        "utm_spellings": _json(spellings),
        "link_untracked_share": 0.9,
        "untracked_links": _json(untagged),
    }
    english = render_summary(guard, row, EN)
    assert (
        "28 social post-days on Facebook, 1 ad-group day on Google Ads, and 3 sends" in english
    ), english
    assert "spring_sale_26 (12 social post-days) and Spring-Sale-26 (1 send, 2 creator posts)" in (
        english
    ), english
    chinese = render_summary(guard, row, ZH)
    assert "Facebook社媒帖子 28 天次、Google Ads广告组投放 1 天次和邮件发送 3 次" in chinese, (
        chinese
    )
    assert "Spring-Sale-26（邮件发送 1 次、达人帖子 2 篇）" in chinese, chinese
    for word in (*ENGLISH_WORDS, "day", "send", "post"):
        assert word not in chinese, word


def test_partner_promotion_send_and_stock_examples_read_in_each_locale() -> None:
    promotions = [
        {
            "kind": "unhashtagged_promotion",
            "promotion_id": "PR-1",
            "partner": "Acme",
            "own_brand": False,
        },
        {
            "kind": "unhashtagged_promotion",
            "promotion_id": "PR-2",
            "partner": None,
            "own_brand": True,
        },
    ]
    assert (
        render_examples(promotions, EN) == "promotion PR-1 by Acme and promotion PR-2 by our brand"
    )
    assert render_examples(promotions, ZH) == "Acme的推广 PR-1和我方品牌的推广 PR-2"
    sends = [{"kind": "sensitive_send", "send_id": "E7", "tokens": ["health", "income"]}]
    assert render_examples(sends, EN) == "send E7 (health, income)"
    assert render_examples(sends, ZH) == "邮件 E7（health、income）"
    stock = [
        {"kind": "stockout_product", "product_id": "SKU-1", "days": 3},
        {"kind": "stockout_product", "product_id": "SKU-2", "days": 1},
    ]
    assert render_examples(stock, EN) == (
        "SKU-1 (3 days out of stock) and SKU-2 (1 day out of stock)"
    )
    assert render_examples(stock, ZH) == "SKU-1（缺货 3 天）和SKU-2（缺货 1 天）"


def test_partner_misfits_and_missing_terms_say_why_by_locale() -> None:
    misfits = [
        {
            "kind": "misfit_partner",
            "partner": "Bargain",
            "partner_price_tier": "budget",
            "our_price_tier": "premium",
            "no_shared_segment": False,
            "conflicting_values": ["fast_fashion", "gambling"],
        },
        {
            "kind": "misfit_partner",
            "partner": "速达",
            "partner_price_tier": None,
            "our_price_tier": None,
            "no_shared_segment": True,
            "conflicting_values": None,
        },
    ]
    assert render_examples(misfits, EN) == (
        "Bargain (price tier budget vs our premium, conflicting values: fast_fashion, gambling)"
        " and 速达 (no shared target segment)"
    )
    chinese = render_examples(misfits, ZH)
    assert chinese == (
        "Bargain（价格档位 budget 与我方 premium 不符、价值观冲突：fast_fashion、gambling）"
        "和速达（无共同目标人群）"
    )
    terms = [
        {
            "kind": "missing_terms",
            "partner": "Acme",
            "no_contract": True,
            "no_success_metrics": False,
            "no_exit_conditions": True,
        }
    ]
    assert render_examples(terms, EN) == "Acme (no signed contract, no exit conditions)"
    assert render_examples(terms, ZH) == "Acme（未签合同、无退出条款）"
    for word in ("vs", "price tier", "no ", "by", "promotion"):
        assert word not in chinese, word


def test_channels_platforms_and_story_elements_use_their_labels() -> None:
    listed = [
        {"kind": "channel", "channel": "paid"},
        {"kind": "platform", "platform": "douyin"},
        {"kind": "platform", "platform": "lemon8"},
        {"kind": "story_element", "element": "storyline"},
        {"kind": "story_element", "element": "hashtag"},
    ]
    assert render_examples(listed, EN) == "paid, Douyin, lemon8, storyline, and hashtag"
    assert render_examples(listed, ZH) == "付费投放、抖音、lemon8、故事主线和话题标签"
    guard = CATALOGUE["P11"].guard
    row = {
        "ownerless_active_channels": 2,
        "single_owner_overload": 0,
        "active_channels": 4,
        "owners": 1,
        "ownerless_examples": _json(listed[:1]),
        "owner_names": "Zoe",
        "window_days": 28,
    }
    assert "付费投放" in render_summary(guard, row, ZH)
