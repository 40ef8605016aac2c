"""Where an alert stands after what people did about it: owned, kept quiet, or back.

The digest asks this for every failing pitfall. Only actions taken within the pitfall's current
failing streak count: a pitfall that was resolved and fails again is a new alert, so its old
acknowledgement, snooze or label no longer hold (a resolution closes them).

* **acknowledge**: someone owns it; the digest names them, nothing else changes.
* **snooze** (until a night), **expected**, **not a problem**: the alert stays out of the
  digests (one "still open" line when the channel hears something else) until the snooze ends
  or the alert gets *worse* than it was on the night acted on, by the digest's own rule (a
  higher severity, or the value further past the threshold by ``worse_margin``). The first
  night it is back it is shown in full and says why; after that the usual repeat rules apply.
* **reopen**: undoes the above; the next digest shows the alert in full again.

The latest action decides; an acknowledgement lasts until a reopen or the resolution, whatever
else is done after it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from marketing_health.alerts.actions import QUIETING, RecordedAction

#: Why a quiet alert is shown again tonight.
BACK_REASONS = ("expired", "worse", "reopened")


@dataclass(frozen=True)
class Triage:
    """What people's actions mean for one alert tonight."""

    #: The acknowledgement in force: who owns the alert.
    owner: RecordedAction | None = None
    #: The snooze or label that keeps it out of tonight's digest.
    quiet: RecordedAction | None = None
    #: Why it is shown in full tonight although someone had quieted it (or reopened it).
    back: str | None = None
    #: The action that no longer holds tonight (the snooze that ended, the label it outgrew,
    #: the reopen).
    ended: RecordedAction | None = None


def _in_streak(actions: Sequence[RecordedAction], since: str, day: str) -> list[RecordedAction]:
    return [a for a in actions if since <= a.night <= day]


def triage(
    actions: Sequence[RecordedAction],
    *,
    since: str,
    day: str,
    previous_run_date: str | None,
    worse_tonight: Callable[[RecordedAction], bool],
    worse_last_night: Callable[[RecordedAction], bool],
) -> Triage | None:
    """The triage of one failing pitfall tonight, None when nobody acted in its streak.

    Args:
        actions: the pitfall's actions for this campaign, oldest first.
        since: the first night of the current failing streak (tonight when new).
        day: tonight.
        previous_run_date: the run before tonight (None: tonight is the first run).
        worse_tonight: whether tonight's result is worse than on the night an action was
            taken on (its baseline).
        worse_last_night: the same for the run before tonight.
    """
    counted = _in_streak(actions, since, day)
    owner: RecordedAction | None = None
    state: RecordedAction | None = None
    for a in counted:
        if a.action == "reopen":
            owner = None
        elif a.action == "acknowledge":
            owner = a
        state = a
    if state is None:
        return None

    def first_run_after(night: str) -> bool:
        return day > night and (previous_run_date is None or previous_run_date <= night)

    if state.action == "reopen":
        return Triage(back="reopened" if first_run_after(state.night) else None, ended=state)
    if state.action not in QUIETING:
        return Triage(owner=owner)
    if state.action == "snooze" and state.until is not None and day > state.until:
        back = "expired" if first_run_after(state.until) else None
        return Triage(owner=owner, back=back, ended=state)
    if day > state.night and worse_tonight(state):
        first = first_run_after(state.night) or not worse_last_night(state)
        return Triage(owner=owner, back="worse" if first else None, ended=state)
    return Triage(owner=owner, quiet=state)


def closed_acknowledgement(
    actions: Sequence[RecordedAction], *, since: str | None, day: str
) -> RecordedAction | None:
    """The acknowledgement a resolution closes tonight: the one in force over the streak that
    ended (nights from ``since`` up to, not including, tonight)."""
    owner = None
    for a in actions:
        if since is not None and a.night < since:
            continue
        if a.night >= day:
            continue
        if a.action == "reopen":
            owner = None
        elif a.action == "acknowledge":
            owner = a
    return owner
