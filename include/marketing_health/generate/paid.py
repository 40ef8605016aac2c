"""Paid ads: one row per ad group and day, at the grain of the ad platforms' reporting exports.

Spend follows the campaign's daily budget with a quieter weekend; impressions, clicks,
conversions and revenue follow per-platform CPM, CTR and conversion rates, so CTR, CVR and ROAS
land where marketers expect them (search clicks more, LinkedIn costs more).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from marketing_health.generate import arrays, sql, teams, vocab, volumes
from marketing_health.generate.plan import P09, SCENARIO, Plan

SOURCE = "paid_ads"

#: Per platform (vocab.PAID_PLATFORMS order): cost per thousand impressions, click-through
#: rate, conversion rate of clicks.
CPM = np.array([8.5, 45.0, 5.5, 28.0, 28.0, 4.5, 4.0, 6.0])
CTR = np.array([0.011, 0.032, 0.009, 0.0055, 0.028, 0.006, 0.005, 0.008])
CVR = np.array([0.028, 0.045, 0.015, 0.040, 0.040, 0.020, 0.012, 0.015])
#: Platforms whose ids are short (Google Ads customer and campaign ids, Microsoft Advertising).
_SHORT_ID_PLATFORMS = ("google", "microsoft")


def generate(
    plan: Plan, camp: np.ndarray, rng: np.random.Generator, weekday: np.ndarray, first_ord: int
) -> pd.DataFrame:
    days = plan.days
    slots = plan.paid_platforms[camp]
    c_local, slot = np.nonzero(slots >= 0)
    platform = slots[c_local, slot]
    groups = plan.ad_groups[camp][c_local, slot]
    parent, group_ord = arrays.expand(groups)
    ag_c, ag_platform, ag_slot = c_local[parent], platform[parent], slot[parent]
    n_ag = len(ag_c)
    groups_per_campaign = np.bincount(ag_c, minlength=len(camp))
    base = plan.paid_daily[camp][ag_c] / groups_per_campaign[ag_c] * rng.lognormal(0, 0.35, n_ag)
    ag_utm = arrays.utm_codes(rng, n_ag)
    ag_stray = arrays.untracked_codes(rng, n_ag)

    row_ag = np.repeat(np.arange(n_ag), days)
    row_day = np.tile(np.arange(days), n_ag)
    n = len(row_ag)
    rc, rp = ag_c[row_ag], ag_platform[row_ag]
    spend = np.round(
        base[row_ag]
        * arrays.weekday_factor(volumes.PAID_WEEKDAY, weekday[row_day])
        * rng.lognormal(0, 0.18, n),
        2,
    )
    impressions = rng.poisson(spend / (CPM[rp] * rng.lognormal(0, 0.12, n)) * 1000)
    clicks = rng.binomial(impressions, np.clip(CTR[rp] * rng.lognormal(0, 0.2, n), 0, 1))
    conversions = np.round(clicks * CVR[rp] * rng.lognormal(0, 0.3, n), 2)
    revenue = np.round(conversions * plan.average_order[camp][rc] * rng.lognormal(0, 0.2, n), 2)

    # P09: from its start day the campaign's ads run without the campaign's tracking.
    gc = camp[rc]
    drifted = (plan.shape[gc] == P09) & (plan.role[gc] == SCENARIO) & (row_day >= plan.from_idx[gc])
    utm = np.where(drifted, ag_stray[row_ag], ag_utm[row_ag])
    return pd.DataFrame(
        {
            "_ord": first_ord + np.arange(n, dtype=np.int64),
            "ci": gc.astype(np.int32),
            "day": row_day.astype(np.int16),
            "platform": rp.astype(np.int8),
            "account": (plan.brand[gc] * 8 + rp).astype(np.int64),
            "pcamp": (gc * 3 + ag_slot[row_ag]).astype(np.int64),
            "adgroup": ((gc * 3 + ag_slot[row_ag]) * 4 + group_ord[row_ag]).astype(np.int64),
            "spend": spend,
            "impressions": impressions.astype(np.int64),
            "clicks": clicks.astype(np.int64),
            "conversions": conversions,
            "revenue": revenue,
            "utm": utm.astype(np.int8),
        }
    )


def columns(first_day) -> dict[str, str]:
    """Contract column -> SQL over the generated frame ``f`` and the campaign lookup ``c``."""
    # a sample team that books other ad platforms (teams.yaml ``paid``) is shown on those
    platform = teams.paid_label_sql("f.platform")
    short = (
        "f.platform IN ("
        + ", ".join(str(vocab.PAID_PLATFORMS.index(p)) for p in _SHORT_ID_PLATFORMS)
        + ")"
    )
    google = vocab.PAID_PLATFORMS.index("google")
    account_google = (
        "regexp_replace(CAST(1000000000 + (f.account * 7919 + 4201) % 8999999999 AS VARCHAR), "
        r"'(\d{3})(\d{3})(\d{4})', '\1-\2-\3')"
    )
    return {
        "ad_date": sql.day(first_day),
        "platform": platform,
        "account_id": f"CASE WHEN f.platform = {google} THEN {account_google} "
        "ELSE CAST(100000000000000 + f.account * 7919113 AS VARCHAR) END",
        "campaign_id": "c.campaign_id",
        "platform_campaign_id": f"CASE WHEN {short} "
        "THEN CAST(20000000000 + f.pcamp * 9973 AS VARCHAR) "
        "ELSE CAST(120200000000000000 + f.pcamp * 9973 AS VARCHAR) END",
        "ad_group_id": f"CASE WHEN {short} THEN CAST(140000000000 + f.adgroup * 7919 AS VARCHAR) "
        "ELSE CAST(120210000000000000 + f.adgroup * 7919 AS VARCHAR) END",
        "spend": "f.spend",
        "currency": "c.currency",
        "impressions": "f.impressions",
        "clicks": "f.clicks",
        "conversions": "f.conversions",
        "revenue": "f.revenue",
        "utm_campaign": sql.utm(),
    }
