"""The manifest is ground truth: each scenario trips its own guard on the nights it says (and
only its own), its twin and every clean campaign stay healthy. Signals are recomputed from the
files with DuckDB (``landing_signals``)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from marketing_health.generate import Manifest, generate_landing


def _check_ground_truth(signals, manifest: Manifest) -> list[str]:
    """Every way the files contradict the manifest, as readable lines (empty when none)."""
    problems = []
    days = signals.days()
    last = set(signals.last_days(14))
    failures = signals.failures(manifest.first_day)
    for s in manifest.scenarios:
        failing = set(failures.get(s.campaign_id, {}).get(s.pitfall, []))
        if missing := sorted(d for d in days if s.must_fail(d) and d not in failing):
            problems.append(f"{s.pitfall} {s.campaign_id} passes on {missing[0]}, must fail")
        if wrong := sorted(d for d in failing if s.must_pass(d)):
            problems.append(f"{s.pitfall} {s.campaign_id} fails on {wrong[0]}, must pass")
        if early := sorted(d for d in failing if d < s.from_day):
            problems.append(f"{s.pitfall} {s.campaign_id} fails on {early[0]} before from_day")
        for other, other_days in failures.get(s.campaign_id, {}).items():
            if other != s.pitfall and set(other_days) & last:
                problems.append(f"scenario {s.campaign_id} ({s.pitfall}) also fails {other}")
    for cid in manifest.clean_campaigns:
        for pitfall, bad in failures.get(cid, {}).items():
            if bad := sorted(set(bad) & last):
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


def test_ground_truth_holds_for_random_scenarios(random_landing, signals_of) -> None:
    landing_dir, manifest = random_landing
    signals = signals_of(landing_dir, manifest)
    try:
        assert _check_ground_truth(signals, manifest) == []
        failing_at_end = {
            (pitfall, campaign)
            for campaign, by_pitfall in signals.failures(manifest.end_date).items()
            for pitfall in by_pitfall
        }
        assert failing_at_end == {(s.pitfall, s.campaign_id) for s in manifest.scenarios}
    finally:
        signals.con.close()


def test_clean_campaigns_are_comfortably_healthy(signals, manifest: Manifest) -> None:
    clean = list(manifest.clean_campaigns)
    since = manifest.end_date - timedelta(days=13)
    row = signals.con.execute(
        """
        SELECT min(i.integration_score), min(i.tracked_share), min(i.message_consistency),
               max(m.nano_micro_spend_share), min(m.mid_plus_creators),
               min(g.outcome_kpis_with_target), min(f.min_audience_overlap),
               min(c.reply_rate), max(c.median_reply_hours), max(z.max_engagement_z),
               min(r.reserve_share), min(o.roi_vs_target)
        FROM sig_integration AS i
        JOIN sig_influencer_mix AS m USING (campaign_id, d)
        JOIN sig_campaign_goals AS g USING (campaign_id)
        LEFT JOIN sig_creator_fit AS f USING (campaign_id, d)
        LEFT JOIN sig_conversation AS c USING (campaign_id, d)
        LEFT JOIN sig_engagement AS z USING (campaign_id, d)
        JOIN sig_budget_reserve AS r USING (campaign_id, d)
        LEFT JOIN sig_roi AS o USING (campaign_id, d)
        WHERE campaign_id IN (SELECT unnest(?)) AND d >= ?
        """,
        [clean, since],
    ).fetchone()
    integration, tracked, consistency, nano_micro, mid_plus, outcomes = row[:6]
    overlap, reply_rate, reply_hours, engagement_z, reserve, roi_margin = row[6:]
    assert integration >= 0.7
    assert tracked >= 0.7  # an ad group may run without tracking for weeks
    assert consistency >= 0.6
    assert nano_micro <= 0.6
    assert mid_plus >= 1
    assert outcomes >= 1
    assert overlap >= 0.7
    assert reply_rate >= 0.3 and reply_hours <= 6
    assert engagement_z <= 2.5
    assert reserve >= 0.2
    assert roi_margin >= 0.2


def test_p01_creator_outside_the_target_audience(signals, manifest: Manifest) -> None:
    s = manifest.scenario("P01")
    query = (
        "SELECT min_audience_overlap, misaligned_creators FROM sig_creator_fit "
        "WHERE campaign_id = ? AND d = ?"
    )
    overlap, misaligned = signals.con.execute(query, [s.campaign_id, s.from_day]).fetchone()
    assert overlap < 0.5 and misaligned == 1
    before = signals.con.execute(query, [s.campaign_id, s.from_day - timedelta(days=1)]).fetchone()
    assert before[0] >= 0.7 and before[1] == 0
    twin = signals.con.execute(query, [s.twin_campaign_id, manifest.end_date]).fetchone()
    assert twin[0] >= 0.7 and twin[1] == 0
    flagged = signals.value("SELECT max(flagged_creators) FROM sig_creator_fit")
    assert flagged == 0
    assert signals.value("SELECT count(*) FROM creators WHERE brand_safety_flags IS NOT NULL")


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


def test_p10_comments_go_unanswered_from_from_day(signals, manifest: Manifest) -> None:
    s = manifest.scenario("P10")
    replies = signals.con.execute(
        """
        SELECT campaign_id, comment_date >= ? AS after,
               count(*), avg(CAST(brand_replied_at IS NOT NULL AS INT))
        FROM social_comments WHERE campaign_id IN (?, ?) GROUP BY ALL
        """,
        [s.from_day, s.campaign_id, s.twin_campaign_id],
    ).fetchall()
    rate = {(c, after): r for c, after, n, r in replies if n >= 20}
    assert rate[(s.campaign_id, True)] == 0
    assert rate[(s.campaign_id, False)] >= 0.4
    assert rate[(s.twin_campaign_id, True)] >= 0.4
    posts_replies = signals.value(
        "SELECT sum(brand_replies) FROM social_posts WHERE campaign_id = ? AND post_date >= ?",
        [s.campaign_id, s.from_day],
    )
    assert posts_replies == 0
    reply_rate = signals.value(
        "SELECT reply_rate FROM sig_conversation WHERE campaign_id = ? AND d = ?",
        [s.campaign_id, s.fails_by],
    )
    assert reply_rate == 0


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


def test_p17_booking_eats_the_reserve_on_from_day(signals, manifest: Manifest) -> None:
    s = manifest.scenario("P17")
    query = "SELECT reserve_share FROM sig_budget_reserve WHERE campaign_id = ? AND d = ?"
    day_before = s.from_day - timedelta(days=1)
    assert signals.value(query, [s.campaign_id, day_before]) >= 0.2
    assert signals.value(query, [s.campaign_id, s.from_day]) <= 0.05
    assert signals.value(query, [s.campaign_id, manifest.end_date]) < 0.1
    assert signals.value(query, [s.twin_campaign_id, manifest.end_date]) >= 0.2


def test_p21_stock_runs_out_in_two_episodes(signals, manifest: Manifest) -> None:
    s = manifest.scenario("P21")
    out_days = signals.con.execute(
        "SELECT campaign_id, list(DISTINCT stock_date ORDER BY stock_date), "
        "count(DISTINCT product_id) FROM inventory "
        "WHERE units_in_stock = 0 OR units_backordered > 0 GROUP BY ALL"
    ).fetchall()
    assert [(c, n) for c, _, n in out_days] == [(s.campaign_id, 1)]
    expected = []
    for e in s.episodes:
        day, last = e.from_day, e.to_day or manifest.end_date
        while day <= last:
            expected.append(day)
            day += timedelta(days=1)
    assert out_days[0][1] == expected
    stockouts = dict(
        signals.con.execute(
            "SELECT d, stockout_days_7d FROM sig_supply WHERE campaign_id = ?", [s.campaign_id]
        ).fetchall()
    )
    ranges = s.expected_fail_ranges
    assert stockouts[ranges[0].start] == 1 and stockouts[ranges[0].to] == 1
    assert stockouts[ranges[0].to + timedelta(days=1)] == 0
    assert stockouts[ranges[1].start - timedelta(days=1)] == 0
    assert stockouts[manifest.end_date] == 7


def test_p23_return_under_target_in_one_model(signals, manifest: Manifest) -> None:
    s = manifest.scenario("P23")
    rows = dict(
        signals.con.execute(
            "SELECT campaign_id, {'roi': roi, 'margin': roi_vs_target} FROM sig_roi "
            "WHERE campaign_id IN (?, ?) AND d = ?",
            [s.campaign_id, s.twin_campaign_id, manifest.end_date],
        ).fetchall()
    )
    assert rows[s.campaign_id]["margin"] < -0.1
    assert rows[s.twin_campaign_id]["margin"] >= 0.3
    models = signals.value(
        "SELECT max(n) FROM (SELECT campaign_id, count(DISTINCT model) AS n FROM attribution "
        "GROUP BY ALL)"
    )
    assert models == 1
    daily = signals.value(
        "SELECT min(n) FROM (SELECT campaign_id, count(DISTINCT attribution_date) AS n "
        "FROM attribution GROUP BY ALL)"
    )
    assert daily == (manifest.end_date - manifest.first_day).days + 1


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
