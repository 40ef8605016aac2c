"""The export definitions are data the docs page is written from; a broken one fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketing_health.contract import load_contract
from marketing_health.contract.docs import render_landing_contract_md
from marketing_health.contract.exports import ExportDefinitionError, load_exports, parse_export


def test_every_export_is_documented_with_its_folder_download_and_languages():
    page = render_landing_contract_md(load_contract())
    exports = load_exports()
    assert {f.source for f in exports} >= {
        "paid_ads",
        "email_sends",
        "email_recipients",
        "social_posts",
        "influencer_posts",
    }
    for fmt in exports:
        assert f"### {fmt.title} (`{fmt.source}`)" in page
        assert f"- Download: {fmt.download}" in page
    chinese = [f.title for f in exports if "zh" in f.languages]
    assert {"Meta Ads Manager ad report", "Meta Business Suite content export (posts)"} <= set(
        chinese
    )


def test_a_rule_reading_an_unknown_header_is_refused():
    data = {
        "tool": "X",
        "title": "X report",
        "source": "kpis",
        "download": "d",
        "files": ["csv"],
        "headers": {"campaign": {"en": ["Campaign"]}},
        "recognised_by": ["campaign"],
        "columns": {
            "campaign_id": {"from": "campaign"},
            "metric": {"from": "metric_name"},
            "target_value": {"value": None},
            "due_date": {"value": None},
        },
    }
    with pytest.raises(
        ExportDefinitionError, match=r"x\.yaml: columns\.metric: reads 'metric_name'"
    ):
        parse_export(Path("x.yaml"), data, load_contract())


def _tiktok_like(has_disclosure: dict) -> dict:
    rules = {c.name: {"value": "0"} for c in load_contract()["social_posts"].columns}
    rules.update(
        post_date={"delivery_day": True},
        platform={"value": "tiktok"},
        post_format={"value": "short_video"},
        post_text={"from": "title"},
        has_disclosure=has_disclosure,
    )
    return {
        "tool": "T",
        "title": "T export",
        "source": "social_posts",
        "download": "d",
        "files": ["csv"],
        "headers": {"title": {"en": ["Title"]}},
        "recognised_by": ["title"],
        "columns": rules,
    }


def test_a_disclosure_read_from_a_word_list_of_its_own_is_refused():
    data = _tiktok_like({"from": "title", "as": "contains", "words": ["#ad"]})
    with pytest.raises(ExportDefinitionError, match=r"columns\.has_disclosure: read a disclosure"):
        parse_export(Path("t.yaml"), data, load_contract())
    parse_export(
        Path("t.yaml"), _tiktok_like({"from": "title", "as": "disclosure"}), load_contract()
    )


def test_no_export_keeps_its_own_list_of_disclosure_markers_or_platform_names():
    """Disclosures come from the disclosure markers vocabulary; platform and format names from
    the platforms vocabulary (a constant, such as TikTok's, names one platform id)."""
    for fmt in load_exports():
        disclosure = fmt.columns.get("has_disclosure")
        if disclosure is not None and "from" in disclosure:
            # a caption through the markers, or a yes/no column (the creator report's)
            assert disclosure.get("as", "text") in ("disclosure", "text"), fmt.name
        for column in ("platform", "post_format"):
            rule = fmt.columns.get(column)
            if rule is None or "value" in rule:
                continue
            kind = rule.get("as", "text")
            # Meta Business Suite tells Instagram from Facebook by its own post-type prefix
            assert kind in (column, "text") or (fmt.name, column) == (
                "meta_business_suite_posts",
                "platform",
            ), f"{fmt.name}: {column} is read as {kind}"
