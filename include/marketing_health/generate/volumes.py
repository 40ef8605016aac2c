"""How much activity one sample campaign produces, and so how big a landing zone a scale gives.

The channel generators draw from these numbers and :func:`estimate_channel_rows` computes the
expected row count from the same numbers, so the estimate shown in the CLI help cannot drift
away from what the generator writes.
"""

from __future__ import annotations

import numpy as np

from marketing_health.generate import injections
from marketing_health.generate.injections import P06, P09, P12, P14, SCENARIO, TWIN

#: Campaigns at scale 1, and how many of them are pitfall scenarios (each has a clean twin):
#: one scenario per catalogued pitfall, its twin, and two baselines.
CAMPAIGNS_PER_SCALE = 48
SCENARIOS_PER_SCALE = 23
#: The pitfalls the generator can inject, in the order scenarios are handed out.
SCENARIO_PITFALLS = injections.PITFALL_IDS
#: The shortest window that still shows every scenario entering its pitfall after clean days.
MIN_DAYS = 28
#: Event sources written by the channel tools (not the planning side): what "channel rows"
#: counts. Snapshots (creator profiles) and plan-side exports are counted per source only.
CHANNEL_SOURCES = (
    "social_posts",
    "social_comments",
    "email_sends",
    "email_recipients",
    "paid_ads",
    "influencer_posts",
    "creator_workflow",
)

#: Weekday factors, Monday first: paid and e-mail quieter at the weekend, social and creators
#: busier on Thursday, Friday and Sunday.
PAID_WEEKDAY = (1.05, 1.08, 1.06, 1.04, 0.98, 0.80, 0.74)
SOCIAL_WEEKDAY = (0.85, 0.95, 1.00, 1.15, 1.20, 1.05, 1.25)
INFLUENCER_WEEKDAY = (0.80, 0.90, 0.95, 1.00, 1.05, 1.20, 1.35)

#: Paid: ad platforms per campaign and ad groups per platform (inclusive ranges); one row per
#: ad group and day.
PAID_PLATFORMS_PER_CAMPAIGN = (2, 3)
AD_GROUPS_PER_PLATFORM = (2, 4)
#: Share of the campaign budget that goes to paid media, spread over the campaign's days.
PAID_BUDGET_SHARE = 0.45

#: Social: new posts per day (uniform range of the campaign's rate), days a post keeps reporting
#: metrics (inclusive), share of boosted / paid-partnership posts.
SOCIAL_POSTS_PER_DAY = (1.0, 2.0)
SOCIAL_LIFETIME_DAYS = (2, 6)
SOCIAL_PLATFORMS_PER_CAMPAIGN = (2, 4)
SOCIAL_SPONSORED_SHARE = 0.12
SPONSORED_REACH_FACTOR = 3.0
REACH_SIGMA = 0.6
#: Every SHORT_VIDEO_EVERY_DAYS days the first post is a short video, alternating between the
#: campaign's first two platforms (both short-video platforms).
SHORT_VIDEO_EVERY_DAYS = 2
#: Share of a post's first-day reach it still gets 0, 1, 2, ... days later.
DECAY = (1.0, 0.45, 0.2, 0.09, 0.04, 0.02)
#: Comments a post of typical reach gets on its first day; later days follow DECAY.
COMMENTS_PER_POST_DAY = 2.5
#: Share of comments the social team answers (campaign range), of negative ones, and the
#: share of negative comments (campaign range).
REPLY_SHARE = (0.45, 0.65)
NEGATIVE_REPLY_SHARE = 0.9
NEGATIVE_SHARE = (0.03, 0.08)

#: E-mail: send weekdays (Monday = 0) and how often a campaign uses that cadence.
EMAIL_CADENCES: tuple[tuple[tuple[int, ...], float], ...] = (
    ((1,), 0.15),
    ((2,), 0.15),
    ((1, 3), 0.25),
    ((0, 3), 0.20),
    ((0, 2, 4), 0.25),
)
#: Share of sends that also go out in a personalised variant next to the generic one.
PERSONALISED_SHARE = 0.7
RECIPIENTS_PER_VARIANT = (30, 150)
#: Campaigns judged on personalisation value mail a large list three times a week, always in
#: both variants, so each variant reaches well over 1,000 people in any four weeks.
LARGE_LIST_CADENCE = (0, 2, 4)
LARGE_LIST_RECIPIENTS = (150, 200)
#: Share of recipients who unsubscribe on the day of the send (campaign range; after the send:
#: not a violation). Counts follow the expected rate closely (no lucky streaks).
UNSUBSCRIBE_SHARE = (0.008, 0.016)
#: Conversions per delivered e-mail of the generic variant (campaign range), and how much
#: better the personalised variant converts in a clean campaign.
EMAIL_CONVERSION = (0.010, 0.016)
PERSONALISATION_UPLIFT = (0.25, 0.40)
#: Size of one brand's mailing list in one market.
AUDIENCE_SIZE = 20_000

#: Influencer: posts per day (uniform range of the campaign's rate), creators signed per
#: campaign, share of posts that are organic mentions (no fee, not sponsored).
INFLUENCER_POSTS_PER_DAY = (0.5, 1.0)
ROSTER_SIZE = 8
ORGANIC_MENTION_SHARE = 0.06
#: Workflow reports per deliverable: draft submitted (when feedback comes later), feedback,
#: live. Brief sent and draft submitted so many days before going live; feedback so many days
#: after the draft (inclusive ranges).
BRIEF_LEAD_DAYS = (8, 14)
DRAFT_LEAD_DAYS = (3, 6)
FEEDBACK_DAYS = (0, 2)

#: Share of activities whose link carries the campaign's utm_campaign in a clean campaign
#: (of the rest, some carry it in upper case: still tracked once normalised).
TRACKED_SHARE = 0.965
UPPER_CASE_UTM_SHARE = 0.01
#: Share of post texts and captions that carry the campaign hashtag.
HASHTAG_SHARE = 0.9

#: The integration window of P09: its score only reflects the new behaviour once the whole
#: window lies after the change.
INTEGRATION_WINDOW_DAYS = 14
#: Scenario campaigns start on the first day of data, except those judged only after weeks of
#: activity, which were already running this many days.
EARLY_START_DAYS = 14
#: Baselines started up to this many days before the first day of data.
BASELINE_EARLIER_START = 21


def _mean(bounds: tuple[float, float]) -> float:
    return (bounds[0] + bounds[1]) / 2


def campaign_count(scale: float) -> int:
    return max(CAMPAIGNS_PER_SCALE, round(CAMPAIGNS_PER_SCALE * scale))


def scenario_count(campaigns: int) -> int:
    """Scenario campaigns among ``campaigns``: 23 per 48, each with a twin, at least 2
    baselines."""
    pairs = round(campaigns * SCENARIOS_PER_SCALE / CAMPAIGNS_PER_SCALE)
    return min(pairs, (campaigns - 2) // 2)


def baseline_count(scale: float) -> int:
    campaigns = campaign_count(scale)
    return campaigns - 2 * scenario_count(campaigns)


def _forced_mean(rates: tuple[float, float], weekday: tuple[float, ...]) -> float:
    """Mean of max(Poisson(rate x weekday), 1): posts on a day that must have one."""
    grid = np.linspace(rates[0], rates[1], 201)[:, None] * np.asarray(weekday)[None, :]
    return float((grid + np.exp(-grid)).mean())


def _plain_mean(rates: tuple[float, float], weekday: tuple[float, ...]) -> float:
    return _mean(rates) * float(np.mean(weekday))


def _truncated_life(days: int, per_age: np.ndarray) -> float:
    """Mean over publish days of sum(per_age[age]) over the days a post reports (a post near
    the end of the landing zone reports fewer days)."""
    lifetimes = np.arange(SOCIAL_LIFETIME_DAYS[0], SOCIAL_LIFETIME_DAYS[1] + 1)
    remaining = np.arange(days, 0, -1)
    life = np.minimum(lifetimes[None, :], remaining[:, None])
    cum = np.concatenate([[0.0], np.cumsum(per_age)])
    return float(cum[life].mean())


def _workflow_rows_per_post(days: int) -> float:
    """Reports per deliverable, less those dated before the first day of data."""
    leads = np.arange(DRAFT_LEAD_DAYS[0], DRAFT_LEAD_DAYS[1] + 1)
    delays = np.arange(FEEDBACK_DAYS[0], FEEDBACK_DAYS[1] + 1)
    post_day = np.arange(days)[:, None, None]
    draft = post_day - leads[None, :, None]
    feedback = draft + delays[None, None, :]
    rows = 1 + (feedback >= 0) + ((draft >= 0) & (delays[None, None, :] > 0))
    return float(rows.mean())


def rows_per_campaign(days: int, pitfall: int = -1, role: int = 0) -> dict[str, float]:
    """Expected channel rows of one campaign over ``days`` days, by source: a clean campaign,
    or the scenario (``role`` 1) or twin (2) of ``pitfall`` (a code of injections)."""
    cadence = LARGE_LIST_CADENCE if pitfall == P14 else None
    sends_per_week = (
        len(cadence) if cadence else sum(len(days_) * share for days_, share in EMAIL_CADENCES)
    )
    sends = days * sends_per_week / 7
    variants = 2.0 if pitfall in (P12, P14) else 1 + PERSONALISED_SHARE
    recipients = LARGE_LIST_RECIPIENTS if pitfall == P14 else RECIPIENTS_PER_VARIANT
    social_days = SHORT_VIDEO_EVERY_DAYS
    posts_per_day = (
        _forced_mean(SOCIAL_POSTS_PER_DAY, SOCIAL_WEEKDAY)
        + (social_days - 1) * _plain_mean(SOCIAL_POSTS_PER_DAY, SOCIAL_WEEKDAY)
    ) / social_days
    reach = float(np.exp(REACH_SIGMA**2 / 2)) * (
        1 + SOCIAL_SPONSORED_SHARE * (SPONSORED_REACH_FACTOR - 1)
    )
    per_age = COMMENTS_PER_POST_DAY * reach * np.asarray(DECAY)
    creator_posts = (
        _forced_mean(INFLUENCER_POSTS_PER_DAY, INFLUENCER_WEEKDAY)
        + 6 * _plain_mean(INFLUENCER_POSTS_PER_DAY, INFLUENCER_WEEKDAY)
    ) / 7
    social = 0.0 if pitfall == P06 else posts_per_day * days
    out = {
        "social_posts": social * _truncated_life(days, np.ones(len(DECAY))),
        "social_comments": social * _truncated_life(days, per_age),
        "email_sends": sends * variants,
        "email_recipients": sends * variants * _mean(recipients),
        "paid_ads": _mean(PAID_PLATFORMS_PER_CAMPAIGN) * _mean(AD_GROUPS_PER_PLATFORM) * days,
        "influencer_posts": creator_posts * days,
        # Organic mentions are not deliverables: no workflow behind them.
        "creator_workflow": creator_posts
        * (1 - ORGANIC_MENTION_SHARE)
        * days
        * _workflow_rows_per_post(days),
    }
    if pitfall == P09 and role == SCENARIO:
        # Silent on every channel but paid for the last weeks.
        quiet = min(_mean(injections.INJECTIONS[P09].before_end), days - 3) / days
        out = {k: v if k == "paid_ads" else v * (1 - quiet) for k, v in out.items()}
    return out


def estimate_source_rows(scale: float, days: int) -> dict[str, int]:
    """Expected rows per channel source for a landing zone of ``scale`` over ``days`` days."""
    campaigns = campaign_count(scale)
    pairs = scenario_count(campaigns)
    total = dict.fromkeys(CHANNEL_SOURCES, 0.0)

    def add(rows: dict[str, float], times: float = 1.0) -> None:
        for source, n in rows.items():
            total[source] += n * times

    add(rows_per_campaign(days), campaigns - 2 * pairs)
    counts = np.bincount(
        np.arange(pairs) % len(SCENARIO_PITFALLS), minlength=len(SCENARIO_PITFALLS)
    )
    for code, k in enumerate(counts):
        if k:
            add(rows_per_campaign(days, code, SCENARIO), k)
            add(rows_per_campaign(days, code, TWIN), k)
    return {source: round(n) for source, n in total.items()}


def estimate_channel_rows(scale: float, days: int = 60) -> int:
    """Expected channel rows (social posts and comments, e-mail sends and recipients, paid ads,
    influencer posts and their workflow reports) for ``scale`` over ``days`` days; within a
    few percent of what the generator writes."""
    return sum(estimate_source_rows(scale, days).values())


def scale_for_rows(rows: float, days: int = 60) -> float:
    """The scale that gives about ``rows`` channel rows over ``days`` days."""
    reference = 1000.0
    return max(1.0, rows / estimate_channel_rows(reference, days) * reference)
