"""What the planning side exports per campaign: experiments, budget commitments, channel owners,
the brands' positioning and the PR log.

All of it is a few rows per campaign, built with numpy over the whole plan. A clean campaign
launches two experiments in its first days and another every 12 days (so two or more are live
in any 30 days), commits about two thirds of its budget, names an owner for every planned
channel (three people between them) and gets a launch press release on its first day of data
and coverage every week or two after.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from marketing_health.generate import vocab
from marketing_health.generate.injections import P07, P11, P16, P17
from marketing_health.generate.plan import Plan

#: Experiment launches after the campaign start: two in the first days, then every 12 days.
FIRST_LAUNCHES = (0, 3)
LAUNCH_EVERY_DAYS = 12
EXPERIMENT_DAYS = (14, 28)
VARIANTS = (2, 3)
STOPPED_SHARE = 0.15
#: A team that stopped testing still has an experiment in the backlog, never launched.
BACKLOG_DAYS_AFTER_END = 5
#: Commitments vary around their planned share by this much either way.
COMMITMENT_SPREAD = 0.15
#: A P17 scenario's booking leaves this share of the budget uncommitted.
OVERCOMMITTED_RESERVE = 0.05
#: PR: days between items (campaign range), sentiment shares (positive, neutral, negative)
#: and reach.
PR_EVERY_DAYS = (6, 12)
PR_SENTIMENT = (0.65, 0.30, 0.05)
PR_REACH = (5_000, 2_000_000)
#: Channels owned by the first, second and third person of a campaign.
OWNER_OF_CHANNEL = {"social": 0, "email": 1, "paid": 2, "influencer": 0}


def _dates(plan: Plan, day_index: np.ndarray) -> np.ndarray:
    """Day indices (relative to the first day of data) as numpy dates."""
    return np.datetime64(plan.first_day) + day_index.astype("timedelta64[D]")


def _id(prefix: str, numbers: np.ndarray) -> pd.Series:
    return prefix + pd.Series(numbers).astype(str)


def experiments(plan: Plan, rng: np.random.Generator) -> pd.DataFrame:
    last = plan.days - 1
    slots = len(FIRST_LAUNCHES) + (plan.days + 30) // LAUNCH_EVERY_DAYS
    offsets = np.concatenate(
        [
            FIRST_LAUNCHES,
            FIRST_LAUNCHES[-1] + LAUNCH_EVERY_DAYS * np.arange(1, slots - len(FIRST_LAUNCHES) + 1),
        ]
    )
    launch = plan.start_idx[:, None] + offsets[None, :]
    keep = launch <= last
    stalled = plan.injected(P16)
    keep[stalled, 1:] = False
    c, k = np.nonzero(keep)
    start = launch[c, k]
    duration = rng.integers(EXPERIMENT_DAYS[0], EXPERIMENT_DAYS[1] + 1, len(c))
    end = start + duration
    running = end > last
    status = np.where(
        running, "running", np.where(rng.random(len(c)) < STOPPED_SHARE, "stopped", "completed")
    )
    # The stalled campaign's backlog: one experiment planned, never started.
    backlog = np.flatnonzero(stalled)
    c = np.concatenate([c, backlog])
    k = np.concatenate([k, np.full(len(backlog), slots)])
    start = np.concatenate([start, np.full(len(backlog), last + BACKLOG_DAYS_AFTER_END)])
    end_dates = np.concatenate(
        [
            np.where(running, np.datetime64("NaT", "D"), _dates(plan, end)),
            np.full(len(backlog), np.datetime64("NaT", "D")),
        ]
    )
    status = np.concatenate([status, np.full(len(backlog), "planned")])
    hypotheses = np.asarray(vocab.EXPERIMENT_HYPOTHESES)
    channels = np.asarray(vocab.EXPERIMENT_CHANNELS)
    return pd.DataFrame(
        {
            "campaign_id": plan.campaign_ids[c],
            "experiment_id": _id("EXP-", 100_000 + c * 100 + k),
            "channel": channels[(c * 3 + k) % len(channels)],
            "hypothesis": hypotheses[(c * 7 + k) % len(hypotheses)],
            "variants": rng.integers(VARIANTS[0], VARIANTS[1] + 1, len(c)),
            "start_date": _dates(plan, start),
            "end_date": end_dates,
            "status": status,
        }
    )


def budget_commitments(plan: Plan, rng: np.random.Generator) -> pd.DataFrame:
    days = np.asarray(vocab.COMMITMENT_DAYS)
    shares = np.asarray(vocab.COMMITMENT_SHARES)
    when = plan.start_idx[:, None] + days[None, :]
    amount = (
        plan.budget[:, None]
        * shares[None, :]
        * rng.uniform(1 - COMMITMENT_SPREAD, 1 + COMMITMENT_SPREAD, (plan.size, len(days)))
    )
    amount = np.round(amount, -2)
    keep = when <= plan.days - 1
    c, k = np.nonzero(keep)
    channel = np.asarray(vocab.COMMITMENT_CHANNELS)[k]
    amounts, dates = amount[c, k], when[c, k]
    # P17: one booking on from_day takes the budget down to a token reserve.
    booked = np.flatnonzero(plan.injected(P17))
    before = np.where(keep & (when <= plan.from_idx[:, None]), amount, 0).sum(axis=1)
    extra = np.ceil((plan.budget * (1 - OVERCOMMITTED_RESERVE) - before) / 100) * 100
    c = np.concatenate([c, booked])
    k = np.concatenate([k, np.full(len(booked), len(days))])
    channel = np.concatenate([channel, np.full(len(booked), "paid")])
    amounts = np.concatenate([amounts, extra[booked]])
    dates = np.concatenate([dates, plan.from_idx[booked]])
    return pd.DataFrame(
        {
            "campaign_id": plan.campaign_ids[c],
            "commitment_id": _id("PO-", 4_500_000 + c * 10 + k),
            "channel": channel,
            "committed_amount": amounts,
            "committed_date": _dates(plan, dates),
        }
    )


def channel_owners(plan: Plan) -> pd.DataFrame:
    first = np.asarray([f.capitalize() for f in vocab.FIRST_NAMES])
    last = np.asarray([w.capitalize() for w in vocab.LAST_NAMES])
    rows = []
    for k, channel in enumerate(vocab.CHANNELS):
        planned = np.flatnonzero(plan.social_planned | (channel != "social"))
        person = (planned * 7 + plan.team[planned] * 13 + OWNER_OF_CHANNEL[channel]) % (
            len(first) * len(last)
        )
        owner = pd.Series(first[person % len(first)]) + " " + last[person // len(first)]
        if channel == "paid":
            owner[plan.injected(P11)[planned]] = None
        rows.append(
            pd.DataFrame(
                {
                    "_c": planned,
                    "_k": k,
                    "campaign_id": plan.campaign_ids[planned],
                    "channel": channel,
                    "owner": owner,
                }
            )
        )
    frame = pd.concat(rows).sort_values(["_c", "_k"], kind="stable")
    return frame.drop(columns=["_c", "_k"]).reset_index(drop=True)


def brand_positioning() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "brand": [b.name for b in vocab.BRANDS],
            "price_tier": [p.price_tier for p in vocab.POSITIONING],
            "target_segments": [p.segments for p in vocab.POSITIONING],
            "brand_values": [p.values for p in vocab.POSITIONING],
            "conflicting_values": [p.conflicting or None for p in vocab.POSITIONING],
        }
    )


def pr_items(plan: Plan, rng: np.random.Generator) -> pd.DataFrame:
    """The PR log: a launch press release on the campaign's first day of data, then an article,
    interview, podcast or event every week or two. A P07 scenario has none."""
    first = np.maximum(plan.start_idx, 0)
    gap = rng.integers(PR_EVERY_DAYS[0], PR_EVERY_DAYS[1] + 1, plan.size)
    count = np.where(plan.injected(P07), 0, 1 + (plan.days - 1 - first) // gap)
    c = np.repeat(np.arange(plan.size), count)
    k = np.arange(len(c)) - np.repeat(np.cumsum(count) - count, count)
    day = first[c] + k * gap[c]
    kind = np.where(
        k == 0, "press_release", np.asarray(vocab.PR_TYPES)[(c + k) % len(vocab.PR_TYPES)]
    )
    sentiment = np.asarray(vocab.SENTIMENTS)[
        rng.choice(len(vocab.SENTIMENTS), size=len(c), p=PR_SENTIMENT)
    ]
    reach = np.exp(rng.uniform(np.log(PR_REACH[0]), np.log(PR_REACH[1]), len(c)))
    return pd.DataFrame(
        {
            "published_date": _dates(plan, day),
            "campaign_id": plan.campaign_ids[c],
            "item_id": _id("PR-", 700_000 + c * 100 + k),
            "item_type": kind,
            "outlet": np.asarray(vocab.PR_OUTLETS)[(c * 5 + k * 3) % len(vocab.PR_OUTLETS)],
            "sentiment": sentiment,
            "estimated_reach": np.round(reach, -2).astype(np.int64),
        }
    )
