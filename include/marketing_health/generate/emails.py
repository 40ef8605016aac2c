"""E-mail sends (one row per send and variant) and their recipients (one row per person mailed).

Campaigns send one to three times a week on fixed weekdays, a generic variant and usually a
personalised one. ``delivered`` equals the recipient rows of the variant, and ``unsubscribes``
the recipients who opted out later that day: they carry ``opted_out`` with an opt-out time after
the send, which is not a privacy violation. A P13 scenario mails people without consent or
after they opted out, from its first day on.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from marketing_health.generate import arrays, sql, vocab, volumes
from marketing_health.generate.plan import P09, P13, SCENARIO, Plan

SOURCES = ("email_sends", "email_recipients")

#: Consent codes of a recipient row.
OPTED_IN, OPTED_OUT_AFTER, UNKNOWN, OPTED_OUT_BEFORE = 0, 1, 2, 3
#: Share of a P13 send's recipients mailed without consent or after opting out.
VIOLATION_SHARE = 0.08
GENERIC, PERSONALISED = 0, 1
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
    personalised = rng.random(n_sends) < volumes.PERSONALISED_SHARE
    size = np.stack(
        [
            rng.integers(lo, hi, endpoint=True, size=n_sends),
            np.where(personalised, rng.integers(lo, hi, endpoint=True, size=n_sends), 0),
        ],
        axis=1,
    )
    recipients, unsubscribes = _recipients(plan, rng, gc, sd, send_n, size, first_ord[1])
    return _variants(rng, gc, sd, send_n, size, unsubscribes, first_ord[0]), recipients


def _recipients(
    plan: Plan,
    rng: np.random.Generator,
    gc: np.ndarray,
    sd: np.ndarray,
    send_n: np.ndarray,
    size: np.ndarray,
    first_ord: int,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Recipient rows of every send, and the unsubscribes per send and variant they cause."""
    n_sends = len(gc)
    # A consecutive stretch of the brand's list in that market, so nobody is mailed twice by
    # one send.
    r_send, j = arrays.expand(size.sum(axis=1))
    r_variant = (j >= size[r_send, GENERIC]).astype(np.int64)
    n_rec = len(r_send)
    audience = (plan.brand[gc] * len(vocab.MARKETS) + plan.market[gc]) * volumes.AUDIENCE_SIZE
    offset = rng.integers(0, volumes.AUDIENCE_SIZE, n_sends)
    # Walk the list in a scrambled order (a bijection on the list) so neighbours differ.
    stretch = (offset[r_send] + j) % volumes.AUDIENCE_SIZE
    person = audience[r_send] + (stretch * LIST_STRIDE) % volumes.AUDIENCE_SIZE
    status = np.where(
        rng.random(n_rec) < volumes.OPT_OUT_AFTER_SEND_SHARE, OPTED_OUT_AFTER, OPTED_IN
    )
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
    rng: np.random.Generator,
    gc: np.ndarray,
    sd: np.ndarray,
    send_n: np.ndarray,
    size: np.ndarray,
    unsubscribes: np.ndarray,
    first_ord: int,
) -> pd.DataFrame:
    """One send row per variant with the e-mail tool's results; delivered = its recipients."""
    v_send, variant = arrays.expand(1 + (size[:, PERSONALISED] > 0).astype(np.int64))
    n_var = len(v_send)
    delivered = size[v_send, variant]
    is_pers = variant == PERSONALISED
    open_rate = rng.uniform(0.25, 0.40, n_var) + np.where(
        is_pers, rng.uniform(0.02, 0.08, n_var), 0
    )
    opens = rng.binomial(delivered, open_rate)
    clicks = rng.binomial(opens, rng.uniform(0.08, 0.2, n_var) + np.where(is_pers, 0.03, 0))
    return pd.DataFrame(
        {
            "_ord": first_ord + np.arange(n_var, dtype=np.int64),
            "ci": gc[v_send].astype(np.int32),
            "day": sd[v_send].astype(np.int16),
            "send_n": send_n[v_send],
            "variant": variant.astype(np.int8),
            "tokens": np.where(
                is_pers, rng.integers(0, len(vocab.PERSONALISATION_TOKENS), n_var), -1
            ).astype(np.int8),
            "delivered": delivered,
            "opens": opens,
            "clicks": clicks,
            "conversions": rng.binomial(clicks, rng.uniform(0.05, 0.15, n_var)),
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
        "personalisation_tokens": "CASE WHEN f.tokens >= 0 THEN "
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
