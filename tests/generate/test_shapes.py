"""The sample data looks like what the channel tools export: plausible rates, weekly rhythms,
tiers, audiences and addresses."""

from __future__ import annotations

from datetime import timedelta

import duckdb
import pytest

from marketing_health.generate import Manifest


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
    assert low >= 30 and high <= 150
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
