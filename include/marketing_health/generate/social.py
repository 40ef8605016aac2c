"""Social posts: one row per post and day, as social-media tools export daily post metrics.

A post keeps reporting for a few days after it goes live with decaying reach, so the file for a
day mixes today's posts with the tail of earlier ones. Copy usually carries the campaign
hashtag; boosted and paid-partnership posts carry a disclosure unless a P05 scenario drops it.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from marketing_health.generate import arrays, sql, vocab, volumes
from marketing_health.generate.plan import P05, P09, P13, SCENARIO, Plan

SOURCE = "social_posts"

#: Format mix per platform (rows: vocab.SOCIAL_PLATFORMS, columns: vocab.SOCIAL_FORMATS).
FORMAT_MIX = np.array(
    [
        # short_video video image carousel text live story link
        [0.30, 0.05, 0.25, 0.20, 0.00, 0.02, 0.18, 0.00],  # instagram
        [0.90, 0.05, 0.00, 0.00, 0.00, 0.05, 0.00, 0.00],  # tiktok
        [0.10, 0.15, 0.35, 0.05, 0.10, 0.02, 0.05, 0.18],  # facebook
        [0.05, 0.10, 0.30, 0.10, 0.25, 0.00, 0.00, 0.20],  # linkedin
        [0.05, 0.05, 0.30, 0.00, 0.40, 0.00, 0.00, 0.20],  # x
        [0.50, 0.45, 0.00, 0.00, 0.00, 0.05, 0.00, 0.00],  # youtube
        [0.10, 0.00, 0.80, 0.10, 0.00, 0.00, 0.00, 0.00],  # pinterest
        [0.00, 0.00, 0.30, 0.00, 0.60, 0.00, 0.00, 0.10],  # threads
    ]
)
#: Typical first-day impressions and engagement rate per platform.
REACH = np.array([4000, 9000, 2500, 1500, 1200, 5000, 1500, 800], dtype=float)
ENGAGEMENT = np.array([0.035, 0.06, 0.015, 0.02, 0.01, 0.03, 0.01, 0.02])
#: Share of a post's first-day reach it still gets 0, 1, 2, ... days later.
DECAY = np.array([1.0, 0.45, 0.2, 0.09, 0.04, 0.02])
_STORY = vocab.SOCIAL_FORMATS.index("story")
#: Ids look like the networks' own: long numbers, YouTube video ids, LinkedIn URNs.
_ID_BASES = (
    17841000000000000,
    7300000000000000000,
    1045780000000000,
    0,
    1790000000000000000,
    0,
    985000000000000000,
    3310000000000000000,
)
#: Kind of personal data a P13 post leaks: none, an e-mail address, a phone number.
PII_NONE, PII_EMAIL, PII_PHONE = 0, 1, 2


def _post_counts(plan: Plan, camp: np.ndarray, rng: np.random.Generator, weekday: np.ndarray):
    """New posts per campaign and day, with the posts scenarios need forced in."""
    days = plan.days
    rate = plan.social_rate[camp][:, None] * arrays.weekday_factor(volumes.SOCIAL_WEEKDAY, weekday)
    counts = rng.poisson(rate)
    shape, role, start = plan.shape[camp], plan.role[camp], plan.from_idx[camp]
    rows = np.arange(len(camp))
    at_start = np.minimum(start, days - 1)
    # P13 leaks an address and a phone number in two posts on its first day; P05 boosts a post
    # on its first day. Twins get the same posts, clean.
    need = np.where(shape == P13, 2, np.where(shape == P05, 1, 0))
    counts[rows, at_start] = np.maximum(counts[rows, at_start], need)
    stop = np.where((shape == P09) & (role == SCENARIO), start, days)
    counts[np.arange(days)[None, :] >= stop[:, None]] = 0
    return counts, stop


def generate(
    plan: Plan, camp: np.ndarray, rng: np.random.Generator, weekday: np.ndarray, first_ord: int
) -> pd.DataFrame:
    days = plan.days
    counts, stop = _post_counts(plan, camp, rng, weekday)
    cell, k_in_day = arrays.expand(counts.ravel())
    pc, post_day = cell // days, cell % days
    n_posts = len(pc)
    gc = camp[pc]
    local = arrays.ordinal_within(pc, len(camp))

    slots = plan.social_platforms[camp]
    n_slots = (slots >= 0).sum(axis=1)
    platform = slots[pc, (rng.random(n_posts) * n_slots[pc]).astype(np.int64)]
    fmt = (rng.random(n_posts)[:, None] > np.cumsum(FORMAT_MIX[platform], axis=1)).sum(axis=1)
    fmt = np.minimum(fmt, len(vocab.SOCIAL_FORMATS) - 1)
    lifetime = rng.integers(*volumes.SOCIAL_LIFETIME_DAYS, endpoint=True, size=n_posts)
    life = np.minimum(lifetime, stop[pc] - post_day)

    started = post_day >= plan.from_idx[gc]
    first_of_start = (post_day == plan.from_idx[gc]) & (k_in_day == 0)
    sponsored = (rng.random(n_posts) < volumes.SOCIAL_SPONSORED_SHARE) | (
        first_of_start & (plan.shape[gc] == P05)
    )
    undisclosed = (plan.shape[gc] == P05) & (plan.role[gc] == SCENARIO) & started
    disclosed = sponsored & ~undisclosed
    tag = np.where(
        disclosed & (rng.random(n_posts) < 0.75),
        rng.integers(0, len(vocab.DISCLOSURE_TAGS), n_posts),
        -1,
    )
    pii = np.full(n_posts, PII_NONE, dtype=np.int8)
    leaking = (
        (plan.shape[gc] == P13) & (plan.role[gc] == SCENARIO) & (post_day == plan.from_idx[gc])
    )
    pii[leaking & (k_in_day == 0)] = PII_EMAIL
    pii[leaking & (k_in_day == 1)] = PII_PHONE
    no_text = (fmt == _STORY) & (rng.random(n_posts) < 0.3) & (pii == PII_NONE)
    audience = (plan.brand[gc] * len(vocab.MARKETS) + plan.market[gc]) * volumes.AUDIENCE_SIZE
    reach = REACH[platform] * rng.lognormal(0, 0.6, n_posts) * np.where(sponsored, 3.0, 1.0)
    rate = np.clip(ENGAGEMENT[platform] * rng.lognormal(0, 0.3, n_posts), 0, 0.5)

    post, age = arrays.expand(life)
    row_day = post_day[post] + age
    n = len(post)
    impressions = rng.poisson(
        reach[post] * DECAY[age] * arrays.weekday_factor(volumes.SOCIAL_WEEKDAY, weekday[row_day])
    )
    likes = rng.binomial(impressions, rate[post] * 0.85)
    comments = rng.binomial(likes, 0.06)
    post_cols = {
        "ci": gc.astype(np.int32),
        "platform": platform.astype(np.int8),
        "post_n": (gc.astype(np.int64) * 100_000 + local),
        "fmt": fmt.astype(np.int8),
        "no_text": no_text,
        "hashtag": rng.random(n_posts) < volumes.HASHTAG_SHARE,
        "hook": rng.integers(0, 1 << 16, n_posts, dtype=np.int32),
        "call": rng.integers(0, 1 << 16, n_posts, dtype=np.int32),
        "tag": tag.astype(np.int8),
        "pii": pii,
        "person": audience + rng.integers(0, volumes.AUDIENCE_SIZE, n_posts),
        "utm": arrays.utm_codes(rng, n_posts),
        "sponsored": sponsored,
        "disclosed": disclosed,
    }
    frame = pd.DataFrame({k: v[post] for k, v in post_cols.items()})
    frame.insert(0, "_ord", first_ord + np.arange(n, dtype=np.int64))
    frame["day"] = row_day.astype(np.int16)
    frame["impressions"] = impressions
    frame["likes"] = likes
    frame["comments"] = comments
    frame["shares"] = rng.binomial(likes, 0.04)
    frame["brand_replies"] = rng.binomial(comments, 0.35)
    return frame


def columns(first_day: date) -> dict[str, str]:
    """Contract column -> SQL over the generated frame ``f`` and the campaign lookup ``c``."""
    youtube = vocab.SOCIAL_PLATFORMS.index("youtube")
    linkedin = vocab.SOCIAL_PLATFORMS.index("linkedin")
    copy = (
        f"concat_ws(' ', {sql.localised(vocab.SOCIAL_HOOKS, 'f.hook')}, "
        "CASE WHEN f.hashtag THEN c.hashtag END, "
        f"CASE WHEN f.tag >= 0 THEN {sql.pick(vocab.DISCLOSURE_TAGS, 'f.tag')} END, "
        f"{sql.localised(vocab.SOCIAL_CALLS, 'f.call')})"
    )
    return {
        "post_date": sql.day(first_day),
        "platform": sql.pick(vocab.SOCIAL_PLATFORMS, "f.platform"),
        "post_id": f"CASE f.platform WHEN {youtube} THEN substr(md5('yt' || f.post_n), 1, 11) "
        f"WHEN {linkedin} THEN 'urn:li:activity:' "
        "|| CAST(7100000000000000000 + f.post_n * 7919 AS VARCHAR) "
        f"ELSE CAST({sql.int_list(_ID_BASES)}[f.platform + 1] + f.post_n * 7919 AS VARCHAR) END",
        "campaign_id": "c.campaign_id",
        "post_format": sql.pick(vocab.SOCIAL_FORMATS, "f.fmt"),
        "post_text": f"CASE WHEN f.no_text THEN NULL "
        f"WHEN f.pii = {PII_EMAIL} THEN 'Giveaway winner drawn! Congratulations to ' "
        "|| email_of(f.person) || ', check your inbox. ' || c.hashtag "
        f"WHEN f.pii = {PII_PHONE} THEN 'Giveaway winner, we tried to reach you on ' "
        "|| phone_of(f.person) || ', please DM us today. ' || c.hashtag "
        f"ELSE {copy} END",
        "impressions": "f.impressions",
        "likes": "f.likes",
        "comments": "f.comments",
        "shares": "f.shares",
        "brand_replies": "f.brand_replies",
        "utm_campaign": sql.utm(),
        "is_sponsored": "f.sponsored",
        "has_disclosure": "f.disclosed",
    }
