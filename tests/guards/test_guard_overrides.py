"""Overrides: campaigns, brands and channels judged against their own thresholds and severities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from marketing_health.catalogue import load_catalogue
from marketing_health.guards import (
    GuardOverrides,
    GuardOverridesError,
    evaluate_guards,
    load_overrides,
)
from marketing_health.guards.overrides import CampaignScope, parse_overrides
from marketing_health.guards.signals import GuardUnavailable
from marketing_health.settings import GUARD_OVERRIDES_ENV, REPO_ROOT

from .guard_case import (
    NIGHT,
    build_warehouse,
    create_management_mart,
    guard_rows,
    judge,
    with_management_guard,
)

#: campaign -> (brand, planned channels); campaigns of guard_case's marts and P04's mart.
PLAN = {
    "C-MIX-BAD": ("Northwind Running", ["influencer", "social"]),
    "C-MIX-OK": ("Acme", ["influencer"]),
    "C-MIX-NONE": ("Acme", ["email"]),
    "C-ADS-BAD": ("Acme", ["influencer", "social"]),
    "C-ADS-OK": ("Northwind Running", ["social"]),
    "C-SLOW": ("Acme", ["influencer"]),
    "C-SLOW-NO-BRIEF": ("Northwind Running", ["influencer"]),
    "C-LATE": ("Acme", ["influencer"]),
}


def _catalogue():
    return with_management_guard()


def _parse(text: str) -> GuardOverrides:
    import yaml

    return parse_overrides(yaml.safe_load(text), _catalogue(), source="guard_overrides.yaml")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "guard_overrides.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def planned(paths):
    """The five marts, P04's mart and the campaign plan of PLAN."""
    build_warehouse(paths, [NIGHT])
    with duckdb.connect(str(paths.warehouse)) as con:
        create_management_mart(
            con, NIGHT, [("C-SLOW", 0, 6.0, 0), ("C-SLOW-NO-BRIEF", 0, 5.0, 1), ("C-LATE", 1, 1, 0)]
        )
        con.execute(
            "CREATE TABLE marts.dim_campaigns (campaign_id VARCHAR, brand VARCHAR, "
            "planned_channels VARCHAR[])"
        )
        for campaign, (brand, channels) in PLAN.items():
            con.execute(
                "INSERT INTO marts.dim_campaigns VALUES (?, ?, ?)", [campaign, brand, channels]
            )
    return paths


def _judged(paths, text: str) -> dict[tuple[str, str], dict[str, Any]]:
    judge(paths, NIGHT, "run-1", catalogue=_catalogue(), overrides=_parse(text))
    return {(r["guard_id"], r["campaign_id"]): r for r in guard_rows(paths)}


def test_the_shipped_file_is_valid_documented_and_empty():
    path = REPO_ROOT / "config" / "guard_overrides.yaml"
    assert len(load_overrides(path)) == 0
    text = path.read_text(encoding="utf-8")
    examples = [
        line.strip()[2:] for line in text.splitlines() if line.strip().startswith("#   - {")
    ]
    assert len(examples) == 5, "one threshold example per scope and two parameter examples"
    for scope in ("campaign:", "brand:", "channel:"):
        assert any(scope in e for e in examples)
    assert sum("parameter:" in e for e in examples) == 2
    # every example is a valid entry once uncommented
    shown = parse_overrides({"overrides": yaml.safe_load("\n".join(examples))}, load_catalogue())
    assert len(shown) == 5


def test_brand_threshold_reaches_only_that_brand(planned):
    got = _judged(
        planned, "overrides:\n  - {guard: P03, brand: northwind  running, threshold: 0.99}"
    )
    bad, ok = got[("P03", "C-MIX-BAD")], got[("P03", "C-MIX-OK")]
    assert (bad["outcome"], bad["threshold"]) == ("pass", 0.99)
    assert (ok["outcome"], ok["threshold"]) == ("pass", 0.8)
    assert json.loads(bad["evidence"])["checks"][0]["threshold"] == 0.99


def test_channel_threshold_and_severity_reach_campaigns_planning_that_channel(planned):
    got = _judged(
        planned,
        """
overrides:
  - {guard: P03, channel: Influencer, threshold: 0.5}
  - {guard: P05, channel: influencer, severity: info}
""",
    )
    assert (got[("P03", "C-MIX-OK")]["outcome"], got[("P03", "C-MIX-OK")]["threshold"]) == (
        "fail",
        0.5,
    )
    assert got[("P03", "C-MIX-NONE")]["threshold"] == 0.8  # plans e-mail only
    assert got[("P05", "C-ADS-BAD")]["severity"] == "info"  # plans influencer
    assert got[("P05", "C-ADS-OK")]["severity"] == "critical"  # social only: catalogue
    assert got[("P02", "C-GOALS-BAD")]["severity"] == "critical"


def test_campaign_beats_brand_beats_channel_beats_catalogue(planned):
    got = _judged(
        planned,
        """
overrides:
  - {guard: P03, channel: influencer, threshold: 0.5, severity: info}
  - {guard: P03, brand: Northwind Running, threshold: 0.9, severity: critical}
  - {guard: P03, campaign: C-MIX-BAD, threshold: 0.99}
""",
    )
    bad, ok, none = (got[("P03", c)] for c in ("C-MIX-BAD", "C-MIX-OK", "C-MIX-NONE"))
    # campaign threshold, brand severity (the campaign entry sets none)
    assert (bad["threshold"], bad["severity"], bad["outcome"]) == (0.99, "critical", "pass")
    assert (ok["threshold"], ok["severity"], ok["outcome"]) == (0.5, "info", "fail")
    assert (none["threshold"], none["severity"]) == (0.8, "warning")


def test_a_check_other_than_the_primary_can_be_overridden(planned):
    got = _judged(
        planned,
        """
overrides:
  - {guard: P04, campaign: C-SLOW, check: max_feedback_days, threshold: 7, severity: info}
  - {guard: P04, brand: Northwind Running, check: max_feedback_days, threshold: 5}
  - {guard: P04, brand: Northwind Running, check: missing_briefs, threshold: 1}
  - {guard: P04, channel: influencer, threshold: 1}
""",
    )
    slow, no_brief, late = (got[("P04", c)] for c in ("C-SLOW", "C-SLOW-NO-BRIEF", "C-LATE"))
    assert (slow["outcome"], slow["severity"]) == ("pass", "info")
    assert [c["threshold"] for c in json.loads(slow["evidence"])["checks"]] == [1.0, 7.0, 0.0]
    assert no_brief["outcome"] == "pass"
    assert [c["threshold"] for c in json.loads(no_brief["evidence"])["checks"]] == [1.0, 5.0, 1.0]
    assert (late["outcome"], late["threshold"], late["severity"]) == ("pass", 1.0, "warning")


def test_first_listed_channel_entry_wins_a_tie():
    overrides = _parse(
        """
overrides:
  - {guard: P03, channel: social, threshold: 0.6}
  - {guard: P03, channel: influencer, threshold: 0.7, severity: info}
"""
    )
    plan = {"C1": CampaignScope("C1", "Acme", frozenset({"influencer", "social"}))}
    settings = overrides.resolve("P03", ["C1", "C2"], plan)
    assert settings.thresholds == {"C1": {"nano_micro_spend_share": 0.6}}
    assert settings.severities == {"C1": "info"}


def test_brand_or_channel_entries_without_a_plan_make_only_their_guard_an_error(paths):
    build_warehouse(paths, [NIGHT])
    got = _judged(
        paths,
        """
overrides:
  - {guard: P03, brand: Acme, threshold: 0.9}
  - {guard: P05, campaign: C-ADS-BAD, severity: info}
""",
    )
    assert got[("P03", "*")]["outcome"] == "error"
    assert "marts.dim_campaigns" in got[("P03", "*")]["summary"]
    assert got[("P05", "C-ADS-BAD")]["severity"] == "info"  # campaign entries need no plan
    with pytest.raises(GuardUnavailable):
        _parse("overrides:\n  - {guard: P03, channel: email, threshold: 1}").resolve("P03", ["C"])


def test_evaluate_guards_reads_the_file_named_by_the_environment(planned, monkeypatch, tmp_path):
    path = _write(tmp_path, "overrides:\n  - {guard: P03, campaign: C-MIX-BAD, threshold: 0.97}\n")
    monkeypatch.setenv(GUARD_OVERRIDES_ENV, str(path))
    evaluate_guards(planned, NIGHT, "run-1")
    [row] = guard_rows(planned, "guard_id = 'P03' and campaign_id = 'C-MIX-BAD'")
    assert (row["threshold"], row["outcome"]) == (0.97, "pass")


def test_an_invalid_file_stops_the_guards_before_anything_is_written(paths, monkeypatch, tmp_path):
    build_warehouse(paths, [NIGHT])
    path = _write(tmp_path, "overrides:\n  - {guard: P03, brand: Acme, treshold: 0.9}\n")
    monkeypatch.setenv(GUARD_OVERRIDES_ENV, str(path))
    with pytest.raises(GuardOverridesError, match=r"entry 1 .*unknown key\(s\) treshold"):
        evaluate_guards(paths, NIGHT, "run-1")
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        schemas = {
            r[0]
            for r in con.execute("select schema_name from information_schema.schemata").fetchall()
        }
    assert "guards" not in schemas


def test_a_missing_file_means_no_overrides(tmp_path):
    assert len(load_overrides(tmp_path / "absent.yaml", _catalogue())) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {guard: P03}", "must hold a mapping with the key 'overrides'"),
        ("override: []", r"unknown top-level key\(s\) override"),
        ("overrides: {guard: P03}", "'overrides' must be a list"),
        ("overrides: [P03]", "entry 1 P03: each entry must be a mapping"),
        ("overrides:\n  - {brand: Acme, threshold: 1}", "entry 1 .*'guard' is missing"),
        ("overrides:\n  - {guard: P99, brand: Acme, threshold: 1}", "unknown guard 'P99'"),
        ("overrides:\n  - {guard: P01, brand: Acme, threshold: 1}", "P01 .* has no guard yet"),
        ("overrides:\n  - {guard: 3, brand: Acme, threshold: 1}", "pitfall id such as P03"),
        ("overrides:\n  - {guard: P03, threshold: 1}", "exactly one scope .* it has none"),
        (
            "overrides:\n  - {guard: P03, brand: Acme, channel: email, threshold: 1}",
            "exactly one scope .* it has brand, channel",
        ),
        ("overrides:\n  - {guard: P03, channel: tv, threshold: 1}", "unknown channel 'tv'"),
        ("overrides:\n  - {guard: P03, campaign: 7, threshold: 1}", "quote ids that look like"),
        ("overrides:\n  - {guard: P03, brand: '  ', threshold: 1}", "brand must be a name"),
        (
            "overrides:\n  - {guard: P04, brand: Acme, check: feedback, threshold: 1}",
            "P04 has no check on 'feedback'; its checks are late_deliverables, max_feedback_days",
        ),
        ("overrides:\n  - {guard: P03, brand: Acme}", "set a threshold, a severity or both"),
        ("overrides:\n  - {guard: P03, brand: Acme, threshold: '0.9'}", "must be a number"),
        ("overrides:\n  - {guard: P03, brand: Acme, threshold: true}", "must be a number"),
        ("overrides:\n  - {guard: P03, brand: Acme, threshold: .nan}", "must be a number"),
        (
            "overrides:\n  - {guard: P03, brand: Acme, severity: urgent}",
            "unknown severity 'urgent'",
        ),
        ("overrides:\n  - {guard: P03, brand: Acme, treshold: 1}", "unknown key\\(s\\) treshold"),
        (
            "overrides:\n  - {guard: P03, brand: Acme, threshold: 1, threshold: 2}",
            "the key 'threshold' is written twice",
        ),
        (
            "overrides:\n  - {guard: P03, brand: Acme, threshold: 1}\n"
            "  - {guard: P03, brand: ACME, threshold: 2}",
            "entry 2 \\(P03, brand 'ACME'\\) sets the threshold of nano_micro_spend_share again; "
            "entry 1 already does",
        ),
        (
            "overrides:\n  - {guard: P03, channel: email, severity: info}\n"
            "  - {guard: P03, channel: email, threshold: 1, severity: critical}",
            "entry 2 .* sets severity 'critical', but entry 1 sets 'info'",
        ),
        ("overrides:\n  - {guard: P03, brand: Acme, threshold: [1}", "not valid YAML"),
    ],
)
def test_each_invalid_form_is_refused_naming_the_entry(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(GuardOverridesError, match=message) as caught:
        load_overrides(path, _catalogue())
    assert str(path) in str(caught.value)


def test_an_error_quotes_the_entry_as_written(tmp_path):
    path = _write(
        tmp_path,
        "overrides:\n  - {guard: P03, brand: Acme, threshold: 0.9}\n"
        "  - {guard: P10, campaign: CMP-0007, threshold: 48}\n",
    )
    with pytest.raises(GuardOverridesError) as caught:
        load_overrides(path, _catalogue())
    assert "entry 2 {guard: P10, campaign: CMP-0007, threshold: 48}: unknown guard 'P10'" in str(
        caught.value
    )
