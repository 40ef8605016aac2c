"""Influencer posts (one row per creator deliverable) and the workflow reports behind them.

Creators belong to a tier by followers (nano <10k, micro 10k-100k, mid 100k-500k, macro
500k-1M, celebrity >1M) and charge a per-post fee that grows with the tier. A clean campaign
signs a roster with a mid tier and a headline creator (mid, macro or celebrity) who posts on the
first day and weekly after, so nano and micro creators take well under half of the fees; a P03
scenario signs nano and micro creators only.

Engagement per impression sits within 15% of its tier's norm, and the norms are close enough
that no creator falls under half a platform's median; a P08 scenario's macro creator engages at
a third of it. Every sponsored deliverable is briefed a week or two ahead, drafted three to six
days before going live, answered within two days, and delivered by its due date (until a P04
scenario stops managing its creators).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from marketing_health.generate import arrays, creators, sql, vocab, volumes
from marketing_health.generate.injections import P01, P04, P05, P06, P08, P09, SCENARIO
from marketing_health.generate.plan import Plan

SOURCES = ("influencer_posts", "creator_workflow")

#: Engagement per impression by tier (vocab.TIERS order); a post lands within +-ER_SPREAD.
ENGAGEMENT = np.array([0.048, 0.042, 0.037, 0.033, 0.030])
ER_SPREAD = 0.15
#: A creator picked for reach, not content, engages at this share of the norm.
POOR_CONTENT = 0.3
#: Impressions of a post as a share of the creator's followers.
REACH_SHARE = (0.15, 0.35)
#: The headline creator posts on the first day and then weekly: the campaign's anchor voice,
#: and what keeps a clean campaign's fees from drifting into nano/micro creators.
HEADLINE_EVERY_DAYS = 7
#: A P05 campaign (and its twin) gets a sponsored post every few days from the scenario start,
#: so every 7-day disclosure window holds one.
SPONSORED_EVERY_DAYS = 3
#: Slot-8 creators of P01 (every 5 days) and P08 campaigns (two days running, then every 4
#: days) post from the scenario start, so every 28-day window holds their posts.
MISFIT_EVERY_DAYS = 5
REACH_CREATOR_EVERY_DAYS = 4
#: Days a late deliverable of a P04 scenario misses its due date by (inclusive).
LATE_DAYS = (2, 5)
ON_TIME_DUE_DAYS = (0, 4)
#: Workflow report stages of a deliverable.
DRAFT, FEEDBACK, LIVE = 0, 1, 2


def _special_days(shape: np.ndarray, since: np.ndarray) -> np.ndarray:
    """Days slot 8 posts: the misaligned creator of P01, the reach creator of P08."""
    p01 = (shape == P01)[:, None] & (since >= 0) & (since % MISFIT_EVERY_DAYS == 0)
    p08 = (shape == P08)[:, None] & (
        ((since >= 0) & (since % REACH_CREATOR_EVERY_DAYS == 0)) | (since == 1)
    )
    return p01 | p08


def _post_counts(plan: Plan, camp: np.ndarray, rng: np.random.Generator, weekday: np.ndarray):
    days = plan.days
    rate = plan.influencer_rate[camp][:, None] * arrays.weekday_factor(
        volumes.INFLUENCER_WEEKDAY, weekday
    )
    counts = rng.poisson(rate)
    headline = np.arange(days) % HEADLINE_EVERY_DAYS == 0
    shape, role, start = plan.shape[camp], plan.role[camp], plan.from_idx[camp]
    since = np.arange(days)[None, :] - start[:, None]
    sponsor = (shape == P05)[:, None] & (since >= 0) & (since % SPONSORED_EVERY_DAYS == 0)
    special = _special_days(shape, since)
    late = (shape == P04)[:, None] & (since == 0)
    need = np.maximum(headline[None, :].astype(int) + special, sponsor | late)
    counts = np.maximum(counts, need)
    counts[((shape == P09) & (role == SCENARIO))[:, None] & (since >= 0)] = 0
    return counts, sponsor, special, headline


def generate(
    plan: Plan,
    camp: np.ndarray,
    rng: np.random.Generator,
    weekday: np.ndarray,
    first_ord: tuple[int, int],
    pool: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deliverables and workflow reports of a chunk of campaigns; ``first_ord`` numbers each."""
    days = plan.days
    counts, forced, special_day, headline_day = _post_counts(plan, camp, rng, weekday)
    cell, k_in_day = arrays.expand(counts.ravel())
    pc, day = cell // days, cell % days
    n = len(pc)
    gc = camp[pc]
    local = arrays.ordinal_within(pc, len(camp))

    headline = headline_day[day] & (k_in_day == 0)
    special = special_day[pc, day] & (k_in_day == headline_day[day].astype(np.int64))
    slot = rng.integers(0, volumes.ROSTER_SIZE, n)
    # A P06 campaign's creators take turns, so every platform on its roster shows early on.
    turns = plan.shape[gc] == P06
    slot[turns] = local[turns] % (volumes.ROSTER_SIZE - 1)
    slot[headline] = creators.HEADLINE_SLOT
    slot[special] = creators.SPECIAL_SLOT
    creator = plan.roster[gc, slot]
    must_sponsor = headline | special | (forced[pc, day] & (k_in_day == 0))
    sponsored = (rng.random(n) >= volumes.ORGANIC_MENTION_SHARE) | must_sponsor
    scenario = plan.role[gc] == SCENARIO
    started = day >= plan.from_idx[gc]
    undisclosed = (plan.shape[gc] == P05) & scenario & started
    disclosed = sponsored & ~undisclosed
    tag = np.where(
        disclosed & (rng.random(n) < 0.8), rng.integers(0, len(vocab.DISCLOSURE_TAGS), n), -1
    )
    fee = np.where(
        sponsored, np.round(pool["fee"].to_numpy()[creator] * rng.uniform(0.9, 1.1, n)), 0
    )
    followers = pool["followers"].to_numpy()[creator]
    impressions = rng.poisson(followers * rng.uniform(*REACH_SHARE, n))
    tier = pool["tier_index"].to_numpy()[creator]
    rate = ENGAGEMENT[tier] * rng.uniform(1 - ER_SPREAD, 1 + ER_SPREAD, n)
    rate[special & scenario & (plan.shape[gc] == P08)] *= POOR_CONTENT
    unmanaged = (plan.shape[gc] == P04) & scenario & started
    due = np.where(
        unmanaged,
        -rng.integers(LATE_DAYS[0], LATE_DAYS[1] + 1, n),
        rng.integers(ON_TIME_DUE_DAYS[0], ON_TIME_DUE_DAYS[1] + 1, n),
    )
    posts = pd.DataFrame(
        {
            "_ord": first_ord[0] + np.arange(n, dtype=np.int64),
            "ci": gc.astype(np.int32),
            "day": day.astype(np.int16),
            "creator": creator.astype(np.int32),
            "post_n": gc.astype(np.int64) * 100_000 + local,
            "sponsored": sponsored,
            "disclosed": disclosed,
            "due_offset": due.astype(np.int16),
            "fee": fee,
            "impressions": impressions,
            "engagements": np.round(impressions * rate).astype(np.int64),
            "no_caption": rng.random(n) < 0.02,
            "hashtag": rng.random(n) < volumes.HASHTAG_SHARE,
            "hook": rng.integers(0, 1 << 16, n, dtype=np.int32),
            "tag": tag.astype(np.int8),
            "utm": arrays.utm_codes(rng, n),
        }
    )
    return posts, _workflow(rng, posts, unmanaged, first_ord[1])


def _workflow(
    rng: np.random.Generator, posts: pd.DataFrame, unmanaged: np.ndarray, first_ord: int
) -> pd.DataFrame:
    """Reports of each sponsored deliverable: draft submitted (when feedback came on a later
    day), feedback given, live. Reports dated before the first day of data are not there."""
    n = len(posts)
    brief_lead = rng.integers(volumes.BRIEF_LEAD_DAYS[0], volumes.BRIEF_LEAD_DAYS[1] + 1, n)
    draft_lead = rng.integers(volumes.DRAFT_LEAD_DAYS[0], volumes.DRAFT_LEAD_DAYS[1] + 1, n)
    delay = rng.integers(volumes.FEEDBACK_DAYS[0], volumes.FEEDBACK_DAYS[1] + 1, n)
    post_day = posts["day"].to_numpy().astype(np.int64)
    report = np.stack([post_day - draft_lead, post_day - draft_lead + delay, post_day], axis=1)
    keep = (report >= 0) & posts["sponsored"].to_numpy()[:, None]
    keep[:, DRAFT] &= delay > 0
    post, stage = np.nonzero(keep)
    return pd.DataFrame(
        {
            "_ord": first_ord + np.arange(len(post), dtype=np.int64),
            "ci": posts["ci"].to_numpy()[post],
            "day": report[post, stage].astype(np.int16),
            "post_day": post_day[post].astype(np.int16),
            "creator": posts["creator"].to_numpy()[post],
            "post_n": posts["post_n"].to_numpy()[post],
            "stage": stage.astype(np.int8),
            "brief_lead": np.where(unmanaged[post], -1, brief_lead[post]).astype(np.int16),
            "draft_lead": draft_lead[post].astype(np.int16),
            "delay": delay[post].astype(np.int16),
        }
    )


def _post_id() -> str:
    short_code = "'C' || upper(substr(md5('ig' || f.post_n), 1, 10))"
    return (
        f"CASE p.platform WHEN 'instagram' THEN {short_code} "
        f"WHEN 'threads' THEN {short_code} "
        "WHEN 'youtube' THEN substr(md5('yt' || f.post_n), 1, 11) "
        "WHEN 'blog' THEN 'blog-' || f.post_n "
        "WHEN 'twitch' THEN 'v' || CAST(2000000000 + f.post_n AS VARCHAR) "
        "ELSE CAST(7200000000000000000 + f.post_n * 7919 AS VARCHAR) END"
    )


def columns(first_day: date) -> dict[str, str]:
    """Contract column -> SQL over frame ``f``, campaign lookup ``c`` and creator pool ``p``."""
    post_date = sql.day(first_day)
    caption = (
        f"concat_ws(' ', {sql.localised(vocab.CREATOR_HOOKS, 'f.hook')}, c.brand_handle, "
        "CASE WHEN f.hashtag THEN c.hashtag END, "
        "CASE WHEN f.tag >= 0 THEN "
        f"{sql.localised(vocab.LOCAL_DISCLOSURE_TAGS, 'f.tag', 'c.tag_locale')} END)"
    )
    return {
        "post_date": post_date,
        "campaign_id": "c.campaign_id",
        "creator_id": "p.creator_id",
        "creator_handle": "p.creator_handle",
        "platform": "p.platform",
        "post_id": _post_id(),
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
        # the sample's trackers leave the status out: the dates tell (delivered = published)
        "post_status": "NULL",
    }


def workflow_columns(first_day: date) -> dict[str, str]:
    """Contract column -> SQL over the workflow frame ``f``, ``c`` and creator pool ``p``."""
    live = sql.day(first_day, "f.post_day")
    draft = f"({live} - CAST(f.draft_lead AS INTEGER))"
    return {
        "report_date": sql.day(first_day),
        "campaign_id": "c.campaign_id",
        "creator_id": "p.creator_id",
        "post_id": _post_id(),
        "brief_sent_date": f"CASE WHEN f.brief_lead >= 0 "
        f"THEN {live} - CAST(f.brief_lead AS INTEGER) END",
        "draft_submitted_date": draft,
        "feedback_date": f"CASE WHEN f.stage >= {FEEDBACK} "
        f"THEN {draft} + CAST(f.delay AS INTEGER) END",
        "went_live_date": f"CASE WHEN f.stage = {LIVE} THEN {live} END",
    }
