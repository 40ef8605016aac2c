"""Vectorised building blocks shared by the channel generators.

Channel data is generated as flat numpy arrays: counts per parent (campaign x day, post, send)
are expanded into child rows with :func:`expand`, never with a Python loop over rows.
"""

from __future__ import annotations

import numpy as np

from marketing_health.generate import volumes

#: How a row's utm_campaign is written: the campaign's own value, missing, a stray value that
#: belongs to no campaign, or the campaign's value in upper case (still tracked once normalised).
UTM_EXACT, UTM_MISSING, UTM_STRAY, UTM_UPPER = 0, 1, 2, 3


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parent index and 0-based ordinal within the parent of every child row."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    ordinal = np.arange(parent.size, dtype=np.int64) - starts[parent]
    return parent, ordinal


def ordinal_within(groups: np.ndarray, n_groups: int) -> np.ndarray:
    """0-based ordinal of each element among the elements of its group (input sorted by group)."""
    counts = np.bincount(groups, minlength=n_groups)
    starts = np.cumsum(counts) - counts
    return np.arange(len(groups), dtype=np.int64) - starts[groups]


def utm_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Tracking of ``n`` activities of a clean campaign: nearly all carry the utm_campaign."""
    u = rng.random(n)
    codes = np.full(n, UTM_EXACT, dtype=np.int8)
    untracked = u >= volumes.TRACKED_SHARE
    codes[untracked] = np.where(rng.random(n)[untracked] < 0.5, UTM_MISSING, UTM_STRAY)
    codes[u < volumes.UPPER_CASE_UTM_SHARE] = UTM_UPPER
    return codes


def untracked_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Tracking of activities that lost the campaign's utm_campaign altogether."""
    return np.where(rng.random(n) < 0.5, UTM_MISSING, UTM_STRAY).astype(np.int8)


def balanced_choice(rng: np.random.Generator, n: int, probabilities) -> np.ndarray:
    """``n`` picks whose counts match the probabilities as closely as whole numbers allow, in
    random order. Campaign-level shapes are drawn this way so a small landing zone is not
    dominated by a lucky draw and volume grows linearly with the number of campaigns."""
    p = np.asarray(probabilities, dtype=float)
    exact = n * p / p.sum()
    counts = np.floor(exact).astype(np.int64)
    remainder = n - counts.sum()
    if remainder:
        counts[np.argsort(-(exact - counts), kind="stable")[:remainder]] += 1
    return rng.permutation(np.repeat(np.arange(len(p)), counts))


def balanced_integers(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    """Balanced picks of the integers ``low``..``high`` (inclusive)."""
    return low + balanced_choice(rng, n, np.ones(high - low + 1))


def balanced_uniform(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    """Stratified uniform draws: one per ``1/n`` slice of the range, in random order."""
    return low + (high - low) * (rng.permutation(n) + rng.random(n)) / max(n, 1)


def weekday_factor(factors: tuple[float, ...], weekday: np.ndarray) -> np.ndarray:
    return np.asarray(factors, dtype=float)[weekday]


def log_uniform(rng: np.random.Generator, low: float, high: float, size: int) -> np.ndarray:
    return np.exp(rng.uniform(np.log(low), np.log(high), size=size))


def steady_counts(
    rng: np.random.Generator, expected: np.ndarray, group: np.ndarray, n_groups: int
) -> np.ndarray:
    """Whole counts per row whose running total within each group stays within one of the
    expected running total (rows of a group in time order).

    Conversions and unsubscribes of small sends drawn independently swing wildly from week to
    week; a campaign's real rates do not, and neither should its sample data: any window of a
    group's rows sums to its expectation give or take one.
    """
    expected = np.asarray(expected, dtype=float)
    phase = rng.random(n_groups)
    if not len(expected):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(group, kind="stable")
    e, g = expected[order], group[order]
    running = np.cumsum(e)
    per_group = np.bincount(g, minlength=n_groups)
    first_row = np.cumsum(per_group) - per_group
    within = running - (running - e)[first_row[g]]
    counts = np.floor(within + phase[g]) - np.floor(within - e + phase[g])
    out = np.empty(len(e), dtype=np.int64)
    out[order] = counts.astype(np.int64)
    return out
