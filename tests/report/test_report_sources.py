"""The report when tables are missing (first night, a stage that failed) and at 500 campaigns."""

from __future__ import annotations

import re

from marketing_health.catalogue import load_catalogue
from marketing_health.report.html import write_health_report
from marketing_health.report.queries import SOURCES
from marketing_health.settings import Paths

from .synthetic import NIGHT, build_warehouse


def test_without_a_warehouse_the_report_says_what_is_missing(paths: Paths) -> None:
    html = write_health_report(paths, NIGHT).read_text(encoding="utf-8")
    for table in SOURCES:
        assert f"<code>{table}</code>" in html
    assert "No campaign was judged on this night" in html
    assert "<svg" not in html


def test_before_the_guards_ran_the_measures_still_show(paths: Paths) -> None:
    build_warehouse(paths, campaigns=3, guards=False)
    html = write_health_report(paths, NIGHT).read_text(encoding="utf-8")
    missing = re.findall(r"<li><code>([^<]+)</code>", html)
    assert missing == ["marts.fct_campaign_health_daily", "guards.guard_results",
                       "marts.fct_guard_states", "alerts.outbox",
                       "marts.fct_unknown_terms"]  # fmt: skip
    # no campaign was judged, so the grid and alerts are not drawn
    assert 'id="grid"' not in html and "No campaign was judged" in html


def test_five_hundred_campaigns_stay_a_few_megabytes(paths: Paths) -> None:
    build_warehouse(paths, campaigns=500, guards=True)
    html = write_health_report(paths, NIGHT).read_text(encoding="utf-8")
    guards = len(load_catalogue().guarded)
    assert len(re.findall(r'<td class="k-', html)) == 500 * guards
    assert html.count('<svg class="spark') == 500 * 3
    size = len(html.encode())
    assert size < 4_000_000, f"{size / 1e6:.1f} MB"
    assert "Campaign 1 春季" in html
