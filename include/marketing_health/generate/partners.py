"""Co-marketing: the partners of a campaign and the promotion calendar both sides share.

A minority of campaigns run with one or two partner brands that fit our brand's positioning
(price tiers at most a step apart, a shared customer segment, no value we refuse), under a
signed contract with success metrics and exit conditions. Each partner, and our own brand
(``self``), promotes in three stretches that cover nine tenths of the campaign window, every key
message carrying the campaign hashtag. Scenarios: P19 signs a partner two price tiers away,
P20's first partner promotes only at the start, P22's first partner has signed nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from marketing_health.generate import vocab
from marketing_health.generate.injections import P20, P22
from marketing_health.generate.plan import Plan

SELF = "self"
#: Promotions per participant, and the days each may leave before the next one starts.
PROMOTIONS = 3
MAX_GAP_DAYS = 2
#: Share of the campaign window a P20 partner covers (from the start).
OUT_OF_SYNC_SHARE = 0.2


def _partner_id(k: np.ndarray) -> pd.Series:
    return "PRT-" + pd.Series(k + 1).astype(str).str.zfill(3)


def partners(plan: Plan) -> pd.DataFrame:
    c, j = np.nonzero(plan.partners >= 0)
    k = plan.partners[c, j]
    positioning = [p.positioning for p in vocab.PARTNERS]
    no_terms = plan.injected(P22)[c] & (j == 0)
    return pd.DataFrame(
        {
            "campaign_id": plan.campaign_ids[c],
            "partner_id": _partner_id(k),
            "partner_brand": np.asarray([p.name for p in vocab.PARTNERS])[k],
            "price_tier": np.asarray([p.price_tier for p in positioning])[k],
            "target_segments": np.asarray([p.segments for p in positioning])[k],
            "brand_values": np.asarray([p.values for p in positioning])[k],
            "contract_signed": ~no_terms,
            "success_metrics": np.asarray(vocab.SUCCESS_METRICS)[(c + k) % 3],
            "exit_conditions": np.where(
                no_terms, None, np.asarray(vocab.EXIT_CONDITIONS)[(c + 2 * k) % 3]
            ),
        }
    )


def promotions(plan: Plan, rng: np.random.Generator) -> pd.DataFrame:
    campaigns = plan.campaigns
    co = np.flatnonzero((plan.partners >= 0).any(axis=1))
    # Participants: the partners of each co-marketing campaign, then our own brand.
    slot_partner = np.concatenate([plan.partners[co], np.full((len(co), 1), -2)], axis=1)
    ci, slot = np.nonzero(slot_partner != -1)
    c = co[ci]
    partner = slot_partner[ci, slot]
    first_day = np.datetime64(plan.first_day)
    start = (campaigns["start_date"].to_numpy().astype("datetime64[D]") - first_day).astype(int)
    end = (campaigns["end_date"].to_numpy().astype("datetime64[D]") - first_day).astype(int)
    window = end - start + 1

    p, i = np.repeat(np.arange(len(c)), PROMOTIONS), np.tile(np.arange(PROMOTIONS), len(c))
    pc = c[p]
    bound = start[pc] + (i * window[pc]) // PROMOTIONS
    next_bound = start[pc] + ((i + 1) * window[pc]) // PROMOTIONS
    gap = rng.integers(0, MAX_GAP_DAYS + 1, len(p))
    promo_start, promo_end = bound, next_bound - 1 - gap
    out_of_sync = plan.injected(P20)[pc] & (slot[p] == 0)
    keep = ~out_of_sync | (i == 0)
    promo_end = np.where(
        out_of_sync, start[pc] + (window[pc] * OUT_OF_SYNC_SHARE).astype(int) - 1, promo_end
    )
    p, i, pc, promo_start, promo_end = (a[keep] for a in (p, i, pc, promo_start, promo_end))

    names = np.asarray([x.name for x in vocab.PARTNERS] + [""])
    who = partner[p]
    hashtag = campaigns["hashtag"].to_numpy()[pc].astype(str)
    offer = np.asarray(vocab.PROMO_OFFERS)[(pc + 3 * i + who) % len(vocab.PROMO_OFFERS)]
    joint = pd.Series(hashtag) + " with " + names[np.where(who >= 0, who, -1)] + ": " + offer
    own = pd.Series(hashtag) + ": " + offer
    return pd.DataFrame(
        {
            "campaign_id": plan.campaign_ids[pc],
            "partner_id": np.where(who >= 0, _partner_id(np.maximum(who, 0)), SELF),
            "promotion_id": "PM-" + pd.Series(9_000_000 + pc * 12 + slot[p] * 4 + i).astype(str),
            "promo_channel": np.asarray(vocab.PROMO_CHANNELS)[
                (pc + slot[p] + i) % len(vocab.PROMO_CHANNELS)
            ],
            "start_date": first_day + promo_start.astype("timedelta64[D]"),
            "end_date": first_day + promo_end.astype("timedelta64[D]"),
            "key_message": np.where(who >= 0, joint, own),
        }
    )
