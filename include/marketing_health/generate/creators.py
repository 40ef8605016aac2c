"""The creators a brand works with: a fixed pool of profiles, and each campaign's roster.

Creators are grouped by brand interest, market and tier, so a campaign signs creators whose
audience lives in its market and shares its interest: a clean roster overlaps the target
audience by 0.8 or more. Within a group, half the creators reach a younger audience and half an
older one (the campaign picks the half its target age fits), six post on the big three
platforms and one elsewhere; one per half carries brand-safety flags and is never signed.

The pool is a fixed few thousand profiles, not data rows: it is written as the ``creators``
snapshot in full, whether or not a creator posted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from marketing_health.generate import vocab
from marketing_health.generate.injections import P01, P03, P06, P08, SCENARIO, TWIN

#: Creators per (brand, market, tier) group: two audience profiles x PER_PROFILE.
PER_PROFILE = 8
PER_GROUP = 2 * PER_PROFILE
#: Main platform by position in a profile half; position 6 posts elsewhere, 7 is flagged.
BIG_PLATFORMS = ("instagram", "tiktok", "youtube", "instagram", "tiktok", "youtube")
SIGNABLE = len(BIG_PLATFORMS) + 1
FLAGGED = PER_PROFILE - 1
INSTAGRAM_POSITIONS = (0, 3)

#: Per tier (vocab.TIERS order): follower range, fee per follower, fee bounds.
FOLLOWERS = (
    (1_000, 10_000),
    (10_000, 100_000),
    (100_000, 500_000),
    (500_000, 1_000_000),
    (1_000_000, 12_000_000),
)
FEE_PER_FOLLOWER = ((0.02, 0.04), (0.015, 0.03), (0.012, 0.025), (0.01, 0.02), (0.006, 0.012))
FEE_BOUNDS = ((40, 250), (250, 1_500), (2_500, 9_000), (8_000, 25_000), (25_000, 120_000))
#: Share of creators whose audience sits in the market's main country only.
MAIN_COUNTRY_ONLY_SHARE = 0.3

NANO, MICRO, MID, MACRO = 0, 1, 2, 3
#: Roster tiers per slot: three nano, three micro, one mid, the headline creator (slot 7, mid
#: or above, posts first and weekly) and slot 8, kept for creators a scenario brings in.
CLEAN_ROSTER = (NANO, NANO, NANO, MICRO, MICRO, MICRO, MID, -1, MICRO)
MICRO_ONLY_ROSTER = (NANO, NANO, NANO, NANO, MICRO, MICRO, MICRO, MICRO, MICRO)
HEADLINE_SLOT, SPECIAL_SLOT = 7, 8
ROSTER_SLOTS = len(CLEAN_ROSTER)
#: A misaligned creator comes from another interest and a market with no shared country.
MISFIT_BRAND_STEP, MISFIT_MARKET_STEP = 6, 5


def group_start(brand: np.ndarray, market: np.ndarray, tier: np.ndarray) -> np.ndarray:
    n_markets, n_tiers = len(vocab.MARKETS), len(vocab.TIERS)
    return ((brand * n_markets + market) * n_tiers + tier) * PER_GROUP


def _handles(index: np.ndarray, interest: np.ndarray) -> pd.Series:
    """@first.ending handles, numbered when two creators would share one."""
    first = np.asarray(vocab.FIRST_NAMES)[(index * 7) % len(vocab.FIRST_NAMES)]
    endings = np.array([vocab.HANDLE_ENDINGS[b.interest] for b in vocab.BRANDS])
    ending = endings[interest, (index // 3) % 3]
    base = pd.Series(np.char.add(np.char.add("@", first), np.char.add(".", ending)))
    repeat = base.groupby(base).cumcount()
    return base.where(repeat == 0, base + (repeat + 1).astype(str))


def creator_pool(rng: np.random.Generator) -> pd.DataFrame:
    """Every creator profile; the row index is the pool index rosters refer to."""
    n_brands, n_markets, n_tiers = len(vocab.BRANDS), len(vocab.MARKETS), len(vocab.TIERS)
    size = n_brands * n_markets * n_tiers * PER_GROUP
    idx = np.arange(size)
    k = idx % PER_GROUP
    tier = (idx // PER_GROUP) % n_tiers
    market = (idx // (PER_GROUP * n_tiers)) % n_markets
    brand = idx // (PER_GROUP * n_tiers * n_markets)
    profile, position = k // PER_PROFILE, k % PER_PROFILE

    low, high = np.array(FOLLOWERS).T
    followers = np.exp(rng.uniform(np.log(low[tier]), np.log(high[tier])))
    rate_low, rate_high = np.array(FEE_PER_FOLLOWER).T
    fee_low, fee_high = np.array(FEE_BOUNDS).T
    fee = np.clip(
        followers * rng.uniform(rate_low[tier], rate_high[tier]), fee_low[tier], fee_high[tier]
    )
    platforms = np.asarray(vocab.INFLUENCER_PLATFORMS)
    others = np.array([p for p in vocab.INFLUENCER_PLATFORMS if p not in BIG_PLATFORMS])
    platform = np.where(
        position < len(BIG_PLATFORMS),
        np.asarray(BIG_PLATFORMS + ("",) * 2)[position],
        np.where(
            position == FLAGGED,
            platforms[rng.integers(0, len(platforms), size)],
            others[rng.integers(0, len(others), size)],
        ),
    )
    countries = np.array([m.countries for m in vocab.MARKETS])[market]
    main_country = np.array([m.countries.split("|")[0] for m in vocab.MARKETS])[market]
    countries = np.where(rng.random(size) < MAIN_COUNTRY_ONLY_SHARE, main_country, countries)
    interest = np.array([b.interest for b in vocab.BRANDS])[brand]
    secondary = np.asarray(vocab.SECONDARY_INTERESTS)[
        rng.integers(0, len(vocab.SECONDARY_INTERESTS), size)
    ]
    interests = np.char.add(np.char.add(interest, "|"), secondary)
    ages = np.asarray(vocab.CREATOR_AGE_PROFILES)[profile]
    flags = np.where(
        position == FLAGGED,
        np.asarray(vocab.BRAND_SAFETY_FLAGS)[rng.integers(0, len(vocab.BRAND_SAFETY_FLAGS), size)],
        None,
    )
    summary = pd.Series(ages).radd("age=") + ";country=" + countries + ";interest=" + interests
    return pd.DataFrame(
        {
            "pool": idx.astype(np.int32),
            "creator_id": "CR-" + pd.Series(10_001 + idx * 7).astype(str).str.zfill(6),
            "creator_handle": _handles(idx, brand),
            "platform": platform,
            "tier": np.asarray(vocab.TIERS)[tier],
            "followers": np.round(followers, -1).astype(np.int64),
            "audience_summary": summary,
            "audience_age_bands": ages,
            "audience_countries": countries,
            "audience_interests": interests,
            "brand_safety_flags": flags,
            "fee": np.round(fee, -1),
            "tier_index": tier.astype(np.int8),
        }
    )


def snapshot(pool: pd.DataFrame) -> pd.DataFrame:
    """The ``creators`` file: every profile in the pool."""
    columns = [
        "creator_id",
        "creator_handle",
        "platform",
        "tier",
        "followers",
        "audience_age_bands",
        "audience_countries",
        "audience_interests",
        "brand_safety_flags",
    ]
    return pool[columns]


def rosters(
    rng: np.random.Generator,
    *,
    brand: np.ndarray,
    market: np.ndarray,
    older: np.ndarray,
    headline: np.ndarray,
    shape: np.ndarray,
    role: np.ndarray,
) -> np.ndarray:
    """Pool index per campaign and roster slot.

    A P03 scenario signs nano and micro creators only; a P06 campaign's creators post on
    Instagram only (scenario) or spread over the big three platforms slot by slot (twin); slot 8
    holds the misaligned creator of a P01 scenario (a well-aligned one for its twin) and the
    macro creator of a P08 campaign, on Instagram where platform norms are firm.
    """
    n = len(brand)
    tiers = np.tile(np.asarray(CLEAN_ROSTER), (n, 1))
    tiers[:, HEADLINE_SLOT] = headline
    scenario = role == SCENARIO
    tiers[scenario & (shape == P03)] = MICRO_ONLY_ROSTER
    tiers[shape == P08, SPECIAL_SLOT] = MACRO

    position = rng.integers(0, SIGNABLE, size=(n, ROSTER_SLOTS))
    on_instagram = np.asarray(INSTAGRAM_POSITIONS)[rng.integers(0, 2, size=(n, ROSTER_SLOTS))]
    spread = (np.arange(ROSTER_SLOTS) % 3)[None, :] + 3 * rng.integers(0, 2, (n, ROSTER_SLOTS))
    position[scenario & (shape == P06)] = on_instagram[scenario & (shape == P06)]
    twin06 = (role == TWIN) & (shape == P06)
    position[twin06] = spread[twin06]
    position[shape == P08, SPECIAL_SLOT] = on_instagram[shape == P08, SPECIAL_SLOT]

    profile = older.astype(np.int64)[:, None]
    out = group_start(brand[:, None], market[:, None], tiers) + profile * PER_PROFILE + position
    misfit = scenario & (shape == P01)
    other_brand = (brand + MISFIT_BRAND_STEP) % len(vocab.BRANDS)
    other_market = (market + MISFIT_MARKET_STEP) % vocab.UNICODE_MARKET
    out[misfit, SPECIAL_SLOT] = (
        group_start(other_brand, other_market, np.full(n, MICRO))
        + older * PER_PROFILE
        + position[:, SPECIAL_SLOT]
    )[misfit]
    return out
