"""The scenario manifest describes the landing zone it sits in."""

from __future__ import annotations

import json
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import duckdb

from marketing_health.catalogue import load_catalogue
from marketing_health.generate import MANIFEST_NAME, Manifest, load_manifest

SCENARIO_KEYS = {
    "pitfall",
    "campaign_id",
    "twin_campaign_id",
    "owner_slack_channel",
    "from_day",
    "fails_by",
    "check",
    "episodes",
    "expected_fail_ranges",
    "expected_pass_ranges",
    "description",
}


def test_manifest_round_trips(landing_dir: Path, manifest: Manifest) -> None:
    assert load_manifest(landing_dir) == manifest
    data = json.loads((landing_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert all(set(s) == SCENARIO_KEYS for s in data["scenarios"])
    assert data["channel_rows"] == manifest.channel_rows
    assert data["campaigns"] == 48
    assert data["random_scenarios"] is None
    first = data["scenarios"][0]
    assert set(first["episodes"][0]) == {"from_day", "to_day"}
    assert set(first["expected_fail_ranges"][0]) == {"from", "to"}


def test_one_scenario_and_twin_per_catalogue_pitfall(manifest: Manifest) -> None:
    catalogue = sorted(p.id for p in load_catalogue())
    assert sorted(manifest.pitfalls) == catalogue
    assert len(catalogue) == 23
    for s in manifest.scenarios:
        assert s.twin_campaign_id and s.twin_campaign_id != s.campaign_id
        assert s.check and s.description and "{" not in s.description


def test_twins_and_baselines_are_clean(manifest: Manifest) -> None:
    scenario_ids = {s.campaign_id for s in manifest.scenarios}
    twins = {s.twin_campaign_id for s in manifest.scenarios}
    assert len(twins) == len(manifest.scenarios)
    assert twins <= set(manifest.clean_campaigns)
    assert set(manifest.baseline_campaigns) <= set(manifest.clean_campaigns)
    assert set(manifest.clean_campaigns) == twins | set(manifest.baseline_campaigns)
    assert not scenario_ids & set(manifest.clean_campaigns)
    assert len(manifest.campaign_ids) == 48
    assert len(manifest.baseline_campaigns) == 2


def test_scenario_days_fit_the_landing_zone(manifest: Manifest) -> None:
    for s in manifest.scenarios:
        assert manifest.first_day <= s.from_day <= s.fails_by <= manifest.end_date, s.pitfall
        assert s.expected_fail_ranges[0].start == s.fails_by
        assert s.expected_fail_ranges[-1].to == manifest.end_date
        assert s.episodes[0].from_day == s.from_day
        ranges = sorted([*s.expected_fail_ranges, *s.expected_pass_ranges], key=lambda r: r.start)
        for before, after in pairwise(ranges):
            assert before.start <= before.to < after.start, s.pitfall
        if s.from_day > manifest.first_day:
            assert s.expected_pass_ranges[0].start == manifest.first_day
            assert s.expected_pass_ranges[0].to == s.from_day - timedelta(days=1)
    p09 = manifest.scenario("P09")
    assert (manifest.end_date - p09.from_day).days >= 21
    assert (p09.fails_by - p09.from_day).days == 13
    assert (manifest.scenario("P10").fails_by - manifest.scenario("P10").from_day).days == 6


def test_supply_scenario_comes_and_goes(manifest: Manifest) -> None:
    """Stock-outs end-40..end-34 and end-19..end: with a 7-day window the guard fails from
    end-40 to end-28, passes from end-27 and fails again from end-19."""
    s = manifest.scenario("P21")
    end = manifest.end_date

    def ago(n: int):
        return end - timedelta(days=n)

    assert [(e.from_day, e.to_day) for e in s.episodes] == [(ago(40), ago(34)), (ago(19), None)]
    assert [(r.start, r.to) for r in s.expected_fail_ranges] == [(ago(40), ago(28)), (ago(19), end)]
    assert (ago(27), ago(20)) in [(r.start, r.to) for r in s.expected_pass_ranges]
    assert s.must_fail(ago(40)) and s.must_fail(ago(28)) and s.must_pass(ago(27))
    assert s.must_pass(ago(20)) and s.must_fail(ago(19)) and s.must_fail(end)
    assert s.fails_by == ago(40)


def test_twins_share_brand_owner_and_theme(
    db: duckdb.DuckDBPyConnection, manifest: Manifest
) -> None:
    plan = {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT campaign_id, brand, owner_slack_channel, hashtag, planned_channels, budget, "
            "campaign_name FROM campaigns"
        ).fetchall()
    }
    for s in manifest.scenarios:
        scenario, twin = plan[s.campaign_id], plan[s.twin_campaign_id]
        assert scenario[:5] == twin[:5]
        assert scenario[5] != twin[5]  # another market
        assert s.owner_slack_channel == scenario[1]
        assert s.owner_slack_channel.startswith("#")


def test_special_baselines(db: duckdb.DuckDBPyConnection, manifest: Manifest) -> None:
    owners = dict(db.execute("SELECT campaign_id, owner_slack_channel FROM campaigns").fetchall())
    assert owners[manifest.unowned_campaign_id] is None
    assert [c for c, o in owners.items() if o is None] == [manifest.unowned_campaign_id]
    assert {manifest.unicode_campaign_id, manifest.unowned_campaign_id} == set(
        manifest.baseline_campaigns
    )
    assert {"#growth-emea", "#brand-social", "#crm-lifecycle"} & set(owners.values())


def test_random_mode_lists_every_drawn_scenario(random_landing) -> None:
    landing_dir, manifest = random_landing
    assert load_manifest(landing_dir) == manifest
    assert manifest.random_scenarios == 30 and manifest.scenario_seed == 5
    assert len(manifest.scenarios) == 30
    assert len(manifest.campaign_ids) == 62
    assert len(manifest.baseline_campaigns) == 2
    assert 10 < len(set(manifest.pitfalls)) < 30  # drawn at random, with repeats
    assert set(manifest.pitfalls) <= {p.id for p in load_catalogue()}
    for s in manifest.scenarios:
        assert s.fails_by <= manifest.end_date
        assert s.expected_fail_ranges[-1].to == manifest.end_date
