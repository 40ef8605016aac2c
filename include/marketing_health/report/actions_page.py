"""The same actions as Slack's buttons, on the Marketing health pages in the Airflow UI.

A team without Slack interactivity acknowledges, snoozes or labels an alert from the night's
report: each open alert of a served report gets a small form (the report file itself carries
only an invisible marker, :func:`marker`, so it still opens offline unchanged). A form posts to
``/marketing-health/nights/<night>/actions``, which is behind Airflow's sign-in and a write
permission on the ``marketing_health`` DAG's runs; the person is Airflow's signed-in user.

Forms are safe against cross-site posts: each carries a token bound to the signed-in user and
the night (an HMAC with a key kept in the data folder, valid for twelve hours), and a post whose
``Origin`` or ``Sec-Fetch-Site`` says it came from another site is refused. Each form also
carries a one-time key, so submitting it twice records one action.

What the forms show comes from ``alerts.alert_actions`` read with a short wait, and from the
inbox; while the nightly run holds the warehouse the page says so and still takes actions (they
wait in the inbox, :mod:`marketing_health.alerts.actions`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from marketing_health.alerts.actions import (
    ActionInbox,
    AlertAction,
    AlertRef,
    InvalidAction,
    RecordedAction,
    load_actions,
)
from marketing_health.alerts.triage import triage
from marketing_health.i18n import Translator
from marketing_health.settings import Paths

log = logging.getLogger(__name__)

#: How long a page's forms can be submitted after it was shown.
TOKEN_SECONDS = 12 * 3600
#: How long showing a page waits for the warehouse before it shows the forms without state.
READ_WAIT_SECONDS = 0.5
_MARKER = re.compile(r"<!--mh-alert ([^ ]+) (P\d{2,3}) (\d{4}-\d{2}-\d{2})?-->")
_KEY_FILE = Path("secrets") / "ui_form_key"


def marker(campaign_id: str, guard_id: str, failing_since: str | None) -> str:
    """The invisible place of an alert's form in the report file."""
    campaign = quote(campaign_id, safe="").replace("-", "%2D")
    return f"<!--mh-alert {campaign} {guard_id} {failing_since or ''}-->"


def anchor(campaign_id: str, guard_id: str) -> str:
    """The id of an alert's form on the page, to come back to it after a post."""
    return "alert-" + hashlib.sha1(f"{campaign_id}|{guard_id}".encode()).hexdigest()[:12]


@dataclass(frozen=True)
class UiUser:
    """The person signed in to Airflow."""

    id: str
    name: str | None = None


def local_user() -> UiUser:
    """Who acts when the pages are served without Airflow (tests, a local preview)."""
    return UiUser("local", "local user")


# ---------------------------------------------------------------- tokens


def _form_key(paths: Paths) -> bytes:
    """The installation's key for form tokens, created on first use (shared by every API
    server, like the rest of the data folder)."""
    path = paths.data_dir / _KEY_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip().encode()


def form_token(paths: Paths, user: UiUser, night: str, now: float | None = None) -> str:
    issued = str(int(time.time() if now is None else now))
    mac = hmac.new(_form_key(paths), f"{user.id}|{night}|{issued}".encode(), hashlib.sha256)
    return f"{issued}.{mac.hexdigest()}"


def token_valid(paths: Paths, user: UiUser, night: str, token: str) -> bool:
    issued, _, given = token.partition(".")
    if not issued.isdigit() or not given:
        return False
    if not 0 <= time.time() - int(issued) <= TOKEN_SECONDS:
        return False
    mac = hmac.new(_form_key(paths), f"{user.id}|{night}|{issued}".encode(), hashlib.sha256)
    return hmac.compare_digest(mac.hexdigest(), given)


def same_site(headers: Mapping[str, str], host: str | None) -> bool:
    """False for a post another site's page made (the browser says so in these headers)."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site and fetch_site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin and origin != "null" and host:
        return urlsplit(origin).netloc == host
    return True


# ---------------------------------------------------------------- what was done already


@dataclass
class ActionsState:
    """What people did about the alerts shown on a night's page."""

    #: (campaign, pitfall) -> actions, oldest first (the warehouse's, then the inbox's).
    actions: dict[tuple[str, str], list[RecordedAction]] = field(default_factory=dict)
    #: The warehouse was busy: only the inbox's actions are known.
    busy: bool = False


def _from_inbox(action: AlertAction) -> RecordedAction:
    return RecordedAction(
        campaign_id=action.ref.campaign_id,
        pitfall_id=action.ref.pitfall_id,
        night=action.ref.night,
        action=action.action,
        user_id=action.user_id,
        user_name=action.user_name,
        source=action.source,
        acted_at=action.acted_at,
        until=action.until,
        note=action.note,
    )


def load_state(paths: Paths, night: str) -> ActionsState:
    from marketing_health.warehouse import QUERY_ERRORS, connect, exists

    state = ActionsState()
    if exists(paths):
        try:
            with connect(paths, read_only=True, wait_seconds=READ_WAIT_SECONDS) as con:
                state.actions = load_actions(con, night)
        except TimeoutError as exc:  # the night holds the warehouse
            log.info("Alert actions not read, the warehouse is busy: %s", exc)
            state.busy = True
        except QUERY_ERRORS as exc:  # locked by another program, or not readable
            log.warning("Alert actions not read from the warehouse: %s", exc)
            state.busy = True
    for _, action in ActionInbox(paths).pending():
        if action.ref.night <= night:
            key = (action.ref.campaign_id, action.ref.pitfall_id)
            state.actions.setdefault(key, []).append(_from_inbox(action))
    for acted in state.actions.values():
        acted.sort(key=lambda a: a.acted_at)
    return state


# ---------------------------------------------------------------- the forms


def _standing(acted: list[RecordedAction], since: str, night: str, t: Translator) -> str:
    """One line on where the alert stands after people's actions; empty when nobody acted."""
    found = triage(
        acted,
        since=since,
        day=night,
        previous_run_date=None,
        worse_tonight=lambda _a: False,
        worse_last_night=lambda _a: False,
    )
    if found is None:
        return ""
    said = []
    if found.owner is not None:
        said.append(
            t.gettext(
                "Acknowledged by {who} on {date}.",
                who=found.owner.who,
                date=t.date(found.owner.acted_on, "medium"),
            )
        )
    q = found.quiet
    if q is not None and q.action == "snooze":
        until = t.date(q.until, "medium")
        said.append(t.gettext("Snoozed by {who} until {date}.", who=q.who, date=until))
    elif q is not None and q.action == "expected":
        said.append(
            t.gettext("Marked expected by {who}: {note}", who=q.who, note=q.note)
            if q.note
            else t.gettext("Marked expected by {who}.", who=q.who)
        )
    elif q is not None:
        said.append(
            t.gettext("Marked not a problem by {who}: {note}", who=q.who, note=q.note)
            if q.note
            else t.gettext("Marked not a problem by {who}.", who=q.who)
        )
    if not said and found.ended is not None and found.ended.action == "reopen":
        said.append(t.gettext("Reopened by {who}.", who=found.ended.who))
    return " ".join(said)


def _form(
    ref: AlertRef,
    since: str,
    action_url: str,
    token: str,
    state: ActionsState,
    t: Translator,
) -> str:
    acted = state.actions.get((ref.campaign_id, ref.pitfall_id), [])
    standing = _standing(acted, since, ref.night, t)
    status = f'<p class="acted" role="status">{escape(standing)}</p>' if standing else ""

    def button(action: str, label: str) -> str:
        return (
            f'<button type="submit" name="action" value="{action}" '
            f'data-action="{action}">{escape(label)}</button>'
        )

    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{escape(value)}">'
        for name, value in (
            ("csrf", token),
            ("key", secrets.token_hex(12)),
            ("campaign", ref.campaign_id),
            ("pitfall", ref.pitfall_id),
        )
    )
    night = date.fromisoformat(ref.night)
    snooze_for = escape(t.gettext("Snooze for"))
    one_day = escape(t.pgettext("snooze for", "1 day"))
    one_week = escape(t.pgettext("snooze for", "1 week"))
    until_date = escape(t.pgettext("snooze for", "until the date"))
    until_label = escape(t.gettext("Snooze until"))
    snooze = (
        f'<label>{snooze_for} <select name="days">'
        f'<option value="1">{one_day}</option><option value="7">{one_week}</option>'
        f'<option value="until">{until_date}</option></select></label> '
        f'<input type="date" name="until" min="{night.isoformat()}" aria-label="{until_label}"> '
        + button("snooze", t.pgettext("alert action", "Snooze"))
    )
    note_label = escape(t.gettext("Note (why it is expected or not a problem)"))
    reopen = button("reopen", t.pgettext("alert action", "Reopen")) if standing else ""
    acknowledge = button("acknowledge", t.pgettext("alert action", "Acknowledge"))
    expected = button("expected", t.pgettext("alert action", "Expected"))
    not_a_problem = button("not_a_problem", t.pgettext("alert action", "Not a problem"))
    return (
        f'<form class="alert-actions" method="post" action="{escape(action_url)}" '
        f'id="{anchor(ref.campaign_id, ref.pitfall_id)}">{hidden}{status}'
        f'<div class="row">{acknowledge} {snooze} {reopen}</div>'
        f'<div class="row"><input type="text" name="note" maxlength="2000" '
        f'placeholder="{note_label}" aria-label="{note_label}"> '
        f"{expected} {not_a_problem}</div></form>"
    )


def with_forms(
    text: str, paths: Paths, night: str, action_url: str, user: UiUser, t: Translator
) -> str:
    """The report page with a form under each open alert, and a note when the warehouse is
    busy; unchanged when the night has no open alert."""
    if not _MARKER.search(text):
        return text
    state = load_state(paths, night)
    token = form_token(paths, user, night)

    def form(match: re.Match[str]) -> str:
        campaign = unquote(match[1])
        try:
            ref = AlertRef(campaign, match[2], night)
        except InvalidAction:
            return ""
        return _form(ref, match[3] or night, action_url, token, state, t)

    page = _MARKER.sub(form, text)
    if state.busy:
        busy = escape(
            t.gettext(
                "The nightly run is using the warehouse: earlier actions may not show yet. "
                "Actions taken now are kept and recorded when it is done."
            )
        )
        page = page.replace(
            '<section id="alerts">', f'<section id="alerts"><p class="notice">{busy}</p>', 1
        )
    return page


def saved_notice(saved: str | None, t: Translator) -> str:
    """The line a page shows after an action was posted."""
    if saved == "recorded":
        return t.gettext("Saved. The next digests take it into account.")
    if saved == "queued":
        return t.gettext(
            "Saved. The nightly run is using the warehouse right now: the action is kept and "
            "recorded before the next digests are written."
        )
    return ""


def action_from_form(form: Mapping[str, str], night: str, user: UiUser) -> AlertAction:
    """The action a posted form asks for; :class:`InvalidAction` says what is wrong."""
    kind = form.get("action", "")
    ref = AlertRef(form.get("campaign", ""), form.get("pitfall", ""), night)
    common = {
        "user_id": user.id,
        "user_name": user.name,
        "source": "ui",
        "note": form.get("note") or None,
        "request_key": f"ui:{form.get('key', '')}" if form.get("key") else "",
    }
    if kind != "snooze":
        return AlertAction(ref, kind, **common)
    days = form.get("days", "")
    if days in ("1", "7"):
        return AlertAction.snooze_for(ref, int(days), **common)
    return AlertAction(ref, "snooze", until=form.get("until") or None, **common)
