"""Every sample campaign is owned by a team that runs its market, so its digest reaches the
people who run it: no US campaign in #growth-emea, no German one in #growth-americas."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from marketing_health.generate import Manifest, generate_landing, teams, vocab

END = date(2025, 6, 30)

#: What a marketing organisation expects of the sample's regional channels (the others, teams
#: organised by discipline, may own any market).
REGIONAL = {
    "#growth-emea": {"DE", "FR", "ES", "IT", "NL", "UK", "SE", "PL"},
    "#performance-dach": {"DE"},
    "#growth-americas": {"US"},
    "#retail-apac": {"HK"},
    "#growth-shanghai": {"HK"},
    "#growth-dach": {"DE"},
}


def _plan_rows(landing: Path) -> list[dict[str, str]]:
    """Every campaign row of every plan file (the teams' own files too), as text."""
    rows = []
    for path in sorted(landing.glob("campaigns/*/*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def _market(row: dict[str, str]) -> str:
    """The market code in the campaign's utm_campaign (``<theme>_<market>_<number>``)."""
    return row["utm_campaign"].rsplit("_", 2)[1].upper()


def _served(channel: str) -> set[str] | None:
    """The markets a channel's team runs, from the sample's team lists; None: any market."""
    for team in vocab.TEAMS:
        if team.slack_channel == channel:
            return set(team.markets) or None
    for team in teams.load_teams():
        if team.slack_channel == channel:
            return {team.market}
    raise AssertionError(f"{channel} is no sample team's channel")


def _check_routing(landing: Path) -> dict[str, set[str]]:
    markets_by_channel: dict[str, set[str]] = {}
    rows = _plan_rows(landing)
    assert rows
    for row in rows:
        channel = row["owner_slack_channel"]
        if not channel:  # the one campaign whose plan names no channel
            continue
        market = _market(row)
        served = _served(channel)
        assert served is None or market in served, (
            f"{row['campaign_id']} {row['campaign_name']} ({market}) is routed to {channel}, "
            f"whose team runs {sorted(served or [])}"
        )
        markets_by_channel.setdefault(channel, set()).add(market)
    for channel, markets in markets_by_channel.items():
        assert markets <= REGIONAL.get(channel, markets), (channel, markets)
    return markets_by_channel


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_every_campaign_goes_to_a_team_that_runs_its_market(tmp_path: Path, seed: int) -> None:
    generate_landing(tmp_path, seed=seed, end_date=END, days=28)
    routed = _check_routing(tmp_path)
    # regional and discipline teams both own campaigns
    assert "#growth-emea" in routed and {"#brand-social", "#crm-lifecycle"} & set(routed)


def test_teams_delivering_their_own_files_run_their_own_market(tmp_path: Path) -> None:
    manifest: Manifest = generate_landing(
        tmp_path, seed=7, end_date=END, days=28, team_style="localised", export_style="mixed"
    )
    routed = _check_routing(tmp_path)
    assert routed["#growth-shanghai"] == {"HK"} and routed["#growth-dach"] == {"DE"}
    names = {r["campaign_id"]: r["campaign_name"] for r in _plan_rows(tmp_path)}
    for team in manifest.teams:
        pairs = [s for s in manifest.scenarios if s.owner_slack_channel == team.owner_slack_channel]
        assert pairs
        for s in pairs:
            # scenario and twin target the market's two places, so they stay told apart
            assert names[s.campaign_id] != names[s.twin_campaign_id]


def test_scenarios_and_twins_share_their_owner(tmp_path: Path) -> None:
    manifest = generate_landing(tmp_path, seed=11, end_date=END, days=28)
    owner = {r["campaign_id"]: r["owner_slack_channel"] for r in _plan_rows(tmp_path)}
    market = {r["campaign_id"]: _market(r) for r in _plan_rows(tmp_path)}
    for s in manifest.scenarios:
        assert owner[s.campaign_id] == owner[s.twin_campaign_id] == s.owner_slack_channel
        assert market[s.campaign_id] != market[s.twin_campaign_id]
