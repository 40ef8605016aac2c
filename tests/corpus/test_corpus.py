"""The guards judged on hand-written team data: every expected failure found, no false alert.

One test per campaign of every corpus team (its verdict and every guard's outcome), one per
team for the landing zone, the plan and the owner digests. The night of a team runs once
(``corpus_night``); ``pytest tests/corpus -s`` prints each team's scorecard.
"""

from __future__ import annotations

import pytest

from .conftest import CorpusNight, corpus_teams, guard_titles, quarantine_line
from .corpus_team import FAIL, Team

pytestmark = pytest.mark.integration

TEAMS = corpus_teams()
CAMPAIGNS = [(team, cid) for team in TEAMS for cid in team.campaigns]


def _team_ids(team: Team) -> str:
    return team.name


@pytest.mark.parametrize(
    ("team", "campaign_id"), CAMPAIGNS, ids=[f"{t.name}-{c}" for t, c in CAMPAIGNS]
)
def test_campaign_judged_as_a_marketer_would(corpus_night, team: Team, campaign_id: str) -> None:
    """Every guard expected to fail fails, every cannot-tell is cannot_tell, nothing else fails."""
    night: CorpusNight = corpus_night(team)
    verdict = team.campaigns[campaign_id]
    name = night.plan[campaign_id].campaign_name if campaign_id in night.plan else "not in the plan"
    judged = [g for g in guard_titles() if night.outcome(g, campaign_id) != "no result"]
    assert judged, (
        f"{team.name}: campaign {campaign_id} ({name}) has no guard result on {team.as_of}: "
        "is it in the plan and live that night?"
    )
    wrong = []
    for gid, title in guard_titles().items():
        actual = night.outcome(gid, campaign_id)
        if verdict.misjudged(gid, actual):
            wrong.append(
                f"  {gid} {title}: expected {verdict.expected(gid)}, got {actual}. "
                f"Guard said: {night.summary(gid, campaign_id) or '(nothing)'}"
            )
    assert not wrong, (
        f"{team.name}: campaign {campaign_id} ({name}), verdict {verdict.verdict} "
        f"({verdict.why}), judged otherwise on {team.as_of}:\n" + "\n".join(wrong)
    )


@pytest.mark.parametrize("team", TEAMS, ids=_team_ids)
def test_verdicts_cover_the_plan(corpus_night, team: Team) -> None:
    """Every campaign of the plan has a verdict, and every verdict a campaign in the plan."""
    night: CorpusNight = corpus_night(team)
    without_verdict = sorted(set(night.plan) - set(team.campaigns))
    not_planned = sorted(set(team.campaigns) - set(night.plan))
    assert not without_verdict, (
        f"{team.name}: campaigns in the plan without a verdict in team.yaml: {without_verdict}"
    )
    assert not not_planned, (
        f"{team.name}: verdicts for campaigns the plan does not hold: {not_planned}"
    )


@pytest.mark.parametrize("team", TEAMS, ids=_team_ids)
def test_landing_zone_loads_whole(corpus_night, team: Team) -> None:
    """A team's exports follow the contract: no file refused, no row set aside unless expected."""
    night: CorpusNight = corpus_night(team)
    rejected = [
        f"{path}: {message}" for path, status, _, message in night.ledger if status == "rejected"
    ]
    assert not rejected, f"{team.name}: files rejected:\n" + "\n".join(rejected)
    unexpected = [
        quarantine_line(path, row, column, reason)
        for path, row, column, reason in night.quarantine
        if not any(a.covers(path, column) for a in team.expected_quarantine)
    ]
    assert not unexpected, f"{team.name}: rows quarantined:\n" + "\n".join(unexpected)
    for allowance in team.expected_quarantine:
        assert any(allowance.covers(path, column) for path, _, column, _ in night.quarantine), (
            f"{team.name}: expected quarantine in {allowance.file} ({allowance.why}) did not happen"
        )


@pytest.mark.parametrize("team", TEAMS, ids=_team_ids)
def test_owner_digest_names_each_failing_campaign_and_pitfall(corpus_night, team: Team) -> None:
    """The owner channel hears of each failing campaign by its own name, written as the plan
    writes it (any script, intact), with the title of every expected pitfall the guards found."""
    night: CorpusNight = corpus_night(team)
    titles = guard_titles()
    missing = []
    for verdict in team.failing:
        campaign = night.plan.get(verdict.campaign_id)
        if campaign is None:
            missing.append(f"{verdict.campaign_id}: not in the plan")
            continue
        failed = [
            g for g in sorted(verdict.expect_fail) if night.outcome(g, verdict.campaign_id) == FAIL
        ]
        if not failed:
            continue  # nothing to tell: the campaign's own test reports the missed failures
        channel = night.channels[verdict.campaign_id]
        text = night.digest_text(channel)
        if campaign.campaign_name not in text:
            missing.append(
                f"{verdict.campaign_id}: name {campaign.campaign_name!r} "
                f"not in the {channel} digest"
            )
        for gid in failed:
            if titles[gid] not in text:
                missing.append(
                    f"{verdict.campaign_id} ({campaign.campaign_name}): "
                    f"{gid} {titles[gid]!r} not in {channel}"
                )
    assert not missing, (
        f"{team.name}: owner digests of {team.as_of} (files: {night.digest_files()}) miss:\n"
        + "\n".join(missing)
    )
