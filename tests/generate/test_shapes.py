"""The sample data looks like what the channel tools export: plausible rates, weekly rhythms,
tiers, audiences and addresses."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import pytest

from marketing_health.generate import Manifest, vocab
from marketing_health.generate.influencer import ENGAGEMENT, ER_SPREAD


def test_campaign_windows_cover_the_generated_days(
    db: duckdb.DuckDBPyConnection, manifest: Manifest
) -> None:
    early_start, late_end = db.execute(
        "SELECT max(start_date) <= ?, min(end_date) > ? FROM campaigns",
        [manifest.first_day, manifest.end_date],
    ).fetchone()
    assert early_start and late_end


def test_weekends_are_quieter_for_paid_and_email(db: duckdb.DuckDBPyConnection) -> None:
    weekday, weekend = db.execute(
        "SELECT avg(spend) FILTER (WHERE isodow(ad_date) <= 5), "
        "avg(spend) FILTER (WHERE isodow(ad_date) > 5) FROM paid_ads"
    ).fetchone()
    assert weekend < 0.9 * weekday
    assert (
        db.execute("SELECT count(*) FROM email_sends WHERE isodow(send_date) > 5").fetchone()[0]
        == 0
    )
    by_day = dict(
        db.execute("SELECT isodow(post_date), count(*) FROM social_posts GROUP BY 1").fetchall()
    )
    assert max(by_day[5], by_day[7]) > by_day[1]


def test_paid_rates_are_plausible(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute(
        "SELECT platform, sum(clicks) / sum(impressions), sum(conversions) / sum(clicks), "
        "sum(revenue) / sum(spend), count(DISTINCT ad_group_id) FROM paid_ads GROUP BY platform"
    ).fetchall()
    assert len(rows) >= 3
    for platform, ctr, cvr, roas, groups in rows:
        assert 0.002 <= ctr <= 0.06, platform
        assert 0.005 <= cvr <= 0.1, platform
        assert 0.3 <= roas <= 12, platform
        assert groups >= 2
    per_campaign = db.execute(
        "SELECT min(n) FROM "
        "(SELECT campaign_id, count(DISTINCT platform) AS n FROM paid_ads GROUP BY 1)"
    ).fetchone()[0]
    assert per_campaign >= 2


def test_social_platforms_and_hashtags(db: duckdb.DuckDBPyConnection) -> None:
    platforms, tagged = db.execute(
        """
        SELECT min(platforms), min(tagged) FROM (
            SELECT campaign_id, count(DISTINCT platform) AS platforms,
                   avg(CAST(contains(lower(post_text), lower(c.hashtag)) AS INT)) AS tagged
            FROM social_posts JOIN campaigns AS c USING (campaign_id) GROUP BY 1)
        """
    ).fetchone()
    assert platforms >= 2
    assert tagged >= 0.75


def test_email_cadence_variants_and_recipients(
    db: duckdb.DuckDBPyConnection, manifest: Manifest
) -> None:
    scenario = manifest.scenario("P09").campaign_id
    weekly = db.execute(
        """
        SELECT min(n), max(n) FROM (
            SELECT campaign_id, date_trunc('week', send_date) AS week, count(DISTINCT send_id) AS n
            FROM email_sends WHERE campaign_id <> ? AND send_date >= ? GROUP BY ALL)
        """,
        [scenario, manifest.first_day + timedelta(days=7)],
    ).fetchone()
    assert weekly[0] >= 1 and weekly[1] <= 3
    variants = dict(db.execute("SELECT variant, count(*) FROM email_sends GROUP BY 1").fetchall())
    assert variants["personalised"] > 0 and variants["generic"] >= variants["personalised"]
    tokens = db.execute(
        "SELECT bool_and((variant = 'personalised') = (personalisation_tokens IS NOT NULL)) "
        "FROM email_sends"
    ).fetchone()[0]
    assert tokens
    low, high = db.execute("SELECT min(delivered), max(delivered) FROM email_sends").fetchone()
    assert low >= 30 and high <= 200
    mismatched = db.execute(
        """
        SELECT count(*)
        FROM (SELECT send_id, sum(delivered) AS delivered FROM email_sends GROUP BY 1)
        FULL JOIN (SELECT send_id, count(*) AS recipients FROM email_recipients GROUP BY 1)
        USING (send_id) WHERE delivered IS DISTINCT FROM recipients
        """
    ).fetchone()[0]
    assert mismatched == 0
    unsubscribes = db.execute(
        """
        SELECT (SELECT sum(unsubscribes) FROM email_sends),
               (SELECT count(*) FROM email_recipients WHERE consent_status = 'opted_out'
                AND CAST(opted_out_at AS DATE) = sent_date)
        """
    ).fetchone()
    assert unsubscribes[0] == unsubscribes[1] > 0


def test_fake_contacts_look_real(db: duckdb.DuckDBPyConnection) -> None:
    bad_email, phones, bad_phone, total = db.execute(
        r"""
        SELECT count(*) FILTER (WHERE NOT regexp_matches(
                   email, '^[a-z]+\.[a-z]+\d*@example\.(com|org|net)$')),
               count(phone),
               count(*) FILTER (WHERE NOT regexp_matches(phone, '^\+\d{1,3}( \d+)+$')),
               count(*)
        FROM email_recipients
        """
    ).fetchone()
    assert bad_email == 0 and bad_phone == 0
    assert 0.2 < phones / total < 0.5


def test_consent_precedes_the_send(db: duckdb.DuckDBPyConnection) -> None:
    late = db.execute(
        "SELECT count(*) FROM email_recipients WHERE consent_status = 'opted_in' "
        "AND (consent_at IS NULL OR CAST(consent_at AS DATE) >= sent_date)"
    ).fetchone()[0]
    assert late == 0
    share = db.execute(
        "SELECT avg(CAST(consent_status = 'opted_in' AS INT)) FROM email_recipients"
    ).fetchone()[0]
    assert share > 0.95


@pytest.mark.parametrize(
    ("tier", "low", "high"),
    [
        ("nano", 1, 10_000),
        ("micro", 10_000, 100_000),
        ("mid", 100_000, 500_000),
        ("macro", 500_000, 1_000_000),
        ("celebrity", 1_000_000, 50_000_000),
    ],
)
def test_creator_tiers_follow_followers(
    db: duckdb.DuckDBPyConnection, tier: str, low: int, high: int
) -> None:
    found = db.execute(
        "SELECT min(followers), max(followers) FROM influencer_posts WHERE tier = ?", [tier]
    ).fetchone()
    if found[0] is not None:
        assert low <= found[0] and found[1] <= high


def test_fees_grow_with_tier(db: duckdb.DuckDBPyConnection) -> None:
    medians = dict(
        db.execute(
            "SELECT tier, median(fee) FROM influencer_posts WHERE is_sponsored GROUP BY 1"
        ).fetchall()
    )
    order = [t for t in ("nano", "micro", "mid", "macro", "celebrity") if t in medians]
    assert len(order) >= 4
    assert [medians[t] for t in order] == sorted(medians[t] for t in order)
    organic = db.execute(
        "SELECT count(*), coalesce(max(fee), 0) FROM influencer_posts WHERE NOT is_sponsored"
    ).fetchone()
    assert organic[1] == 0


def test_comments_follow_the_posts(db: duckdb.DuckDBPyConnection, manifest: Manifest) -> None:
    per_day, negative, replied, median_hours = db.execute(
        """
        SELECT avg(n), (SELECT avg(CAST(sentiment = 'negative' AS INT)) FROM social_comments),
               (SELECT avg(CAST(brand_replied_at IS NOT NULL AS INT)) FROM social_comments),
               (SELECT median(epoch(brand_replied_at - commented_at) / 3600)
                FROM social_comments)
        FROM (SELECT campaign_id, comment_date, count(*) AS n FROM social_comments GROUP BY ALL)
        """
    ).fetchone()
    assert 5 <= per_day <= 30
    assert 0.02 <= negative <= 0.1
    assert 0.4 <= replied <= 0.7
    assert 1 <= median_hours <= 4
    mismatched = db.execute(
        """
        SELECT count(*) FROM social_posts AS p FULL JOIN (
            SELECT comment_date, platform, post_id, count(*) AS n,
                   count(*) FILTER (WHERE brand_replied_at IS NOT NULL) AS replied
            FROM social_comments GROUP BY ALL) AS c
          ON c.comment_date = p.post_date AND c.platform = p.platform AND c.post_id = p.post_id
        WHERE coalesce(c.n, 0) <> coalesce(p.comments, 0)
           OR coalesce(c.replied, 0) <> coalesce(p.brand_replies, 0)
        """
    ).fetchone()[0]
    assert mismatched == 0


def test_short_videos_on_two_platforms(db: duckdb.DuckDBPyConnection) -> None:
    share, platforms = db.execute(
        """
        SELECT avg(CAST(post_format = 'short_video' AS INT)),
               (SELECT min(n) FROM (SELECT campaign_id, count(DISTINCT platform) AS n
                FROM social_posts WHERE post_format = 'short_video' GROUP BY ALL))
        FROM social_posts
        """
    ).fetchone()
    assert 0.2 <= share <= 0.7
    assert platforms == 2


def test_creators_profiles_and_engagement(
    db: duckdb.DuckDBPyConnection, manifest: Manifest
) -> None:
    unknown = db.execute(
        """
        SELECT count(*) FROM influencer_posts AS i LEFT JOIN creators AS c USING (creator_id)
        WHERE c.creator_id IS NULL OR c.tier <> i.tier OR c.platform <> i.platform
           OR c.creator_handle <> i.creator_handle
        """
    ).fetchone()[0]
    assert unknown == 0
    reach_creator = manifest.scenario("P08").campaign_id
    rows = db.execute(
        "SELECT tier, min(engagements / impressions), max(engagements / impressions) "
        "FROM influencer_posts WHERE impressions >= 1000 AND campaign_id <> ? GROUP BY tier",
        [reach_creator],
    ).fetchall()
    for tier, low, high in rows:
        norm = ENGAGEMENT[vocab.TIERS.index(tier)]
        assert norm * (1 - ER_SPREAD) * 0.95 <= low and high <= norm * (1 + ER_SPREAD) * 1.05


def test_creator_workflow_runs_ahead_of_every_deliverable(db: duckdb.DuckDBPyConnection) -> None:
    missing, disorder, early = db.execute(
        """
        SELECT count(*) FILTER (WHERE w.post_id IS NULL AND i.post_date >= ? ),
               count(*) FILTER (WHERE w.draft_submitted_date > w.feedback_date
                                OR w.feedback_date >= w.went_live_date
                                OR w.brief_sent_date >= w.draft_submitted_date),
               count(*) FILTER (WHERE w.went_live_date <> i.post_date)
        FROM influencer_posts AS i LEFT JOIN creator_workflow AS w
            ON w.campaign_id = i.campaign_id AND w.creator_id = i.creator_id
            AND w.post_id = i.post_id AND w.went_live_date IS NOT NULL
        WHERE i.is_sponsored
        """,
        [db.execute("SELECT min(post_date) FROM influencer_posts").fetchone()[0]],
    ).fetchone()
    assert (missing, disorder, early) == (0, 0, 0)


def test_plan_side_exports(db: duckdb.DuckDBPyConnection, manifest: Manifest) -> None:
    campaigns = len(manifest.campaign_ids)
    experiments, commitments, owners, pr = db.execute(
        """
        SELECT (SELECT count(DISTINCT campaign_id) FROM experiments),
               (SELECT count(DISTINCT campaign_id) FROM budget_commitments),
               (SELECT count(DISTINCT campaign_id) FROM channel_owners),
               (SELECT count(DISTINCT campaign_id) FROM pr_items)
        """
    ).fetchone()
    assert experiments == commitments == owners == campaigns
    assert pr == campaigns - 1  # the P07 scenario has no PR at all
    products = db.execute(
        "SELECT min(n), max(n) FROM (SELECT campaign_id, stock_date, count(*) AS n "
        "FROM inventory GROUP BY ALL)"
    ).fetchone()
    assert products == (2, 4)
    assert db.execute("SELECT count(*) FROM brand_positioning").fetchone()[0] == len(vocab.BRANDS)


def test_attribution_cost_is_the_channel_spend(db: duckdb.DuckDBPyConnection) -> None:
    mismatched = db.execute(
        """
        SELECT count(*) FROM (
            SELECT campaign_id, ad_date AS day, sum(spend) AS spend FROM paid_ads GROUP BY ALL
        ) AS p FULL JOIN (
            SELECT campaign_id, attribution_date AS day, cost FROM attribution
            WHERE channel = 'paid'
        ) AS a USING (campaign_id, day)
        WHERE abs(coalesce(p.spend, 0) - coalesce(a.cost, 0)) > 0.02
        """
    ).fetchone()[0]
    assert mismatched == 0


def test_co_marketing_is_a_minority_with_fitting_partners(
    db: duckdb.DuckDBPyConnection, manifest: Manifest
) -> None:
    partnered = {r[0] for r in db.execute("SELECT DISTINCT campaign_id FROM partners").fetchall()}
    scenarios = {s.pitfall: s for s in manifest.scenarios}
    needed = {
        c
        for p in ("P19", "P20", "P22")
        for c in (scenarios[p].campaign_id, scenarios[p].twin_campaign_id)
    }
    assert needed <= partnered
    assert len(partnered) < len(manifest.campaign_ids) / 2
    promoted = {
        r[0] for r in db.execute("SELECT DISTINCT campaign_id FROM partner_promotions").fetchall()
    }
    assert promoted == partnered
    self_promotions = db.execute(
        "SELECT count(DISTINCT campaign_id) FROM partner_promotions WHERE partner_id = 'self'"
    ).fetchone()[0]
    assert self_promotions == len(partnered)


@pytest.mark.parametrize("brand", range(len(vocab.BRANDS)))
def test_every_brand_has_fitting_partners_and_a_misfit(brand: int) -> None:
    ours = vocab.POSITIONING[brand]
    fitting = [k for k in vocab.FITTING_PARTNERS[brand] if k not in vocab.MISFIT_PARTNER]
    assert len(fitting) >= 2
    misfit = vocab.PARTNERS[vocab.MISFIT_PARTNER[brand]].positioning
    assert not vocab.partner_fits(ours, misfit)


def test_posts_use_only_formats_their_platform_offers(db: duckdb.DuckDBPyConnection) -> None:
    """Formats follow the product's platform vocabulary, so the short-video and format-mix
    guards read the sample as the generator meant it (a TikTok 'video' is a short video)."""
    from marketing_health.catalogue.vocabularies import load_vocabularies
    from marketing_health.generate import plan, social, teams

    platforms = load_vocabularies().platforms
    for platform, mix in zip(teams.all_social_platforms(), social.POST_FORMAT_MIX, strict=True):
        used = {f for f, share in zip(vocab.SOCIAL_FORMATS, mix, strict=True) if share > 0}
        assert used <= set(platforms[platform].formats), (platform, used)
    # the daily short video of the first two platforms goes only where short video exists
    video_slots = [vocab.SOCIAL_PLATFORMS[i] for i in plan.VIDEO_PLATFORMS]
    video_slots += [p for t in teams.load_teams() for p in t.video_slots.values()]
    assert all("short_video" in platforms[p].formats for p in video_slots)
    offered = {(p.platform, f) for p in platforms.values() for f in p.formats}
    found = set(db.execute("SELECT DISTINCT platform, post_format FROM social_posts").fetchall())
    assert found and found <= offered, found - offered
