"""Manifest entries: from the days the plan drew to the nights each guard must fail or pass.

A guard judges a window (7 or 28 days, to date, the whole campaign), so the night it must fail
can come after the first day the pitfall shows: ``fails_by`` accounts for the window and for
signals that only apply after weeks of activity. Nights between ``from_day`` and ``fails_by``
may go either way while the window fills; every other night of the landing zone is pinned down
by ``expected_fail_ranges`` and ``expected_pass_ranges``.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import numpy as np

from marketing_health.generate.injections import (
    EPISODES,
    INJECTIONS,
    SUPPLY_WINDOW_DAYS,
)
from marketing_health.generate.manifest import DayRange, Episode, Scenario


def _describe_episodes(episodes: list[Episode]) -> str:
    parts = [
        f"from {e.from_day} to {e.to_day}" if e.to_day else f"from {e.from_day} on"
        for e in episodes
    ]
    return ", and again ".join(parts)


def _ranges(
    injection_timing: str,
    from_day: date,
    fails_by: date,
    episodes: list[Episode],
    first_day: date,
    end_date: date,
) -> tuple[list[DayRange], list[DayRange]]:
    """Nights the guard must fail, and nights it must not."""
    passing = [DayRange(first_day, from_day - timedelta(days=1))] if from_day > first_day else []
    if injection_timing != EPISODES:
        return [DayRange(fails_by, end_date)], passing
    failing: list[DayRange] = []
    for e in episodes:
        last = end_date if e.to_day is None else e.to_day + timedelta(days=SUPPLY_WINDOW_DAYS - 1)
        last = min(last, end_date)
        if failing and e.from_day <= failing[-1].to + timedelta(days=1):
            failing[-1] = DayRange(failing[-1].start, max(failing[-1].to, last))
        else:
            failing.append(DayRange(e.from_day, last))
    for before, after in pairwise(failing):
        passing.append(DayRange(before.to + timedelta(days=1), after.start - timedelta(days=1)))
    return failing, passing


def entries(
    *,
    ids: np.ndarray,
    partner: np.ndarray,
    shape: np.ndarray,
    scenario_campaigns: np.ndarray,
    from_idx: np.ndarray,
    start: list[date],
    owner_channels: np.ndarray,
    first_day: date,
    end_date: date,
    episodes: tuple[tuple[int, int], ...],
) -> tuple[Scenario, ...]:
    """Manifest entries, by pitfall then campaign id."""
    out = []
    for i in sorted(scenario_campaigns, key=lambda i: (shape[i], ids[i])):
        injection = INJECTIONS[shape[i]]
        from_day = first_day + timedelta(days=int(from_idx[i]))
        fails_by = max(
            from_day + timedelta(days=injection.settle_days),
            start[i] + timedelta(days=injection.min_live_days),
        )
        if injection.timing == EPISODES:
            spans = [
                Episode(
                    first_day + timedelta(days=a),
                    None if b == (end_date - first_day).days else first_day + timedelta(days=b),
                )
                for a, b in episodes
            ]
        else:
            spans = [Episode(from_day, None)]
        failing, passing = _ranges(injection.timing, from_day, fails_by, spans, first_day, end_date)
        description = injection.description.format(
            from_day=from_day.isoformat(), episodes=_describe_episodes(spans)
        )
        owner = owner_channels[i]
        out.append(
            Scenario(
                pitfall=injection.pitfall,
                campaign_id=str(ids[i]),
                twin_campaign_id=str(ids[partner[i]]),
                owner_slack_channel=None if owner is None else str(owner),
                from_day=from_day,
                fails_by=failing[0].start,
                description=description,
                check=injection.check,
                episodes=tuple(spans),
                expected_fail_ranges=tuple(failing),
                expected_pass_ranges=tuple(passing),
            )
        )
    return tuple(out)
