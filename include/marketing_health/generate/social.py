"""Social posts (one row per post and day, as social-media tools export daily post metrics) and
the comments on them.

A post keeps reporting for a few days after it goes live with decaying reach, so the file for a
day mixes today's posts with the tail of earlier ones. Every other day the first post is a short
video, alternating between the campaign's two short-video platforms (both on the first day).
Copy usually carries the campaign hashtag; boosted and paid-partnership posts carry a disclosure
unless a P05 scenario drops it. Comments follow a post's reach; the social team answers about
half of them, steadily and within hours (nearly all negative ones), until a P10 scenario stops
answering.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from marketing_health.generate import arrays, sql, teams, vocab, volumes
from marketing_health.generate.injections import P05, P09, P10, P13, P15, SCENARIO
from marketing_health.generate.plan import Plan

SOURCES = ("social_posts", "social_comments")

#: Format mix per platform (rows: vocab.SOCIAL_PLATFORMS, columns: vocab.SOCIAL_FORMATS). Only
#: formats the platform offers in the product's platform vocabulary: every video on TikTok is
#: a short video there, LinkedIn and X have no short-video format, Threads no link post.
FORMAT_MIX = np.array(
    [
        # short_video video image carousel text live story link
        [0.30, 0.05, 0.25, 0.20, 0.00, 0.02, 0.18, 0.00],  # instagram
        [0.95, 0.00, 0.00, 0.00, 0.00, 0.05, 0.00, 0.00],  # tiktok
        [0.10, 0.15, 0.35, 0.05, 0.10, 0.02, 0.05, 0.18],  # facebook
        [0.00, 0.15, 0.30, 0.10, 0.25, 0.00, 0.00, 0.20],  # linkedin
        [0.00, 0.10, 0.30, 0.00, 0.40, 0.00, 0.00, 0.20],  # x
        [0.50, 0.45, 0.00, 0.00, 0.00, 0.05, 0.00, 0.00],  # youtube
        [0.10, 0.00, 0.80, 0.10, 0.00, 0.00, 0.00, 0.00],  # pinterest
        [0.00, 0.00, 0.30, 0.00, 0.70, 0.00, 0.00, 0.00],  # threads
    ]
)
#: Typical first-day impressions and engagement rate per platform.
REACH = np.array([4000, 9000, 2500, 1500, 1200, 5000, 1500, 800], dtype=float)
ENGAGEMENT = np.array([0.035, 0.06, 0.015, 0.02, 0.01, 0.03, 0.01, 0.02])
DECAY = np.asarray(volumes.DECAY)
_STORY = vocab.SOCIAL_FORMATS.index("story")
_SHORT_VIDEO = vocab.SOCIAL_FORMATS.index("short_video")
#: The format mix without short video, for a campaign that never posts one.
NO_SHORT_VIDEO_MIX = FORMAT_MIX * (np.arange(FORMAT_MIX.shape[1]) != _SHORT_VIDEO)
NO_SHORT_VIDEO_MIX = NO_SHORT_VIDEO_MIX / NO_SHORT_VIDEO_MIX.sum(axis=1, keepdims=True)
#: The same for every platform a post can be on (teams.all_social_platforms(): the sample's,
#: then the platforms of teams that post elsewhere, with the mixes of teams.yaml).
POST_FORMAT_MIX = teams.format_mix(FORMAT_MIX)
POST_NO_SHORT_VIDEO_MIX = POST_FORMAT_MIX * (np.arange(FORMAT_MIX.shape[1]) != _SHORT_VIDEO)
POST_NO_SHORT_VIDEO_MIX = POST_NO_SHORT_VIDEO_MIX / np.maximum(
    POST_NO_SHORT_VIDEO_MIX.sum(axis=1, keepdims=True), 1e-12
)
#: Comment sentiment codes (vocab.SENTIMENTS order) and the share of positive comments.
POSITIVE, NEUTRAL, NEGATIVE = 0, 1, 2
POSITIVE_SHARE = 0.55
#: Brand replies: median delay and spread (log-normal), bounds, in minutes; comments are
#: written between 07:00 and 21:00, so every reply lands the same day.
REPLY_MEDIAN_MINUTES, REPLY_SIGMA, REPLY_BOUNDS = 90, 0.7, (5, 180)
COMMENT_HOURS = (7, 21)
COMMENT_TEXT_SHARE = 0.9
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
#: Ids of posts on team platforms (teams.team_social_platforms() order): Douyin's long
#: numbers, Weibo's mids, WeChat ids; Xiaohongshu note ids and Bilibili BV ids are built apart.
_TEAM_ID_BASES = {
    "douyin": 7430000000000000000,
    "weibo": 5100000000000000,
    "wechat_channels": 14100000000000000000 // 2,
    "wechat": 2650000000,
}
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
    video_days = _video_days(days)
    counts[:, video_days] = np.maximum(counts[:, video_days], 1)
    counts[:, 0] = np.maximum(counts[:, 0], 2)
    stop = np.where((shape == P09) & (role == SCENARIO), start, days)
    stop[~plan.social_planned[camp]] = 0
    counts[np.arange(days)[None, :] >= stop[:, None]] = 0
    return counts, stop


def _video_days(days: int) -> np.ndarray:
    return np.arange(days) % volumes.SHORT_VIDEO_EVERY_DAYS == 0


def generate(
    plan: Plan,
    camp: np.ndarray,
    rng: np.random.Generator,
    weekday: np.ndarray,
    first_ord: tuple[int, int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Post rows and comment rows of a chunk of campaigns; ``first_ord`` numbers each."""
    days = plan.days
    counts, stop = _post_counts(plan, camp, rng, weekday)
    cell, k_in_day = arrays.expand(counts.ravel())
    pc, post_day = cell // days, cell % days
    n_posts = len(pc)
    gc = camp[pc]
    local = arrays.ordinal_within(pc, len(camp))

    slots = plan.social_platforms[camp]
    n_slots = (slots >= 0).sum(axis=1)
    slot = (rng.random(n_posts) * n_slots[pc]).astype(np.int64)
    # The first post of every other day is a short video, on the first or second platform
    # (on the first day of data, one on each).
    video = _video_days(days)[post_day] & (k_in_day == 0)
    slot[video] = (post_day[video] // volumes.SHORT_VIDEO_EVERY_DAYS) % 2
    opening = (post_day == 0) & (k_in_day == 1)
    slot[opening] = 1
    video |= opening
    platform = slots[pc, slot]
    # The platform a post is on: the sample's, or the one a team posts on instead. Reach and
    # engagement follow the sample's platform, so a team's numbers are drawn as they would be.
    label = teams.social_labels(plan.locale_team[gc], platform, slot)
    no_video = (plan.shape[gc] == P15) & (plan.role[gc] == SCENARIO)
    mix = np.where(no_video[:, None], POST_NO_SHORT_VIDEO_MIX[label], POST_FORMAT_MIX[label])
    fmt = (rng.random(n_posts)[:, None] > np.cumsum(mix, axis=1)).sum(axis=1)
    fmt = np.minimum(fmt, len(vocab.SOCIAL_FORMATS) - 1)
    fmt[video & ~no_video] = _SHORT_VIDEO
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
    reach_factor = rng.lognormal(0, volumes.REACH_SIGMA, n_posts) * np.where(
        sponsored, volumes.SPONSORED_REACH_FACTOR, 1.0
    )
    reach = REACH[platform] * reach_factor
    rate = np.clip(ENGAGEMENT[platform] * rng.lognormal(0, 0.3, n_posts), 0, 0.5)

    post, age = arrays.expand(life)
    row_day = post_day[post] + age
    n = len(post)
    impressions = rng.poisson(
        reach[post] * DECAY[age] * arrays.weekday_factor(volumes.SOCIAL_WEEKDAY, weekday[row_day])
    )
    likes = rng.binomial(impressions, rate[post] * 0.85)
    comments = rng.poisson(volumes.COMMENTS_PER_POST_DAY * reach_factor[post] * DECAY[age])
    post_cols = {
        "ci": gc.astype(np.int32),
        "platform": label.astype(np.int8),
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
    frame.insert(0, "_ord", first_ord[0] + np.arange(n, dtype=np.int64))
    frame["day"] = row_day.astype(np.int16)
    frame["impressions"] = impressions
    frame["likes"] = likes
    frame["comments"] = comments
    frame["shares"] = rng.binomial(likes, 0.04)
    comment_frame, replied = _comments(plan, rng, frame, comments, first_ord[1])
    frame["brand_replies"] = np.bincount(
        np.repeat(np.arange(n), comments), weights=replied, minlength=n
    ).astype(np.int64)
    return frame, comment_frame


def _comments(
    plan: Plan,
    rng: np.random.Generator,
    rows: pd.DataFrame,
    comments: np.ndarray,
    first_ord: int,
) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per comment counted in the post rows, and whether the brand answered it."""
    row, _ = arrays.expand(comments)
    n = len(row)
    gc = rows["ci"].to_numpy()[row]
    day = rows["day"].to_numpy()[row]
    u = rng.random(n)
    negative = plan.negative_share[gc]
    sentiment = np.where(
        u < negative, NEGATIVE, np.where(u < negative + POSITIVE_SHARE, POSITIVE, NEUTRAL)
    )
    answer = np.where(sentiment == NEGATIVE, volumes.NEGATIVE_REPLY_SHARE, plan.reply_share[gc])
    silent = (plan.shape[gc] == P10) & (plan.role[gc] == SCENARIO) & (day >= plan.from_idx[gc])
    seconds = rng.integers(COMMENT_HOURS[0] * 3600, COMMENT_HOURS[1] * 3600, n)
    # The team answers a steady share of the comments as they come in: even the few comments
    # of a campaign's first days get their share of replies.
    order = np.lexsort((seconds, day, gc))
    replied = np.empty(n, dtype=bool)
    replied[order] = (
        arrays.steady_counts(rng, np.where(silent, 0.0, answer)[order], gc[order], plan.size) > 0
    )
    minutes = np.clip(
        rng.lognormal(np.log(REPLY_MEDIAN_MINUTES), REPLY_SIGMA, n), *REPLY_BOUNDS
    ).astype(np.int64)
    frame = pd.DataFrame(
        {
            "_ord": first_ord + np.arange(n, dtype=np.int64),
            "ci": gc.astype(np.int32),
            "day": day,
            "platform": rows["platform"].to_numpy()[row],
            "post_n": rows["post_n"].to_numpy()[row],
            "comment_n": gc.astype(np.int64) * 10_000_000 + arrays.ordinal_within(gc, plan.size),
            "seconds": seconds,
            "sentiment": sentiment.astype(np.int8),
            "replied": replied,
            "reply_seconds": minutes * 60,
            "text": np.where(rng.random(n) < COMMENT_TEXT_SHARE, rng.integers(0, 1 << 16, n), -1),
        }
    )
    return frame, replied


def _post_id() -> str:
    youtube = vocab.SOCIAL_PLATFORMS.index("youtube")
    linkedin = vocab.SOCIAL_PLATFORMS.index("linkedin")
    names = teams.all_social_platforms()
    bases = _ID_BASES + tuple(_TEAM_ID_BASES.get(p, 0) for p in teams.team_social_platforms())
    special = ""
    if "xiaohongshu" in names:
        special += f"WHEN {names.index('xiaohongshu')} THEN substr(md5('xhs' || f.post_n), 1, 24) "
    if "bilibili" in names:
        special += (
            f"WHEN {names.index('bilibili')} THEN 'BV1' || upper(substr(md5('bv' || f.post_n), "
            "1, 9)) "
        )
    return (
        f"CASE f.platform WHEN {youtube} THEN substr(md5('yt' || f.post_n), 1, 11) "
        f"WHEN {linkedin} THEN 'urn:li:activity:' "
        "|| CAST(7100000000000000000 + f.post_n * 7919 AS VARCHAR) "
        f"{special}"
        f"ELSE CAST({sql.int_list(bases)}[f.platform + 1] + f.post_n * 7919 AS VARCHAR) END"
    )


def columns(first_day: date) -> dict[str, str]:
    """Contract column -> SQL over the generated frame ``f`` and the campaign lookup ``c``."""
    copy = (
        f"concat_ws(' ', {sql.localised(vocab.SOCIAL_HOOKS, 'f.hook')}, "
        "CASE WHEN f.hashtag THEN c.hashtag END, "
        "CASE WHEN f.tag >= 0 THEN "
        f"{sql.localised(vocab.LOCAL_DISCLOSURE_TAGS, 'f.tag', 'c.tag_locale')} END, "
        f"{sql.localised(vocab.SOCIAL_CALLS, 'f.call')})"
    )
    return {
        "post_date": sql.day(first_day),
        "platform": sql.pick(teams.all_social_platforms(), "f.platform"),
        "post_id": _post_id(),
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


def comment_columns(first_day: date) -> dict[str, str]:
    """Contract column -> SQL over the comment frame ``f`` and the campaign lookup ``c``."""
    youtube = vocab.SOCIAL_PLATFORMS.index("youtube")
    commented = f"(CAST({sql.day(first_day)} AS TIMESTAMP) + to_seconds(f.seconds))"
    texts = {
        locale: {s: vocab.COMMENT_TEXTS[locale][s] for s in vocab.SENTIMENTS}
        for locale in vocab.COMMENT_TEXTS
    }
    by_sentiment = " ".join(
        f"WHEN {k} THEN {sql.localised({loc: texts[loc][s] for loc in texts}, 'f.text')}"
        for k, s in enumerate(vocab.SENTIMENTS)
    )
    return {
        "comment_date": sql.day(first_day),
        "platform": sql.pick(teams.all_social_platforms(), "f.platform"),
        "post_id": _post_id(),
        "campaign_id": "c.campaign_id",
        "comment_id": f"CASE f.platform WHEN {youtube} "
        "THEN 'Ugz' || substr(md5('c' || f.comment_n), 1, 21) "
        "ELSE CAST(18000000000000000 + f.comment_n * 7919 AS VARCHAR) END",
        "commented_at": commented,
        "sentiment": sql.pick(vocab.SENTIMENTS, "f.sentiment"),
        "brand_replied_at": f"CASE WHEN f.replied THEN {commented} "
        "+ to_seconds(f.reply_seconds) END",
        "comment_text": f"CASE WHEN f.text >= 0 THEN CASE f.sentiment {by_sentiment} END END",
    }
