"""Audience and creator signal marts (P01, P04-P10) on a small warehouse of their own.

Four campaigns, every value below computed by hand from the rows of ``AUDIENCE_ROWS``:

- AUD-FIT   2024-05-01..07-31, social|influencer: creators who match the target audience,
            engage normally and deliver on time, a PR article, comments answered quickly.
            The clean case of every check.
- AUD-BAD   2024-05-01..07-31, social|influencer: a creator without a profile, one with the
            wrong audience, one flagged, one far below the platform's engagement and one far
            above the tier's, late deliverables, slow feedback, content live without a brief,
            no PR item in the campaign window, a spike of unanswered negative comments.
- AUD-OPEN  2024-05-01..07-31, social|influencer, no target audience, no hashtag: one creator
            post early in June and nothing since (integration drops), two formats in 8 weeks,
            comments nobody answers.
- AUD-NEW   2024-06-20..07-31, social|email: too young or too quiet for most checks (NULL).

The night is 2024-06-30: the 7 days are 06-24..06-30, the 28 days 06-03..06-30, the comment
baseline 05-27..06-23 and the 8 weeks 05-06..06-30. Creator posts of the tier micro, all on
instagram, in the 28 days rate .05 .04 .05 .06 (AUD-FIT) and .01 .01 .05 .30 (AUD-BAD):
exactly 8 posts, median 0.05, median absolute deviation 0.01.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from marketing_health.guards.examples import parse_examples, render_examples
from marketing_health.i18n import translator
from marketing_health.settings import Paths
from marketing_health.transform import run_dbt_build

from .warehouse_case import BuiltWarehouse, build_raw_warehouse

NIGHT = "2024-06-30"
Z = 0.6745  # robust z-score scale: 0.6745 x (rate - median) / MAD
W_ACTIVATION, W_MULTI, W_TRACKED, W_MESSAGE = 0.35, 0.25, 0.25, 0.15

AUDIENCE_ROWS = """
insert into raw.campaigns (_delivery_day, campaign_id, campaign_name, brand, owner_team,
    owner_slack_channel, start_date, end_date, budget, reserve_budget, currency,
    planned_channels, utm_campaign, storyline, hashtag, target_audience) values
('2024-05-01', 'AUD-FIT', 'Fit run', 'Stride', 'Growth', '#growth', '2024-05-01', '2024-07-31',
    5000, 500, 'EUR', 'social|influencer', 'fit_run', 'Run fit', '#FitRun',
    'age=25-34|35-44;country=DE;interest=Running'),
('2024-05-01', 'AUD-BAD', 'Bad fit', 'Stride', 'Growth', '#growth', '2024-05-01', '2024-07-31',
    5000, 500, 'EUR', 'social|influencer', 'bad_fit', null, '#BadFit',
    'age=18-24|25-34;country=FR'),
('2024-05-01', 'AUD-OPEN', 'Open push', 'Stride', 'Growth', '#growth', '2024-05-01',
    '2024-07-31', 5000, 500, 'EUR', 'social|influencer', 'open_push', null, null, null),
('2024-05-01', 'AUD-NEW', 'New wave', 'Stride', 'Growth', '#growth', '2024-06-20', '2024-07-31',
    5000, 500, 'EUR', 'social|email', 'new_wave', null, '#NewWave', 'age=25-34');

insert into raw.creators (_delivery_day, creator_id, creator_handle, platform, tier, followers,
    audience_age_bands, audience_countries, audience_interests, brand_safety_flags) values
-- an older profile delivery: CB1's flag was cleared since, CB3 has no profile any more
('2024-04-01', 'CB1', '@bad_carl', 'instagram', 'micro', 20000, '18-24|25-34', 'FR', null,
    'fake_followers'),
('2024-04-01', 'CB3', '@bad_eve', 'tiktok', 'nano', 5000, '18-24|25-34', 'FR', null, null),
-- the latest delivery
('2024-05-01', 'CF1', '@fit_anna', 'instagram', 'micro', 30000, '25-34|35-44', 'DE|AT',
    'running', null),
('2024-05-01', 'CF2', '@fit_ben', 'instagram', 'micro', 30000, '35-44', 'de', 'Running|Yoga',
    ''),
('2024-05-01', 'CB1', '@bad_carl', 'instagram', 'micro', 20000, '18-24|25-34', 'FR', null,
    null),
('2024-05-01', 'CB2', '@bad_dora', 'instagram', 'micro', 20000, '25-34', 'DE', null, null),
('2024-05-01', 'CB4', '@bad_finn', 'youtube', 'mid', 200000, '35-44', 'FR', null,
    'controversy'),
('2024-05-01', 'CO1', '@open_olga', 'tiktok', 'nano', 4000, '25-34', 'DE', null, null);

insert into raw.influencer_posts (post_date, campaign_id, creator_id, creator_handle,
    platform, post_id, tier, followers, is_sponsored, has_disclosure, deliverable_due_date,
    delivered_date, fee, impressions, engagements, caption, utm_campaign) values
('2024-06-10', 'AUD-FIT', 'CF1', '@fit_anna', 'instagram', 'FP1', 'micro', 30000, true, true,
    '2024-06-10', '2024-06-10', 100, 1000, 50, 'Morning miles #FitRun #ad', 'fit_run'),
('2024-06-12', 'AUD-FIT', 'CF2', '@fit_ben', 'instagram', 'FP2', 'micro', 30000, true, true,
    '2024-06-12', '2024-06-12', 100, 1000, 40, 'Intervals #FitRun #ad', 'fit_run'),
('2024-06-25', 'AUD-FIT', 'CF1', '@fit_anna', 'instagram', 'FP3', 'micro', 30000, true, true,
    '2024-06-25', '2024-06-25', 100, 1000, 50, 'Long run #FitRun #ad', 'fit_run'),
('2024-06-26', 'AUD-FIT', 'CF2', '@fit_ben', 'instagram', 'FP4', 'micro', 30000, true, true,
    '2024-06-26', '2024-06-26', 100, 1000, 60, 'Race day #FitRun #ad', 'fit_run'),
-- due 06-01, delivered 06-05: late on 06-14, before the 28 days of 06-30
('2024-06-05', 'AUD-BAD', 'CB3', '@bad_eve', 'tiktok', 'BP1', 'nano', 5000, true, true,
    '2024-06-01', '2024-06-05', 50, 100, 5, 'Hi #BadFit #ad', 'bad_fit'),
-- due 06-12, delivered 06-15: late
('2024-06-15', 'AUD-BAD', 'CB1', '@bad_carl', 'instagram', 'BP2', 'micro', 20000, true, true,
    '2024-06-12', '2024-06-15', 80, 1000, 10, 'Look #BadFit #ad', 'bad_fit'),
('2024-06-14', 'AUD-BAD', 'CB2', '@bad_dora', 'instagram', 'BP3', 'micro', 20000, true, true,
    '2024-06-14', '2024-06-14', 80, 1000, 50, 'Wow #BadFit #ad', 'bad_fit'),
('2024-06-20', 'AUD-BAD', 'CB3', '@bad_eve', 'tiktok', 'BP4', 'nano', 5000, true, true,
    '2024-06-20', '2024-06-20', 50, 200, 10, 'Again #BadFit #ad', 'bad_fit'),
-- engagement 0.30 against a tier median of 0.05: z = 0.6745 x 0.25 / 0.01
('2024-06-28', 'AUD-BAD', 'CB2', '@bad_dora', 'instagram', 'BP5', 'micro', 20000, true, true,
    '2024-06-28', '2024-06-28', 80, 1000, 300, 'Giveaway #BadFit #ad', 'bad_fit'),
('2024-06-27', 'AUD-BAD', 'CB1', '@bad_carl', 'instagram', 'BP6', 'micro', 20000, true, true,
    '2024-06-27', '2024-06-27', 80, 1000, 10, 'Meh #BadFit #ad', 'bad_fit'),
('2024-06-22', 'AUD-BAD', 'CB4', '@bad_finn', 'youtube', 'BP7', 'mid', 200000, true, true,
    '2024-06-22', '2024-06-22', 500, 5000, 100, 'Review #BadFit #ad', 'bad_fit'),
-- outstanding: due 06-25 (late), and due on the night itself (not late yet)
('2024-06-29', 'AUD-BAD', 'CB4', '@bad_finn', 'youtube', 'BP9', 'mid', 200000, true, true,
    '2024-06-25', null, 0, 0, 0, null, 'bad_fit'),
('2024-06-30', 'AUD-BAD', 'CB2', '@bad_dora', 'instagram', 'BP8', 'micro', 20000, true, true,
    '2024-06-30', null, 0, 0, 0, null, 'bad_fit'),
('2024-06-10', 'AUD-OPEN', 'CO1', '@open_olga', 'tiktok', 'OP1', 'nano', 4000, true, true,
    '2024-06-10', '2024-06-10', 40, 300, 9, null, 'open_push');

insert into raw.creator_workflow (report_date, campaign_id, creator_id, post_id,
    brief_sent_date, draft_submitted_date, feedback_date, went_live_date) values
('2024-06-10', 'AUD-FIT', 'CF1', 'FP1', '2024-06-01', '2024-06-05', '2024-06-07', '2024-06-10'),
-- BP2's draft waited from 06-08: 6 days on the night of 06-14, answered 06-13 (5 days)
('2024-06-08', 'AUD-BAD', 'CB1', 'BP2', '2024-06-01', '2024-06-08', null, null),
('2024-06-16', 'AUD-BAD', 'CB1', 'BP2', '2024-06-01', '2024-06-08', '2024-06-13', '2024-06-15'),
-- live without a brief, and live before the brief was sent
('2024-06-22', 'AUD-BAD', 'CB4', 'BP7', null, '2024-06-18', '2024-06-19', '2024-06-22'),
('2024-06-29', 'AUD-BAD', 'CB2', 'BP5', '2024-06-29', '2024-06-26', '2024-06-27', '2024-06-28'),
-- a draft still waiting on the night: 1 day
('2024-06-29', 'AUD-BAD', 'CB1', 'BP10', '2024-06-25', '2024-06-29', null, null);

insert into raw.social_posts (post_date, platform, post_id, campaign_id, post_format,
    post_text, impressions, likes, comments, shares, brand_replies, utm_campaign,
    is_sponsored, has_disclosure) values
('2024-06-20', 'instagram', 'FS1', 'AUD-FIT', 'image', 'Go #FitRun', 100, 5, 1, 0, 1,
    'fit_run', false, false),
('2024-06-21', 'instagram', 'FS1', 'AUD-FIT', 'image', 'Go #FitRun', 100, 5, 1, 0, 1,
    'fit_run', false, false),
('2024-06-25', 'instagram', 'FS2', 'AUD-FIT', 'carousel', 'Kit #fitrun', 100, 5, 1, 0, 1,
    'fit_run', false, false),
('2024-06-26', 'tiktok', 'FS3', 'AUD-FIT', 'short_video', 'Pace #FITRUN', 100, 5, 1, 0, 1,
    'fit_run', false, false),
-- before the 8 weeks of 06-30
('2024-05-02', 'instagram', 'BS1', 'AUD-BAD', 'video', 'Hello #BadFit', 100, 5, 1, 0, 0,
    'bad_fit', false, false),
('2024-06-10', 'instagram', 'BS2', 'AUD-BAD', 'image', 'Hi #BadFit', 100, 5, 1, 0, 0,
    'bad_fit', false, false),
('2024-06-20', 'instagram', 'BS3', 'AUD-BAD', 'image', 'Yo #BadFit', 100, 5, 1, 0, 0,
    'bad_fit', false, false),
('2024-05-03', 'tiktok', 'OS1', 'AUD-OPEN', 'video', 'Summer', 100, 5, 1, 0, 0,
    'open_push', false, false),
('2024-06-01', 'instagram', 'OS2', 'AUD-OPEN', 'image', 'Summer deals', 100, 5, 1, 0, 0,
    'open_push', false, false),
('2024-06-25', 'instagram', 'NS1', 'AUD-NEW', 'image', 'New #NewWave', 100, 5, 1, 0, 0,
    'new_wave', false, false);

insert into raw.social_comments (comment_date, platform, post_id, campaign_id, comment_id,
    commented_at, sentiment, brand_replied_at) values
-- AUD-FIT, 7 days: 10 comments, 6 replied after 1..6 hours, 3 negative (2 unanswered)
('2024-06-25', 'instagram', 'FS2', 'AUD-FIT', 'FC01', '2024-06-25 10:00', 'negative',
    '2024-06-25 11:00'),
('2024-06-25', 'instagram', 'FS2', 'AUD-FIT', 'FC02', '2024-06-25 10:00', 'negative', null),
('2024-06-26', 'tiktok', 'FS3', 'AUD-FIT', 'FC03', '2024-06-26 08:00', 'negative', null),
('2024-06-26', 'tiktok', 'FS3', 'AUD-FIT', 'FC04', '2024-06-26 09:00', 'positive',
    '2024-06-26 11:00'),
('2024-06-27', 'tiktok', 'FS3', 'AUD-FIT', 'FC05', '2024-06-27 09:00', 'positive',
    '2024-06-27 12:00'),
('2024-06-27', 'tiktok', 'FS3', 'AUD-FIT', 'FC06', '2024-06-27 10:00', 'neutral',
    '2024-06-27 14:00'),
('2024-06-28', 'tiktok', 'FS3', 'AUD-FIT', 'FC07', '2024-06-28 10:00', 'neutral',
    '2024-06-28 15:00'),
('2024-06-28', 'tiktok', 'FS3', 'AUD-FIT', 'FC08', '2024-06-28 11:00', 'positive',
    '2024-06-28 17:00'),
('2024-06-29', 'tiktok', 'FS3', 'AUD-FIT', 'FC09', '2024-06-29 11:00', 'positive', null),
('2024-06-30', 'tiktok', 'FS3', 'AUD-FIT', 'FC10', '2024-06-30 11:00', 'neutral', null),
-- AUD-FIT baseline: 1 of 5 negative (0.2), so 0.3 is no spike
('2024-05-28', 'instagram', 'FS1', 'AUD-FIT', 'FB1', '2024-05-28 10:00', 'negative',
    '2024-05-28 12:00'),
('2024-06-01', 'instagram', 'FS1', 'AUD-FIT', 'FB2', '2024-06-01 10:00', 'positive', null),
('2024-06-05', 'instagram', 'FS1', 'AUD-FIT', 'FB3', '2024-06-05 10:00', 'positive', null),
('2024-06-10', 'instagram', 'FS1', 'AUD-FIT', 'FB4', '2024-06-10 10:00', 'positive', null),
('2024-06-20', 'instagram', 'FS1', 'AUD-FIT', 'FB5', '2024-06-20 10:00', 'positive', null),
-- AUD-BAD, 7 days: 10 comments, 4 negative; one answered after 30 hours, one only after
-- the night (unanswered on 06-30)
('2024-06-24', 'instagram', 'BS3', 'AUD-BAD', 'BC01', '2024-06-24 09:00', 'negative',
    '2024-06-25 15:00'),
('2024-06-25', 'instagram', 'BS3', 'AUD-BAD', 'BC02', '2024-06-25 09:00', 'negative', null),
('2024-06-26', 'instagram', 'BS3', 'AUD-BAD', 'BC03', '2024-06-26 09:00', 'negative', null),
('2024-06-29', 'instagram', 'BS3', 'AUD-BAD', 'BC04', '2024-06-29 12:00', 'negative',
    '2024-07-01 10:00'),
('2024-06-24', 'instagram', 'BS3', 'AUD-BAD', 'BC05', '2024-06-24 10:00', 'positive', null),
('2024-06-25', 'instagram', 'BS3', 'AUD-BAD', 'BC06', '2024-06-25 10:00', 'positive', null),
('2024-06-26', 'instagram', 'BS3', 'AUD-BAD', 'BC07', '2024-06-26 10:00', 'neutral', null),
('2024-06-27', 'instagram', 'BS3', 'AUD-BAD', 'BC08', '2024-06-27 10:00', 'neutral', null),
('2024-06-28', 'instagram', 'BS3', 'AUD-BAD', 'BC09', '2024-06-28 10:00', 'positive', null),
('2024-06-30', 'instagram', 'BS3', 'AUD-BAD', 'BC10', '2024-06-30 10:00', 'positive', null),
-- AUD-BAD baseline: none negative from 05-27 to 06-23; 05-26 is before the baseline
('2024-05-26', 'instagram', 'BS1', 'AUD-BAD', 'BB0', '2024-05-26 10:00', 'negative', null),
('2024-05-27', 'instagram', 'BS1', 'AUD-BAD', 'BB1', '2024-05-27 10:00', 'positive', null),
('2024-06-01', 'instagram', 'BS2', 'AUD-BAD', 'BB2', '2024-06-01 10:00', 'positive', null),
('2024-06-10', 'instagram', 'BS2', 'AUD-BAD', 'BB3', '2024-06-10 10:00', 'neutral', null),
('2024-06-23', 'instagram', 'BS3', 'AUD-BAD', 'BB4', '2024-06-23 10:00', 'positive', null),
-- AUD-OPEN: 5 comments, none answered
('2024-06-26', 'instagram', 'OS2', 'AUD-OPEN', 'OC1', '2024-06-26 10:00', 'neutral', null),
('2024-06-27', 'instagram', 'OS2', 'AUD-OPEN', 'OC2', '2024-06-27 10:00', 'neutral', null),
('2024-06-28', 'instagram', 'OS2', 'AUD-OPEN', 'OC3', '2024-06-28 10:00', 'neutral', null),
('2024-06-29', 'instagram', 'OS2', 'AUD-OPEN', 'OC4', '2024-06-29 10:00', 'neutral', null),
('2024-06-30', 'instagram', 'OS2', 'AUD-OPEN', 'OC5', '2024-06-30 10:00', 'neutral', null),
-- AUD-NEW: 3 comments, one answered after 2 hours
('2024-06-25', 'instagram', 'NS1', 'AUD-NEW', 'NC1', '2024-06-25 10:00', 'positive',
    '2024-06-25 12:00'),
('2024-06-26', 'instagram', 'NS1', 'AUD-NEW', 'NC2', '2024-06-26 10:00', 'positive', null),
('2024-06-27', 'instagram', 'NS1', 'AUD-NEW', 'NC3', '2024-06-27 10:00', 'neutral', null);

insert into raw.pr_items (published_date, campaign_id, item_id, item_type, outlet, sentiment,
    estimated_reach) values
('2024-05-15', 'AUD-FIT', 'PR1', 'article', 'Runner Weekly', 'positive', 10000),
-- before the start and after the night: neither counts
('2024-04-20', 'AUD-BAD', 'PR2', 'press_release', 'Newswire', 'neutral', null),
('2024-07-05', 'AUD-BAD', 'PR3', 'interview', 'City Radio', 'positive', 5000);
"""


@pytest.fixture(scope="module")
def audience_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    paths = Paths.under(Path(tmp_path_factory.mktemp("audience")))
    build_raw_warehouse(paths, AUDIENCE_ROWS)
    summary = run_dbt_build(paths, NIGHT)
    yield BuiltWarehouse(paths=paths, summary=summary)


def _signal(
    built: BuiltWarehouse, mart: str, columns: str, campaign: str, day: str = NIGHT
) -> tuple:
    """One signal row; a column of examples (a JSON array of objects) as the English alert
    shows it, so each case reads as what a marketer sees."""
    row = built.signal(mart, columns, campaign, day)
    return tuple(_as_shown(value) for value in row)


def _as_shown(value: object) -> object:
    examples = parse_examples(value)
    return value if examples is None else render_examples(examples, translator(None))


def test_build_passes_with_the_audience_rows(audience_warehouse: BuiltWarehouse) -> None:
    summary = audience_warehouse.summary
    assert summary.success, summary.summary()
    assert summary.failures == ()


@pytest.mark.parametrize(
    "mart",
    [
        "sig_creator_fit",
        "sig_influencer_management",
        "sig_format_mix",
        "sig_pr_support",
        "sig_creator_content",
        "sig_conversation",
    ],
)
def test_one_row_per_live_campaign_day(audience_warehouse: BuiltWarehouse, mart: str) -> None:
    rows = audience_warehouse.rows(
        f"select campaign_id, count(*), max(as_of_date)::varchar from marts.{mart} group by 1"
    )
    assert sorted(rows) == [
        ("AUD-BAD", 61, NIGHT),
        ("AUD-FIT", 61, NIGHT),
        ("AUD-NEW", 11, NIGHT),
        ("AUD-OPEN", 61, NIGHT),
    ]


# P01 ------------------------------------------------------------------------------------------

CREATOR_FIT = (
    "active_creators, misaligned_creators, flagged_creators, min_audience_overlap, misfit_examples"
)


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        # CF1 covers every target value (1.0); CF2 one of two age bands (0.5, 1, 1 -> 0.8333)
        ("AUD-FIT", NIGHT, (2, 0, 0, pytest.approx(2.5 / 3), "")),
        # CB1 1.0; CB2 (25-34 of 18-24|25-34, DE not FR) 0.25; CB3's profile left in the
        # latest delivery: 0; CB4 (FR, 35-44) 0.5 is not below 0.5 but is flagged
        (
            "AUD-BAD",
            NIGHT,
            (
                4,
                2,
                1,
                0.0,
                "@bad_eve (overlap 0.00), @bad_dora (overlap 0.25),"
                " and @bad_finn (flags: controversy)",
            ),
        ),
        # no target audience: nobody is misaligned, the overlap is unknown
        ("AUD-OPEN", NIGHT, (1, 0, 0, None, "")),
        # no creator in the 28 days: not applicable
        ("AUD-NEW", NIGHT, (0, None, None, None, "")),
        ("AUD-BAD", "2024-05-05", (0, None, None, None, "")),
    ],
)
def test_creator_fit(
    audience_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    assert _signal(audience_warehouse, "sig_creator_fit", CREATOR_FIT, campaign, day) == expected


# P04 ------------------------------------------------------------------------------------------

MANAGEMENT = (
    "late_deliverables, max_feedback_days, missing_briefs, deliverables_28d,"
    " workflow_deliverables_28d, late_examples"
)


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        # on time; FP1's draft answered in 2 days, brief sent before it went live
        ("AUD-FIT", NIGHT, (0, 2, 0, 4, 1, "")),
        # BP2 delivered 3 days late, BP9 outstanding since 06-25 (BP8 is due on the night,
        # BP1 was due before the 28 days); BP2's draft waited 5 days; BP7 had no brief and
        # BP5's brief came the day after it went live
        (
            "AUD-BAD",
            NIGHT,
            (
                2,
                5,
                2,
                9,
                4,
                "@bad_carl post BP2 (due Jun 12, 2024) and @bad_finn post BP9 (due Jun 25, 2024)",
            ),
        ),
        # as the night of 06-14 saw it: BP1 delivered late, BP2 due 06-12 and not live until
        # 06-15 (late, although reported only later), BP2's draft waiting 6 days so far
        (
            "AUD-BAD",
            "2024-06-14",
            (
                2,
                6,
                0,
                3,
                1,
                "@bad_eve post BP1 (due Jun 1, 2024) and @bad_carl post BP2 (due Jun 12, 2024)",
            ),
        ),
        # a deliverable but no workflow report: no draft to judge
        ("AUD-OPEN", NIGHT, (0, None, 0, 1, 0, "")),
        ("AUD-NEW", NIGHT, (None, None, None, 0, 0, "")),
    ],
)
def test_influencer_management(
    audience_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    got = _signal(audience_warehouse, "sig_influencer_management", MANAGEMENT, campaign, day)
    assert got == expected


# P05 ------------------------------------------------------------------------------------------

ENGAGEMENT = "max_engagement_z, suspicious_posts, undisclosed_sponsored_posts"


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        # FP3 at the median (0), FP4 0.01 above it
        ("AUD-FIT", NIGHT, (pytest.approx(Z * 0.01 / 0.01), 0, 0)),
        # BP5 rates 0.30; BP6 0.01 is far below, which is not suspicious
        ("AUD-BAD", NIGHT, (pytest.approx(Z * 0.25 / 0.01), 1, 0)),
        # on 06-27 only 7 micro posts fall in the 28 days: no tier norm, no score
        ("AUD-BAD", "2024-06-27", (None, 0, 0)),
        # no creator post in the 7 days
        ("AUD-OPEN", NIGHT, (None, 0, 0)),
        ("AUD-NEW", NIGHT, (None, 0, 0)),
    ],
)
def test_engagement_anomaly(
    audience_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    got = _signal(audience_warehouse, "sig_sponsored_disclosure", ENGAGEMENT, campaign, day)
    assert got == expected


def test_bad_campaign_engagement_scores(audience_warehouse: BuiltWarehouse) -> None:
    rows = audience_warehouse.rows(
        "select post_id, engagement_z from intermediate.int_influencer_posts_engagement_scored"
        f" where campaign_id = 'AUD-BAD' and as_of_date = '{NIGHT}' order by post_id"
    )
    # BP8 and BP9 have no impressions, BP7 (06-22) is older than the 7 days
    assert [r[0] for r in rows] == ["BP5", "BP6"]
    assert rows[0][1] == pytest.approx(Z * 0.25 / 0.01)
    assert rows[1][1] == pytest.approx(Z * -0.04 / 0.01)


# P06 ------------------------------------------------------------------------------------------

FORMATS = "formats_tried_8w, social_formats_8w, creator_platforms_8w, formats_tried, days_live"


@pytest.mark.parametrize(
    ("campaign", "expected"),
    [
        (
            "AUD-FIT",
            (
                4,
                3,
                1,
                "Instagram carousel, Instagram image, TikTok short video,"
                " and creators on Instagram",
                61,
            ),
        ),
        # the instagram video of 05-02 is older than 8 weeks
        (
            "AUD-BAD",
            (
                4,
                1,
                3,
                "Instagram image, creators on Instagram, creators on TikTok,"
                " and creators on YouTube",
                61,
            ),
        ),
        ("AUD-OPEN", (2, 1, 1, "Instagram image and creators on TikTok", 61)),
        # live 11 days: too early to judge
        ("AUD-NEW", (None, 1, 0, "Instagram image", 11)),
    ],
)
def test_format_mix(audience_warehouse: BuiltWarehouse, campaign: str, expected: tuple) -> None:
    assert _signal(audience_warehouse, "sig_format_mix", FORMATS, campaign) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-05-27", (None,)),  # day 27 of AUD-OPEN
        ("2024-05-28", (1,)),  # day 28: the tiktok video of 05-03
    ],
)
def test_format_mix_waits_for_four_weeks(
    audience_warehouse: BuiltWarehouse, day: str, expected: tuple
) -> None:
    got = _signal(audience_warehouse, "sig_format_mix", "formats_tried_8w", "AUD-OPEN", day)
    assert got == expected


# P07 ------------------------------------------------------------------------------------------

PR_SUPPORT = (
    "pr_gap, unanswered_negative_spike, influencer_posts_28d, pr_items_to_date, comments_7d,"
    " negative_comments_7d, negative_share_7d, negative_share_baseline, unanswered_negative_7d"
)


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        # 3 of 10 negative and 2 unanswered, but the usual share is 0.2: 0.3 is no spike
        ("AUD-FIT", NIGHT, (0, 0, 4, 1, 10, 3, 0.3, 0.2, 2)),
        # PR items before the start and after the night do not count; 4 of 10 negative
        # against none usually, 3 unanswered by the night (one answered on 07-01)
        ("AUD-BAD", NIGHT, (1, 1, 9, 0, 10, 4, 0.4, 0.0, 3)),
        ("AUD-OPEN", NIGHT, (1, 0, 1, 0, 5, 0, 0.0, None, 0)),
        # comments but no creator: no gap
        ("AUD-NEW", NIGHT, (0, 0, 0, 0, 3, 0, 0.0, None, 0)),
        # neither creator posts nor comments yet: not applicable
        ("AUD-BAD", "2024-05-05", (None, None, 0, 0, 0, 0, None, None, 0)),
    ],
)
def test_pr_support(
    audience_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    got = _signal(audience_warehouse, "sig_pr_support", PR_SUPPORT, campaign, day)
    assert got == pytest.approx(expected)


# P08 ------------------------------------------------------------------------------------------

CONTENT = "underperforming_creators, active_creators, judged_creators, underperforming_examples"


@pytest.mark.parametrize(
    ("campaign", "day", "expected"),
    [
        ("AUD-FIT", NIGHT, (0, 2, 2, "")),
        # CB1 rates 20 / 2000 = 1% against the instagram median of 5%; CB2 (350 / 2000) is
        # fine; CB3 (tiktok) and CB4 (youtube) have no baseline: fewer than 8 posts there
        ("AUD-BAD", NIGHT, (1, 4, 2, "@bad_carl (1.0% vs 5.0% on Instagram)")),
        # 7 instagram posts in the 28 days of 06-27: no baseline, nobody judged
        ("AUD-BAD", "2024-06-27", (0, 4, 0, "")),
        # a single post is not judged
        ("AUD-OPEN", NIGHT, (0, 1, 0, "")),
        ("AUD-NEW", NIGHT, (None, 0, 0, "")),
    ],
)
def test_creator_content(
    audience_warehouse: BuiltWarehouse, campaign: str, day: str, expected: tuple
) -> None:
    got = _signal(audience_warehouse, "sig_creator_content", CONTENT, campaign, day)
    assert got == expected


# P09 ------------------------------------------------------------------------------------------


def test_integration_drop_over_fourteen_days(audience_warehouse: BuiltWarehouse) -> None:
    cols = "integration_score, integration_drop_14d"
    # AUD-FIT on 06-16: only creators live (activation 0.5), all tracked and tagged;
    # on 06-30 both channels, 2 of 14 days together: the score rose, no drop
    fit_before = W_ACTIVATION * 0.5 + W_TRACKED + W_MESSAGE
    fit_now = W_ACTIVATION + W_MULTI * 2 / 14 + W_TRACKED + W_MESSAGE
    # (nothing happened in the 14 days up to 06-02: a score of 0 then, so no drop)
    assert _signal(audience_warehouse, "sig_integration", cols, "AUD-FIT", "2024-06-16") == (
        pytest.approx((fit_before, 0.0))
    )
    assert _signal(audience_warehouse, "sig_integration", cols, "AUD-FIT") == pytest.approx(
        (fit_now, 0.0)
    )
    # AUD-OPEN on 06-16: one tracked creator post without caption (hashtag share left out);
    # nothing at all since: from 0.5 to 0
    open_before = (W_ACTIVATION * 0.5 + W_TRACKED) / (W_ACTIVATION + W_MULTI + W_TRACKED)
    assert open_before == pytest.approx(0.5)
    assert _signal(audience_warehouse, "sig_integration", cols, "AUD-OPEN") == pytest.approx(
        (0.0, open_before)
    )
    # not live 14 days earlier: nothing to compare with
    assert _signal(audience_warehouse, "sig_integration", cols, "AUD-NEW")[1] is None


# P10 ------------------------------------------------------------------------------------------

CONVERSATION = "reply_rate, median_reply_hours, comments_7d, replied_7d"


@pytest.mark.parametrize(
    ("campaign", "expected"),
    [
        # 6 of 10 replied after 1, 2, 3, 4, 5 and 6 hours
        ("AUD-FIT", (0.6, 3.5, 10, 6)),
        # one reply by the night, after 30 hours; the reply of 07-01 came after the night
        ("AUD-BAD", (0.1, 30.0, 10, 1)),
        # nobody answered: no reply time
        ("AUD-OPEN", (0.0, None, 5, 0)),
        # fewer than 5 comments: no reply rate
        ("AUD-NEW", (None, 2.0, 3, 1)),
    ],
)
def test_conversation(audience_warehouse: BuiltWarehouse, campaign: str, expected: tuple) -> None:
    got = _signal(audience_warehouse, "sig_conversation", CONVERSATION, campaign)
    assert got == pytest.approx(expected)


def test_signal_columns_are_numbers_or_text(audience_warehouse: BuiltWarehouse) -> None:
    """Numbers, days and text, and JSON only for the columns of examples (an array of objects
    the alert writes in the team's language)."""
    marts = (
        "sig_creator_fit",
        "sig_influencer_management",
        "sig_sponsored_disclosure",
        "sig_format_mix",
        "sig_pr_support",
        "sig_creator_content",
        "sig_integration",
        "sig_conversation",
    )
    examples = {"misfit_examples", "late_examples", "formats_tried", "formats_to_try"}
    examples |= {"underperforming_examples", "silent_channels", "undisclosed_examples"}
    examples |= {"utm_spellings", "untracked_links"}
    for mart in marts:
        columns = audience_warehouse.rows(
            "select column_name, data_type from information_schema.columns"
            f" where table_schema = 'marts' and table_name = '{mart}'"
        )
        types = {t for c, t in columns if c not in examples}
        assert types <= {"BIGINT", "DOUBLE", "DATE", "VARCHAR"}, (mart, types)
        assert {t for c, t in columns if c in examples} <= {"JSON"}, (mart, columns)
