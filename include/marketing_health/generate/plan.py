"""The campaign plan of a sample landing zone: which campaigns exist, which of them drift into a
pitfall (and when), and the shape of activity every channel generator follows.

Every scenario campaign gets a twin: same brand, owner, theme, channel mix and cadence, in
another market, minus the pitfall. A guard that fires on both, or on neither, is wrong; the
twin is what makes a scenario a test rather than an anecdote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from marketing_health.generate import arrays, vocab, volumes
from marketing_health.generate.manifest import Scenario

#: Role codes of a campaign.
BASELINE, SCENARIO, TWIN = 0, 1, 2
#: Pitfall code of a campaign: index into SCENARIO_PITFALLS, -1 for none.
NO_PITFALL = -1
P02, P03, P05, P09, P13 = (
    volumes.SCENARIO_PITFALLS.index(p) for p in ("P02", "P03", "P05", "P09", "P13")
)

#: Influencer roster tiers (indices into vocab.TIERS); the last slot is the campaign's headline
#: creator, who posts first.
CLEAN_ROSTER = (0, 0, 0, 1, 1, 1, 2, -1)
HEADLINE_TIERS, HEADLINE_WEIGHTS = (2, 3, 4), (0.5, 0.35, 0.15)
MICRO_ONLY_ROSTER = (0, 0, 0, 0, 1, 1, 1, 1)
#: Creators per brand interest and tier in the creator pool.
CREATORS_PER_TIER = 40
#: The APAC team (last in vocab.TEAMS) owns the Unicode campaign; others draw the rest.
APAC_TEAM = len(vocab.TEAMS) - 1
#: A P09 scenario keeps at least this many integrated days before it falls apart.
MIN_CLEAN_DAYS = 3

PAID_PLATFORM_WEIGHTS = (0.34, 0.34, 0.12, 0.05, 0.05, 0.04, 0.03, 0.03)
SOCIAL_PLATFORM_WEIGHTS = (0.30, 0.20, 0.15, 0.10, 0.07, 0.08, 0.05, 0.05)

DESCRIPTIONS = {
    "P02": "Declares only vanity KPIs (impressions, likes, followers); no outcome KPI with a "
    "target and a due date.",
    "P03": "Every creator is nano or micro tier: all influencer fees go to nano/micro creators, "
    "none mid tier or above.",
    "P05": "From {from_day} sponsored creator and social posts carry no #ad or paid-partnership "
    "disclosure.",
    "P09": "From {from_day} only paid ads run, without the campaign's utm_campaign; social, e-mail "
    "and influencer stop although all four channels are planned.",
    "P13": "From {from_day} e-mails go to recipients without recorded consent or who opted out "
    "before the send, and social post texts carry a raw e-mail address and phone number.",
}


@dataclass
class Plan:
    """Per-campaign arrays (index = campaign number) the channel generators read, plus the
    plan files themselves."""

    first_day: date
    end_date: date
    days: int
    campaign_ids: np.ndarray
    role: np.ndarray  # BASELINE, SCENARIO or TWIN
    shape: np.ndarray  # pitfall code whose activity shape the campaign follows (scenario, twin)
    from_idx: np.ndarray  # day index the scenario starts (days for none)
    brand: np.ndarray
    theme: np.ndarray
    market: np.ndarray
    paid_daily: np.ndarray
    average_order: np.ndarray
    social_rate: np.ndarray
    influencer_rate: np.ndarray
    email_weekdays: np.ndarray  # (n, 7) bool
    paid_platforms: np.ndarray  # (n, 3) platform index, -1 unused
    ad_groups: np.ndarray  # (n, 3) ad groups per paid platform
    social_platforms: np.ndarray  # (n, 4) platform index, -1 unused
    roster: np.ndarray  # (n, ROSTER_SIZE) creator pool index
    campaigns: pd.DataFrame
    kpis: pd.DataFrame
    scenarios: tuple[Scenario, ...]
    clean_campaigns: tuple[str, ...]
    baseline_campaigns: tuple[str, ...]
    unicode_campaign_id: str
    unowned_campaign_id: str

    @property
    def size(self) -> int:
        return len(self.campaign_ids)


def _pick_without_replacement(
    rng: np.random.Generator, weights: tuple[float, ...], counts: np.ndarray, width: int
) -> np.ndarray:
    """``counts[i]`` distinct weighted picks per row (Gumbel top-k), padded with -1."""
    keys = np.log(np.asarray(weights))[None, :] + rng.gumbel(size=(len(counts), len(weights)))
    order = np.argsort(-keys, axis=1, kind="stable")[:, :width]
    order[np.arange(width)[None, :] >= counts[:, None]] = -1
    return order


def _roles(campaigns: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Role, pitfall and partner (scenario <-> twin) of each slot, before shuffling."""
    pairs = volumes.scenario_count(campaigns)
    role = np.full(campaigns, BASELINE)
    pitfall = np.full(campaigns, NO_PITFALL)
    partner = np.full(campaigns, -1)
    k = np.arange(pairs)
    role[2 * k], role[2 * k + 1] = SCENARIO, TWIN
    pitfall[2 * k] = pitfall[2 * k + 1] = k % len(volumes.SCENARIO_PITFALLS)
    partner[2 * k], partner[2 * k + 1] = 2 * k + 1, 2 * k
    return role, pitfall, partner


def _from_days(
    rng: np.random.Generator,
    shape: np.ndarray,
    role: np.ndarray,
    send_weekdays: np.ndarray,
    weekday: np.ndarray,
) -> np.ndarray:
    """Day index each scenario starts; twins share their scenario's day (set by the caller)."""
    days = len(weekday)
    last = days - 1
    out = np.full(len(shape), days)
    scen = role == SCENARIO

    def before_end(bounds: tuple[int, int]) -> np.ndarray:
        return last - rng.integers(bounds[0], bounds[1] + 1, size=len(shape))

    out[scen & np.isin(shape, (P02, P03))] = 0
    p05 = before_end(volumes.P05_FROM_DAYS_BEFORE_END)
    out[scen & (shape == P05)] = p05[scen & (shape == P05)]
    p09 = np.maximum(before_end(volumes.P09_FROM_DAYS_BEFORE_END), MIN_CLEAN_DAYS)
    out[scen & (shape == P09)] = p09[scen & (shape == P09)]
    # P13 starts on the campaign's first send day on or after the drawn day, so the first
    # violating recipients arrive exactly on from_day.
    p13 = before_end(volumes.P13_FROM_DAYS_BEFORE_END)
    for i in np.flatnonzero(scen & (shape == P13)):
        sends = np.flatnonzero(send_weekdays[i, weekday[p13[i] :]])
        out[i] = p13[i] + sends[0]
    return out


def _draw_shape(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Activity shape of ``n`` campaigns: channel mix, cadence and rates (balanced draws)."""
    cadence_days = [c for c, _ in volumes.EMAIL_CADENCES]
    cadence = arrays.balanced_choice(rng, n, [w for _, w in volumes.EMAIL_CADENCES])
    weekdays = np.zeros((n, 7), dtype=bool)
    for k, wd in enumerate(cadence_days):
        weekdays[np.ix_(cadence == k, list(wd))] = True
    n_paid = arrays.balanced_integers(rng, n, *volumes.PAID_PLATFORMS_PER_CAMPAIGN)
    n_social = arrays.balanced_integers(rng, n, *volumes.SOCIAL_PLATFORMS_PER_CAMPAIGN)
    ad_groups = np.stack(
        [arrays.balanced_integers(rng, n, *volumes.AD_GROUPS_PER_PLATFORM) for _ in range(3)],
        axis=1,
    )
    return {
        "social_rate": arrays.balanced_uniform(rng, n, *volumes.SOCIAL_POSTS_PER_DAY),
        "influencer_rate": arrays.balanced_uniform(rng, n, *volumes.INFLUENCER_POSTS_PER_DAY),
        "email_weekdays": weekdays,
        "paid_platforms": _pick_without_replacement(rng, PAID_PLATFORM_WEIGHTS, n_paid, 3),
        "ad_groups": ad_groups,
        "social_platforms": _pick_without_replacement(rng, SOCIAL_PLATFORM_WEIGHTS, n_social, 4),
        "budget": np.round(arrays.balanced_uniform(rng, n, 40_000, 400_000), -3),
        "headline": np.asarray(HEADLINE_TIERS)[arrays.balanced_choice(rng, n, HEADLINE_WEIGHTS)],
        "reserve_share": rng.uniform(0.1, 0.2, size=n),
        "kpi_extra": rng.integers(0, 5, size=n),
    }


def _rosters(
    rng: np.random.Generator, brand: np.ndarray, headline: np.ndarray, micro_only: np.ndarray
) -> np.ndarray:
    tiers = np.tile(np.asarray(CLEAN_ROSTER), (len(brand), 1))
    tiers[:, -1] = headline
    tiers[micro_only] = MICRO_ONLY_ROSTER
    pick = rng.integers(0, CREATORS_PER_TIER, size=tiers.shape)
    return (brand[:, None] * len(vocab.TIERS) + tiers) * CREATORS_PER_TIER + pick


def build_plan(rng: np.random.Generator, *, scale: float, days: int, end_date: date) -> Plan:
    first_day = end_date - timedelta(days=days - 1)
    weekday = (first_day.weekday() + np.arange(days)) % 7
    n = volumes.campaign_count(scale)
    slot_role, slot_pitfall, slot_partner = _roles(n)
    # Shuffle slots over campaign numbers so scenario, twin and baseline ids interleave.
    position = rng.permutation(n)
    role = np.empty(n, dtype=int)
    shape = np.empty(n, dtype=int)
    partner = np.full(n, -1)
    role[position], shape[position] = slot_role, slot_pitfall
    has_partner = slot_partner >= 0
    partner[position[has_partner]] = position[slot_partner[has_partner]]
    scen, twin = role == SCENARIO, role == TWIN
    baselines = np.flatnonzero(role == BASELINE)

    # Shapes are drawn for the campaigns that own one; a twin copies its scenario's below.
    owners = np.flatnonzero(role != TWIN)
    shape_draw = {}
    for key, drawn in _draw_shape(rng, len(owners)).items():
        full = np.zeros((n, *drawn.shape[1:]), dtype=drawn.dtype)
        full[owners] = drawn
        shape_draw[key] = full
    theme = rng.integers(1, len(vocab.THEMES), size=n)
    market = rng.integers(0, vocab.UNICODE_MARKET, size=n)
    team = rng.integers(0, APAC_TEAM, size=n)
    unicode_c, unowned_c = baselines[0], baselines[1]
    theme[unicode_c], market[unicode_c], team[unicode_c] = 0, vocab.UNICODE_MARKET, APAC_TEAM
    # A twin copies its scenario's shape; only the market (and so ids and links) differs.
    src = np.flatnonzero(twin)
    sc = partner[src]
    for arr in shape_draw.values():
        arr[src] = arr[sc]
    theme[src], team[src] = theme[sc], team[sc]
    other_market = market[sc] + 1 + rng.integers(0, vocab.UNICODE_MARKET - 1, size=len(src))
    market[src] = other_market % vocab.UNICODE_MARKET
    brand = np.array([t.brand for t in vocab.THEMES])[theme]
    roster = _rosters(rng, brand, shape_draw["headline"], scen & (shape == P03))
    roster[src] = np.where(shape[src, None] == P03, roster[src], roster[sc])

    from_idx = _from_days(rng, shape, role, shape_draw["email_weekdays"], weekday)
    from_idx[src] = from_idx[sc]
    from_idx[role == BASELINE] = days
    shape[role == BASELINE] = NO_PITFALL

    width = max(4, len(str(n)))
    ids = np.array([f"CMP-{i + 1:0{width}d}" for i in range(n)])
    start_offset = np.where(role == BASELINE, rng.integers(0, 22, size=n), 0)
    start = [first_day - timedelta(days=int(o)) for o in start_offset]
    end = [end_date + timedelta(days=int(o)) for o in rng.integers(10, 61, size=n)]
    span = np.array([(e - s).days + 1 for s, e in zip(start, end, strict=True)])
    budget = shape_draw["budget"]
    campaigns = _campaigns_frame(
        ids, theme, market, team, budget, shape_draw["reserve_share"], start, end, unowned_c
    )
    kpis = _kpis_frame(ids, shape, role, budget, end, shape_draw["kpi_extra"])

    scenarios = _scenarios(
        ids, partner, shape, np.flatnonzero(scen), from_idx, campaigns, first_day
    )
    brand_orders = np.array([b.average_order for b in vocab.BRANDS])
    return Plan(
        first_day=first_day,
        end_date=end_date,
        days=days,
        campaign_ids=ids,
        role=role,
        shape=shape,
        from_idx=from_idx,
        brand=brand,
        theme=theme,
        market=market,
        paid_daily=budget * volumes.PAID_BUDGET_SHARE / span,
        average_order=brand_orders[brand],
        social_rate=shape_draw["social_rate"],
        influencer_rate=shape_draw["influencer_rate"],
        email_weekdays=shape_draw["email_weekdays"],
        paid_platforms=shape_draw["paid_platforms"],
        ad_groups=shape_draw["ad_groups"],
        social_platforms=shape_draw["social_platforms"],
        roster=roster,
        campaigns=campaigns,
        kpis=kpis,
        scenarios=scenarios,
        clean_campaigns=tuple(sorted(ids[role != SCENARIO])),
        baseline_campaigns=tuple(sorted(ids[role == BASELINE])),
        unicode_campaign_id=str(ids[unicode_c]),
        unowned_campaign_id=str(ids[unowned_c]),
    )


def _scenarios(
    ids: np.ndarray,
    partner: np.ndarray,
    shape: np.ndarray,
    scenario_campaigns: np.ndarray,
    from_idx: np.ndarray,
    campaigns: pd.DataFrame,
    first_day: date,
) -> tuple[Scenario, ...]:
    """Manifest entries, by pitfall then campaign id."""
    out = []
    for i in sorted(scenario_campaigns, key=lambda i: (shape[i], ids[i])):
        pitfall = volumes.SCENARIO_PITFALLS[shape[i]]
        from_day = first_day + timedelta(days=int(from_idx[i]))
        # P09's 14-day score only reflects the change once the whole window lies after it.
        settle = volumes.INTEGRATION_WINDOW_DAYS - 1 if shape[i] == P09 else 0
        out.append(
            Scenario(
                pitfall=pitfall,
                campaign_id=str(ids[i]),
                twin_campaign_id=str(ids[partner[i]]),
                owner_slack_channel=campaigns.at[i, "owner_slack_channel"],
                from_day=from_day,
                fails_by=from_day + timedelta(days=settle),
                description=DESCRIPTIONS[pitfall].format(from_day=from_day.isoformat()),
            )
        )
    return tuple(out)


def _campaigns_frame(
    ids: np.ndarray,
    theme: np.ndarray,
    market: np.ndarray,
    team: np.ndarray,
    budget: np.ndarray,
    reserve_share: np.ndarray,
    start: list[date],
    end: list[date],
    unowned: int,
) -> pd.DataFrame:
    """The campaign plan file, one row per campaign (a loop over campaigns, not over data)."""
    rows = []
    seen: dict[tuple[int, int], int] = {}
    for i, cid in enumerate(ids):
        t, m = vocab.THEMES[theme[i]], vocab.MARKETS[market[i]]
        wave = seen[(theme[i], market[i])] = seen.get((theme[i], market[i]), 0) + 1
        name = f"{t.name} {m.name}" + (f" (wave {wave})" if wave > 1 else "")
        brand = vocab.BRANDS[t.brand]
        owner = vocab.TEAMS[team[i]]
        rows.append(
            {
                "campaign_id": cid,
                "campaign_name": name,
                "brand": brand.name,
                "owner_team": vocab.UNOWNED_TEAM if i == unowned else owner.name,
                "owner_slack_channel": None if i == unowned else owner.slack_channel,
                "start_date": start[i],
                "end_date": end[i],
                "budget": float(budget[i]),
                "reserve_budget": float(np.round(budget[i] * reserve_share[i], -2)),
                "currency": m.currency,
                "planned_channels": "social|email|paid|influencer",
                "utm_campaign": f"{t.utm_slug}_{m.code.lower()}_{cid[4:]}",
                "storyline": t.storyline,
                "hashtag": t.hashtag,
                "target_audience": f"age={vocab.AGE_BANDS[(i + theme[i]) % len(vocab.AGE_BANDS)]};"
                f"country={m.countries};interest={brand.interest}",
            }
        )
    return pd.DataFrame(rows)


def _kpis_frame(
    ids: np.ndarray,
    shape: np.ndarray,
    role: np.ndarray,
    budget: np.ndarray,
    end: list[date],
    extra: np.ndarray,
) -> pd.DataFrame:
    """Declared KPIs. P02 scenarios declare vanity metrics only; their twins add the outcomes."""
    extras = (
        ("impressions", 250.0),
        ("site_visits", 2.0),
        ("signups", 0.02),
        ("followers", 0.05),
        ("likes", None),
    )
    rows = []
    for i, cid in enumerate(ids):
        due = end[i]
        b = float(budget[i])
        declared: list[tuple[str, float | None]] = []
        if shape[i] == P02:
            declared += [("impressions", b * 300), ("likes", b * 2), ("followers", None)]
        if not (shape[i] == P02 and role[i] == SCENARIO):
            declared += [("conversions", b * volumes.PAID_BUDGET_SHARE / 25), ("revenue", b * 3)]
        if shape[i] != P02:
            metric, per_budget = extras[extra[i]]
            declared.append((metric, None if per_budget is None else b * per_budget))
        for metric, target in declared:
            rows.append(
                {
                    "campaign_id": cid,
                    "metric": metric,
                    "target_value": None if target is None else float(np.round(target, -1)),
                    "due_date": None if target is None else due,
                }
            )
    return pd.DataFrame(rows)
