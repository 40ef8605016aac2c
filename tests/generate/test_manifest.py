"""The scenario manifest describes the landing zone it sits in."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from marketing_health.catalogue import load_catalogue
from marketing_health.generate import MANIFEST_NAME, Manifest, load_manifest


def test_manifest_round_trips(landing_dir: Path, manifest: Manifest) -> None:
    assert load_manifest(landing_dir) == manifest
    data = json.loads((landing_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert set(data["scenarios"][0]) == {
        "pitfall",
        "campaign_id",
        "twin_campaign_id",
        "owner_slack_channel",
        "from_day",
        "fails_by",
        "description",
    }
    assert data["channel_rows"] == manifest.channel_rows
    assert data["campaigns"] == 12


def test_one_scenario_per_guarded_pitfall(manifest: Manifest) -> None:
    guarded = {p.id for p in load_catalogue().guarded}
    assert sorted(s.pitfall for s in manifest.scenarios) == sorted(guarded)


def test_twins_and_baselines_are_clean(manifest: Manifest) -> None:
    scenario_ids = {s.campaign_id for s in manifest.scenarios}
    twins = {s.twin_campaign_id for s in manifest.scenarios}
    assert len(twins) == len(manifest.scenarios)
    assert twins <= set(manifest.clean_campaigns)
    assert set(manifest.baseline_campaigns) <= set(manifest.clean_campaigns)
    assert set(manifest.clean_campaigns) == twins | set(manifest.baseline_campaigns)
    assert not scenario_ids & set(manifest.clean_campaigns)
    assert len(manifest.campaign_ids) == 12
    assert len(manifest.baseline_campaigns) == 2


def test_scenario_days(manifest: Manifest) -> None:
    for s in manifest.scenarios:
        assert manifest.first_day <= s.from_day <= s.fails_by < manifest.end_date
        assert s.description
    p09 = manifest.scenario("P09")
    assert (manifest.end_date - p09.from_day).days >= 21
    assert (p09.fails_by - p09.from_day).days == 13


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
