"""The buttons under each alert in Slack, and the words for what people did about it.

Each pitfall a digest tells in full gets one ``actions`` block: Acknowledge, a Snooze menu (1
day, 1 week), a date picker (snooze until a night), Expected and Not a problem. Every element
carries the alert it is about (campaign, pitfall, night) and the digest's language as compact
JSON, in its ``value`` (Slack allows 2,000 characters; 150 for a menu option) or, for the date
picker which has none, in the block's ``block_id`` (255), so a click names its alert without
the warehouse being asked.

When someone acts, the message is updated in place (:func:`updated_blocks`): a status line
above the buttons says who did what, in the digest's language, and the buttons get a Reopen.
The next digests say the same in their own words (:func:`triage_line` and friends): who owns
an alert, what keeps it quiet, why it is back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from marketing_health.alerts.actions import AlertAction, AlertRef, InvalidAction, RecordedAction
from marketing_health.alerts.blocks import escape
from marketing_health.i18n import Translator, translator

if TYPE_CHECKING:
    from marketing_health.alerts.triage import Triage

ACKNOWLEDGE = "mh_acknowledge"
SNOOZE = "mh_snooze"
SNOOZE_UNTIL = "mh_snooze_until"
EXPECTED = "mh_expected"
NOT_A_PROBLEM = "mh_not_a_problem"
REOPEN = "mh_reopen"
#: action_id of each element -> the action it records.
ACTION_OF = {
    ACKNOWLEDGE: "acknowledge",
    SNOOZE: "snooze",
    SNOOZE_UNTIL: "snooze",
    EXPECTED: "expected",
    NOT_A_PROBLEM: "not_a_problem",
    REOPEN: "reopen",
}
#: The snooze menu: nights after the alert's night.
SNOOZE_DAYS = (1, 7)
#: Slack's limits on the places a reference travels in.
BLOCK_ID_LIMIT = 255
VALUE_LIMIT = 2000
OPTION_VALUE_LIMIT = 150
#: Characters of a note repeated in a digest line (the whole note is in the warehouse).
NOTE_SHOWN = 200
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:75], "emoji": True}


def block_id(ref: AlertRef, language: str, kind: str, version: int) -> str:
    """The block's id: the reference itself when it fits, else a digest of it."""
    text = ref.encode(l=language, k=kind, v=version)
    if len(text) <= BLOCK_ID_LIMIT:
        return text
    return f"mh#{_digest(ref)}#{kind}{version}"


def _digest(ref: AlertRef) -> str:
    return hashlib.sha256(ref.encode().encode()).hexdigest()[:40]


def block_ref(block: dict[str, Any]) -> tuple[str, str, int] | None:
    """(reference key, kind, version) of one of our blocks; None for any other block."""
    bid = str(block.get("block_id") or "")
    if bid.startswith("mh#"):
        _, key, rest = bid.split("#", 2)
        return key, rest[:1], int(rest[1:] or 0)
    if not bid.startswith("{"):
        return None
    try:
        ref, extra = AlertRef.decode(bid)
    except InvalidAction:
        return None
    return _digest(ref), str(extra.get("k", "")), int(extra.get("v", 0))


def actions_block(
    ref: AlertRef, t: Translator, *, version: int = 0, reopen: bool = False
) -> dict[str, Any]:
    """The buttons under one alert, in ``t``'s language."""
    value = ref.encode(l=t.tag)
    if len(value) > VALUE_LIMIT:
        raise InvalidAction(f"campaign id too long for a Slack button: {ref.campaign_id!r}")
    elements: list[dict[str, Any]] = [
        {
            "type": "button",
            "action_id": ACKNOWLEDGE,
            "text": _plain(t.pgettext("alert button", "Acknowledge")),
            "value": value,
        }
    ]
    options = [
        {
            "text": _plain(
                t.pgettext("snooze option", "1 day")
                if days == 1
                else t.pgettext("snooze option", "1 week")
            ),
            "value": ref.encode(l=t.tag, d=days),
        }
        for days in SNOOZE_DAYS
    ]
    if all(len(o["value"]) <= OPTION_VALUE_LIMIT for o in options):
        elements.append(
            {
                "type": "static_select",
                "action_id": SNOOZE,
                "placeholder": _plain(t.pgettext("alert button", "Snooze…")),
                "options": options,
            }
        )
    bid = block_id(ref, t.tag, "a", version)
    if bid.startswith("{"):  # the date picker's alert travels in the block id
        elements.append(
            {
                "type": "datepicker",
                "action_id": SNOOZE_UNTIL,
                "placeholder": _plain(t.pgettext("alert button", "Snooze until…")),
            }
        )
    elements.append(
        {
            "type": "button",
            "action_id": EXPECTED,
            "text": _plain(t.pgettext("alert button", "Expected")),
            "value": value,
        }
    )
    elements.append(
        {
            "type": "button",
            "action_id": NOT_A_PROBLEM,
            "text": _plain(t.pgettext("alert button", "Not a problem")),
            "value": value,
        }
    )
    if reopen:
        elements.append(
            {
                "type": "button",
                "action_id": REOPEN,
                "text": _plain(t.pgettext("alert button", "Reopen")),
                "value": value,
            }
        )
    return {"type": "actions", "block_id": bid, "elements": elements}


def status_block(text: str, ref: AlertRef, language: str, version: int) -> dict[str, Any]:
    """The line above an alert's buttons saying who did what (``text`` is mrkdwn, escaped)."""
    return {
        "type": "context",
        "block_id": block_id(ref, language, "s", version),
        "elements": [{"type": "mrkdwn", "text": text, "verbatim": True}],
    }


def _who_in_slack(action: AlertAction) -> str:
    """The person as Slack should show them: a member mention for a Slack user id (verified
    by the request's signature), else their escaped name."""
    if action.source == "slack" and _SLACK_USER.match(action.user_id):
        return f"<@{action.user_id}>"
    return escape(action.who)


def status_text(action: AlertAction, t: Translator) -> str:
    """What one action did, for the status line of the message it was taken on."""
    who = _who_in_slack(action)
    note = escape(action.note) if action.note else None
    day = t.date(action.acted_at.date(), "medium")
    if action.action == "acknowledge":
        return ":raising_hand: " + t.gettext("Acknowledged by {who} on {date}.", who=who, date=day)
    if action.action == "snooze":
        return ":zzz: " + t.gettext(
            "Snoozed by {who} until {date}: out of the digests until then, unless it gets worse.",
            who=who,
            date=t.date(action.until, "medium"),
        )
    if action.action == "expected":
        said = (
            t.gettext("Marked expected by {who}: {note}", who=who, note=note)
            if note
            else t.gettext("Marked expected by {who}.", who=who)
        )
        return f":calendar: {said} " + t.gettext("Out of the digests unless it gets worse.")
    if action.action == "not_a_problem":
        said = (
            t.gettext("Marked not a problem by {who}: {note}", who=who, note=note)
            if note
            else t.gettext("Marked not a problem by {who}.", who=who)
        )
        return f":no_entry_sign: {said} " + t.gettext("Out of the digests unless it gets worse.")
    return ":arrows_counterclockwise: " + t.gettext(
        "Reopened by {who}: back in full in the next digest.", who=who
    )


def updated_blocks(
    blocks: Sequence[dict[str, Any]], action: AlertAction, language: str
) -> list[dict[str, Any]] | None:
    """The message's blocks with the acted alert's status line and buttons renewed; None when
    the message does not hold that alert's buttons."""
    t = translator(language)
    key = _digest(action.ref)
    out: list[dict[str, Any]] = []
    found = False
    for block in blocks:
        found_ref = block_ref(block)
        if found_ref is None or found_ref[0] != key:
            out.append(block)
            continue
        if found_ref[1] == "s":
            continue  # the previous status line
        if block.get("type") == "actions":
            version = found_ref[2] + 1
            out.append(status_block(status_text(action, t), action.ref, language, version))
            reopen = action.action != "reopen"
            out.append(actions_block(action.ref, t, version=version, reopen=reopen))
            found = True
            continue
        out.append(block)
    return out if found else None


def ref_key(ref: AlertRef) -> str:
    """A short key for an alert, the same in every block that is about it."""
    return _digest(ref)


def told_in(blocks: Sequence[dict[str, Any]]) -> set[str]:
    """Keys (:func:`ref_key`) of the alerts a message tells in full: each finding's first
    section carries its alert in its block id, buttons or not."""
    found = set()
    for block in blocks:
        found_ref = block_ref(block)
        if found_ref is not None and found_ref[1] == "f":
            found.add(found_ref[0])
    return found


# ---------------------------------------------------------------- in the next digests


def _short(note: str | None) -> str | None:
    if not note:
        return None
    text = " ".join(note.split())
    return escape(text if len(text) <= NOTE_SHOWN else text[: NOTE_SHOWN - 1] + "…")


def _day(day: str | None, t: Translator) -> str:
    return t.date(day, "medium")


def quiet_text(action: RecordedAction, t: Translator) -> str:
    """What keeps an alert out of tonight's digest, for its "still open" line."""
    who, note = escape(action.who), _short(action.note)
    if action.action == "snooze":
        return t.gettext("snoozed by {who} until {date}", who=who, date=_day(action.until, t))
    if action.action == "expected":
        if note:
            return t.gettext("marked expected by {who}: {note}", who=who, note=note)
        return t.gettext("marked expected by {who}", who=who)
    if note:
        return t.gettext("marked not a problem by {who}: {note}", who=who, note=note)
    return t.gettext("marked not a problem by {who}", who=who)


def owner_text(action: RecordedAction, t: Translator) -> str:
    """Who owns an alert: "Owner: Anna Li (acknowledged Nov 23, 2026)"."""
    return t.gettext(
        "Owner: {who} (acknowledged {date})", who=escape(action.who), date=_day(action.acted_on, t)
    )


def back_text(triage: Triage, t: Translator) -> str | None:
    """Why an alert someone had quieted or reopened is shown in full again tonight."""
    a = triage.ended
    if a is None or triage.back is None:
        return None
    who, day = escape(a.who), _day(a.acted_on, t)
    if triage.back == "reopened":
        return t.gettext("Reopened by {who} on {date}.", who=who, date=day)
    if triage.back == "expired":
        return t.gettext(
            "Back tonight: the snooze {who} set until {date} has ended.",
            who=who,
            date=_day(a.until, t),
        )
    if a.action == "snooze":
        return t.gettext(
            "Back tonight: worse than when {who} snoozed it on {date}.", who=who, date=day
        )
    if a.action == "expected":
        return t.gettext(
            "Back tonight: worse than when {who} marked it expected on {date}.", who=who, date=day
        )
    return t.gettext(
        "Back tonight: worse than when {who} marked it not a problem on {date}.", who=who, date=day
    )


def triage_line(triage: Triage | None, t: Translator) -> str | None:
    """The line a finding shown in full carries about people's actions: why it is back, and
    who owns it."""
    if triage is None:
        return None
    said = [
        x
        for x in (back_text(triage, t), owner_text(triage.owner, t) if triage.owner else None)
        if x
    ]
    return " ".join(said) or None


def still_open_note(triage: Triage | None, t: Translator) -> str | None:
    """What a "still open" line adds: what keeps it quiet, else who owns it."""
    if triage is None:
        return None
    if triage.quiet is not None:
        return quiet_text(triage.quiet, t)
    if triage.owner is not None:
        return t.gettext("owner: {who}", who=escape(triage.owner.who))
    return None


def closed_text(action: RecordedAction, t: Translator) -> str:
    """A resolved pitfall's acknowledgement, closed by the resolution."""
    return t.gettext("acknowledgement by {who} closed", who=escape(action.who))
