# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""The end-of-run summary run-night and the demo print, on the warehouse two real nights built."""

from __future__ import annotations

import re

import pytest

from marketing_health.report.console import display_width, format_table, night_summary

from .conftest import LAST_NIGHT, UNKNOWN_KPIS, ReportWarehouse

pytestmark = pytest.mark.integration


def test_summary_counts_unknown_words_and_says_where_to_look(
    report_warehouse: ReportWarehouse,
) -> None:
    text = night_summary(report_warehouse.paths, LAST_NIGHT)
    words = report_warehouse.query(
        "select count(distinct vocabulary || term) from marts.fct_unknown_terms"
    )[0][0]
    blind = report_warehouse.query(
        "select count(*) from guards.guard_results where run_date = ? and outcome = 'cannot_tell'",
        [LAST_NIGHT],
    )[0][0]
    head = f"Words the vocabularies do not know on Nov 20, 2026: {words}"
    if blind:
        checks = "guard check" if blind == 1 else "guard checks"
        head += f" ({blind} {checks} cannot tell because of them)"
    assert head + "\n" in text
    for metric, _ in UNKNOWN_KPIS.values():
        assert metric in text
    assert (
        "section 'Words the vocabularies do not know' of the health report "
        f"(runs/{LAST_NIGHT}/health_report.html in the data folder)"
    ) in text
    # a guard that cannot tell is not listed among the failures
    failures = text.split("Pitfall guards on", 1)[1].split(head, 1)[0]
    for guard_id, name in report_warehouse.query(
        "select g.guard_id, c.campaign_name from guards.guard_results g"
        " join marts.dim_campaigns c using (campaign_id)"
        " where g.run_date = ? and g.outcome = 'cannot_tell'",
        [LAST_NIGHT],
    ):
        assert not re.search(rf"^  {guard_id} \S+\s+{re.escape(name)}  ->", failures, re.M)


def _column_at(line: str, column: int) -> str:
    """The character a terminal shows at ``column`` (0-based), wide characters taking two."""
    used = 0
    for char in line:
        width = display_width(char)
        if used <= column < used + width:
            return char
        used += width
    return " "


def _starts(rule: str) -> list[int]:
    """Display columns where each column of a table begins, from its ``---  ---`` rule."""
    return [m.start() for m in re.finditer(r"-+", rule)]


def _assert_aligned(table: list[str]) -> None:
    """Every row's cells begin where the header's do, counted in terminal columns."""
    header, rule, *rows = table
    starts = _starts(rule)
    assert len(starts) >= 2
    for line in [header, *rows]:
        for start in starts[1:]:
            # two spaces before each column, then the cell (or nothing, for an empty cell)
            assert _column_at(line, start - 1) == " " and _column_at(line, start - 2) == " ", line
        # a wide character never straddles a column start
        used = 0
        for char in line:
            width = display_width(char)
            assert not any(used < s < used + width for s in starts), line
            used += width


def test_tables_align_chinese_names_by_display_width() -> None:
    text = format_table(
        ["campaign", "health", "failing"],
        [("双十一 预热", 42, "P02"), ("Autumn Run", 100, ""), ("种草 <b>Win</b>", 7.5, "P05 P09")],
    )
    lines = text.splitlines()
    _assert_aligned(lines)
    health = _starts(lines[1])[1]
    assert [_column_at(line, health) for line in lines[2:]] == ["4", "1", "7"]
    assert display_width("双十一 预热") == 11 and len("双十一 预热") == 6


def test_the_summary_in_chinese_aligns_and_reads_chinese(
    report_warehouse: ReportWarehouse,
) -> None:
    text = night_summary(report_warehouse.paths, LAST_NIGHT, language="zh-Hans")
    assert "从落地区加载的数据：" in text
    assert "2026年11月20日的活动健康度" in text
    assert "2026年11月20日的营销陷阱检查：" in text
    assert "2026年11月20日词表中没有的词：" in text
    for english in ("Loaded from", "Campaign health", "Pitfall guards", "cannot tell because"):
        assert english not in text
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "2026年11月20日的活动健康度" in line) + 1
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("  "))
    table = [line[2:] for line in lines[start:end]]
    names = [
        row[0]
        for row in report_warehouse.query(
            "select c.campaign_name from marts.fct_campaign_health_daily h"
            " join marts.dim_campaigns c using (campaign_id) where h.run_date = ?",
            [LAST_NIGHT],
        )
    ]
    assert any(display_width(n) > len(n) for n in names), "the sample has a Chinese name"
    assert len(table) == len(names) + 2
    _assert_aligned(table)
