"""The guards judged end to end: real DuckDB file, real Great Expectations, catalogue defaults."""

from __future__ import annotations

import json
from typing import Any

import pytest

from marketing_health.catalogue.model import parse_catalogue

from .guard_case import NEXT_NIGHT, NIGHT, five_guards, judge

#: guard id -> (campaign, outcome, observed, threshold, evidence, summary)
EXPECTED: dict[str, list[tuple[str, str, float, float, dict[str, Any], str]]] = {
    "P02": [
        (
            "C-GOALS-BAD",
            "fail",
            0.0,
            1.0,
            {
                "declared_kpis": 3,
                "vanity_kpis": 3,
                "outcome_kpis": 0,
                "outcome_kpis_with_target": 0,
            },
            "3 KPIs declared, vanity metrics among them: 3. 0 outcome KPIs with a target and a "
            "due date.",
        ),
        (
            "C-GOALS-OK",
            "pass",
            1.0,
            1.0,
            {
                "declared_kpis": 3,
                "vanity_kpis": 1,
                "outcome_kpis": 2,
                "outcome_kpis_with_target": 1,
            },
            "3 KPIs declared, vanity metrics among them: 1. 1 outcome KPI with a target and a "
            "due date.",
        ),
    ],
    "P03": [
        (
            "C-MIX-BAD",
            "fail",
            0.95,
            0.8,
            {
                "nano_micro_spend_share": 0.95,
                "creators": 6,
                "mid_plus_creators": 0,
                "influencer_spend": 5000.0,
            },
            "95% of influencer spend went to nano/micro creators; 0 of 6 creators are mid tier "
            "or above.",
        ),
        (
            "C-MIX-OK",
            "pass",
            0.8,
            0.8,
            {
                "nano_micro_spend_share": 0.8,
                "creators": 5,
                "mid_plus_creators": 1,
                "influencer_spend": 5000.0,
            },
            "80% of influencer spend went to nano/micro creators; 1 of 5 creators are mid tier "
            "or above.",
        ),
    ],
    "P05": [
        (
            "C-ADS-BAD",
            "fail",
            1.0,
            0.0,
            {
                "sponsored_posts": 3,
                "undisclosed_sponsored_posts": 1,
                "undisclosed_examples": "instagram post 123 by @mia",
            },
            "1 of 3 sponsored posts in the last 7 days carry no disclosure: instagram post 123 "
            "by @mia.",
        ),
        (
            "C-ADS-OK",
            "pass",
            0.0,
            0.0,
            {"sponsored_posts": 3, "undisclosed_sponsored_posts": 0, "undisclosed_examples": ""},
            "0 of 3 sponsored posts in the last 7 days carry no disclosure.",
        ),
    ],
    "P09": [
        (
            "C-INT-BAD",
            "fail",
            0.31,
            0.5,
            {
                "active_channels": 1,
                "planned_channels": 3,
                "multi_channel_day_share": 0.0,
                "tracked_share": 0.4,
                "message_consistency": None,
            },
            "Integration 0.31: 1 of 3 planned channels active, 0% of days with two or more "
            "channels live, 40% of activity tracked with the campaign's utm_campaign.",
        ),
        (
            "C-INT-OK",
            "pass",
            0.82,
            0.5,
            {
                "active_channels": 3,
                "planned_channels": 3,
                "multi_channel_day_share": 0.75,
                "tracked_share": 0.9,
                "message_consistency": 0.6,
            },
            "Integration 0.82: 3 of 3 planned channels active, 75% of days with two or more "
            "channels live, 90% of activity tracked with the campaign's utm_campaign.",
        ),
    ],
    "P13": [
        (
            "C-PRIV-BAD",
            "fail",
            3.0,
            0.0,
            {"sends_without_consent": 2, "sends_after_opt_out": 1, "raw_personal_data_found": 0},
            "In the last 7 days 2 recipients were mailed without recorded consent. 1 recipient "
            "was mailed after opting out. 0 raw e-mail addresses or phone numbers were found in "
            "exports.",
        ),
        (
            "C-PRIV-OK",
            "pass",
            0.0,
            0.0,
            {"sends_without_consent": 0, "sends_after_opt_out": 0, "raw_personal_data_found": 0},
            "In the last 7 days 0 recipients were mailed without recorded consent. 0 recipients "
            "were mailed after opting out. 0 raw e-mail addresses or phone numbers were found in "
            "exports.",
        ),
    ],
}


def _by_key(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["guard_id"], r["campaign_id"]): r for r in rows}


def test_every_guarded_pitfall_is_judged():
    assert sorted(EXPECTED) == [p.id for p in five_guards().guarded]


@pytest.mark.parametrize("guard_id", sorted(EXPECTED))
def test_drifting_campaign_fails_and_its_twin_passes(judged_night, guard_id):
    _paths, _report, rows = judged_night
    pitfall = five_guards()[guard_id]
    got = _by_key(rows)
    for campaign, outcome, observed, threshold, evidence, summary in EXPECTED[guard_id]:
        row = got[(guard_id, campaign)]
        assert row["outcome"] == outcome, (campaign, row)
        assert row["observed_value"] == pytest.approx(observed)
        assert row["threshold"] == pytest.approx(threshold)
        assert row["must_be"] == pitfall.guard.must_be
        assert row["severity"] == pitfall.severity
        recorded = json.loads(row["evidence"])
        assert recorded.pop("checks") == [
            {
                "column": pitfall.guard.column,
                "observed": pytest.approx(observed),
                "threshold": pytest.approx(threshold),
                "must_be": pitfall.guard.must_be,
                "outcome": outcome,
            }
        ]
        assert recorded == evidence
        assert row["summary"] == summary
        assert row["run_id"] == "run-1"
        assert str(row["run_date"]) == NIGHT
        assert row["evaluated_at"] is not None


def test_exactly_at_threshold_passes_for_at_most_and_at_least(judged_night):
    _paths, _report, rows = judged_night
    got = _by_key(rows)
    at_most = got[("P03", "C-MIX-OK")]
    at_least = got[("P02", "C-GOALS-OK")]
    assert at_most["observed_value"] == at_most["threshold"] and at_most["outcome"] == "pass"
    assert at_least["observed_value"] == at_least["threshold"] and at_least["outcome"] == "pass"


def test_null_signal_is_not_applicable(judged_night):
    _paths, _report, rows = judged_night
    row = _by_key(rows)[("P03", "C-MIX-NONE")]
    assert row["outcome"] == "not_applicable"
    assert row["observed_value"] is None
    assert row["threshold"] == pytest.approx(0.8)
    assert json.loads(row["evidence"])["nano_micro_spend_share"] is None
    assert row["summary"].startswith("n/a of influencer spend")


def test_only_the_judged_night_is_read(judged_night):
    _paths, _report, rows = judged_night
    assert {str(r["run_date"]) for r in rows} == {NIGHT}
    assert len(rows) == sum(len(v) for v in EXPECTED.values()) + 1  # + the NULL-signal campaign


def test_report_counts_failures_and_is_json_ready(judged_night):
    _paths, report, _rows = judged_night
    assert report.counts["P03"] == {
        "pass": 1,
        "fail": 1,
        "not_applicable": 1,
        "error": 0,
        "cannot_tell": 0,
    }
    assert report.total("fail") == 5 and report.total("error") == 0
    assert {(f.guard_id, f.campaign_id) for f in report.failures} == {
        (gid, cases[0][0]) for gid, cases in EXPECTED.items()
    }
    as_dict = json.loads(json.dumps(report.as_dict()))
    assert as_dict["as_of_date"] == NIGHT
    assert as_dict["failures"][0].keys() >= {"guard_id", "campaign_id", "summary"}
    text = report.summary()
    assert "5 fail" in text and "C-ADS-BAD" in text


def test_validation_results_are_saved_for_audit(judged_night):
    paths, _report, _rows = judged_night
    folder = paths.run_dir(NIGHT) / "guards"
    for guard_id, cases in EXPECTED.items():
        saved = json.loads((folder / f"pitfall_{guard_id}.json").read_text())
        assert saved["suite_name"] == f"pitfall_{guard_id}"
        listed = saved["results"][0]["result"]["unexpected_index_list"]
        assert [r["campaign_id"] for r in listed] == [cases[0][0]]


def test_missing_mart_is_one_error_row_and_other_guards_still_run(warehouse, run_sql, read_results):
    run_sql("DROP TABLE marts.sig_privacy")
    report = judge(warehouse, NIGHT, "run-1")
    rows = read_results()
    errors = [r for r in rows if r["outcome"] == "error"]
    assert [(r["guard_id"], r["campaign_id"]) for r in errors] == [("P13", "*")]
    assert "marts.sig_privacy does not exist" in errors[0]["summary"]
    assert errors[0]["severity"] == "critical"
    assert {r["guard_id"] for r in rows} == set(EXPECTED)
    assert report.has_errors and report.counts["P13"]["error"] == 1
    assert report.counts["P02"]["fail"] == 1
    assert not (warehouse.run_dir(NIGHT) / "guards" / "pitfall_P13.json").exists()


def test_missing_column_is_an_error_naming_it(warehouse, run_sql, read_results):
    run_sql("ALTER TABLE marts.sig_integration DROP COLUMN tracked_share")
    judge(warehouse, NIGHT, "run-1")
    [error] = read_results("outcome = 'error'")
    assert error["guard_id"] == "P09" and "tracked_share" in error["summary"]


def test_text_signal_and_duplicate_campaign_rows_are_errors(warehouse, run_sql, read_results):
    run_sql(
        "ALTER TABLE marts.sig_campaign_goals ALTER outcome_kpis_with_target TYPE VARCHAR;"
        f"INSERT INTO marts.sig_privacy VALUES ('{NIGHT}', 'C-PRIV-OK', 0, 0, 0, 0)"
    )
    judge(warehouse, NIGHT, "run-1")
    errors = {r["guard_id"]: r["summary"] for r in read_results("outcome = 'error'")}
    assert set(errors) == {"P02", "P13"}
    assert "compares numbers" in errors["P02"]
    assert "more than one row for campaign(s) C-PRIV-OK" in errors["P13"]


def test_rerunning_a_night_replaces_its_rows(warehouse, read_results):
    judge(warehouse, NIGHT, "run-1")
    first = read_results()
    judge(warehouse, NIGHT, "run-2")
    second = read_results()
    assert len(second) == len(first)
    assert {r["run_id"] for r in second} == {"run-2"}


def test_nights_accumulate_and_other_nights_stay_untouched(warehouse, read_results):
    judge(warehouse, NIGHT, "night-1")
    night_one = read_results(f"run_date = '{NIGHT}'")
    judge(warehouse, NEXT_NIGHT, "night-2")
    judge(warehouse, NEXT_NIGHT, "night-2-again")
    assert read_results(f"run_date = '{NIGHT}'") == night_one
    assert len(read_results()) == 2 * len(night_one)
    assert {r["run_id"] for r in read_results(f"run_date = '{NEXT_NIGHT}'")} == {"night-2-again"}


def test_campaign_threshold_overrides_the_default(warehouse, read_results):
    report = judge(
        warehouse,
        NIGHT,
        "run-1",
        thresholds={"P03": {"C-MIX-BAD": 0.99, "C-MIX-OK": 0.5}, "P09": {"C-INT-OK": 0.9}},
    )
    got = _by_key(read_results())
    assert (got[("P03", "C-MIX-BAD")]["outcome"], got[("P03", "C-MIX-BAD")]["threshold"]) == (
        "pass",
        0.99,
    )
    assert (got[("P03", "C-MIX-OK")]["outcome"], got[("P03", "C-MIX-OK")]["threshold"]) == (
        "fail",
        0.5,
    )
    assert got[("P09", "C-INT-OK")]["outcome"] == "fail"
    assert got[("P09", "C-INT-BAD")]["threshold"] == 0.5
    assert report.counts["P03"]["fail"] == 1


def test_a_new_catalogue_entry_is_a_new_guard(warehouse, run_sql, read_results):
    """Strict comparisons, and a guard added as data: catalogue entry + signal mart."""
    run_sql(
        "CREATE TABLE marts.sig_reserve AS SELECT * FROM (VALUES "
        f"(DATE '{NIGHT}', 'C-RES-LOW', 0.05, 40000.0), "
        f"(DATE '{NIGHT}', 'C-RES-EDGE', 0.10, 40000.0), "
        f"(DATE '{NIGHT}', 'C-RES-OK', 0.2, 40000.0)"
        ") t(as_of_date, campaign_id, reserve_share, budget)"
    )
    base = five_guards()
    spec = {
        "version": 1,
        "severities": base.severities,
        "pitfalls": [
            _entry("P17", "sig_reserve", "reserve_share", "above", 0.1, "ratio", ["budget"]),
            _entry("P03", "sig_influencer_mix", "nano_micro_spend_share", "below", 0.8, "ratio"),
        ],
    }
    report = judge(warehouse, NIGHT, "run-1", catalogue=parse_catalogue(spec))
    got = {(r["guard_id"], r["campaign_id"]): r["outcome"] for r in read_results()}
    assert got == {
        ("P17", "C-RES-LOW"): "fail",
        ("P17", "C-RES-EDGE"): "fail",
        ("P17", "C-RES-OK"): "pass",
        ("P03", "C-MIX-BAD"): "fail",
        ("P03", "C-MIX-OK"): "fail",
        ("P03", "C-MIX-NONE"): "not_applicable",
    }
    assert list(report.counts) == ["P17", "P03"]


def test_a_night_without_live_campaigns_writes_nothing_and_raises_nothing(warehouse, read_results):
    report = judge(warehouse, "2026-01-01", "run-1")
    assert read_results() == []
    assert report.total("error") == 0 and set(report.counts) == set(EXPECTED)


def test_missing_warehouse_makes_every_guard_an_error(paths, read_results):
    report = judge(paths, NIGHT, "run-1")
    rows = read_results()
    assert {(r["guard_id"], r["outcome"]) for r in rows} == {(g, "error") for g in EXPECTED}
    assert "does not exist yet" in rows[0]["summary"]
    assert len(report.errors) == len(EXPECTED)


def test_a_bad_night_is_refused(paths):
    with pytest.raises(ValueError, match="as_of_date"):
        judge(paths, "14/03/2026", "run-1")


def _entry(
    pid: str,
    model: str,
    column: str,
    must_be: str,
    threshold: float,
    unit: str,
    evidence: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "id": pid,
        "title": f"{pid} test guard",
        "seed": "test",
        "severity": "warning",
        "explanation": "Test explanation.",
        "remediation": "Test remediation.",
        "default": "z",
        "guard": {
            "model": model,
            "column": column,
            "must_be": must_be,
            "threshold": threshold,
            "unit": unit,
            "evidence": {c: c for c in [column, *(evidence or [])]},
            "summary": f"{{{column}}} seen",
        },
    }


def test_guards_run_while_this_process_holds_the_warehouse_open(warehouse, read_results):
    import duckdb

    with duckdb.connect(str(warehouse.warehouse)) as held:
        judge(warehouse, NIGHT, "run-1")
        assert held.execute("SELECT count(*) FROM guards.guard_results").fetchone()[0] == 11


def test_a_threshold_that_is_not_a_number_stops_only_its_guard(warehouse, read_results):
    judge(warehouse, NIGHT, "run-1", thresholds={"P05": {"C-ADS-OK": float("nan")}})
    [error] = read_results("outcome = 'error'")
    assert error["guard_id"] == "P05" and "must be a number" in error["summary"]
    assert len(read_results("guard_id = 'P13'")) == 2
