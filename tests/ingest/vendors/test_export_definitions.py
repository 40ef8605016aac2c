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
