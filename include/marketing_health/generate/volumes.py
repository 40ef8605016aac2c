"""How much activity one sample campaign produces, and so how big a landing zone a scale gives.

The channel generators draw from these numbers and :func:`estimate_channel_rows` computes the
expected row count from the same numbers, so the estimate shown in the CLI help cannot drift
away from what the generator writes.
"""

from __future__ import annotations

import numpy as np

#: Campaigns at scale 1, and how many of them are pitfall scenarios (each has a clean twin).
CAMPAIGNS_PER_SCALE = 12
SCENARIOS_PER_SCALE = 5
#: The guarded pitfalls the generator can inject, in the order scenarios are handed out.
SCENARIO_PITFALLS = ("P02", "P03", "P05", "P09", "P13")
#: The shortest window that still shows every scenario entering its pitfall after clean days.
MIN_DAYS = 28

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
#: Share of recipients who unsubscribe on the day of the send (after it: not a violation).
OPT_OUT_AFTER_SEND_SHARE = 0.012
#: Size of one brand's mailing list in one market.
AUDIENCE_SIZE = 20_000

#: Influencer: posts per day (uniform range of the campaign's rate), creators signed per
#: campaign, share of posts that are organic mentions (no fee, not sponsored).
INFLUENCER_POSTS_PER_DAY = (0.5, 1.0)
ROSTER_SIZE = 8
ORGANIC_MENTION_SHARE = 0.06

#: Share of activities whose link carries the campaign's utm_campaign in a clean campaign
#: (of the rest, some carry it in upper case: still tracked once normalised).
TRACKED_SHARE = 0.965
UPPER_CASE_UTM_SHARE = 0.01
#: Share of post texts and captions that carry the campaign hashtag.
HASHTAG_SHARE = 0.9

#: Scenario timing in days before end_date (inclusive ranges).
P05_FROM_DAYS_BEFORE_END = (7, 12)
P09_FROM_DAYS_BEFORE_END = (21, 28)
P13_FROM_DAYS_BEFORE_END = (7, 12)
#: The integration window of P09: its score only reflects the new behaviour once the whole
#: window lies after the change.
INTEGRATION_WINDOW_DAYS = 14


def _mean(bounds: tuple[float, float]) -> float:
    return (bounds[0] + bounds[1]) / 2


def campaign_count(scale: float) -> int:
    return max(CAMPAIGNS_PER_SCALE, round(CAMPAIGNS_PER_SCALE * scale))


def scenario_count(campaigns: int) -> int:
    """Scenario campaigns among ``campaigns``: 5 per 12, each with a twin, at least 2 baselines."""
    pairs = round(campaigns * SCENARIOS_PER_SCALE / CAMPAIGNS_PER_SCALE)
    return min(pairs, (campaigns - 2) // 2)


def _social_rows_per_post_day(days: int) -> float:
    """Mean rows a post yields, averaged over publish days (posts near the end report fewer)."""
    lifetimes = np.arange(SOCIAL_LIFETIME_DAYS[0], SOCIAL_LIFETIME_DAYS[1] + 1)
    remaining = np.arange(days, 0, -1)
    return float(np.minimum(lifetimes[None, :], remaining[:, None]).mean())


def rows_per_campaign(days: int) -> dict[str, float]:
    """Expected channel rows of one clean campaign over ``days`` days, by source."""
    sends_per_week = sum(len(days_) * share for days_, share in EMAIL_CADENCES)
    sends = days * sends_per_week / 7
    variants = 1 + PERSONALISED_SHARE
    return {
        "social_posts": _mean(SOCIAL_POSTS_PER_DAY)
        * float(np.mean(SOCIAL_WEEKDAY))
        * days
        * _social_rows_per_post_day(days),
        "email_sends": sends * variants,
        "email_recipients": sends * variants * _mean(RECIPIENTS_PER_VARIANT),
        "paid_ads": _mean(PAID_PLATFORMS_PER_CAMPAIGN) * _mean(AD_GROUPS_PER_PLATFORM) * days,
        "influencer_posts": _mean(INFLUENCER_POSTS_PER_DAY)
        * float(np.mean(INFLUENCER_WEEKDAY))
        * days,
    }


def estimate_source_rows(scale: float, days: int) -> dict[str, int]:
    """Expected rows per channel source for a landing zone of ``scale`` over ``days`` days."""
    campaigns = campaign_count(scale)
    per_campaign = rows_per_campaign(days)
    # The P09 scenarios fall silent on every channel but paid for the last weeks.
    p09_slot = SCENARIO_PITFALLS.index("P09")
    p09 = sum(1 for k in range(scenario_count(campaigns)) if k % len(SCENARIO_PITFALLS) == p09_slot)
    quiet_share = min(_mean(P09_FROM_DAYS_BEFORE_END), days - 3) / days
    out = {}
    for source, rows in per_campaign.items():
        lost = 0.0 if source == "paid_ads" else p09 * rows * quiet_share
        out[source] = round(campaigns * rows - lost)
    return out


def estimate_channel_rows(scale: float, days: int = 60) -> int:
    """Expected channel rows (social posts + e-mail sends + recipients + paid ads + influencer
    posts) for ``scale`` over ``days`` days; within a few percent of what the generator writes."""
    return sum(estimate_source_rows(scale, days).values())


def scale_for_rows(rows: float, days: int = 60) -> float:
    """The scale that gives about ``rows`` channel rows over ``days`` days."""
    reference = 1000.0
    return max(1.0, rows / estimate_channel_rows(reference, days) * reference)
