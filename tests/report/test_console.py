"""The end-of-run summary run-night and the demo print, on the warehouse two real nights built."""

from __future__ import annotations

import re

import pytest

from marketing_health.report.console import night_summary

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
    head = f"Words the vocabularies do not know on {LAST_NIGHT}: {words}"
    if blind:
        head += f" ({blind} guard check(s) cannot tell because of them)"
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
