"""What the shop and the analytics tools export: daily stock of the promoted products and the
attribution of revenue to each campaign's channels.

Stock sells down and is restocked every week or two, never below a third of a full shelf; a P21
scenario's first product runs out (nothing in stock, orders backlogged) in episodes. Attribution
credits each live channel of a campaign every day with revenue against that day's cost (paid
spend, creator fees, e-mail and social production), in the one model the campaign's analytics
tool uses, at a return comfortably above the campaign's target (well under it for P23).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from marketing_health.generate import sql, vocab
from marketing_health.generate.injections import P21
from marketing_health.generate.plan import Plan

SOURCES = ("inventory", "attribution")

#: Stock: full shelf (range), daily sales as a share of it (range), restock cycle in days.
FULL_STOCK = (400, 4_000)
DAILY_SALES = (0.02, 0.06)
RESTOCK_DAYS = (7, 12)
BACKORDERED = (5, 80)
MAX_PRODUCTS = 8

#: Attribution: channel codes (vocab.CHANNELS order), daily noise around the campaign's
#: return, and the cost set against e-mail (per send day and per delivered message) and
#: social (share of the budget spread over the campaign's days, on days it posts).
SOCIAL, EMAIL, PAID, INFLUENCER = range(4)
RETURN_NOISE = 0.15
EMAIL_SEND_COST, EMAIL_COST_PER_DELIVERED = 25.0, 0.01
SOCIAL_BUDGET_SHARE = 0.03


def inventory(
    plan: Plan, camp: np.ndarray, rng: np.random.Generator, first_ord: int
) -> pd.DataFrame:
    days = plan.days
    products = plan.products[camp]
    c_local, product = np.nonzero(np.arange(products.max(initial=0))[None, :] < products[:, None])
    n_products = len(c_local)
    full = rng.uniform(*FULL_STOCK, n_products)
    sales = rng.uniform(*DAILY_SALES, n_products)
    cycle = rng.integers(RESTOCK_DAYS[0], RESTOCK_DAYS[1] + 1, n_products)
    phase = rng.integers(0, RESTOCK_DAYS[1], n_products)

    row_p = np.repeat(np.arange(n_products), days)
    day = np.tile(np.arange(days), n_products)
    first = np.maximum(plan.start_idx[camp][c_local], 0)
    keep = day >= first[row_p]
    row_p, day = row_p[keep], day[keep]
    n = len(row_p)
    since_restock = (day + phase[row_p]) % cycle[row_p]
    stock = np.round(
        full[row_p] * (1 - sales[row_p] * since_restock) * rng.uniform(0.97, 1.03, n)
    ).astype(np.int64)
    gc = camp[c_local[row_p]]
    out = np.zeros(n, dtype=bool)
    for first_day, last_day in plan.episodes:
        out |= (day >= first_day) & (day <= last_day)
    out &= plan.injected(P21)[gc] & (product[row_p] == 0)
    return pd.DataFrame(
        {
            "_ord": first_ord + np.arange(n, dtype=np.int64),
            "ci": gc.astype(np.int32),
            "day": day.astype(np.int16),
            "product_n": gc.astype(np.int64) * MAX_PRODUCTS + product[row_p],
            "stock": np.where(out, 0, stock),
            "backordered": np.where(out, rng.integers(*BACKORDERED, n), 0),
        }
    )


def inventory_columns(first_day: date) -> dict[str, str]:
    return {
        "stock_date": sql.day(first_day),
        "campaign_id": "c.campaign_id",
        "product_id": "c.sku_prefix || '-' || CAST(40000 + f.product_n * 7 AS VARCHAR)",
        "units_in_stock": "f.stock",
        "units_backordered": "f.backordered",
    }


def attribution(
    plan: Plan,
    camp: np.ndarray,
    rng: np.random.Generator,
    activity: dict[str, pd.DataFrame],
    first_ord: int,
) -> pd.DataFrame:
    """One row per campaign, day and channel live that day, in the campaign's model."""
    days, lo = plan.days, camp[0]
    size = len(camp) * days

    def per_day(frame: pd.DataFrame, weights: np.ndarray | None) -> np.ndarray:
        key = (frame["ci"].to_numpy() - lo) * days + frame["day"].to_numpy()
        return np.bincount(key, weights=weights, minlength=size)

    posts = activity["social_posts"]
    social_daily = plan.budget * SOCIAL_BUDGET_SHARE / plan.span
    social_days = per_day(posts, None) > 0
    sends = activity["email_sends"]
    cost = np.stack(
        [
            np.where(social_days, np.repeat(social_daily[camp], days), 0),
            per_day(sends, None) * EMAIL_SEND_COST
            + per_day(sends, sends["delivered"].to_numpy() * EMAIL_COST_PER_DELIVERED),
            per_day(activity["paid_ads"], activity["paid_ads"]["spend"].to_numpy()),
            per_day(activity["influencer_posts"], activity["influencer_posts"]["fee"].to_numpy()),
        ],
        axis=1,
    )
    key, channel = np.nonzero(cost > 0)
    n = len(key)
    gc = camp[key // days]
    spent = np.round(cost[key, channel], 2)
    revenue = np.round(
        spent * (1 + plan.roi[gc]) * rng.uniform(1 - RETURN_NOISE, 1 + RETURN_NOISE, n), 2
    )
    return pd.DataFrame(
        {
            "_ord": first_ord + np.arange(n, dtype=np.int64),
            "ci": gc.astype(np.int32),
            "day": (key % days).astype(np.int16),
            "channel": channel.astype(np.int8),
            "model": plan.attribution_model[gc].astype(np.int8),
            "conversions": np.round(revenue / plan.average_order[gc], 2),
            "revenue": np.maximum(revenue, 0),
            "cost": spent,
        }
    )


def attribution_columns(first_day: date) -> dict[str, str]:
    return {
        "attribution_date": sql.day(first_day),
        "campaign_id": "c.campaign_id",
        "channel": sql.pick(vocab.CHANNELS, "f.channel"),
        "model": sql.pick(vocab.ATTRIBUTION_MODELS, "f.model"),
        "attributed_conversions": "f.conversions",
        "attributed_revenue": "f.revenue",
        "cost": "f.cost",
    }
