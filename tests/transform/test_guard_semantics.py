"""P04, P05 and P09 as a marketer reads them, night by night through dbt and the guards.

Three campaigns of a hand-written warehouse, each built and judged for the nights 12-03,
12-04 and 12-05 (a real dbt build, the packaged catalogue in Great Expectations, the guard
states after the guards):

- SEM-DARK   social and e-mail planned; social posts every day, the newsletter on 11-20 and
             11-27, then nothing until 12-05: e-mail is silent since 11-28, 6 days on 12-03,
             7 on 12-04 (dark), back on 12-05. Otherwise well integrated.
- SEM-SPELL  social, e-mail and paid planned, live together every day; the plan says
             black_week_26 and so do the social posts, but every ad carries "Black-Week-26"
             and every newsletter "blackweek26": tracked, but under three names.
- SEM-UNTAGGED social, e-mail and paid planned, live together every day with the campaign
             hashtag, but most links carry no utm_campaign: in the 14 days up to 12-04, 11 of
             14 Facebook posts, 12 of 14 Google ad-group days and 1 of 2 newsletters are
             untagged (24 of 30 activities that could carry a link, 80 %); the 14 Instagram posts
             carry none either, but cannot carry a link and are not counted.
- SEM-DOUYIN social and creators planned, on Douyin only: nothing carries a utm_campaign,
             and nothing could (Douyin allows no links). Integrated all the same.
- SEM-UNKNOWN social and e-mail planned: every daily newsletter tagged, two posts a day on
             "Dewu App", a platform no vocabulary knows, untagged. Could they have carried a
             link? Then most activity that could is untracked; else none is.
- SEM-CREATOR social and creators planned. @mia's post of 11-30 is disclosed in its caption
             only (#Werbung); @kim's went live on 11-29, a day after its due date (within
             the grace day); @sam's deliverable due 12-01 is "in review" (not published, no
             disclosure), @jo's due 12-02 is scheduled for 12-10, @eva's was cancelled
             ("已取消"). Late deliverables, but no undisclosed post.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marketing_health.catalogue import load_catalogue
from marketing_health.guards import run_guards
from marketing_health.guards.overrides import GuardOverrides, parse_overrides
from marketing_health.settings import Paths
from marketing_health.transform import run_dbt_build, run_dbt_reporting
from marketing_health.warehouse import connect

from .warehouse_case import build_raw_warehouse

NIGHTS = ("2026-12-03", "2026-12-04", "2026-12-05")

ROWS = """
insert into raw.campaigns (_delivery_day, campaign_id, campaign_name, brand, owner_team,
    owner_slack_channel, start_date, end_date, budget, reserve_budget, currency,
    planned_channels, utm_campaign, storyline, hashtag, target_audience) values
('2026-11-15', 'SEM-DARK', 'Winter run', 'Stride', 'Growth', '#growth', '2026-11-16',
    '2026-12-31', 10000, 1000, 'EUR', 'social|email', 'winter_run_26', 'Run all winter',
    '#WinterRun', null),
('2026-11-15', 'SEM-SPELL', 'Black week', 'Stride', 'Growth', '#growth', '2026-11-16',
    '2026-12-31', 10000, 1000, 'EUR', 'social|email|paid', 'black_week_26', 'Deals',
    '#BlackWeek', null),
('2026-11-15', 'SEM-CREATOR', 'Trail fest', 'Stride', 'Creators', '#creators', '2026-11-16',
    '2026-12-31', 10000, 1000, 'EUR', 'social|influencer', 'trail_fest_26', 'Trails',
    '#TrailFest', null);

-- one social post a day for each campaign, tagged as planned, with the campaign hashtag
insert into raw.social_posts (post_date, platform, post_id, campaign_id, post_format,
    post_text, impressions, likes, comments, shares, brand_replies, utm_campaign,
    is_sponsored, has_disclosure)
select cast(day as date), 'instagram', campaigns.prefix || strftime(day, '%m%d'),
    campaigns.campaign_id, 'image', 'Out there ' || campaigns.hashtag, 1000, 50, 5, 5, 1,
    campaigns.utm, false, false
from generate_series(timestamp '2026-11-16', timestamp '2026-12-05', interval 1 day) as s(day)
cross join (values ('SEM-DARK', 'D', '#WinterRun', 'winter_run_26'),
                   ('SEM-SPELL', 'S', '#BlackWeek', 'black_week_26'),
                   ('SEM-CREATOR', 'C', '#TrailFest', 'trail_fest_26'))
    as campaigns(campaign_id, prefix, hashtag, utm);

insert into raw.email_sends (send_date, send_id, campaign_id, variant, personalisation_tokens,
    delivered, opens, clicks, conversions, unsubscribes, complaints, utm_campaign) values
-- SEM-DARK's newsletter stops after 11-27 and comes back on 12-05
('2026-11-20', 'DARK-1', 'SEM-DARK', 'generic', null, 1000, 300, 50, 5, 2, 0, 'winter_run_26'),
('2026-11-27', 'DARK-2', 'SEM-DARK', 'generic', null, 1000, 300, 50, 5, 2, 0, 'winter_run_26'),
('2026-12-05', 'DARK-3', 'SEM-DARK', 'generic', null, 1000, 300, 50, 5, 2, 0, 'winter_run_26'),
-- SEM-SPELL's CRM team writes the utm_campaign its own way
('2026-11-17', 'SPELL-1', 'SEM-SPELL', 'generic', null, 1000, 300, 50, 5, 2, 0, 'blackweek26'),
('2026-11-24', 'SPELL-2', 'SEM-SPELL', 'generic', null, 1000, 300, 50, 5, 2, 0, 'blackweek26'),
('2026-12-01', 'SPELL-3', 'SEM-SPELL', 'generic', null, 1000, 300, 50, 5, 2, 0, 'blackweek26');

-- SEM-SPELL's agency: two ad groups every day, tagged "Black-Week-26"
insert into raw.paid_ads (ad_date, platform, account_id, campaign_id, platform_campaign_id,
    ad_group_id, spend, currency, impressions, clicks, conversions, revenue, utm_campaign)
select cast(day as date), 'meta', 'A1', 'SEM-SPELL', 'P1', groups.ad_group, 100, 'EUR', 5000,
    50, 2, 150, 'Black-Week-26'
from generate_series(timestamp '2026-11-16', timestamp '2026-12-05', interval 1 day) as s(day)
cross join (values ('G1'), ('G2')) as groups(ad_group);

insert into raw.influencer_posts (_delivery_day, post_date, campaign_id, creator_id,
    creator_handle, platform, post_id, tier, followers, is_sponsored, has_disclosure,
    deliverable_due_date, delivered_date, fee, impressions, engagements, caption,
    utm_campaign, post_status) values
-- live and disclosed in its caption only (no flag)
('2026-12-01', '2026-11-30', 'SEM-CREATOR', 'CR1', '@mia', 'instagram', 'I1', 'micro', 40000,
    true, false, '2026-11-30', '2026-11-30', 300, 5000, 250,
    'Trail day #TrailFest #Werbung', 'trail_fest_26', 'Live'),
-- listed, in review, never posted: late from 12-03, no post to disclose
('2026-12-01', null, 'SEM-CREATOR', 'CR2', '@sam', 'tiktok', 'I2', 'micro', 30000, true,
    false, '2026-12-01', null, 300, 0, 0, null, null, 'in review'),
-- scheduled for 12-10 although due 12-02: late once the grace day is over, from 12-04
('2026-12-01', '2026-12-10', 'SEM-CREATOR', 'CR4', '@jo', 'instagram', 'I4', 'micro', 30000,
    true, false, '2026-12-02', null, 300, 0, 0, 'Soon #TrailFest', 'trail_fest_26',
    'scheduled'),
-- live the day after its due date, flagged as disclosed: a slip, not late
('2026-11-30', '2026-11-29', 'SEM-CREATOR', 'CR5', '@kim', 'tiktok', 'I5', 'micro', 30000,
    true, true, '2026-11-28', '2026-11-29', 300, 4000, 200, 'Trail shoes #TrailFest',
    'trail_fest_26', null),
-- dropped by agreement: neither late nor a post
('2026-12-01', null, 'SEM-CREATOR', 'CR3', '@eva', 'tiktok', 'I3', 'nano', 8000, true, false,
    '2026-12-02', null, 0, 0, 0, null, null, '已取消');

insert into raw.campaigns (_delivery_day, campaign_id, campaign_name, brand, owner_team,
    owner_slack_channel, start_date, end_date, budget, reserve_budget, currency,
    planned_channels, utm_campaign, storyline, hashtag, target_audience) values
('2026-11-15', 'SEM-UNTAGGED', 'Spring launch', 'Stride', 'Growth', '#growth', '2026-11-16',
    '2026-12-31', 10000, 1000, 'EUR', 'social|email|paid', 'spring_launch_26', 'Launch',
    '#SpringLaunch', null),
('2026-11-15', 'SEM-DOUYIN', '双十二', 'Stride', 'China', '#china', '2026-11-16',
    '2026-12-31', 10000, 1000, 'CNY', 'social|influencer', 'd12_26', 'Glow', '#双十二', null),
('2026-11-15', 'SEM-UNKNOWN', 'Dewu drop', 'Stride', 'China', '#china', '2026-11-16',
    '2026-12-31', 10000, 1000, 'CNY', 'social|email', 'dewu_drop_26', 'Drop', '#DewuDrop',
    null);

-- SEM-UNTAGGED: a Facebook post a day, tagged every fifth day; an Instagram post a day,
-- never tagged (it cannot carry a link)
insert into raw.social_posts (post_date, platform, post_id, campaign_id, post_format,
    post_text, impressions, likes, comments, shares, brand_replies, utm_campaign,
    is_sponsored, has_disclosure)
select cast(day as date), networks.platform, networks.prefix || strftime(day, '%m%d'),
    'SEM-UNTAGGED', 'image', 'Spring is here #SpringLaunch', 1000, 50, 5, 5, 1,
    case when networks.platform = 'facebook' and extract(day from day) % 5 = 1
        then 'spring_launch_26' end,
    false, false
from generate_series(timestamp '2026-11-16', timestamp '2026-12-05', interval 1 day) as s(day)
cross join (values ('facebook', 'F'), ('instagram', 'G')) as networks(platform, prefix);

-- SEM-UNTAGGED: a weekly newsletter, only the one of 12-01 tagged
insert into raw.email_sends (send_date, send_id, campaign_id, variant, personalisation_tokens,
    delivered, opens, clicks, conversions, unsubscribes, complaints, utm_campaign) values
('2026-11-17', 'UNT-1', 'SEM-UNTAGGED', 'generic', null, 1000, 300, 50, 5, 2, 0, null),
('2026-11-24', 'UNT-2', 'SEM-UNTAGGED', 'generic', null, 1000, 300, 50, 5, 2, 0, null),
('2026-12-01', 'UNT-3', 'SEM-UNTAGGED', 'generic', null, 1000, 300, 50, 5, 2, 0,
    'spring_launch_26');

-- SEM-UNTAGGED: one Google ad group a day, tagged on Sundays only
insert into raw.paid_ads (ad_date, platform, account_id, campaign_id, platform_campaign_id,
    ad_group_id, spend, currency, impressions, clicks, conversions, revenue, utm_campaign)
select cast(day as date), 'google', 'A2', 'SEM-UNTAGGED', 'P2', 'G1', 100, 'EUR', 5000, 50, 2,
    150, case when dayofweek(day) = 0 then 'spring_launch_26' end
from generate_series(timestamp '2026-11-16', timestamp '2026-12-05', interval 1 day) as s(day);

-- SEM-DOUYIN: a Douyin video a day, nothing tagged
insert into raw.social_posts (post_date, platform, post_id, campaign_id, post_format,
    post_text, impressions, likes, comments, shares, brand_replies, utm_campaign,
    is_sponsored, has_disclosure)
select cast(day as date), '抖音', 'DY' || strftime(day, '%m%d'), 'SEM-DOUYIN', '短视频',
    '新品 #双十二', 1000, 50, 5, 5, 1, null, false, false
from generate_series(timestamp '2026-11-16', timestamp '2026-12-05', interval 1 day) as s(day);

-- SEM-DOUYIN: a creator video on Douyin every other day, disclosed, nothing tagged
insert into raw.influencer_posts (_delivery_day, post_date, campaign_id, creator_id,
    creator_handle, platform, post_id, tier, followers, is_sponsored, has_disclosure,
    deliverable_due_date, delivered_date, fee, impressions, engagements, caption,
    utm_campaign, post_status)
select cast(day as date) + 1, cast(day as date), 'SEM-DOUYIN', 'DYC' || strftime(day, '%m%d'),
    '@glow' || strftime(day, '%m%d'), 'douyin', 'DYP' || strftime(day, '%m%d'), 'mid',
    300000, true, true, cast(day as date), cast(day as date), 2000, 50000, 2500,
    '好物 #双十二 #广告', null, '已发布'
from generate_series(timestamp '2026-11-16', timestamp '2026-12-05', interval 2 day) as s(day);

-- SEM-UNKNOWN: a tagged newsletter a day, two untagged posts a day on "Dewu App"
insert into raw.email_sends (send_date, send_id, campaign_id, variant, personalisation_tokens,
    delivered, opens, clicks, conversions, unsubscribes, complaints, utm_campaign)
select cast(day as date), 'UNK-' || strftime(day, '%m%d'), 'SEM-UNKNOWN', 'generic', null,
    1000, 300, 50, 5, 2, 0, 'dewu_drop_26'
from generate_series(timestamp '2026-11-16', timestamp '2026-12-05', interval 1 day) as s(day);

insert into raw.social_posts (post_date, platform, post_id, campaign_id, post_format,
    post_text, impressions, likes, comments, shares, brand_replies, utm_campaign,
    is_sponsored, has_disclosure)
select cast(day as date), 'Dewu App', posts.prefix || strftime(day, '%m%d'), 'SEM-UNKNOWN',
    'image', 'New drop #DewuDrop', 1000, 50, 5, 5, 1, null, false, false
from generate_series(timestamp '2026-11-16', timestamp '2026-12-05', interval 1 day) as s(day)
cross join (values ('W'), ('X')) as posts(prefix);
"""


def _outcomes(paths: Paths, night: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(guard, campaign) -> (outcome, summary) of one night."""
    with connect(paths, read_only=True) as con:
        rows = con.execute(
            "select guard_id, campaign_id, outcome, summary from guards.guard_results"
            " where run_date = ?",
            [night],
        ).fetchall()
    return {(g, c): (o, s) for g, c, o, s in rows}


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Each night built, judged with the catalogue's thresholds and reported, in order."""
    paths = Paths.under(Path(tmp_path_factory.mktemp("semantics")))
    build_raw_warehouse(paths, ROWS)
    nights = {}
    for night in NIGHTS:
        run_dbt_build(paths, night)
        run_guards(paths, night, f"run-{night}", overrides=GuardOverrides())
        run_dbt_reporting(paths, night)
        nights[night] = _outcomes(paths, night)
    yield {"paths": paths, "nights": nights}


def _signal(paths: Paths, mart: str, columns: str, campaign: str, night: str) -> tuple:
    """One signal row; a column of examples (a JSON array) as its list of objects."""
    with connect(paths, read_only=True) as con:
        row = con.execute(
            f"select {columns} from marts.{mart} where campaign_id = ? and as_of_date = ?",
            [campaign, night],
        ).fetchone()
    return tuple(json.loads(v) if isinstance(v, str) and v.startswith("[") else v for v in row)


def _silent(channel: str, since: str, days: int, *, never_ran: bool = False) -> dict:
    return {
        "kind": "silent_channel",
        "channel": channel,
        "silent_since": since,
        "days": days,
        "never_ran": never_ran,
    }


def _activities(channel: str, activities: int, *platform: str | None) -> dict:
    """A channel_activities example; ``platform`` only where the mart names one (the
    untagged links, not the spellings)."""
    example: dict = {"kind": "channel_activities", "channel": channel}
    if platform:
        example["platform"] = platform[0]
    example["activities"] = activities
    return example


def _spelling(spelling: str, *activities: dict) -> dict:
    return {"kind": "utm_spelling", "spelling": spelling, "activities": list(activities)}


def _late(handle: str, post_id: str, due: str, status: str | None) -> dict:
    return {
        "kind": "late_deliverable",
        "handle": handle,
        "post_id": post_id,
        "due": due,
        "status": status,
    }


# P09: a planned channel gone dark -------------------------------------------------------------


def test_a_channel_dark_for_seven_days_fails_that_night_and_recovers_when_back(judged) -> None:
    nights = judged["nights"]
    assert [nights[n][("P09", "SEM-DARK")][0] for n in NIGHTS] == ["pass", "fail", "pass"]
    summary = nights["2026-12-04"][("P09", "SEM-DARK")][1]
    assert "email silent since Nov 28, 2026 (7 days)" in summary, summary
    with connect(judged["paths"], read_only=True) as con:
        states = con.execute(
            "select run_date::varchar, state from marts.fct_guard_states"
            " where guard_id = 'P09' and campaign_id = 'SEM-DARK' order by run_date"
        ).fetchall()
    assert states == [
        ("2026-12-03", "ok"),
        ("2026-12-04", "entered"),
        ("2026-12-05", "recovered"),
    ]


def test_silence_is_counted_night_by_night(judged) -> None:
    cols = "silent_channel_days, silent_channels, integration_score"
    paths = judged["paths"]
    six = _signal(paths, "sig_integration", cols, "SEM-DARK", "2026-12-03")
    assert six[:2] == (6, [_silent("email", "2026-11-28", 6)])
    # well integrated all along: the silence fails on its own
    assert six[2] > 0.5
    assert _signal(paths, "sig_integration", cols, "SEM-DARK", "2026-12-05")[:2] == (0, [])


def test_the_silence_threshold_is_the_teams_to_tune(judged) -> None:
    paths = judged["paths"]
    catalogue = load_catalogue()
    overrides = parse_overrides(
        {
            "overrides": [
                {
                    "guard": "P09",
                    "campaign": "SEM-DARK",
                    "check": "silent_channel_days",
                    "threshold": 10,
                }
            ]
        },
        catalogue,
    )
    run_guards(paths, "2026-12-04", "run-tuned", catalogue=catalogue, overrides=overrides)
    try:
        assert _outcomes(paths, "2026-12-04")[("P09", "SEM-DARK")][0] == "pass"
    finally:
        run_guards(paths, "2026-12-04", "run-again", overrides=GuardOverrides())


# P09: tracked under several spellings -----------------------------------------------------------


def test_near_spellings_of_the_utm_campaign_are_reported_and_fail_on_their_own(judged) -> None:
    night = "2026-12-04"
    outcome, summary = judged["nights"][night][("P09", "SEM-SPELL")]
    assert outcome == "fail"
    row = _signal(
        judged["paths"],
        "sig_integration",
        "consistently_tracked_share, utm_spellings, other_utm_activities, integration_score,"
        " silent_channel_days",
        "SEM-SPELL",
        night,
    )
    # window 11-21..12-04: 14 posts as planned, 28 ad-group days and 2 sends spelt otherwise
    assert row[0] == pytest.approx(14 / 44)
    assert row[1] == [
        _spelling("black_week_26", _activities("social", 14)),
        _spelling("Black-Week-26", _activities("paid", 28)),
        _spelling("blackweek26", _activities("email", 2)),
    ]
    assert row[2] == 0
    # every channel live every day: integrated, no dark channel; the tracking fails alone
    assert row[3] >= 0.5 and row[4] < 7
    assert "Spellings found: black_week_26 (14 social post-days)" in summary, summary
    assert "32%" in summary, summary


# P09: most links untagged ----------------------------------------------------------------------

LINK_COLUMNS = (
    "link_untracked_share, link_untracked_share_unknown, link_capable_activities,"
    " link_untracked_activities, no_link_activities, untracked_links, unknown_link_platforms,"
    " integration_score, consistently_tracked_share, silent_channel_days"
)


def test_most_links_untagged_fails_whatever_the_channel_overlap(judged) -> None:
    night = "2026-12-04"
    outcome, summary = judged["nights"][night][("P09", "SEM-UNTAGGED")]
    assert outcome == "fail"
    row = _signal(judged["paths"], "sig_integration", LINK_COLUMNS, "SEM-UNTAGGED", night)
    # window 11-21..12-04: Facebook tagged on 11-21, 11-26 and 12-01; Google on the Sundays
    # 11-22, 11-29; the newsletter of 12-01
    assert row[:7] == (
        pytest.approx(0.8),
        0.0,
        30,
        24,
        14,
        [
            _activities("paid", 12, "google"),
            _activities("social", 11, "facebook"),
            _activities("email", 1, None),
        ],
        "",
    )
    # every channel live every day, tagged links spelt as planned, none dark: the untagged
    # links fail on their own
    assert row[7] >= 0.5 and row[8] == 1.0 and row[9] < 7
    # the alert says how much went untagged, and where
    assert "80%" in summary, summary
    assert (
        "12 ad-group days on Google Ads, 11 social post-days on Facebook, and 1 send" in summary
    ), summary


def test_the_untracked_threshold_is_the_teams_to_tune(judged) -> None:
    paths = judged["paths"]
    catalogue = load_catalogue()
    overrides = parse_overrides(
        {
            "overrides": [
                {
                    "guard": "P09",
                    "campaign": "SEM-UNTAGGED",
                    "check": "link_untracked_share",
                    "threshold": 0.85,
                }
            ]
        },
        catalogue,
    )
    run_guards(paths, "2026-12-04", "run-tuned-links", catalogue=catalogue, overrides=overrides)
    try:
        assert _outcomes(paths, "2026-12-04")[("P09", "SEM-UNTAGGED")][0] == "pass"
    finally:
        run_guards(paths, "2026-12-04", "run-again-links", overrides=GuardOverrides())


def test_posts_that_cannot_carry_a_link_are_not_untracked(judged) -> None:
    night = "2026-12-04"
    assert judged["nights"][night][("P09", "SEM-DOUYIN")][0] == "pass"
    row = _signal(judged["paths"], "sig_integration", LINK_COLUMNS, "SEM-DOUYIN", night)
    # 14 Douyin post-days and 7 creator videos, none of which could carry a link
    assert row[:7] == (None, 0.0, 0, 0, 21, [], "")


def test_an_unknown_platform_that_could_decide_means_cannot_tell(judged) -> None:
    night = "2026-12-04"
    outcome, summary = judged["nights"][night][("P09", "SEM-UNKNOWN")]
    assert outcome == "cannot_tell"
    row = _signal(judged["paths"], "sig_integration", LINK_COLUMNS, "SEM-UNKNOWN", night)
    # 14 newsletters, all tagged; 28 Dewu posts: untracked 0 of 14, or 28 of 42
    assert row[:7] == (0.0, pytest.approx(28 / 42), 14, 0, 0, [], "dewu_app")
    assert "dewu_app" in summary, summary


# P04 and P05: deliverables not yet published --------------------------------------------------


def test_unpublished_deliverables_are_late_but_no_undisclosed_posts(judged) -> None:
    night = "2026-12-04"
    outcomes = judged["nights"][night]
    assert outcomes[("P04", "SEM-CREATOR")][0] == "fail"
    assert outcomes[("P05", "SEM-CREATOR")][0] in {"pass", "not_applicable"}
    late = _signal(
        judged["paths"],
        "sig_influencer_management",
        "late_deliverables, deliverables_28d, late_examples",
        "SEM-CREATOR",
        night,
    )
    # @eva's cancelled deliverable is neither late nor counted; @kim's day is forgiven
    assert late == (
        2,
        4,
        [
            _late("@sam", "I2", "2026-12-01", "in review"),
            _late("@jo", "I4", "2026-12-02", "scheduled"),
        ],
    )
    assert "@sam post I2 (due Dec 1, 2026, in review)" in outcomes[("P04", "SEM-CREATOR")][1]


def test_a_disclosure_in_the_caption_counts(judged) -> None:
    row = _signal(
        judged["paths"],
        "sig_sponsored_disclosure",
        "sponsored_posts, undisclosed_sponsored_posts",
        "SEM-CREATOR",
        "2026-12-04",
    )
    # @mia's and @kim's posts are published: #Werbung discloses the first, the flag the second
    assert row == (2, 0)


def test_a_deliverable_is_late_once_its_grace_day_is_over(judged) -> None:
    paths = judged["paths"]
    cols = "late_deliverables, late_examples"
    # due 12-01: the creator still has 12-02
    assert _signal(paths, "sig_influencer_management", cols, "SEM-CREATOR", "2026-12-02") == (
        0,
        [],
    )
    assert _signal(paths, "sig_influencer_management", cols, "SEM-CREATOR", "2026-12-03") == (
        1,
        [_late("@sam", "I2", "2026-12-01", "in review")],
    )
