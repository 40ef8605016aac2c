"""The HTML health report against a warehouse the real pipeline built over two nights."""

from __future__ import annotations

import json
import re
from html import escape

import pytest

from marketing_health.catalogue import load_catalogue
from marketing_health.guards.evidence import summary_from_evidence
from marketing_health.i18n import translator
from marketing_health.report.html import (
    REPORT_FILE,
    render_health_report,
    report_file_name,
    write_health_report,
)
from marketing_health.report.languages import languages_in_use
from marketing_health.warehouse import connect

from .conftest import (
    FIRST_NIGHT,
    HOSTILE_ID,
    HOSTILE_NAME,
    LAST_NIGHT,
    UNKNOWN_KPIS,
    ReportWarehouse,
)

pytestmark = pytest.mark.integration

_CELL = re.compile(r'<td class="(k-[^"]*)" title="[^"]*">')


@pytest.fixture(scope="module")
def report(report_warehouse: ReportWarehouse) -> str:
    return write_health_report(report_warehouse.paths, LAST_NIGHT).read_text(encoding="utf-8")


def _section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}">')
    return html[start : html.index("</section>", start)]


def test_scores_and_measures_match_the_marts(report: str, report_warehouse) -> None:
    rows = report_warehouse.query(
        "select campaign_id, health_score, integration_score, kpi_coverage"
        " from marts.fct_campaign_health_daily where run_date = ?",
        [LAST_NIGHT],
    )
    assert len(rows) == 48
    trends = _section(report, "trends")
    for campaign_id, score, integration, coverage in rows:
        row = re.search(rf'data-campaign-id="{campaign_id}">(.*?)</tr>', trends, flags=re.S).group(
            1
        )
        assert f'data-score="{score}"' in row, campaign_id
        measures = re.findall(r'<td class="measure">([^<]*)</td>', row)
        expected = ["n/a" if v is None else f"{v:.2f}" for v in (integration, coverage)]
        assert measures == expected, campaign_id


def test_campaigns_are_listed_worst_first(report: str, report_warehouse) -> None:
    scores = [int(s) for s in re.findall(r'data-score="(\d+)"', _section(report, "trends"))]
    assert scores == sorted(scores)
    (worst,) = report_warehouse.query(
        "select min(health_score) from marts.fct_campaign_health_daily where run_date = ?",
        [LAST_NIGHT],
    )[0]
    assert scores[0] == worst < 100


def test_heatmap_has_one_cell_per_campaign_and_guard(report: str, report_warehouse) -> None:
    grid = _section(report, "grid")
    cells = _CELL.findall(grid)
    guards = len(load_catalogue().guarded)
    assert len(cells) == 48 * guards
    outcomes = dict(
        report_warehouse.query(
            "select outcome, count(*) from guards.guard_results"
            " where run_date = ? and campaign_id != '*' group by outcome",
            [LAST_NIGHT],
        )
    )
    assert sum(c.startswith("k-fail") for c in cells) == outcomes.get("fail", 0) > 0
    assert sum(c.startswith("k-pass") for c in cells) == outcomes.get("pass", 0)
    assert sum(c == "k-na" for c in cells) == outcomes.get("not_applicable", 0)
    assert sum(c == "k-unknown" for c in cells) == outcomes.get("cannot_tell", 0)
    states = dict(
        report_warehouse.query(
            "select state, count(*) from marts.fct_guard_states"
            " where run_date = ? and outcome = 'fail' group by state",
            [LAST_NIGHT],
        )
    )
    assert sum(c.endswith(" new") for c in cells) == states.get("entered", 0)
    assert sum(c.endswith(" persisting") for c in cells) == states.get("persisting", 0) > 0


def test_open_alerts_carry_evidence_and_what_to_do(report: str, report_warehouse) -> None:
    alerts = _section(report, "alerts")
    failures = report_warehouse.query(
        "select g.campaign_id, g.guard_id, g.summary, s.failing_since"
        " from guards.guard_results g join marts.fct_guard_states s using"
        " (run_date, guard_id, campaign_id) where g.run_date = ? and g.outcome = 'fail'",
        [LAST_NIGHT],
    )
    catalogue = load_catalogue()
    cards = re.findall(r'<article class="alert-card[^"]*"[^>]*>', alerts)
    assert len(cards) == len({c for c, *_ in failures})
    for _, guard_id, summary, since in failures:
        assert escape(summary.strip()) in alerts
        assert escape(catalogue[guard_id].remediation) in alerts
        assert since.isoformat() == FIRST_NIGHT  # failing on both nights
    assert "failing since Nov 18, 2026 (2 nights)" in alerts


def test_hostile_campaign_name_is_text(report: str, report_warehouse) -> None:
    (name,) = report_warehouse.query(
        "select campaign_name from marts.dim_campaigns where campaign_id = ?", [HOSTILE_ID]
    )[0]
    assert name == HOSTILE_NAME
    assert HOSTILE_NAME not in report
    assert escape(HOSTILE_NAME) in report
    assert report.count("<script>") == 1  # the report's own filter script
    assert "<b>Win</b>" not in report


def test_chinese_names_survive(report: str) -> None:
    assert '<meta charset="utf-8">' in report
    assert "双十一 Singles&#x27;" in report


def test_report_needs_nothing_from_the_network(report: str) -> None:
    assert not re.search(r'(src|href)="(https?:)?//', report)
    assert "@import" not in report and "url(" not in report
    assert len(report.encode()) < 600_000


def test_rerun_overwrites_the_night(report_warehouse) -> None:
    paths = report_warehouse.paths
    first = write_health_report(paths, FIRST_NIGHT)
    again = write_health_report(paths, FIRST_NIGHT)
    assert first == again == paths.run_dir(FIRST_NIGHT) / REPORT_FILE
    # one file per language of the alerting file, the default one as health_report.html
    default, *others = languages_in_use()
    assert first.read_text(encoding="utf-8").startswith(f'<!DOCTYPE html>\n<html lang="{default}">')
    assert sorted(p.name for p in first.parent.iterdir() if "health_report" in p.name) == sorted(
        [REPORT_FILE, *(report_file_name(tag) for tag in others)]
    )
    text = first.read_text(encoding="utf-8")
    assert "Nov 18, 2026" in text and "pitfalls new tonight" in text
    cells = _CELL.findall(_section(text, "grid"))
    failing = [c for c in cells if c.startswith("k-fail")]
    assert failing and all(c.endswith(" new") for c in failing)  # the first night: all new


def test_a_night_that_was_not_run(report_warehouse) -> None:
    with connect(report_warehouse.paths.warehouse, read_only=True) as con:
        html = render_health_report(con, "2026-11-19")
    assert "No campaign was judged on this night" in html
    assert "marketing-health run-night --as-of 2026-11-19" in html


def test_unknown_words_match_the_listing(report: str, report_warehouse) -> None:
    """Every word of marts.fct_unknown_terms, with its rows, files and campaigns, and how to add
    it; the KPI names added to the export are among them."""
    listed = report_warehouse.query(
        "select vocabulary, term, sum(row_count), string_agg(file_path, ' ')"
        " from marts.fct_unknown_terms where first_delivery_day <= ?"
        " group by vocabulary, term",
        [LAST_NIGHT],
    )
    section = _section(report, "unknown-terms")
    rows = dict(
        re.findall(r'<tr><th scope="row" class="term">(.*?)</th>(.*?)</tbody>', section, re.S)
    )
    assert len(rows) == len(listed)
    for vocabulary, term, count, files in listed:
        row = rows[escape(term)]
        assert f'<td class="rows">{count}</td>' in row
        assert all(escape(f) in row for f in files.split()[:5])
        assert f"config/vocabularies/{vocabulary}.yaml (this team)" in row or (
            vocabulary == "post_formats" and "config/vocabularies/platforms.yaml" in row
        )
    names = dict(
        report_warehouse.query(
            "select campaign_id, min(campaign_name) from marts.dim_campaigns group by 1"
        )
    )
    for campaign, (metric, _) in UNKNOWN_KPIS.items():
        row = rows[escape(metric)]
        assert escape(names[campaign]) in row and "kpis/" in row and "kpis.metric" in row
        assert "<pre><code>version: 1\nmetrics:\n" in row
    assert "<img src=x" not in report
    # the vanity-only campaign's goal guard: failing, or cannot tell once the guard knows the
    # KPI name may be an outcome; never both, and a cannot-tell names the word
    blind = report_warehouse.query(
        "select guard_id from guards.guard_results"
        " where run_date = ? and campaign_id = 'CMP-0034' and outcome = 'cannot_tell'",
        [LAST_NIGHT],
    )
    for (guard_id,) in blind:
        assert f"<strong>{guard_id}</strong>" in rows["种草指数"]


def test_the_chinese_report_writes_the_evidence_in_chinese(report_warehouse) -> None:
    """Each open alert's evidence sentence is written again from the stored evidence in
    Chinese (numbers and lists in Chinese form), beside the catalogue's Chinese remediation."""
    paths = report_warehouse.paths
    write_health_report(paths, LAST_NIGHT, languages=["en", "zh-Hans"])
    html = (paths.run_dir(LAST_NIGHT) / report_file_name("zh-Hans")).read_text(encoding="utf-8")
    alerts = _section(html, "alerts")
    failures = report_warehouse.query(
        "select guard_id, summary, evidence::varchar from guards.guard_results"
        " where run_date = ? and outcome = 'fail'",
        [LAST_NIGHT],
    )
    zh, catalogue = translator("zh-Hans"), load_catalogue()
    rewritten = 0
    for guard_id, summary, evidence in failures:
        pitfall = catalogue[guard_id]
        said = summary_from_evidence(pitfall.guard, json.loads(evidence), zh)
        assert said and escape(said) in alerts, guard_id
        rewritten += said != summary.strip() and bool(re.search(r"[\u4e00-\u9fff]", said))
        assert escape(zh.translate(pitfall.remediation)) in alerts
    assert failures and rewritten == len(failures)
    assert "failing since" not in alerts
    assert "自 2026年11月18日 起未通过（已连续 2 晚）" in alerts  # noqa: RUF001
