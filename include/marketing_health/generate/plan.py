"""The campaign plan of a sample landing zone: which campaigns exist, which of them drift into a
pitfall (and when), and the shape of activity every generator follows.

Every scenario campaign gets a twin: same brand, owner, theme, channel mix, cadence and partners,
in another market, minus the pitfall. A guard that fires on both, or on neither, is wrong; the
twin is what makes a scenario a test rather than an anecdote. (A sample team that delivers its
own files runs both in its own market: the twin then targets the market's other country.)

Owners follow markets as a marketing organisation routes them: a regional team
(``vocab.TEAMS``, e.g. Growth Americas for the US) owns campaigns of its markets only, a team
organised by discipline (Brand Social, CRM Lifecycle ...) any market, so each digest reaches the
channel of the people who run the campaign.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from marketing_health.generate import arrays, creators, scenarios, teams, vocab, volumes
from marketing_health.generate.injections import (
    BASELINE,
    CO_MARKETING_CODES,
    DRAWN,
    EPISODES,
    FIRST_SEND,
    INJECTIONS,
    NO_PITFALL,
    P02,
    P06,
    P09,
    P12,
    P14,
    P18,
    P19,
    P23,
    SCENARIO,
    TWIN,
    episodes_before_end,
)
from marketing_health.generate.manifest import Scenario

HEADLINE_TIERS, HEADLINE_WEIGHTS = (2, 3, 4), (0.5, 0.35, 0.15)
#: The APAC team (last in vocab.TEAMS) owns the Unicode campaign; others draw the rest.
APAC_TEAM = len(vocab.TEAMS) - 1
#: A P09 scenario keeps at least this many integrated days before it falls apart.
MIN_CLEAN_DAYS = 3
#: Share of baseline campaigns run with co-marketing partners.
CO_MARKETING_SHARE = 0.25
#: Target ROI: share of campaigns whose plan names one, and its range; the return a clean
#: campaign makes above its target, and how far under it a P23 scenario stays.
TARGET_ROI_SHARE = 0.8
TARGET_ROI = (0.2, 0.8)
ROI_ABOVE_TARGET = (0.5, 1.2)
ROI_BELOW_TARGET = (0.35, 0.6)
PRODUCTS_PER_CAMPAIGN = (2, 4)

PAID_PLATFORM_WEIGHTS = (0.34, 0.34, 0.12, 0.05, 0.05, 0.04, 0.03, 0.03)
#: Social platforms: the first two of a campaign are short-video platforms (instagram, tiktok,
#: facebook, youtube), the others any of the rest.
VIDEO_PLATFORMS = (0, 1, 2, 5)
VIDEO_PLATFORM_WEIGHTS = (0.40, 0.30, 0.18, 0.12)
OTHER_PLATFORM_WEIGHTS = (0.30, 0.30, 0.20, 0.20)


@dataclass
class Plan:
    """Per-campaign arrays (index = campaign number) the generators read, plus the plan files."""

    first_day: date
    end_date: date
    days: int
    campaign_ids: np.ndarray
    role: np.ndarray  # BASELINE, SCENARIO or TWIN
    shape: np.ndarray  # pitfall code whose activity shape the campaign follows (scenario, twin)
    from_idx: np.ndarray  # day index the scenario starts (days for none)
    episodes: tuple[tuple[int, int], ...]  # stock-out day indices (first, last) of P21
    start_idx: np.ndarray  # campaign start as a day index (0 or before the first day)
    brand: np.ndarray
    theme: np.ndarray
    market: np.ndarray
    team: np.ndarray
    budget: np.ndarray
    span: np.ndarray  # campaign days, start to end
    paid_daily: np.ndarray
    average_order: np.ndarray
    social_planned: np.ndarray
    social_rate: np.ndarray
    influencer_rate: np.ndarray
    email_weekdays: np.ndarray  # (n, 7) bool
    always_personalised: np.ndarray
    large_list: np.ndarray
    unsubscribe_share: np.ndarray
    email_conversion: np.ndarray
    uplift: np.ndarray
    reply_share: np.ndarray
    negative_share: np.ndarray
    paid_platforms: np.ndarray  # (n, 3) platform index, -1 unused
    ad_groups: np.ndarray  # (n, 3) ad groups per paid platform
    social_platforms: np.ndarray  # (n, 4) platform index, -1 unused
    roster: np.ndarray  # (n, creators.ROSTER_SLOTS) creator pool index
    roi: np.ndarray  # return the attribution tool shows
    attribution_model: np.ndarray
    products: np.ndarray
    partners: np.ndarray  # (n, 2) index into vocab.PARTNERS, -1 none
    campaigns: pd.DataFrame
    kpis: pd.DataFrame
    scenarios: tuple[Scenario, ...]
    clean_campaigns: tuple[str, ...]
    baseline_campaigns: tuple[str, ...]
    unicode_campaign_id: str
    unowned_campaign_id: str
    #: Sample team (index into teams.load_teams()) of each campaign, teams.NO_TEAM for none.
    locale_team: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))

    @property
    def size(self) -> int:
        return len(self.campaign_ids)

    def injected(self, code: int) -> np.ndarray:
        """Campaigns that carry pitfall ``code`` (scenarios, not their twins)."""
        return (self.shape == code) & (self.role == SCENARIO)


def _pick_without_replacement(
    rng: np.random.Generator, weights: tuple[float, ...], counts: np.ndarray, width: int
) -> np.ndarray:
    """``counts[i]`` distinct weighted picks per row (Gumbel top-k), padded with -1."""
    keys = np.log(np.asarray(weights))[None, :] + rng.gumbel(size=(len(counts), len(weights)))
    order = np.argsort(-keys, axis=1, kind="stable")[:, :width]
    order[np.arange(width)[None, :] >= counts[:, None]] = -1
    return order


def _social_platforms(rng: np.random.Generator, counts: np.ndarray) -> np.ndarray:
    """Two short-video platforms first, then up to two of the others."""
    video = np.asarray(VIDEO_PLATFORMS)[
        _pick_without_replacement(rng, VIDEO_PLATFORM_WEIGHTS, np.full(len(counts), 2), 2)
    ]
    others = np.array([p for p in range(len(vocab.SOCIAL_PLATFORMS)) if p not in VIDEO_PLATFORMS])
    extra = _pick_without_replacement(rng, OTHER_PLATFORM_WEIGHTS, counts - 2, 2)
    return np.concatenate([video, np.where(extra >= 0, others[extra], -1)], axis=1)


def _roles(campaigns: int, pair_pitfalls: np.ndarray) -> tuple[np.ndarray, ...]:
    """Role, pitfall and partner (scenario <-> twin) of each slot, before shuffling."""
    pairs = len(pair_pitfalls)
    role = np.full(campaigns, BASELINE)
    pitfall = np.full(campaigns, NO_PITFALL)
    partner = np.full(campaigns, -1)
    k = np.arange(pairs)
    role[2 * k], role[2 * k + 1] = SCENARIO, TWIN
    pitfall[2 * k] = pitfall[2 * k + 1] = pair_pitfalls
    partner[2 * k], partner[2 * k + 1] = 2 * k + 1, 2 * k
    return role, pitfall, partner


def _from_days(
    rng: np.random.Generator, shape: np.ndarray, role: np.ndarray, email_weekdays: np.ndarray,
    weekday: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Day index each scenario starts; twins share their scenario's day (set by the caller)."""
    days = len(weekday)
    last = days - 1
    out = np.full(len(shape), days)
    scen = role == SCENARIO
    for code, injection in enumerate(INJECTIONS):
        mine = np.flatnonzero(scen & (shape == code))
        if injection.timing == EPISODES:
            out[mine] = last - episodes_before_end(days)[0][0]
        elif injection.timing in (DRAWN, FIRST_SEND):
            low, high = injection.before_end
            drawn = last - rng.integers(low, high + 1, size=len(mine))
            out[mine] = np.maximum(drawn, MIN_CLEAN_DAYS if code == P09 else 1)
        else:
            out[mine] = 0
        if injection.timing == FIRST_SEND:
            # The first violating send goes out exactly on from_day.
            for i in mine:  # a handful of scenario campaigns, not data rows
                sends = np.flatnonzero(email_weekdays[i, weekday[out[i] :]])
                out[i] += sends[0]
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
    target = np.round(rng.uniform(*TARGET_ROI, size=n) / 0.05) * 0.05
    return {
        "social_rate": arrays.balanced_uniform(rng, n, *volumes.SOCIAL_POSTS_PER_DAY),
        "influencer_rate": arrays.balanced_uniform(rng, n, *volumes.INFLUENCER_POSTS_PER_DAY),
        "email_weekdays": weekdays,
        "paid_platforms": _pick_without_replacement(rng, PAID_PLATFORM_WEIGHTS, n_paid, 3),
        "ad_groups": ad_groups,
        "social_platforms": _social_platforms(rng, n_social),
        "budget": np.round(arrays.balanced_uniform(rng, n, 40_000, 400_000), -3),
        "headline": np.asarray(HEADLINE_TIERS)[arrays.balanced_choice(rng, n, HEADLINE_WEIGHTS)],
        "reserve_share": rng.uniform(0.1, 0.2, size=n),
        "kpi_extra": rng.integers(0, 5, size=n),
        "unsubscribe_share": rng.uniform(*volumes.UNSUBSCRIBE_SHARE, size=n),
        "email_conversion": rng.uniform(*volumes.EMAIL_CONVERSION, size=n),
        "uplift": rng.uniform(*volumes.PERSONALISATION_UPLIFT, size=n),
        "reply_share": rng.uniform(*volumes.REPLY_SHARE, size=n),
        "negative_share": rng.uniform(*volumes.NEGATIVE_SHARE, size=n),
        "target_roi": np.where(rng.random(n) < TARGET_ROI_SHARE, target, np.nan),
        "roi_margin": rng.uniform(*ROI_ABOVE_TARGET, size=n),
        "roi_shortfall": rng.uniform(*ROI_BELOW_TARGET, size=n),
        "attribution_model": rng.integers(0, len(vocab.ATTRIBUTION_MODELS), size=n),
        "products": rng.integers(PRODUCTS_PER_CAMPAIGN[0], PRODUCTS_PER_CAMPAIGN[1] + 1, size=n),
        "co_marketing": rng.random(n) < CO_MARKETING_SHARE,
        "partner_count": rng.integers(1, 3, size=n),
        "partner_pick": rng.random((n, 2)),
    }


def _partners(
    brand: np.ndarray, co_marketing: np.ndarray, count: np.ndarray, pick: np.ndarray
) -> np.ndarray:
    """Two distinct fitting partners per co-marketing campaign (the second only when it has
    two), -1 elsewhere. The scenario that needs a misfit swaps one in later."""
    fits = [
        [k for k in vocab.FITTING_PARTNERS[b] if k not in vocab.MISFIT_PARTNER]
        for b in range(len(vocab.BRANDS))
    ]
    width = max(len(f) for f in fits)
    table = np.full((len(fits), width), -1)
    sizes = np.array([len(f) for f in fits])
    for b, f in enumerate(fits):
        table[b, : len(f)] = f
    size = sizes[brand]
    first = (pick[:, 0] * size).astype(np.int64)
    second = (first + 1 + (pick[:, 1] * (size - 1)).astype(np.int64)) % size
    out = np.stack([table[brand, first], table[brand, second]], axis=1)
    out[count < 2, 1] = -1
    out[~co_marketing] = -1
    return out


def build_plan(
    rng: np.random.Generator,
    *,
    scale: float,
    days: int,
    end_date: date,
    pair_pitfalls: np.ndarray | None = None,
    team_style: str = "none",
) -> Plan:
    """The plan of a landing zone. ``pair_pitfalls`` gives the pitfall code of each scenario
    (random mode); by default scenarios go through the catalogue in order, one pair per
    pitfall per unit of scale. With a ``team_style`` other than ``none`` the sample teams of
    :mod:`~marketing_health.generate.teams` take over some pairs (no random draw changes)."""
    first_day = end_date - timedelta(days=days - 1)
    weekday = (first_day.weekday() + np.arange(days)) % 7
    if pair_pitfalls is None:
        n = volumes.campaign_count(scale)
        pairs = volumes.scenario_count(n)
        pair_pitfalls = np.arange(pairs) % len(INJECTIONS)
    else:
        n = 2 * len(pair_pitfalls) + volumes.baseline_count(scale)
    slot_role, slot_pitfall, slot_partner = _roles(n, np.asarray(pair_pitfalls, dtype=int))
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
    owners = np.flatnonzero(~twin)
    draw = {}
    for key, drawn in _draw_shape(rng, len(owners)).items():
        full = np.zeros((n, *drawn.shape[1:]), dtype=drawn.dtype)
        full[owners] = drawn
        draw[key] = full
    theme = rng.integers(1, len(vocab.THEMES), size=n)
    market = rng.integers(0, vocab.UNICODE_MARKET, size=n)
    team = rng.integers(0, APAC_TEAM, size=n)
    unicode_c, unowned_c = baselines[0], baselines[1]
    theme[unicode_c], market[unicode_c], team[unicode_c] = 0, vocab.UNICODE_MARKET, APAC_TEAM
    # A twin copies its scenario's shape; only the market (and so ids and links) differs.
    src = np.flatnonzero(twin)
    sc = partner[src]
    for arr in draw.values():
        arr[src] = arr[sc]
    theme[src], team[src] = theme[sc], team[sc]
    other_market = market[sc] + 1 + rng.integers(0, vocab.UNICODE_MARKET - 1, size=len(src))
    market[src] = other_market % vocab.UNICODE_MARKET
    width = max(4, len(str(n)))
    ids = np.array([f"CMP-{i + 1:0{width}d}" for i in range(n)])
    locale_team = teams.assign(team_style, role, shape, partner, ids)
    market = teams.team_markets(locale_team, market)
    team = _owner_teams(team, market, partner, keep=unicode_c)
    brand = np.array([t.brand for t in vocab.THEMES])[theme]
    shape[role == BASELINE] = NO_PITFALL
    _apply_shapes(draw, shape)

    age_band = (np.arange(n) + theme) % len(vocab.AGE_BANDS)
    older = np.asarray(vocab.AGE_BANDS)[age_band] == vocab.OLDER_TARGET
    roster = creators.rosters(
        rng,
        brand=brand,
        market=market,
        older=older,
        headline=draw["headline"],
        shape=shape,
        role=role,
    )
    from_idx = _from_days(rng, shape, role, draw["email_weekdays"], weekday)
    from_idx[src] = from_idx[sc]
    from_idx[role == BASELINE] = days

    start_offset = np.where(
        role == BASELINE, rng.integers(0, volumes.BASELINE_EARLIER_START + 1, size=n), 0
    )
    start_offset[shape == P06] = volumes.EARLY_START_DAYS
    end_offset = rng.integers(10, 61, size=n)
    end_offset[src] = end_offset[sc]
    start = [first_day - timedelta(days=int(o)) for o in start_offset]
    end = [end_date + timedelta(days=int(o)) for o in end_offset]
    span = np.array([(e - s).days + 1 for s, e in zip(start, end, strict=True)])
    budget = draw["budget"]
    co_marketing = (draw["co_marketing"] & (role == BASELINE)) | np.isin(shape, CO_MARKETING_CODES)
    partners = _partners(brand, co_marketing, draw["partner_count"], draw["partner_pick"])
    misfit = scen & (shape == P19)
    partners[misfit, 1] = np.asarray(vocab.MISFIT_PARTNER)[brand[misfit]]
    campaigns = _campaigns_frame(
        ids, theme, market, team, age_band, draw, start, end, unowned_c, shape, role
    )
    kpis = _kpis_frame(ids, shape, role, budget, end, draw["kpi_extra"])
    if (locale_team != teams.NO_TEAM).any():
        campaigns, kpis = _team_words(campaigns, kpis, locale_team, role, partner)
    target = np.nan_to_num(draw["target_roi"], nan=0.0)
    roi = np.where(
        (shape == P23) & scen,
        target - draw["roi_shortfall"],
        target + draw["roi_margin"],
    )

    episodes = tuple(
        (days - 1 - first, days - 1 - last) for first, last in episodes_before_end(days)
    )
    manifest_entries = scenarios.entries(
        ids=ids,
        partner=partner,
        shape=shape,
        scenario_campaigns=np.flatnonzero(scen),
        from_idx=from_idx,
        start=start,
        owner_channels=campaigns["owner_slack_channel"].to_numpy(),
        first_day=first_day,
        end_date=end_date,
        episodes=episodes,
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
        episodes=episodes,
        start_idx=-start_offset,
        brand=brand,
        theme=theme,
        market=market,
        team=team,
        budget=budget,
        span=span,
        paid_daily=budget * volumes.PAID_BUDGET_SHARE / span,
        average_order=brand_orders[brand],
        social_planned=shape != P06,
        social_rate=draw["social_rate"],
        influencer_rate=draw["influencer_rate"],
        email_weekdays=draw["email_weekdays"],
        always_personalised=np.isin(shape, (P12, P14)),
        large_list=shape == P14,
        unsubscribe_share=draw["unsubscribe_share"],
        email_conversion=draw["email_conversion"],
        uplift=draw["uplift"],
        reply_share=draw["reply_share"],
        negative_share=draw["negative_share"],
        paid_platforms=draw["paid_platforms"],
        ad_groups=draw["ad_groups"],
        social_platforms=draw["social_platforms"],
        roster=roster,
        roi=roi,
        attribution_model=draw["attribution_model"],
        products=draw["products"],
        partners=partners,
        campaigns=campaigns,
        kpis=kpis,
        scenarios=manifest_entries,
        clean_campaigns=tuple(sorted(ids[role != SCENARIO])),
        baseline_campaigns=tuple(sorted(ids[role == BASELINE])),
        unicode_campaign_id=str(ids[unicode_c]),
        unowned_campaign_id=str(ids[unowned_c]),
        locale_team=locale_team,
    )


def _owner_teams(
    draw: np.ndarray, market: np.ndarray, partner: np.ndarray, keep: int
) -> np.ndarray:
    """The owner team of each campaign: the drawn team among those that run its market.

    A scenario and its twin share their owner, so it is drawn among the teams that run both
    markets (the same draw on both sides gives the same team). ``keep`` (the Unicode campaign)
    keeps the team it was given.
    """
    codes = np.array([m.code for m in vocab.MARKETS])
    out = draw.copy()
    for i in range(len(draw)):
        if i == keep:
            continue
        markets = {codes[market[i]]} | ({codes[market[partner[i]]]} if partner[i] >= 0 else set())
        candidates = [k for k, t in enumerate(vocab.TEAMS) if all(t.serves(m) for m in markets)]
        out[i] = candidates[draw[i] % len(candidates)]
    return out


def _apply_shapes(draw: dict[str, np.ndarray], shape: np.ndarray) -> None:
    """Shape changes a pitfall needs in both its scenario and its twin."""
    draw["partner_count"][shape == P19] = 2
    large = shape == P14
    draw["email_weekdays"][large] = False
    draw["email_weekdays"][np.ix_(large, list(volumes.LARGE_LIST_CADENCE))] = True


def _campaigns_frame(
    ids: np.ndarray,
    theme: np.ndarray,
    market: np.ndarray,
    team: np.ndarray,
    age_band: np.ndarray,
    draw: dict[str, np.ndarray],
    start: list[date],
    end: list[date],
    unowned: int,
    shape: np.ndarray,
    role: np.ndarray,
) -> pd.DataFrame:
    """The campaign plan file, one row per campaign (a loop over campaigns, not over data)."""
    rows = []
    seen: dict[tuple[int, int], int] = {}
    budget = draw["budget"]
    for i, cid in enumerate(ids):
        t, m = vocab.THEMES[theme[i]], vocab.MARKETS[market[i]]
        wave = seen[(theme[i], market[i])] = seen.get((theme[i], market[i]), 0) + 1
        name = f"{t.name} {m.name}" + (f" (wave {wave})" if wave > 1 else "")
        brand = vocab.BRANDS[t.brand]
        owner = vocab.TEAMS[team[i]]
        channels = ("email", "paid", "influencer") if shape[i] == P06 else vocab.CHANNELS
        no_story = shape[i] == P18 and role[i] == SCENARIO
        target = draw["target_roi"][i]
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
                "reserve_budget": float(np.round(budget[i] * draw["reserve_share"][i], -2)),
                "currency": m.currency,
                "planned_channels": "|".join(channels),
                "utm_campaign": f"{t.utm_slug}_{m.code.lower()}_{cid[4:]}",
                "storyline": None if no_story else t.storyline,
                "hashtag": t.hashtag,
                "target_audience": f"age={vocab.AGE_BANDS[age_band[i]]};"
                f"country={m.countries};interest={brand.interest}",
                "target_roi": None if np.isnan(target) else float(target),
            }
        )
    return pd.DataFrame(rows)


def _team_words(
    campaigns: pd.DataFrame,
    kpis: pd.DataFrame,
    locale_team: np.ndarray,
    role: np.ndarray,
    partner: np.ndarray,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan rows of team campaigns in the team's words: owner, channel, name, storyline,
    hashtag, currency and KPI names. Amounts, dates, channels and targets stay as drawn."""
    campaigns = campaigns.copy()
    kpis = kpis.copy()
    pair = teams.pair_number(locale_team, role, partner)
    sample_teams = teams.load_teams()
    row_of = {cid: i for i, cid in enumerate(campaigns["campaign_id"])}
    for i in np.flatnonzero(locale_team != teams.NO_TEAM):
        team = sample_teams[locale_team[i]]
        words = teams.campaign_words(team, int(pair[i]), twin=bool(role[i] == TWIN))
        if pd.isna(campaigns.at[i, "storyline"]):  # a P18 scenario keeps its missing storyline
            words["storyline"] = None
        for column, value in words.items():
            campaigns.at[i, column] = value
        campaigns.at[i, "owner_team"] = team.owner_team
        campaigns.at[i, "owner_slack_channel"] = team.slack_channel
        campaigns.at[i, "currency"] = team.currency
    team_of = np.array([locale_team[row_of[c]] for c in kpis["campaign_id"]], dtype=int)
    for j in np.flatnonzero(team_of != teams.NO_TEAM):
        team = sample_teams[team_of[j]]
        kpis.at[j, "metric"] = teams.kpi_term(team, kpis.at[j, "metric"])
    return campaigns, kpis


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
