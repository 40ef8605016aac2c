"""The demo's sample with its Shanghai and Berlin teams, judged by a whole real night: the
teams' own files (Chinese and German formats and words) are read as the manifest expects, so
each team's scenario fails its guard, its twin stays silent, and the team's channel gets the
digest in the team's words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from marketing_health.generate import Manifest, generate_landing
from marketing_health.night import Night, run_night
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

END = date(2026, 11, 20)


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, Manifest, dict]:
    """The demo's generation (seed 11 as the pitfall tests) with the repository's config
    (config/locales.yaml declares the teams' files), judged on its last day."""
    mp = pytest.MonkeyPatch()
    for key in ("MH_SLACK_CONN_ID", "AIRFLOW_CONN_SLACK_MARKETING_HEALTH", "MH_LOCALES_CONFIG"):
        mp.delenv(key, raising=False)
    mp.setenv("MH_PII_HASH_KEY", "team-night-tests-key")
    paths = Paths.under(tmp_path_factory.mktemp("team-night"))
    manifest = generate_landing(
        paths.landing_dir, seed=11, end_date=END, export_style="mixed", team_style="localised"
    )
    run_night(paths, Night.for_date(END))
    with connect(paths.warehouse, read_only=True) as con:
        rows = con.execute(
            "select guard_id, campaign_id, outcome from guards.guard_results where run_date = ?",
            [END.isoformat()],
        ).fetchall()
    yield paths, manifest, {(g, c): o for g, c, o in rows}
    mp.undo()


def test_every_file_of_the_teams_loads_whole(night) -> None:
    paths, manifest, _ = night
    with connect(paths.warehouse, read_only=True) as con:
        ledger = con.execute(
            "select file_path, status, rows_quarantined from ops.load_ledger"
        ).fetchall()
        platforms = {
            p
            for (p,) in con.execute(
                "select distinct platform from raw.social_posts where campaign_id in "
                "(select campaign_id from raw.campaigns where owner_slack_channel = ?)",
                [manifest.team("shanghai").owner_slack_channel],
            ).fetchall()
        }
    team_files = [
        r for r in ledger if Path(r[0]).name.startswith(("shanghai_", "dach_", "douyin_"))
    ]
    assert len(team_files) > 50
    assert all(status == "loaded" and not q for _, status, q in team_files), team_files[:5]
    assert {"douyin", "xiaohongshu", "weibo"} <= platforms


def test_each_team_scenario_fails_its_guard_and_its_twin_stays_silent(night) -> None:
    _, manifest, outcomes = night
    judged = 0
    for team in manifest.teams:
        for s in manifest.scenarios:
            if s.campaign_id not in team.campaign_ids:
                continue
            failing = sorted(
                g for (g, c), o in outcomes.items() if c == s.campaign_id and o == "fail"
            )
            assert failing == [s.pitfall], f"{team.key} {s.campaign_id} ({s.pitfall}): {failing}"
            twin = sorted(
                g
                for (g, c), o in outcomes.items()
                if c == s.twin_campaign_id and o != "pass" and o != "not_applicable"
            )
            assert not twin, f"{team.key} twin {s.twin_campaign_id} of {s.pitfall}: {twin}"
            judged += 1
    assert judged >= 4


def test_the_rest_of_the_sample_is_judged_as_ever(night) -> None:
    _, manifest, outcomes = night
    missed = [
        (s.pitfall, s.campaign_id)
        for s in manifest.scenarios
        if s.must_fail(END) and outcomes.get((s.pitfall, s.campaign_id)) != "fail"
    ]
    assert not missed
    clean = set(manifest.clean_campaigns)
    false_alarms = sorted((g, c) for (g, c), o in outcomes.items() if c in clean and o == "fail")
    assert not false_alarms


def test_team_channels_read_their_digest_in_their_words(night) -> None:
    paths, manifest, outcomes = night
    alerts = paths.run_dir(END.isoformat()) / "alerts"
    with connect(paths.warehouse, read_only=True) as con:
        names = dict(
            con.execute("select campaign_id, campaign_name from marts.dim_campaigns").fetchall()
        )
    for team in manifest.teams:
        digest = (alerts / f"{team.owner_slack_channel.lstrip('#')}.txt").read_text("utf-8")
        failing = {c for (_, c), o in outcomes.items() if o == "fail" and c in team.campaign_ids}
        assert failing
        for campaign_id in failing:
            assert names[campaign_id] in digest, (team.key, names[campaign_id])
    shanghai = (alerts / "growth-shanghai.txt").read_text("utf-8")
    assert any(word in shanghai for word in ("双十一", "年货节", "开学季", "春日"))
