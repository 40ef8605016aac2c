"""Influencer posts: one row per creator deliverable, from a shared pool of creators.

Creators belong to a tier by followers (nano <10k, micro 10k-100k, mid 100k-500k, macro
500k-1M, celebrity >1M) and charge a per-post fee that grows with the tier. A clean campaign
signs a roster with a mid tier and a headline creator (mid, macro or celebrity) who posts on the
first day and weekly after, so nano and micro creators take well under half of the fees; a P03
scenario signs nano and micro creators only.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from marketing_health.generate import arrays, sql, vocab, volumes
from marketing_health.generate.plan import CREATORS_PER_TIER, P05, P09, SCENARIO, Plan

SOURCE = "influencer_posts"

#: Per tier (vocab.TIERS order): follower range, fee per follower, fee bounds, engagement rate.
FOLLOWERS = (
    (1_000, 10_000),
    (10_000, 100_000),
    (100_000, 500_000),
    (500_000, 1_000_000),
    (1_000_000, 12_000_000),
)
FEE_PER_FOLLOWER = ((0.02, 0.04), (0.015, 0.03), (0.012, 0.025), (0.01, 0.02), (0.006, 0.012))
FEE_BOUNDS = ((40, 250), (250, 1_500), (2_500, 9_000), (8_000, 25_000), (25_000, 120_000))
ENGAGEMENT = np.array([0.055, 0.035, 0.025, 0.018, 0.012])
PLATFORM_WEIGHTS = (0.40, 0.30, 0.12, 0.03, 0.03, 0.03, 0.03, 0.02, 0.02, 0.02)
#: The headline creator posts on the first day and then weekly: the campaign's anchor voice,
#: and what keeps a clean campaign's fees from drifting into nano/micro creators.
HEADLINE_EVERY_DAYS = 7
#: A P05 campaign (and its twin) gets a sponsored post every few days from the scenario start,
#: so every 7-day disclosure window holds one.
SPONSORED_EVERY_DAYS = 3


def creator_pool(rng: np.random.Generator) -> pd.DataFrame:
    """Creators by brand interest and tier; index = (brand * tiers + tier) * per_tier + k."""
    n_tiers = len(vocab.TIERS)
    size = len(vocab.BRANDS) * n_tiers * CREATORS_PER_TIER
    idx = np.arange(size)
    brand = idx // (n_tiers * CREATORS_PER_TIER)
    tier = (idx // CREATORS_PER_TIER) % n_tiers
    low, high = np.array(FOLLOWERS).T
    followers = np.exp(rng.uniform(np.log(low[tier]), np.log(high[tier])))
    rate_low, rate_high = np.array(FEE_PER_FOLLOWER).T
    fee_low, fee_high = np.array(FEE_BOUNDS).T
    fee = np.clip(
        followers * rng.uniform(rate_low[tier], rate_high[tier]), fee_low[tier], fee_high[tier]
    )
    platform = rng.choice(len(vocab.INFLUENCER_PLATFORMS), size=size, p=PLATFORM_WEIGHTS)
    market = rng.integers(0, len(vocab.MARKETS), size=size)
    age = rng.integers(0, len(vocab.AGE_BANDS), size=size)
    handles: list[str] = []
    seen: set[str] = set()
    for i in idx:  # the pool is a fixed few thousand creators, not data rows
        interest = vocab.BRANDS[brand[i]].interest
        first = vocab.FIRST_NAMES[(i * 7) % len(vocab.FIRST_NAMES)]
        ending = vocab.HANDLE_ENDINGS[interest][(i // 3) % 3]
        handle, k = f"@{first}.{ending}", 1
        while handle in seen:
            k += 1
            handle = f"@{first}.{ending}{k}"
        seen.add(handle)
        handles.append(handle)
    return pd.DataFrame(
        {
            "pool": idx.astype(np.int32),
            "creator_id": [f"CR-{10_001 + i * 7:06d}" for i in idx],
            "creator_handle": handles,
            "platform": np.array(vocab.INFLUENCER_PLATFORMS)[platform],
            "tier": np.array(vocab.TIERS)[tier],
            "followers": np.round(followers, -1).astype(np.int64),
            "audience_summary": [
                f"age={vocab.AGE_BANDS[age[i]]};country={vocab.MARKETS[market[i]].countries};"
                f"interest={vocab.BRANDS[brand[i]].interest}"
                for i in idx
            ],
            "fee": np.round(fee, -1),
            "tier_index": tier.astype(np.int8),
        }
    )


def _post_counts(plan: Plan, camp: np.ndarray, rng: np.random.Generator, weekday: np.ndarray):
    days = plan.days
    rate = plan.influencer_rate[camp][:, None] * arrays.weekday_factor(
        volumes.INFLUENCER_WEEKDAY, weekday
    )
    counts = rng.poisson(rate)
    headline_days = np.arange(days) % HEADLINE_EVERY_DAYS == 0
    counts[:, headline_days] = np.maximum(counts[:, headline_days], 1)
    shape, role, start = plan.shape[camp], plan.role[camp], plan.from_idx[camp]
    since = np.arange(days)[None, :] - start[:, None]
    forced = (shape == P05)[:, None] & (since >= 0) & (since % SPONSORED_EVERY_DAYS == 0)
    counts[forced] = np.maximum(counts[forced], 1)
    counts[((shape == P09) & (role == SCENARIO))[:, None] & (since >= 0)] = 0
    return counts, forced


def generate(
    plan: Plan,
    camp: np.ndarray,
    rng: np.random.Generator,
    weekday: np.ndarray,
    first_ord: int,
    pool: pd.DataFrame,
) -> pd.DataFrame:
    days = plan.days
    counts, forced = _post_counts(plan, camp, rng, weekday)
    cell, k_in_day = arrays.expand(counts.ravel())
    pc, day = cell // days, cell % days
    n = len(pc)
    gc = camp[pc]
    local = arrays.ordinal_within(pc, len(camp))

    headline = (day % HEADLINE_EVERY_DAYS == 0) & (k_in_day == 0)
    slot = rng.integers(0, volumes.ROSTER_SIZE, n)
    slot[headline] = volumes.ROSTER_SIZE - 1
    creator = plan.roster[gc, slot]
    must_sponsor = headline | (forced[pc, day] & (k_in_day == 0))
    sponsored = (rng.random(n) >= volumes.ORGANIC_MENTION_SHARE) | must_sponsor
    undisclosed = (plan.shape[gc] == P05) & (plan.role[gc] == SCENARIO) & (day >= plan.from_idx[gc])
    disclosed = sponsored & ~undisclosed
    tag = np.where(
        disclosed & (rng.random(n) < 0.8), rng.integers(0, len(vocab.DISCLOSURE_TAGS), n), -1
    )
    fee = np.where(
        sponsored, np.round(pool["fee"].to_numpy()[creator] * rng.uniform(0.9, 1.1, n)), 0
    )
    followers = pool["followers"].to_numpy()[creator]
    impressions = rng.poisson(followers * rng.uniform(0.08, 0.35, n))
    tier = pool["tier_index"].to_numpy()[creator]
    rate = np.clip(ENGAGEMENT[tier] * rng.lognormal(0, 0.25, n), 0, 0.5)
    return pd.DataFrame(
        {
            "_ord": first_ord + np.arange(n, dtype=np.int64),
            "ci": gc.astype(np.int32),
            "day": day.astype(np.int16),
            "creator": creator.astype(np.int32),
            "post_n": gc.astype(np.int64) * 100_000 + local,
            "sponsored": sponsored,
            "disclosed": disclosed,
            "due_offset": rng.integers(-3, 5, n).astype(np.int16),
            "fee": fee,
            "impressions": impressions,
            "engagements": rng.binomial(impressions, rate),
            "no_caption": rng.random(n) < 0.02,
            "hashtag": rng.random(n) < volumes.HASHTAG_SHARE,
            "hook": rng.integers(0, 1 << 16, n, dtype=np.int32),
            "tag": tag.astype(np.int8),
            "utm": arrays.utm_codes(rng, n),
        }
    )


def columns(first_day: date) -> dict[str, str]:
    """Contract column -> SQL over frame ``f``, campaign lookup ``c`` and creator pool ``p``."""
    post_date = sql.day(first_day)
    short_code = "'C' || upper(substr(md5('ig' || f.post_n), 1, 10))"
    caption = (
        f"concat_ws(' ', {sql.localised(vocab.CREATOR_HOOKS, 'f.hook')}, c.brand_handle, "
        "CASE WHEN f.hashtag THEN c.hashtag END, "
        f"CASE WHEN f.tag >= 0 THEN {sql.pick(vocab.DISCLOSURE_TAGS, 'f.tag')} END)"
    )
    return {
        "post_date": post_date,
        "campaign_id": "c.campaign_id",
        "creator_id": "p.creator_id",
        "creator_handle": "p.creator_handle",
        "platform": "p.platform",
        "post_id": f"CASE p.platform WHEN 'instagram' THEN {short_code} "
        f"WHEN 'threads' THEN {short_code} "
        "WHEN 'youtube' THEN substr(md5('yt' || f.post_n), 1, 11) "
        "WHEN 'blog' THEN 'blog-' || f.post_n "
        "WHEN 'twitch' THEN 'v' || CAST(2000000000 + f.post_n AS VARCHAR) "
        "ELSE CAST(7200000000000000000 + f.post_n * 7919 AS VARCHAR) END",
        "tier": "p.tier",
        "followers": "p.followers",
        "audience_summary": "p.audience_summary",
        "is_sponsored": "f.sponsored",
        "has_disclosure": "f.disclosed",
        "deliverable_due_date": f"{post_date} + CAST(f.due_offset AS INTEGER)",
        "delivered_date": post_date,
        "fee": "f.fee",
        "impressions": "f.impressions",
        "engagements": "f.engagements",
        "caption": f"CASE WHEN f.no_caption THEN NULL ELSE {caption} END",
        "utm_campaign": sql.utm(),
    }
