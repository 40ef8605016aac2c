"""E-mail sends (one row per send and variant) and their recipients (one row per person mailed).

Campaigns send one to three times a week on fixed weekdays, a generic variant and usually a
personalised one (with one or two harmless tokens) that converts a quarter to two fifths better.
``delivered`` equals the recipient rows of the variant, and ``unsubscribes`` the recipients who
opted out later that day: they carry ``opted_out`` with an opt-out time after the send, which is
not a privacy violation. Conversions and unsubscribes follow the campaign's rates steadily
(:func:`arrays.steady_counts`), so rate comparisons over a few weeks are not lucky draws.

Scenarios: P13 mails people without consent or after they opted out, P12 personalises on
sensitive attributes, P14 (a large list, always both variants) sees the personalised variant
convert worse than the generic one.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from marketing_health.generate import arrays, sql, vocab, volumes
from marketing_health.generate.injections import P09, P12, P13, P14, SCENARIO
from marketing_health.generate.plan import Plan

SOURCES = ("email_sends", "email_recipients")

#: Consent codes of a recipient row.
OPTED_IN, OPTED_OUT_AFTER, UNKNOWN, OPTED_OUT_BEFORE = 0, 1, 2, 3
#: Share of a P13 send's recipients mailed without consent or after opting out.
VIOLATION_SHARE = 0.08
GENERIC, PERSONALISED = 0, 1
#: Token codes from here on are vocab.SENSITIVE_TOKENS.
SENSITIVE_BASE = 64
#: How the personalised variant converts in a P14 scenario, relative to the generic one.
WORSE_PERSONALISED = 0.7
#: Prime step through a mailing list; coprime with the list size, so it visits everyone once.
LIST_STRIDE = 7919


def _sends(plan: Plan, camp: np.ndarray, weekday: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    days = plan.days
    on = plan.email_weekdays[camp][:, weekday]
    stop = np.where(
        (plan.shape[camp] == P09) & (plan.role[camp] == SCENARIO), plan.from_idx[camp], days
    )
    on &= np.arange(days)[None, :] < stop[:, None]
    return np.nonzero(on)


def generate(
    plan: Plan,
    camp: np.ndarray,
    rng: np.random.Generator,
    weekday: np.ndarray,
    first_ord: tuple[int, int],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    sc, sd = _sends(plan, camp, weekday)
    n_sends = len(sc)
    gc = camp[sc]
    send_n = gc.astype(np.int64) * 10_000 + arrays.ordinal_within(sc, len(camp))
    lo, hi = volumes.RECIPIENTS_PER_VARIANT
    large_lo, large_hi = volumes.LARGE_LIST_RECIPIENTS
    large = plan.large_list[gc]
    personalised = (rng.random(n_sends) < volumes.PERSONALISED_SHARE) | plan.always_personalised[gc]
    sizes = np.where(
        large[:, None],
        rng.integers(large_lo, large_hi, endpoint=True, size=(n_sends, 2)),
        rng.integers(lo, hi, endpoint=True, size=(n_sends, 2)),
    )
    sizes[~personalised, PERSONALISED] = 0
    group = sc[:, None] * 2 + np.arange(2)[None, :]
    quits = arrays.steady_counts(
        rng,
        (sizes * plan.unsubscribe_share[gc][:, None]).ravel(),
        group.ravel(),
        2 * len(camp),
    ).reshape(n_sends, 2)
    recipients, unsubscribes = _recipients(plan, rng, gc, sd, send_n, sizes, quits, first_ord[1])
    sends = _variants(plan, rng, sc, gc, sd, send_n, sizes, unsubscribes, len(camp), first_ord[0])
    return sends, recipients


def _recipients(
    plan: Plan,
    rng: np.random.Generator,
    gc: np.ndarray,
    sd: np.ndarray,
    send_n: np.ndarray,
    size: np.ndarray,
    quits: np.ndarray,
    first_ord: int,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Recipient rows of every send, and the unsubscribes per send and variant they cause."""
    n_sends = len(gc)
    # A consecutive stretch of the brand's list in that market, so nobody is mailed twice by
    # one send.
    r_send, j = arrays.expand(size.sum(axis=1))
    r_variant = (j >= size[r_send, GENERIC]).astype(np.int64)
    in_variant = j - r_variant * size[r_send, GENERIC]
    n_rec = len(r_send)
    audience = (plan.brand[gc] * len(vocab.MARKETS) + plan.market[gc]) * volumes.AUDIENCE_SIZE
    offset = rng.integers(0, volumes.AUDIENCE_SIZE, n_sends)
    # Walk the list in a scrambled order (a bijection on the list) so neighbours differ.
    stretch = (offset[r_send] + j) % volumes.AUDIENCE_SIZE
    person = audience[r_send] + (stretch * LIST_STRIDE) % volumes.AUDIENCE_SIZE
    status = np.where(in_variant < quits[r_send, r_variant], OPTED_OUT_AFTER, OPTED_IN)
    rgc = gc[r_send]
    violating = (
        (plan.shape[rgc] == P13)
        & (plan.role[rgc] == SCENARIO)
        & (sd[r_send] >= plan.from_idx[rgc])
        & ((rng.random(n_rec) < VIOLATION_SHARE) | (j == 0))
    )
    status = np.where(
        violating, np.where(rng.random(n_rec) < 0.6, UNKNOWN, OPTED_OUT_BEFORE), status
    )
    opt_out_seconds = np.select(
        [status == OPTED_OUT_AFTER, status == OPTED_OUT_BEFORE],
        [
            43_200 + rng.integers(0, 36_000, n_rec),
            -(rng.integers(3, 200, n_rec) * 86_400 + rng.integers(0, 86_400, n_rec)),
        ],
        0,
    )
    recipients = pd.DataFrame(
        {
            "_ord": first_ord + np.arange(n_rec, dtype=np.int64),
            "ci": rgc.astype(np.int32),
            "day": sd[r_send].astype(np.int16),
            "send_n": send_n[r_send],
            "person": person,
            "status": status.astype(np.int8),
            "opt_out_seconds": opt_out_seconds.astype(np.int64),
        }
    )

    unsubscribes = np.bincount(
        r_send * 2 + r_variant,
        weights=(status == OPTED_OUT_AFTER),
        minlength=2 * n_sends,
    ).reshape(n_sends, 2)
    return recipients, unsubscribes


def _variants(
    plan: Plan,
    rng: np.random.Generator,
    sc: np.ndarray,
    gc: np.ndarray,
    sd: np.ndarray,
    send_n: np.ndarray,
    size: np.ndarray,
    unsubscribes: np.ndarray,
    n_campaigns: int,
    first_ord: int,
) -> pd.DataFrame:
    """One send row per variant with the e-mail tool's results; delivered = its recipients."""
    v_send, variant = arrays.expand(1 + (size[:, PERSONALISED] > 0).astype(np.int64))
    n_var = len(v_send)
    delivered = size[v_send, variant]
    is_pers = variant == PERSONALISED
    vc = gc[v_send]
    open_rate = rng.uniform(0.25, 0.40, n_var) + np.where(
        is_pers, rng.uniform(0.02, 0.08, n_var), 0
    )
    opens = rng.binomial(delivered, open_rate)
    clicks = rng.binomial(opens, rng.uniform(0.08, 0.2, n_var) + np.where(is_pers, 0.03, 0))
    worse = (plan.shape[vc] == P14) & (plan.role[vc] == SCENARIO)
    lift = np.where(worse, WORSE_PERSONALISED, 1 + plan.uplift[vc])
    rate = plan.email_conversion[vc] * np.where(is_pers, lift, 1.0)
    conversions = arrays.steady_counts(
        rng, delivered * rate, sc[v_send] * 2 + variant, 2 * n_campaigns
    )
    sensitive = (
        is_pers
        & (plan.shape[vc] == P12)
        & (plan.role[vc] == SCENARIO)
        & (sd[v_send] >= plan.from_idx[vc])
    )
    tokens = np.where(is_pers, rng.integers(0, len(vocab.PERSONALISATION_TOKENS), n_var), -1)
    tokens = np.where(
        sensitive,
        SENSITIVE_BASE + rng.integers(0, len(vocab.SENSITIVE_TOKENS), n_var),
        tokens,
    )
    return pd.DataFrame(
        {
            "_ord": first_ord + np.arange(n_var, dtype=np.int64),
            "ci": vc.astype(np.int32),
            "day": sd[v_send].astype(np.int16),
            "send_n": send_n[v_send],
            "variant": variant.astype(np.int8),
            "tokens": tokens.astype(np.int8),
            "delivered": delivered,
            "opens": opens,
            "clicks": np.maximum(clicks, conversions),
            "conversions": conversions,
            "unsubscribes": unsubscribes[v_send, variant].astype(np.int64),
            "complaints": rng.binomial(delivered, 0.0015),
            "utm": arrays.utm_codes(rng, n_var),
        }
    )


def _send_id() -> str:
    """Ten hex characters, like the e-mail tools' campaign ids (a bijection of the number)."""
    return "printf('%010x', (f.send_n * 2654435761 + 1540483477) % 1099511627776)"


def send_columns(first_day: date) -> dict[str, str]:
    return {
        "send_date": sql.day(first_day),
        "send_id": _send_id(),
        "campaign_id": "c.campaign_id",
        "variant": "CASE f.variant WHEN 0 THEN 'generic' ELSE 'personalised' END",
        "personalisation_tokens": f"CASE WHEN f.tokens >= {SENSITIVE_BASE} THEN "
        f"{sql.pick(vocab.SENSITIVE_TOKENS, f'f.tokens - {SENSITIVE_BASE}')} "
        "WHEN f.tokens >= 0 THEN "
        f"{sql.pick(vocab.PERSONALISATION_TOKENS, 'f.tokens')} END",
        "delivered": "f.delivered",
        "opens": "f.opens",
        "clicks": "f.clicks",
        "conversions": "f.conversions",
        "unsubscribes": "f.unsubscribes",
        "complaints": "f.complaints",
        "utm_campaign": sql.utm(),
    }


def recipient_columns(first_day: date) -> dict[str, str]:
    sent = sql.day(first_day)
    return {
        "sent_date": sent,
        "send_id": _send_id(),
        "email": "email_of(f.person)",
        "phone": "CASE WHEN has_phone(f.person) THEN phone_of(f.person) END",
        "consent_status": f"CASE f.status WHEN {OPTED_IN} THEN 'opted_in' "
        f"WHEN {UNKNOWN} THEN 'unknown' ELSE 'opted_out' END",
        "consent_at": f"CASE WHEN f.status <> {UNKNOWN} THEN consent_at_of(f.person) END",
        "opted_out_at": f"CASE WHEN f.status IN ({OPTED_OUT_AFTER}, {OPTED_OUT_BEFORE}) "
        f"THEN CAST({sent} AS TIMESTAMP) + to_seconds(f.opt_out_seconds) END",
    }
