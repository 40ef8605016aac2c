"""Signal marts of ownership, personalisation, testing, budget, story, partners, supply and ROI.

A hand-made warehouse of its own, judged on 2024-06-30. Expected values are computed by hand
from the rows below; comments next to the rows say which case they cover.

- CMP-GOOD  2024-06-01..07-31, Stride: clean on every signal.
- CMP-BAD   2024-06-01..06-30, Stride: fires every signal.
- CMP-NEW   2024-06-20..07-20, Stride: in its first 11 days, no partner, no stock count, no
            social channel, no personalised send, budget 0: most signals do not apply.
- CMP-OTHER 2024-06-01..06-30, Northwind (no brand positioning), nothing active in the last
            14 days, a partner, no reserve and no commitment, no attribution.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from marketing_health.guards.examples import parse_examples, render_examples
from marketing_health.i18n import translator
from marketing_health.settings import Paths
from marketing_health.transform import run_dbt_build

from .warehouse_case import BuiltWarehouse, build_raw_warehouse

AS_OF_DATE = "2024-06-30"

COMMERCE_ROWS = """
insert into raw.campaigns (campaign_id, campaign_name, brand, owner_team, owner_slack_channel,
    start_date, end_date, budget, reserve_budget, currency, planned_channels, utm_campaign,
    storyline, hashtag, target_audience, target_roi) values
('CMP-GOOD', 'Good run', 'Stride', 'Growth', '#growth', '2024-06-01', '2024-07-31', 10000,
    1000, 'EUR', 'social|email|paid|influencer', 'good', 'Run your city', '#GoodRun', null, 0.5),
('CMP-BAD', 'Bad run', 'Stride', 'Growth', '#growth', '2024-06-01', '2024-06-30', 10000, 0,
    'EUR', 'social|email|paid|influencer', 'bad', ' ', null, null, null),
('CMP-NEW', 'New run', 'Stride', 'Growth', '#growth', '2024-06-20', '2024-07-20', 0, null,
    'EUR', 'email', 'new', null, '#New', null, null),
('CMP-OTHER', 'Other run', 'Northwind', 'Brand', '#brand', '2024-06-01', '2024-06-30', 5000,
    null, 'EUR', 'paid', 'other', 'Together with Acme', '#Other', null, null);

-- channel activity; the owner window of 06-30 is 06-17..06-30
insert into raw.social_posts (post_date, platform, post_id, campaign_id, post_format,
    post_text, impressions, likes, comments, shares, brand_replies, utm_campaign,
    is_sponsored, has_disclosure) values
-- the same short video reported on two days counts once
('2024-06-10', 'instagram', 'P-G1', 'CMP-GOOD', 'short_video', '#GoodRun', 100, 1, 0, 0, 0,
    'good', false, false),
('2024-06-11', 'instagram', 'P-G1', 'CMP-GOOD', 'short_video', '#GoodRun', 100, 1, 0, 0, 0,
    'good', false, false),
('2024-06-20', 'tiktok', 'P-G2', 'CMP-GOOD', 'short_video', '#GoodRun', 100, 1, 0, 0, 0,
    'good', false, false),
('2024-06-25', 'instagram', 'P-G3', 'CMP-GOOD', 'image', '#GoodRun', 100, 1, 0, 0, 0,
    'good', false, false),
-- 06-01 lies outside the 28 days of 06-30 (06-03..06-30)
('2024-06-01', 'instagram', 'P-B1', 'CMP-BAD', 'short_video', 'Hi', 100, 1, 0, 0, 0,
    'bad', false, false),
('2024-06-20', 'instagram', 'P-B2', 'CMP-BAD', 'image', 'Hi', 100, 1, 0, 0, 0,
    'bad', false, false),
('2024-06-29', 'facebook', 'P-B3', 'CMP-BAD', 'short_video', 'Hi', 100, 1, 0, 0, 0,
    'bad', false, false),
-- CMP-OTHER plans no social channel: its short video is not judged
('2024-06-16', 'tiktok', 'P-O1', 'CMP-OTHER', 'short_video', '#Other', 100, 1, 0, 0, 0,
    'other', false, false);

insert into raw.email_sends (send_date, send_id, campaign_id, variant, personalisation_tokens,
    delivered, opens, clicks, conversions, unsubscribes, complaints, utm_campaign) values
('2024-06-05', 'G1', 'CMP-GOOD', 'generic', null, 3000, 900, 100, 60, 6, 0, 'good'),
('2024-06-05', 'G1', 'CMP-GOOD', 'personalised', 'first_name|city', 3000, 900, 100, 90, 6, 0,
    'good'),
('2024-06-26', 'G2', 'CMP-GOOD', 'generic', null, 1000, 300, 30, 20, 2, 0, 'good'),
('2024-06-26', 'G2', 'CMP-GOOD', 'personalised', 'first_name', 1000, 300, 30, 30, 3, 0, 'good'),
-- five tokens, two of them sensitive once normalised ("Credit Score" is credit_score)
('2024-06-10', 'B1', 'CMP-BAD', 'generic', null, 2000, 600, 60, 40, 2, 0, 'bad'),
('2024-06-10', 'B1', 'CMP-BAD', 'personalised', 'First_Name|Credit Score|pregnancy|city|last_name',
    2000, 600, 60, 30, 2, 0, 'bad'),
('2024-06-28', 'B2', 'CMP-BAD', 'generic', null, 500, 150, 15, 10, 1, 0, 'bad'),
('2024-06-28', 'B2', 'CMP-BAD', 'personalised', 'first_name|health', 500, 150, 15, 5, 5, 0,
    'bad'),
('2024-06-25', 'N1', 'CMP-NEW', 'generic', null, 800, 200, 20, 8, 1, 0, 'new'),
-- generic converts nobody: no uplift to compute; nobody unsubscribed: no usual rate
('2024-06-10', 'O1', 'CMP-OTHER', 'generic', null, 1000, 300, 30, 0, 0, 0, 'other'),
('2024-06-10', 'O1', 'CMP-OTHER', 'personalised', 'first_name', 1000, 300, 30, 10, 0, 0,
    'other');

insert into raw.paid_ads (ad_date, platform, account_id, campaign_id, platform_campaign_id,
    ad_group_id, spend, currency, impressions, clicks, conversions, revenue, utm_campaign)
values
('2024-06-22', 'meta', 'A1', 'CMP-GOOD', 'PC1', 'AG1', 100, 'EUR', 1000, 10, 1, 50, 'good'),
('2024-06-18', 'meta', 'A1', 'CMP-BAD', 'PC2', 'AG2', 100, 'EUR', 1000, 10, 1, 50, 'bad'),
-- in the owner window of 06-29 (06-16..06-29), not in the one of 06-30
('2024-06-16', 'google', 'A2', 'CMP-OTHER', 'PC3', 'AG3', 100, 'EUR', 1000, 10, 1, 50, 'other');

insert into raw.influencer_posts (post_date, campaign_id, creator_id, creator_handle,
    platform, post_id, tier, followers, is_sponsored, has_disclosure, deliverable_due_date,
    delivered_date, fee, impressions, engagements, caption, utm_campaign) values
('2024-06-21', 'CMP-GOOD', 'CR1', '@mia', 'instagram', 'I-G1', 'mid', 200000, true, true,
    '2024-06-21', '2024-06-21', 500, 10000, 500, '#GoodRun #ad', 'good'),
('2024-06-19', 'CMP-BAD', 'CR2', '@sam', 'tiktok', 'I-B1', 'micro', 20000, true, true,
    '2024-06-19', '2024-06-19', 200, 5000, 200, 'Run #ad', 'bad');

-- an older owner list still named an influencer owner for CMP-BAD; the latest one does not
insert into raw.channel_owners (_delivery_day, campaign_id, channel, owner) values
('2024-05-01', 'CMP-BAD', 'influencer', 'Old owner'),
('2024-06-01', 'CMP-GOOD', 'social', 'Anna'),
('2024-06-01', 'CMP-GOOD', 'email', 'Ben'),
('2024-06-01', 'CMP-GOOD', 'paid', 'Cara'),
('2024-06-01', 'CMP-GOOD', 'influencer', 'Dan'),
-- one person under two spellings, an empty owner, no row for influencer
('2024-06-01', 'CMP-BAD', 'social', 'Zoe'),
('2024-06-01', 'CMP-BAD', 'email', ' zoe '),
('2024-06-01', 'CMP-BAD', 'paid', '  ');

insert into raw.experiments (campaign_id, experiment_id, channel, hypothesis, variants,
    start_date, end_date, status) values
('CMP-GOOD', 'E-G1', 'email', 'Subject lines', 2, '2024-06-05', null, 'running'),
-- ended on 06-01 = 06-30 minus 29 days: still inside the 30 days
('CMP-GOOD', 'E-G2', 'paid', 'Audiences', 3, '2024-05-01', '2024-06-01', 'completed'),
('CMP-GOOD', 'E-G3', 'social', 'One creative only', 1, '2024-06-05', null, 'running'),
('CMP-GOOD', 'E-G4', 'site', 'Landing page', 2, '2024-06-20', null, 'planned'),
-- ended the day before the 30 days of 06-30, inside those of 06-14
('CMP-GOOD', 'E-G5', 'email', 'Send times', 2, '2024-04-01', '2024-05-31', 'completed'),
('CMP-BAD', 'E-B1', 'paid', 'Bids', 2, '2024-06-25', '2024-06-26', 'stopped'),
('CMP-BAD', 'E-B2', 'email', 'Later', 2, '2024-07-05', null, 'running'),
('CMP-NEW', 'E-N1', 'email', 'Copy', 2, '2024-06-21', null, 'running');

insert into raw.budget_commitments (campaign_id, commitment_id, channel, committed_amount,
    committed_date) values
('CMP-GOOD', 'C-G1', 'paid', 7000, '2024-05-20'),
('CMP-GOOD', 'C-G2', 'influencer', 1000, '2024-06-15'),
('CMP-BAD', 'C-B1', 'paid', 9500, '2024-06-05');

insert into raw.brand_positioning (brand, price_tier, target_segments, brand_values,
    conflicting_values) values
('Stride', 'premium', 'urban_runners|families', 'sustainability', 'Fast_Fashion|gambling');

insert into raw.partners (campaign_id, partner_id, partner_brand, price_tier,
    target_segments, brand_values, contract_signed, success_metrics, exit_conditions) values
('CMP-GOOD', 'P-G1', 'Trailhead', 'mass', 'Urban_Runners|students', 'outdoor', true,
    'sign-ups', '30 days notice'),
-- our own brand in the partner list is no partner
('CMP-GOOD', 'self', 'Stride', 'luxury', 'nobody', 'gambling', false, null, null),
('CMP-BAD', 'P-B1', 'Cheapo', 'budget', 'students', 'fast_fashion', false, null, null),
('CMP-BAD', 'P-B2', 'Glam', 'luxury', 'families', 'glamour', true, 'revenue', ''),
('CMP-OTHER', 'P-O1', 'Acme', 'budget', 'students', 'gambling', true, 'leads', 'on breach');

insert into raw.partner_promotions (campaign_id, partner_id, promotion_id, promo_channel,
    start_date, end_date, key_message) values
-- together 06-01..07-10: 40 of the 61 days of CMP-GOOD
('CMP-GOOD', 'P-G1', 'PR-G1', 'online', '2024-06-01', '2024-06-30', 'Run with us #goodrun'),
('CMP-GOOD', 'P-G1', 'PR-G2', 'in_store', '2024-06-20', '2024-07-10', 'Trailhead x #GOODRUN'),
('CMP-GOOD', 'self', 'PR-G3', 'social', '2024-06-01', '2024-07-31', 'Join #GoodRun'),
-- CMP-BAD has no hashtag: no message can carry it; Glam has no promotion at all
('CMP-BAD', 'P-B1', 'PR-B1', 'online', '2024-06-01', '2024-06-10', 'Big sale'),
('CMP-BAD', 'self', 'PR-B2', 'email', '2024-06-01', '2024-06-30', null),
-- together 06-01..06-25: 25 of 30 days; the second message lacks #Other
('CMP-OTHER', 'P-O1', 'PR-O1', 'online', '2024-06-01', '2024-06-20', 'Acme x Northwind #OTHER'),
('CMP-OTHER', 'P-O1', 'PR-O2', 'offline', '2024-06-15', '2024-06-25', 'Summer deals'),
('CMP-NEW', 'self', 'PR-N1', 'email', '2024-06-20', '2024-06-30', 'New');

-- the 7 days of 06-30 are 06-24..06-30
insert into raw.inventory (stock_date, campaign_id, product_id, units_in_stock,
    units_backordered, _delivery_day) values
('2024-06-24', 'CMP-GOOD', 'SKU-G1', 100, 0, null),
('2024-06-30', 'CMP-GOOD', 'SKU-G1', 90, 0, null),
('2024-06-20', 'CMP-GOOD', 'SKU-G2', 0, 0, null),
('2024-06-28', 'CMP-BAD', 'SKU-B1', 0, 0, null),
('2024-06-29', 'CMP-BAD', 'SKU-B1', 0, 0, null),
('2024-06-30', 'CMP-BAD', 'SKU-B1', 5, 2, null),
-- first reported empty, corrected the next day
('2024-06-29', 'CMP-BAD', 'SKU-B2', 0, 0, '2024-06-30'),
('2024-06-29', 'CMP-BAD', 'SKU-B2', 10, 0, '2024-07-01'),
('2024-06-25', 'CMP-BAD', 'SKU-B3', 0, 0, null),
-- the first stock count of CMP-OTHER arrives on its last day
('2024-06-30', 'CMP-OTHER', 'SKU-O1', 3, 0, null);

insert into raw.attribution (attribution_date, campaign_id, channel, model,
    attributed_conversions, attributed_revenue, cost) values
-- last_click has more rows than data_driven: revenue 500, cost 150
('2024-06-05', 'CMP-GOOD', 'paid', 'last_click', 3, 300, 100),
('2024-06-06', 'CMP-GOOD', 'email', 'last_click', 2, 200, 50),
('2024-06-05', 'CMP-GOOD', 'paid', 'data_driven', 3, 250, 100),
-- before the start: not to date; linear beats mmm on rows: revenue 60, cost 120
('2024-05-20', 'CMP-BAD', 'paid', 'last_click', 10, 1000, 10),
('2024-06-02', 'CMP-BAD', 'paid', 'linear', 1, 50, 100),
('2024-06-02', 'CMP-BAD', 'email', 'linear', 1, 10, 20),
('2024-06-02', 'CMP-BAD', 'paid', 'mmm', 5, 500, 100),
('2024-06-25', 'CMP-NEW', 'email', 'last_click', 1, 100, 50);
"""

LIVE_DAYS = {"CMP-GOOD": 30, "CMP-BAD": 30, "CMP-NEW": 11, "CMP-OTHER": 30}

# what CMP-BAD's alerts quote
BAD_SENSITIVE = "send B2 (health) and send B1 (credit_score, pregnancy)"
BAD_MISFIT = (
    "Cheapo (price tier budget vs our premium, no shared target segment,"
    " conflicting values: fast_fashion)"
)
BAD_MISMATCHES = "promotion PR-B1 by Cheapo and promotion PR-B2 by our brand"
BAD_MISSING_TERMS = (
    "Cheapo (no signed contract, no success metrics, no exit conditions)"
    " and Glam (no exit conditions)"
)

MARTS = (
    "sig_channel_ownership",
    "sig_personalisation",
    "sig_personalisation_value",
    "sig_short_video",
    "sig_experiments",
    "sig_budget_reserve",
    "sig_story",
    "sig_partner_fit",
    "sig_partner_sync",
    "sig_supply",
    "sig_partner_terms",
    "sig_roi",
)


@pytest.fixture(scope="module")
def commerce_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    paths = Paths.under(Path(tmp_path_factory.mktemp("commerce")))
    build_raw_warehouse(paths, COMMERCE_ROWS)
    summary = run_dbt_build(paths, AS_OF_DATE)
    yield BuiltWarehouse(paths=paths, summary=summary)


def _signal(
    built: BuiltWarehouse, mart: str, columns: str, campaign: str, day: str = AS_OF_DATE
) -> tuple:
    """One signal row; a column of examples (a JSON array of objects) as the English alert
    shows it, so each case reads as what a marketer sees."""
    return tuple(_as_shown(value) for value in built.signal(mart, columns, campaign, day))


def _as_shown(value: object) -> object:
    examples = parse_examples(value)
    return value if examples is None else render_examples(examples, translator(None))


def test_build_passes(commerce_warehouse: BuiltWarehouse) -> None:
    summary = commerce_warehouse.summary
    assert summary.success, summary.summary()
    assert summary.failures == ()


@pytest.mark.parametrize("mart", MARTS)
def test_one_row_per_live_campaign_day(commerce_warehouse: BuiltWarehouse, mart: str) -> None:
    rows = commerce_warehouse.rows(
        f"select campaign_id, count(*), max(as_of_date) from marts.{mart} group by 1"
    )
    assert {r[0]: r[1] for r in rows} == LIVE_DAYS
    assert {r[2] for r in rows} == {date.fromisoformat(AS_OF_DATE)}


@pytest.mark.parametrize("mart", MARTS)
def test_signal_columns_are_numbers_or_text(commerce_warehouse: BuiltWarehouse, mart: str) -> None:
    types = {
        t
        for (t,) in commerce_warehouse.rows(
            "select data_type from information_schema.columns "
            f"where table_schema = 'marts' and table_name = '{mart}'"
        )
    }
    # JSON: the columns of examples, typed objects the alert writes in the team's language
    assert types <= {"DATE", "VARCHAR", "BIGINT", "DOUBLE", "JSON"}, types


def test_dim_campaigns_carries_target_roi(commerce_warehouse: BuiltWarehouse) -> None:
    rows = commerce_warehouse.rows(
        "select campaign_id, target_roi from marts.dim_campaigns order by campaign_id"
    )
    assert rows == [("CMP-BAD", None), ("CMP-GOOD", 0.5), ("CMP-NEW", None), ("CMP-OTHER", None)]


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        # four channels, four owners
        ("CMP-GOOD", AS_OF_DATE, (0, 0, 4, 4, "", "Anna, Ben, Cara, Dan")),
        # paid owner empty, influencer without row (the older list is gone); Zoe owns the rest
        ("CMP-BAD", AS_OF_DATE, (2, 1, 4, 1, "paid and influencer", "Zoe")),
        ("CMP-NEW", AS_OF_DATE, (1, 0, 1, 0, "email", "")),
        # social and paid ran on 06-16: active in the window of 06-29 only
        ("CMP-OTHER", "2024-06-29", (2, 0, 2, 0, "social and paid", "")),
        ("CMP-OTHER", AS_OF_DATE, (None, None, 0, 0, "", "")),
    ],
)
def test_channel_ownership(
    commerce_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    cols = (
        "ownerless_active_channels, single_owner_overload, active_channels, owners,"
        " ownerless_examples, owner_names"
    )
    assert _signal(commerce_warehouse, "sig_channel_ownership", cols, campaign, day) == expected


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        # 7 days: 3 unsubscribes of 1,000; usual (06-05, both variants): 12 of 6,000
        ("CMP-GOOD", AS_OF_DATE, (0, 2, 1.5, 2, "", 0.003, 0.002, 1000, 6000)),
        ("CMP-BAD", AS_OF_DATE, (2, 5, 10.0, 2, BAD_SENSITIVE, 0.01, 0.001, 500, 4000)),
        # no send in the usual weeks (05-09..06-05): no ratio
        (
            "CMP-BAD",
            "2024-06-12",
            (1, 5, None, 1, "send B1 (credit_score, pregnancy)", 0.001, None, 2000, 0),
        ),
        # the usual rate is 0: no ratio
        ("CMP-OTHER", AS_OF_DATE, (0, 1, None, 1, "", None, 0.0, 0, 2000)),
        # generic sends only: nothing to judge
        ("CMP-NEW", AS_OF_DATE, (None, None, None, 0, "", None, None, 0, 0)),
    ],
)
def test_personalisation(
    commerce_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    cols = (
        "sensitive_token_sends, max_tokens, unsub_rate_ratio, personalised_sends_28d,"
        " sensitive_examples, unsub_rate_7d, unsub_rate_baseline, personalised_delivered_7d,"
        " baseline_delivered"
    )
    got = _signal(commerce_warehouse, "sig_personalisation", cols, campaign, day)
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("campaign", "expected"),
    [
        # 120 of 4,000 personalised vs 80 of 4,000 generic
        ("CMP-GOOD", (0.5, 0.02, 0.03, 4000, 4000)),
        # 35 of 2,500 personalised vs 50 of 2,500 generic
        ("CMP-BAD", (-0.3, 0.02, 0.014, 2500, 2500)),
        ("CMP-NEW", (None, 0.01, None, 800, 0)),  # no personalised variant
        ("CMP-OTHER", (None, 0.0, 0.01, 1000, 1000)),  # generic converted nobody
    ],
)
def test_personalisation_value(
    commerce_warehouse: BuiltWarehouse, campaign: str, expected: tuple
) -> None:
    cols = (
        "personalisation_uplift, cvr_generic, cvr_personalised, generic_delivered,"
        " personalised_delivered"
    )
    got = _signal(commerce_warehouse, "sig_personalisation_value", cols, campaign)
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        ("CMP-GOOD", AS_OF_DATE, (2, 2, 3, "Instagram and TikTok")),
        ("CMP-GOOD", "2024-06-09", (0, 0, 0, "")),  # nothing posted yet
        ("CMP-BAD", AS_OF_DATE, (1, 1, 2, "Facebook")),  # the 06-01 video fell out
        ("CMP-OTHER", AS_OF_DATE, (None, None, 1, "TikTok")),  # no social channel planned
        ("CMP-NEW", AS_OF_DATE, (None, None, 0, "")),
    ],
)
def test_short_video(
    commerce_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    cols = "short_video_posts, short_video_platforms, social_posts_28d, short_video_platform_names"
    assert _signal(commerce_warehouse, "sig_short_video", cols, campaign, day) == expected


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        # E-G1 and E-G2 count; single variant, planned and long-ended ones do not
        ("CMP-GOOD", AS_OF_DATE, (2, 5, 1)),
        ("CMP-GOOD", "2024-06-14", (3, 4, 1)),  # day 14: E-G5 ended inside the 30 days
        ("CMP-GOOD", "2024-06-13", (None, 4, 1)),  # day 13: too early to judge
        ("CMP-BAD", AS_OF_DATE, (1, 1, 0)),  # E-B2 starts in July
        ("CMP-NEW", AS_OF_DATE, (None, 1, 0)),
    ],
)
def test_experiments(
    commerce_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    cols = "experiments_live_30d, experiments_started, single_variant_experiments"
    assert _signal(commerce_warehouse, "sig_experiments", cols, campaign, day) == expected


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        ("CMP-GOOD", AS_OF_DATE, (0.2, 10000.0, 8000.0, 2)),
        ("CMP-GOOD", "2024-06-10", (0.3, 10000.0, 7000.0, 1)),
        ("CMP-BAD", AS_OF_DATE, (0.05, 10000.0, 9500.0, 1)),
        ("CMP-BAD", "2024-06-03", (0.0, 10000.0, 0.0, 0)),  # before the commitment: plan reserve
        ("CMP-NEW", AS_OF_DATE, (None, 0.0, 0.0, 0)),  # no budget
        ("CMP-OTHER", AS_OF_DATE, (None, 5000.0, 0.0, 0)),  # neither reserve nor commitment
    ],
)
def test_budget_reserve(
    commerce_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    cols = "reserve_share, budget, committed, commitments"
    got = _signal(commerce_warehouse, "sig_budget_reserve", cols, campaign, day)
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("campaign", "expected"),
    [
        ("CMP-GOOD", (2, 1, 1, "", "#GoodRun")),
        ("CMP-BAD", (0, 0, 0, "storyline and hashtag", "")),  # a blank storyline is no storyline
        ("CMP-NEW", (1, 0, 1, "storyline", "#New")),
    ],
)
def test_story(commerce_warehouse: BuiltWarehouse, campaign: str, expected: tuple) -> None:
    cols = "story_elements, has_storyline, has_hashtag, missing_elements, hashtag"
    assert _signal(commerce_warehouse, "sig_story", cols, campaign) == expected


@pytest.mark.parametrize(
    ("campaign", "expected"),
    [
        # Trailhead shares urban_runners (case ignored), one price step; 'self' not counted
        ("CMP-GOOD", (0, 1, "", 0, 0, 0)),
        ("CMP-BAD", (1, 2, BAD_MISFIT, 1, 1, 1)),
        ("CMP-OTHER", (None, 1, "", None, None, None)),  # Northwind has no positioning
        ("CMP-NEW", (None, 0, "", None, None, None)),  # no partner
    ],
)
def test_partner_fit(commerce_warehouse: BuiltWarehouse, campaign: str, expected: tuple) -> None:
    cols = (
        "misfit_partners, partners, misfit_examples, price_tier_misfits, segment_misfits,"
        " value_conflicts"
    )
    assert _signal(commerce_warehouse, "sig_partner_fit", cols, campaign) == expected


@pytest.mark.parametrize(
    ("campaign", "expected"),
    [
        ("CMP-GOOD", (40 / 61, 0, 1, 3, "Trailhead", "")),
        ("CMP-BAD", (0.0, 2, 2, 2, "Glam", BAD_MISMATCHES)),
        (
            "CMP-OTHER",
            (25 / 30, 1, 1, 2, "Acme", "promotion PR-O2 by Acme"),
        ),
        ("CMP-NEW", (None, None, 0, 1, "", "")),  # only our own promotion: no partner
    ],
)
def test_partner_sync(commerce_warehouse: BuiltWarehouse, campaign: str, expected: tuple) -> None:
    cols = (
        "min_partner_overlap, message_mismatches, partners, promotions, least_synced_partner,"
        " mismatch_examples"
    )
    got = _signal(commerce_warehouse, "sig_partner_sync", cols, campaign)
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        ("CMP-GOOD", AS_OF_DATE, (0, 2, 0, "")),
        (
            "CMP-GOOD",
            "2024-06-20",
            (1, 1, 1, "SKU-G2 (1 day out of stock)"),
        ),  # SKU-G1 counted from 06-24
        # SKU-B2 was corrected to 10 in stock; 06-30 had units on backorder
        (
            "CMP-BAD",
            AS_OF_DATE,
            (4, 3, 2, "SKU-B1 (3 days out of stock) and SKU-B3 (1 day out of stock)"),
        ),
        ("CMP-OTHER", "2024-06-29", (None, 0, 0, "")),  # no stock count yet
        ("CMP-OTHER", AS_OF_DATE, (0, 1, 0, "")),
        ("CMP-NEW", AS_OF_DATE, (None, 0, 0, "")),
    ],
)
def test_supply(
    commerce_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    cols = "stockout_days_7d, products, stockout_products, stockout_examples"
    assert _signal(commerce_warehouse, "sig_supply", cols, campaign, day) == expected


@pytest.mark.parametrize(
    ("campaign", "expected"),
    [
        ("CMP-GOOD", (0, 1, "", 0, 0, 0)),
        ("CMP-BAD", (2, 2, BAD_MISSING_TERMS, 1, 1, 2)),
        ("CMP-OTHER", (0, 1, "", 0, 0, 0)),
        ("CMP-NEW", (None, 0, "", 0, 0, 0)),
    ],
)
def test_partner_terms(commerce_warehouse: BuiltWarehouse, campaign: str, expected: tuple) -> None:
    cols = (
        "partners_missing_terms, partners, missing_terms_examples, unsigned_contracts,"
        " missing_success_metrics, missing_exit_conditions"
    )
    assert _signal(commerce_warehouse, "sig_partner_terms", cols, campaign) == expected


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        # last_click: (500 - 150) / 150 against a target of 0.5
        ("CMP-GOOD", AS_OF_DATE, (2, 350 / 150 - 0.5, 350 / 150, 0.5, "last_click", 500, 150)),
        # before day 14 the return is not judged yet, but from day 8 its measurement is
        ("CMP-GOOD", "2024-06-13", (2, None, 350 / 150, 0.5, "last_click", 500, 150)),
        # linear only, never added to mmm; nothing in the 28 days (06-03..06-30)
        ("CMP-BAD", AS_OF_DATE, (0, -0.5, -0.5, 0.0, "linear", 60, 120)),
        # the 28 days of 06-14 (05-18..06-14) reach back before the start
        ("CMP-BAD", "2024-06-14", (2, -0.5, -0.5, 0.0, "linear", 60, 120)),
        ("CMP-OTHER", AS_OF_DATE, (0, None, None, 0.0, "", 0, 0)),  # no attribution at all
        ("CMP-NEW", AS_OF_DATE, (1, None, 1.0, 0.0, "last_click", 100, 50)),  # day 11
    ],
)
def test_roi(commerce_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple) -> None:
    cols = (
        "attribution_days_28d, roi_vs_target, roi, target_roi, attribution_model,"
        " attributed_revenue, attributed_cost"
    )
    got = _signal(commerce_warehouse, "sig_roi", cols, campaign, day)
    assert got == pytest.approx(expected)
