"""The manifest is ground truth: each scenario trips its own guard from the day it says, its twin
and every clean campaign stay healthy. Signals are recomputed from the files with DuckDB."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from marketing_health.generate import Manifest, generate_landing
from marketing_health.generate.volumes import SCENARIO_PITFALLS


def _check_ground_truth(signals, manifest: Manifest) -> list[str]:
    """Every way the files contradict the manifest, as readable lines (empty when none)."""
    problems = []
    days = signals.days()
    last = signals.last_days(14)
    for s in manifest.scenarios:
        failing = set(signals.failing_days(s.campaign_id, s.pitfall))
        expected = {d for d in days if d >= s.fails_by}
        if missing := sorted(expected - failing):
            problems.append(f"{s.pitfall} {s.campaign_id} passes on {missing[0]} after fails_by")
        if early := sorted(d for d in failing if d < s.from_day):
            problems.append(f"{s.pitfall} {s.campaign_id} fails on {early[0]} before from_day")
        for other in SCENARIO_PITFALLS:
            if other != s.pitfall and set(signals.failing_days(s.campaign_id, other)) & set(last):
                problems.append(f"scenario {s.campaign_id} ({s.pitfall}) also fails {other}")
    for cid in manifest.clean_campaigns:
        for pitfall in SCENARIO_PITFALLS:
            if bad := sorted(set(signals.failing_days(cid, pitfall)) & set(last)):
                problems.append(f"clean campaign {cid} fails {pitfall} on {bad[0]}")
    return problems


def test_files_match_the_manifest(signals, manifest: Manifest) -> None:
    assert _check_ground_truth(signals, manifest) == []


@pytest.mark.parametrize(("seed", "days"), [(11, 60), (2024, 28), (5, 45)])
def test_ground_truth_holds_for_other_seeds_and_windows(
    tmp_path: Path, seed: int, days: int, end_date, signals_of
) -> None:
    manifest = generate_landing(tmp_path, seed=seed, end_date=end_date, days=days)
    signals = signals_of(tmp_path, manifest)
    try:
        assert _check_ground_truth(signals, manifest) == []
    finally:
        signals.con.close()


def test_clean_campaigns_are_comfortably_healthy(signals, manifest: Manifest) -> None:
    clean = list(manifest.clean_campaigns)
    since = manifest.end_date - timedelta(days=13)
    row = signals.con.execute(
        """
        SELECT min(i.integration_score), min(i.tracked_share), min(i.message_consistency),
               max(m.nano_micro_spend_share), min(m.mid_plus_creators),
               min(g.outcome_kpis_with_target)
        FROM sig_integration AS i
        JOIN sig_influencer_mix AS m USING (campaign_id, d)
        JOIN sig_campaign_goals AS g USING (campaign_id)
        WHERE campaign_id IN (SELECT unnest(?)) AND d >= ?
        """,
        [clean, since],
    ).fetchone()
    integration, tracked, consistency, nano_micro, mid_plus, outcomes = row
    assert integration >= 0.7
    assert tracked >= 0.9
    assert consistency >= 0.6
    assert nano_micro <= 0.6
    assert mid_plus >= 1
    assert outcomes >= 1


def test_p02_declares_vanity_kpis_only(signals, manifest: Manifest) -> None:
    s = manifest.scenario("P02")
    rows = dict(
        signals.con.execute(
            "SELECT campaign_id, {'declared': declared_kpis, 'outcome': outcome_kpis} "
            "FROM sig_campaign_goals WHERE campaign_id IN (?, ?)",
            [s.campaign_id, s.twin_campaign_id],
        ).fetchall()
    )
    assert rows[s.campaign_id]["declared"] >= 2
    assert rows[s.campaign_id]["outcome"] == 0
    assert rows[s.twin_campaign_id]["outcome"] >= 1


def test_p03_fees_go_to_nano_and_micro_creators(signals, manifest: Manifest) -> None:
    s = manifest.scenario("P03")
    query = (
        "SELECT nano_micro_spend_share, mid_plus_creators FROM sig_influencer_mix "
        "WHERE campaign_id = ? AND d = ?"
    )
    share, mid_plus = signals.con.execute(query, [s.campaign_id, manifest.end_date]).fetchone()
    assert share > 0.8
    assert mid_plus == 0
    twin_share, twin_mid_plus = signals.con.execute(
        query, [s.twin_campaign_id, manifest.end_date]
    ).fetchone()
    assert twin_share <= 0.6
    assert twin_mid_plus >= 1


def test_p05_undisclosed_posts_start_on_from_day(signals, manifest: Manifest) -> None:
    s = manifest.scenario("P05")
    query = """
        SELECT source, min(post_date) FROM (
            SELECT 'social' AS source, campaign_id, post_date FROM social_posts
            WHERE is_sponsored AND NOT has_disclosure
            UNION ALL
            SELECT 'influencer', campaign_id, post_date FROM influencer_posts
            WHERE is_sponsored AND NOT has_disclosure)
        WHERE campaign_id = ? GROUP BY source
    """
    first = dict(signals.con.execute(query, [s.campaign_id]).fetchall())
    assert first == {"social": s.from_day, "influencer": s.from_day}
    assert signals.con.execute(query, [s.twin_campaign_id]).fetchall() == []


def test_p09_only_untracked_paid_ads_after_from_day(signals, manifest: Manifest) -> None:
    s = manifest.scenario("P09")
    assert (manifest.end_date - s.from_day).days >= 21
    channels = signals.con.execute(
        "SELECT channel, count(*), count(*) FILTER (WHERE utm_campaign IS NOT NULL "
        "AND lower(utm_campaign) = "
        "(SELECT lower(utm_campaign) FROM campaigns WHERE campaign_id = ?)) "
        "FROM act WHERE campaign_id = ? AND day >= ? GROUP BY channel",
        [s.campaign_id, s.campaign_id, s.from_day],
    ).fetchall()
    assert [(c, tracked) for c, _, tracked in channels] == [("paid", 0)]
    before = signals.con.execute(
        "SELECT count(DISTINCT channel) FROM act WHERE campaign_id = ? AND day < ?",
        [s.campaign_id, s.from_day],
    ).fetchone()[0]
    assert before == 4
    score = signals.value(
        "SELECT integration_score FROM sig_integration WHERE campaign_id = ? AND d = ?",
        [s.campaign_id, manifest.end_date],
    )
    assert score < 0.5


def test_p13_mails_without_consent_and_leaks_contacts(signals, manifest: Manifest) -> None:
    s = manifest.scenario("P13")
    query = """
        SELECT count(*) FILTER (WHERE without_consent = 1),
               count(*) FILTER (WHERE after_opt_out = 1),
               min(day) FILTER (WHERE without_consent + after_opt_out > 0)
        FROM recipient_flags WHERE campaign_id = ?
    """
    without, after, first = signals.con.execute(query, [s.campaign_id]).fetchone()
    assert without > 0 and after > 0
    assert first == s.from_day
    assert signals.con.execute(query, [s.twin_campaign_id]).fetchone()[:2] == (0, 0)
    unknown_twin = signals.value(
        "SELECT count(*) FROM email_recipients WHERE consent_status = 'unknown' AND send_id IN "
        "(SELECT send_id FROM email_sends WHERE campaign_id = ?)",
        [s.twin_campaign_id],
    )
    assert unknown_twin == 0
    leaks = signals.con.execute(
        "SELECT min(day), sum(found) FROM pii_daily WHERE campaign_id = ?", [s.campaign_id]
    ).fetchone()
    assert leaks[0] == s.from_day and leaks[1] >= 2
    others = signals.value("SELECT count(*) FROM pii_daily WHERE campaign_id <> ?", [s.campaign_id])
    assert others == 0


def test_opt_outs_after_the_send_are_not_violations(signals, manifest: Manifest) -> None:
    clean = list(manifest.clean_campaigns)
    later = signals.value(
        """
        SELECT count(*) FROM email_recipients AS r
        JOIN (SELECT DISTINCT send_id, campaign_id FROM email_sends) USING (send_id)
        WHERE campaign_id IN (SELECT unnest(?)) AND r.consent_status = 'opted_out'
          AND CAST(r.opted_out_at AS DATE) >= r.sent_date
        """,
        [clean],
    )
    assert later > 0
    violations = signals.value(
        "SELECT sum(without_consent + after_opt_out) FROM recipient_flags "
        "WHERE campaign_id IN (SELECT unnest(?))",
        [clean],
    )
    assert violations == 0
