"""Slack's requests when someone clicks a button on an alert: checked, recorded, answered.

The Slack app's interactivity request URL is ``<airflow base url>/marketing-health/slack/
interactions``; Slack posts every click (``block_actions``) and every submitted note
(``view_submission``) there. Slack cannot sign in to Airflow, so this route is not behind
Airflow's sign-in: its only gate is Slack's signature, checked before anything else is read.

* The signature is ``v0=`` + hex HMAC-SHA256 of ``v0:<X-Slack-Request-Timestamp>:<raw body>``
  with the app's signing secret (the password of the Airflow connection
  ``marketing_health_slack_signing``, ``MH_SLACK_SIGNING_CONN_ID``), compared in constant time.
* The timestamp must be within five minutes of now, and a signature is accepted once: each
  accepted one is remembered (a file under ``<data>/actions/seen/``, shared by every API server
  worker) until it would be stale anyway, so a captured request cannot be played again.
* Slack wants an answer within three seconds. The action is written to the durable inbox
  (:mod:`marketing_health.alerts.actions`) and the request answered; recording it in the
  warehouse, updating the message in place (its ``response_url``, ``replace_original``) and
  opening the note dialog (``views.open``, which needs the bot token) happen right after the
  answer, so a busy warehouse or a slow Slack never makes the click fail.

Expected and Not a problem ask for a note in a dialog when a bot-token connection can open one
(the dialog's ``private_metadata`` names a small file holding the click until the note comes
back). Without a bot token (incoming webhooks only) they are recorded without a note.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import secrets
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import PlainTextResponse, Response

from marketing_health.alerts import action_blocks as ab
from marketing_health.alerts.actions import (
    NOTE_LIMIT,
    AlertAction,
    AlertRef,
    InvalidAction,
    flush_when_free,
)
from marketing_health.i18n import Translator, UnknownLanguageError, translator
from marketing_health.settings import Paths, slack_conn_id, slack_signing_conn_id

log = logging.getLogger(__name__)

#: Slack's own limit: a request older (or newer) than this is refused.
MAX_AGE_SECONDS = 300
#: A note dialog's click is kept this long for the note to come back.
VIEW_CONTEXT_SECONDS = 3600
NOTE_VIEW = "mh_note"
NOTE_BLOCK = "mh_note"
NOTE_INPUT = "mh_note_input"
_HTTP_TIMEOUT = 5


class RequestRefused(Exception):
    """A request that is not Slack's, or not anymore; ``status`` is the HTTP answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def signing_secret() -> str | None:
    """The Slack app's signing secret from its Airflow connection; None when not configured."""
    from marketing_health.alerts.connections import lookup

    conn = lookup(slack_signing_conn_id())
    if conn is None or not conn.password:
        return None
    return str(conn.password)


def interactive() -> bool:
    """Whether digests should carry buttons: Slack's requests can be checked here."""
    try:
        return signing_secret() is not None
    except Exception as exc:  # a secrets backend away: no buttons rather than dead ones
        log.warning(
            "Slack signing secret could not be looked up (%s): digests carry no buttons", exc
        )
        return False


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's ``X-Slack-Signature`` of a request."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    body: bytes,
    timestamp: str | None,
    given: str | None,
    now: float | None = None,
) -> None:
    """Raise :class:`RequestRefused` unless Slack signed this body within five minutes."""
    if not timestamp or not given:
        raise RequestRefused(401, "the request carries no Slack signature")
    try:
        sent = int(timestamp)
    except ValueError:
        raise RequestRefused(401, "the request's timestamp is not a number") from None
    if abs((time.time() if now is None else now) - sent) > MAX_AGE_SECONDS:
        raise RequestRefused(401, "the request is older than five minutes")
    if not hmac.compare_digest(signature(secret, timestamp, body), given):
        raise RequestRefused(401, "the request's signature does not match the signing secret")


class ReplayGuard:
    """Signatures already accepted, one empty file each, forgotten once they would be stale."""

    def __init__(self, paths: Paths) -> None:
        self.folder = paths.actions_dir / "seen"

    def first_time(self, given: str, now: float | None = None) -> bool:
        """True the first time a signature is seen; False for a replay."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._forget_old(time.time() if now is None else now)
        name = hashlib.sha256(given.encode()).hexdigest()
        try:
            fd = os.open(self.folder / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return False
        os.close(fd)
        return True

    def _forget_old(self, now: float) -> None:
        horizon = now - 2 * MAX_AGE_SECONDS
        for path in self.folder.iterdir():
            try:
                if path.stat().st_mtime < horizon:
                    path.unlink(missing_ok=True)
            except FileNotFoundError:
                continue


# ---------------------------------------------------------------- talking back to Slack


def _allowed_url(url: str) -> bool:
    """Only Slack's own https addresses (or a stand-in on this machine) get our posts."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https":
        return True
    try:
        return parts.scheme == "http" and (
            host == "localhost" or ipaddress.ip_address(host).is_loopback
        )
    except ValueError:
        return False


def respond(response_url: str, body: dict[str, Any]) -> bool:
    """Post to a click's ``response_url`` (update the message, or tell the person something)."""
    if not _allowed_url(response_url):
        log.warning(
            "Not posting to a response_url outside Slack: %s", urlsplit(response_url).netloc
        )
        return False
    request = urllib.request.Request(
        response_url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=_HTTP_TIMEOUT) as answer:
            answer.read()
        return True
    except OSError as exc:
        log.warning("Slack's response_url did not take the update: %s", exc)
        return False


def _bot_route(channel_name: str | None) -> Any:
    """A bot-token route for the channel (the dialogs need a token), else None."""
    from marketing_health.alerts.slack import resolve_route

    try:
        route = resolve_route(slack_conn_id(), f"#{channel_name}" if channel_name else "#")
    except Exception as exc:
        log.warning("No Slack connection to open a note dialog with: %s", exc)
        return None
    return route if route is not None and route.kind == "bot" else None


def open_view(route: Any, trigger_id: str, view: dict[str, Any]) -> bool:
    from airflow.providers.slack.hooks.slack import SlackHook

    try:
        SlackHook(slack_conn_id=route.conn_id, timeout=_HTTP_TIMEOUT).get_conn().views_open(
            trigger_id=trigger_id, view=view
        )
        return True
    except Exception as exc:
        from marketing_health.alerts.slack import describe_failure

        log.warning("Slack did not open the note dialog: %s", describe_failure(exc, route.secrets))
        return False


# ---------------------------------------------------------------- clicks and notes


@dataclass(frozen=True)
class Click:
    """One element clicked on a message, with what is needed to answer it."""

    action: AlertAction
    language: str
    response_url: str | None
    blocks: tuple[dict[str, Any], ...]
    text: str
    trigger_id: str | None
    channel_name: str | None

    def to_json(self) -> str:
        data = {
            "action": json.loads(self.action.to_json()),
            "language": self.language,
            "response_url": self.response_url,
            "blocks": list(self.blocks),
            "text": self.text,
            "channel_name": self.channel_name,
        }
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Click:
        data = json.loads(text)
        action = AlertAction.from_json(json.dumps(data["action"]))
        return cls(
            action,
            data["language"],
            data["response_url"],
            tuple(data["blocks"]),
            data["text"],
            None,
            data["channel_name"],
        )


def _language(extra: dict[str, Any]) -> str:
    tag = str(extra.get("l") or "en")
    try:
        translator(tag)
    except (UnknownLanguageError, ValueError):
        return "en"
    return tag


def _who(payload: dict[str, Any]) -> tuple[str, str | None]:
    user = payload.get("user") or {}
    user_id = str(user.get("id") or "")
    name = user.get("name") or user.get("username")
    return user_id, None if name is None else str(name)


def _click(payload: dict[str, Any], element: dict[str, Any]) -> Click | None:
    """The action one clicked element asks for; None for elements that are not ours."""
    kind = ab.ACTION_OF.get(str(element.get("action_id")))
    if kind is None:
        return None
    days: int | None = None
    until: str | None = None
    if element.get("action_id") == ab.SNOOZE:
        ref, extra = AlertRef.decode(str((element.get("selected_option") or {}).get("value")))
        days = int(extra.get("d") or 0)
        if days not in ab.SNOOZE_DAYS:
            raise InvalidAction(f"not a snooze length: {days!r}")
    elif element.get("action_id") == ab.SNOOZE_UNTIL:
        ref, extra = AlertRef.decode(str(element.get("block_id")))
        until = str(element.get("selected_date") or "")
    else:
        ref, extra = AlertRef.decode(str(element.get("value")))
    user_id, name = _who(payload)
    container = payload.get("container") or {}
    channel = payload.get("channel") or {}
    message = payload.get("message") or {}
    common = {
        "user_id": user_id,
        "user_name": name,
        "source": "slack",
        "channel": channel.get("id") or container.get("channel_id"),
        "message_ts": container.get("message_ts") or message.get("ts"),
        "request_key": str(element.get("action_ts") or payload.get("trigger_id") or ""),
    }
    if days is not None:
        action = AlertAction.snooze_for(ref, days, **common)
    else:
        action = AlertAction(ref, kind, until=until, **common)
    return Click(
        action=action,
        language=_language(extra),
        response_url=payload.get("response_url"),
        blocks=tuple(message.get("blocks") or ()),
        text=str(message.get("text") or ""),
        trigger_id=payload.get("trigger_id"),
        channel_name=channel.get("name"),
    )


def _note_view(click: Click, token: str, t: Translator) -> dict[str, Any]:
    from marketing_health.catalogue import load_catalogue

    a = click.action
    try:
        title = t.translate(load_catalogue()[a.ref.pitfall_id].title)
    except KeyError:
        title = a.ref.pitfall_id
    if a.action == "expected":
        heading = t.pgettext("note dialog title", "Expected")
        label = t.gettext("What makes it expected? (a planned pause, a known reason)")
    else:
        heading = t.pgettext("note dialog title", "Not a problem")
        label = t.gettext("Why is it not a problem?")
    about = t.gettext(
        "{pitfall} · campaign {campaign_id} · night of {date}",
        pitfall=f"{a.ref.pitfall_id} {title}",
        campaign_id=a.ref.campaign_id,
        date=t.date(a.ref.night, "medium"),
    )
    hint = t.gettext(
        "Kept with the alert. The health report counts these labels per guard and brand and "
        "suggests the override that would have avoided them."
    )
    return {
        "type": "modal",
        "callback_id": NOTE_VIEW,
        "private_metadata": token,
        "title": _short_plain(heading, 24),
        "submit": _short_plain(t.pgettext("note dialog button", "Save"), 24),
        "close": _short_plain(t.pgettext("note dialog button", "Cancel"), 24),
        "blocks": [
            {"type": "section", "text": {"type": "plain_text", "text": about[:3000]}},
            {
                "type": "input",
                "block_id": NOTE_BLOCK,
                "optional": True,
                "label": _short_plain(label, 2000),
                "hint": _short_plain(hint, 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": NOTE_INPUT,
                    "multiline": True,
                    "max_length": NOTE_LIMIT,
                },
            },
        ],
    }


def _short_plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


class Interactions:
    """What one installation does with Slack's requests (its data folder holds the inbox)."""

    def __init__(
        self,
        paths: Callable[[], Paths],
        secret: Callable[[], str | None] = signing_secret,
    ) -> None:
        self._paths = paths
        self._secret = secret

    @property
    def paths(self) -> Paths:
        return self._paths()

    def check(self, body: bytes, timestamp: str | None, given: str | None) -> dict[str, Any]:
        """The payload of a request Slack signed, seen for the first time."""
        secret = self._secret()
        if secret is None:
            raise RequestRefused(
                503,
                f"Slack interactivity is not configured: set the Airflow connection "
                f"{slack_signing_conn_id()!r} with the Slack app's signing secret as password",
            )
        verify(secret, body, timestamp, given)
        assert given is not None
        if not ReplayGuard(self.paths).first_time(given):
            raise RequestRefused(409, "this request was already received once")
        form = parse_qs(body.decode("utf-8", errors="replace"))
        try:
            payload = json.loads(form["payload"][0])
        except (KeyError, IndexError, ValueError):
            raise RequestRefused(400, "the request carries no interaction payload") from None
        if not isinstance(payload, dict):
            raise RequestRefused(400, "the interaction payload is not an object")
        return payload

    def accept(self, payload: dict[str, Any]) -> list[Callable[[], None]]:
        """Keep what the payload asks for; returns what is left to do after the answer."""
        kind = payload.get("type")
        if kind == "block_actions":
            return self._block_actions(payload)
        if (
            kind == "view_submission"
            and (payload.get("view") or {}).get("callback_id") == NOTE_VIEW
        ):
            return self._note(payload)
        return []

    # -- block_actions ---------------------------------------------------------------------

    def _block_actions(self, payload: dict[str, Any]) -> list[Callable[[], None]]:
        later: list[Callable[[], None]] = []
        for element in payload.get("actions") or ():
            try:
                click = _click(payload, element)
            except InvalidAction as exc:
                later.append(lambda exc=exc, p=payload, e=element: self._refused(p, e, exc))
                continue
            if click is None:
                continue
            if click.action.action in ("expected", "not_a_problem") and click.trigger_id:
                route = _bot_route(click.channel_name)
                if route is not None:
                    token = self._keep_for_note(click)
                    later.append(lambda c=click, r=route, tok=token: self._ask_note(c, r, tok))
                    continue
            from marketing_health.alerts.actions import ActionInbox

            ActionInbox(self.paths).put(click.action)
            later.append(lambda c=click: self._done(c))
        return later

    def _refused(self, payload: dict[str, Any], element: dict[str, Any], exc: Exception) -> None:
        url = payload.get("response_url")
        language = "en"
        for source in (element.get("block_id"), element.get("value")):
            try:
                language = _language(AlertRef.decode(str(source))[1])
                break
            except InvalidAction:
                continue
        t = translator(language)
        night = None
        with contextlib.suppress(InvalidAction):
            night = AlertRef.decode(str(element.get("block_id")))[0].night
        if element.get("action_id") == ab.SNOOZE_UNTIL and night:
            text = t.gettext(
                "Pick a day after {date}, the night of this alert, and within a year.",
                date=t.date(night, "medium"),
            )
        else:
            text = t.gettext("That did not work, nothing was changed: {reason}", reason=str(exc))
        log.info("Slack action refused: %s", exc)
        if url:
            respond(url, {"response_type": "ephemeral", "replace_original": False, "text": text})

    def _done(self, click: Click) -> None:
        """Record what the inbox holds and show the action on the message it was taken on."""
        flush_when_free(self.paths)
        if not click.response_url or not click.blocks:
            return
        blocks = ab.updated_blocks(click.blocks, click.action, click.language)
        if blocks is None:
            return
        respond(
            click.response_url, {"replace_original": True, "text": click.text, "blocks": blocks}
        )

    # -- notes -----------------------------------------------------------------------------

    def _views_folder(self) -> Path:
        return self.paths.actions_dir / "views"

    def _keep_for_note(self, click: Click) -> str:
        folder = self._views_folder()
        folder.mkdir(parents=True, exist_ok=True)
        horizon = time.time() - VIEW_CONTEXT_SECONDS
        for old in folder.glob("*.json"):
            try:
                if old.stat().st_mtime < horizon:
                    old.unlink(missing_ok=True)
            except FileNotFoundError:
                continue
        token = secrets.token_hex(16)
        (folder / f"{token}.json").write_text(click.to_json(), encoding="utf-8")
        return token

    def _ask_note(self, click: Click, route: Any, token: str) -> None:
        t = translator(click.language)
        if open_view(route, str(click.trigger_id), _note_view(click, token, t)):
            return
        # no dialog: the action still counts, without a note
        (self._views_folder() / f"{token}.json").unlink(missing_ok=True)
        from marketing_health.alerts.actions import ActionInbox

        ActionInbox(self.paths).put(click.action)
        self._done(click)

    def _note(self, payload: dict[str, Any]) -> list[Callable[[], None]]:
        view = payload.get("view") or {}
        token = str(view.get("private_metadata") or "")
        if not token.isalnum():
            return []
        path = self._views_folder() / f"{token}.json"
        try:
            click = Click.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            log.info("A note came back for a dialog no longer kept: %s", token)
            return []
        user_id, _ = _who(payload)
        if user_id != click.action.user_id:
            log.warning("A note came back from another Slack user than the one who clicked")
            return []
        values = ((view.get("state") or {}).get("values") or {}).get(NOTE_BLOCK) or {}
        note = (values.get(NOTE_INPUT) or {}).get("value")
        action = replace(click.action, note=note, request_key=f"view:{view.get('id') or token}")
        click = replace(click, action=action)
        from marketing_health.alerts.actions import ActionInbox

        ActionInbox(self.paths).put(action)
        path.unlink(missing_ok=True)
        return [lambda c=click: self._done(c)]


def router(
    paths: Callable[[], Paths], secret: Callable[[], str | None] = signing_secret
) -> APIRouter:
    """The interactivity endpoint as a FastAPI router (``POST /slack/interactions``), with no
    dependency but the signature: the app serving it must not put Airflow's sign-in before it."""
    handler = Interactions(paths, secret)
    api = APIRouter()

    @api.post(SLACK_INTERACTIONS_PATH, include_in_schema=False)
    async def interactions(request: Request, background: BackgroundTasks) -> Response:
        body = await request.body()
        try:
            payload = handler.check(
                body,
                request.headers.get("X-Slack-Request-Timestamp"),
                request.headers.get("X-Slack-Signature"),
            )
        except RequestRefused as refused:
            log.warning("Slack interaction refused (%d): %s", refused.status, refused.reason)
            return PlainTextResponse(refused.reason, status_code=refused.status)
        for task in handler.accept(payload):
            background.add_task(task)
        return Response(status_code=200)

    return api


#: Where the plugin app serves the endpoint (under its own prefix, /marketing-health).
SLACK_INTERACTIONS_PATH = "/slack/interactions"
