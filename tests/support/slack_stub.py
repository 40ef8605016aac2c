"""A local stand-in for Slack: a real HTTP server that records what it is sent.

It answers the two ways the pipeline talks to Slack:

* incoming webhooks: ``POST /services/<T>/<B>/<token>`` -> ``200 ok``
* the Web API: ``POST /api/chat.postMessage`` -> ``{"ok": true, "channel": ..., "ts": ...}``
  (a ``thread_ts`` makes it a reply), ``chat.update``, ``views.open`` and ``auth.test``; a wrong
  bot token gets ``{"ok": false, "error": "invalid_auth"}``.
* a message's ``response_url`` (``POST /actions/<n>``): ``replace_original`` updates the message
  as Slack would show it, anything else is recorded as a message to the one who clicked.

It also plays the people in the channel: :meth:`SlackStub.click` builds the ``block_actions``
payload Slack would send when someone uses a button, menu or date picker of a message it
received, :meth:`SlackStub.submit_view` the ``view_submission`` of a dialog a ``views.open``
opened, and :meth:`SlackStub.send_interaction` signs one with the app's signing secret and
posts it to the interactivity request URL, as Slack does.

Tests script trouble with :meth:`SlackStub.fail_next` (answer the next requests with 429 and a
Retry-After, or 500), :meth:`SlackStub.close_next` (read the request, then close the connection
without answering: the message is not shown) and :meth:`SlackStub.stop` (nothing listens:
"Slack is down");
:meth:`SlackStub.start` brings it back on the same port. ``webhook_connection`` and
``bot_connection`` build the ``AIRFLOW_CONN_<ID>`` JSON values that point Airflow's Slack hooks
at the stand-in.

    with SlackStub() as slack:
        monkeypatch.setenv(conn_env_var("slack_x"), slack.bot_connection())
        ...
        assert slack.posts()[0].channel == "#growth-emea"
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

DEFAULT_BOT_TOKEN = "xoxb-stub-0000-secret"
DEFAULT_WEBHOOK_PATH = "/services/T0000STUB/B0000STUB/stubwebhooksecret"
DEFAULT_SIGNING_SECRET = "stub-signing-secret-0123456789abcdef"


def conn_env_var(conn_id: str) -> str:
    """The environment variable Airflow reads a connection from."""
    return "AIRFLOW_CONN_" + conn_id.upper()


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: str
    json: Any
    form: dict[str, str] | None
    status: int
    response: str

    @property
    def channel(self) -> str | None:
        if isinstance(self.json, dict) and "channel" in self.json:
            return self.json["channel"]
        if self.form:
            return self.form.get("channel")
        return None

    @property
    def thread_ts(self) -> str | None:
        return self.json.get("thread_ts") if isinstance(self.json, dict) else None

    @property
    def ts(self) -> str | None:
        """The ts Slack answered for a chat.postMessage (None for a webhook)."""
        try:
            return json.loads(self.response).get("ts")
        except (ValueError, AttributeError):
            return None

    @property
    def is_webhook(self) -> bool:
        return self.path.startswith("/services/")

    @property
    def accepted(self) -> bool:
        """A message Slack would show: a webhook post answered ``ok``, a successful postMessage."""
        if self.status != 200:
            return False
        if self.is_webhook:
            return self.response == "ok"
        return self.path.startswith("/api/chat.postMessage") and '"ok": true' in self.response


#: A scripted "status" meaning: close the connection instead of answering.
CLOSE = 0


@dataclass
class _Script:
    status: int
    retry_after: int | None


@dataclass
class Message:
    """A message as the channel shows it now (updates through response_url included)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None = None
    #: Whether it came through an incoming webhook (Slack answers those without a ts).
    webhook: bool = False


@dataclass
class _State:
    token: str
    requests: list[RecordedRequest] = field(default_factory=list)
    script: list[_Script] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: int = 0
    #: ts -> the message as shown now
    messages: dict[str, Message] = field(default_factory=dict)
    #: response_url path -> ts of the message it updates
    response_urls: dict[str, str] = field(default_factory=dict)
    #: views.open calls: (trigger_id, view, view id)
    views: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    #: what response_url posts told the person who clicked (not message updates)
    ephemeral: list[dict[str, Any]] = field(default_factory=list)


class _StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: _State) -> None:
        self.state = state
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _StubServer

    @property
    def state(self) -> _State:
        return self.server.state

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: str, content_type: str, extra: dict | None = None):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _parse(self, raw: str) -> tuple[Any, dict[str, str] | None]:
        ctype = self.headers.get("Content-Type", "")
        if "json" in ctype:
            try:
                return json.loads(raw), None
            except ValueError:
                return None, None
        if "form" in ctype:
            return None, {k: v[0] for k, v in parse_qs(raw).items()}
        return None, None

    def _answer(self) -> tuple[int, str, str, dict[str, str]]:
        with self.state.lock:
            scripted = self.state.script.pop(0) if self.state.script else None
            if scripted is not None and scripted.status == 200:
                scripted = None  # a scripted normal answer
            self.state.counter += 1
            ts = f"{int(time.time())}.{self.state.counter:06d}"
        api = self.path.startswith("/api/")
        if scripted is not None and scripted.status == CLOSE:
            return CLOSE, "", "", {}
        if scripted is not None:
            extra = {}
            if scripted.retry_after is not None:
                extra["Retry-After"] = str(scripted.retry_after)
            if scripted.status == 429:
                body = '{"ok": false, "error": "ratelimited"}' if api else "rate_limited"
            else:
                body = "Internal Server Error"
            return scripted.status, body, "application/json" if api else "text/plain", extra
        if self.path.startswith("/services/"):
            self._keep_message(ts, webhook=True)
            return 200, "ok", "text/plain", {}
        if self.path.startswith("/actions/"):
            return self._response_url()
        if not api:
            return 404, "no_service", "text/plain", {}
        if self.headers.get("Authorization") != f"Bearer {self.state.token}":
            return 200, '{"ok": false, "error": "invalid_auth"}', "application/json", {}
        return 200, json.dumps(self._api_reply(ts)), "application/json", {}

    def _api_reply(self, ts: str) -> dict[str, Any]:
        method = self.path[len("/api/") :].split("?")[0]
        if method == "auth.test":
            return {"ok": True, "url": "https://stub.slack.test/", "team": "Stub", "user": "mh"}
        body = self._last_json or {}
        if method == "chat.postMessage":
            channel = body.get("channel")
            if not channel:
                return {"ok": False, "error": "channel_not_found"}
            thread = body.get("thread_ts")
            if thread and thread not in self.state.messages:
                return {"ok": False, "error": "thread_not_found"}
            self._keep_message(ts)
            message = {"ts": ts, **({"thread_ts": thread} if thread else {})}
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.update":
            kept = self.state.messages.get(str(body.get("ts")))
            if kept is None:
                return {"ok": False, "error": "message_not_found"}
            kept.text = body.get("text", kept.text)
            kept.blocks = _blocks(body.get("blocks"), kept.blocks)
            return {"ok": True, "channel": kept.channel, "ts": kept.ts}
        if method == "views.open":
            view = body.get("view")
            if isinstance(view, str):
                view = json.loads(view)
            if not body.get("trigger_id") or not isinstance(view, dict):
                return {"ok": False, "error": "invalid_arguments"}
            view_id = f"V{ts.replace('.', '')}"
            with self.state.lock:
                self.state.views.append((str(body["trigger_id"]), view, view_id))
            return {"ok": True, "view": {**view, "id": view_id}}
        return {"ok": False, "error": "unknown_method"}

    def _keep_message(self, ts: str, webhook: bool = False) -> None:
        body = self._last_json or {}
        message = Message(
            channel=str(body.get("channel") or "webhook"),
            ts=ts,
            text=str(body.get("text") or ""),
            blocks=_blocks(body.get("blocks"), []),
            thread_ts=body.get("thread_ts"),
            webhook=webhook,
        )
        with self.state.lock:
            self.state.messages[ts] = message

    def _response_url(self) -> tuple[int, str, str, dict[str, str]]:
        body = self._last_json or {}
        with self.state.lock:
            ts = self.state.response_urls.get(self.path)
            kept = self.state.messages.get(ts or "")
            if kept is None:
                return 404, '{"ok": false, "error": "expired_url"}', "application/json", {}
            if body.get("replace_original"):
                kept.text = body.get("text", kept.text)
                kept.blocks = _blocks(body.get("blocks"), kept.blocks)
            else:
                self.state.ephemeral.append(dict(body))
        return 200, '{"ok": true}', "application/json", {}

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        parsed, form = self._parse(raw)
        self._last_json = parsed if isinstance(parsed, dict) else form
        status, body, ctype, extra = self._answer()
        record = RecordedRequest(
            method="POST",
            path=self.path,
            headers=dict(self.headers.items()),
            body=raw,
            json=parsed,
            form=form,
            status=status,
            response=body,
        )
        with self.state.lock:
            self.state.requests.append(record)
        if status == CLOSE:
            # the connection drops before any answer: the client sees it closed mid-request
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._reply(status, body, ctype, extra)


def _blocks(value: Any, default: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks as JSON or as the JSON text slack_sdk sends in a form."""
    if isinstance(value, str):
        value = json.loads(value)
    return list(value) if isinstance(value, list) else default


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Slack-Signature`` Slack puts on a request."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SlackUser:
    id: str = "U0ANNA001"
    name: str = "anna.li"


class SlackStub:
    """A Slack stand-in on ``127.0.0.1`` and a free port, served from a background thread.

    ``host`` is the address it listens on: containers reach the host at Docker's bridge
    gateway, not at 127.0.0.1.
    """

    def __init__(self, token: str = DEFAULT_BOT_TOKEN, host: str = "127.0.0.1") -> None:
        self._host = host
        self._state = _State(token=token)
        self._server: _StubServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> SlackStub:
        """Listen (again); after :meth:`stop` the stand-in comes back on the same port."""
        if self._server is not None:
            return self
        self._server = _StubServer((self._host, self._port), self._state)
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: connections are refused, as when Slack cannot be reached."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> SlackStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # addresses and Airflow connections --------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self._host}:{self._port}"

    @property
    def api_base_url(self) -> str:
        """The slack_sdk ``base_url`` (ends with a slash, as WebClient expects)."""
        return f"{self.url}/api/"

    def webhook_url(self, path: str = DEFAULT_WEBHOOK_PATH) -> str:
        return f"{self.url}{path}"

    @property
    def token(self) -> str:
        return self._state.token

    def webhook_connection(self, path: str = DEFAULT_WEBHOOK_PATH) -> str:
        """``AIRFLOW_CONN_<ID>`` value of an incoming-webhook connection (type slackwebhook)."""
        return json.dumps({"conn_type": "slackwebhook", "password": self.webhook_url(path)})

    def bot_connection(self, token: str | None = None) -> str:
        """``AIRFLOW_CONN_<ID>`` value of a bot-token connection (type slack) with base_url."""
        return json.dumps(
            {
                "conn_type": "slack",
                "password": token or self._state.token,
                "extra": {"base_url": self.api_base_url, "timeout": 5},
            }
        )

    # scripting and inspection ------------------------------------------------------------------
    def fail_next(self, count: int = 1, *, status: int = 429, retry_after: int | None = 1) -> None:
        """Answer the next ``count`` requests with ``status`` (429 carries ``Retry-After``)."""
        with self._state.lock:
            for _ in range(count):
                self._state.script.append(_Script(status, retry_after if status == 429 else None))

    def close_next(self, count: int = 1) -> None:
        """Close the connection of the next ``count`` requests without answering (recorded with
        status 0; Slack shows nothing): the network or a proxy dropping out mid-request."""
        with self._state.lock:
            self._state.script.extend(_Script(CLOSE, None) for _ in range(count))

    def fail_after(self, ok: int, count: int = 1, *, status: int = 500) -> None:
        """Answer ``ok`` requests normally, then fail ``count``: Slack dropping out mid-send."""
        with self._state.lock:
            self._state.script.extend(_Script(200, None) for _ in range(ok))
        self.fail_next(count, status=status)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    def posts(self) -> list[RecordedRequest]:
        """Messages Slack accepted (webhook posts and chat.postMessage calls answered 200)."""
        return [r for r in self.requests if r.accepted]

    def clear(self) -> None:
        with self._state.lock:
            self._state.requests.clear()
            self._state.script.clear()

    # the channel as people see it ---------------------------------------------------------------
    def message(self, ts: str) -> Message:
        """A message as it reads now, updates included."""
        with self._state.lock:
            return self._state.messages[ts]

    def messages(self, channel: str | None = None) -> list[Message]:
        with self._state.lock:
            found = list(self._state.messages.values())
        return [m for m in found if channel is None or m.channel == channel]

    def replies(self, thread_ts: str) -> list[Message]:
        return [m for m in self.messages() if m.thread_ts == thread_ts]

    @property
    def views(self) -> list[tuple[str, dict[str, Any], str]]:
        with self._state.lock:
            return list(self._state.views)

    @property
    def ephemeral(self) -> list[dict[str, Any]]:
        with self._state.lock:
            return list(self._state.ephemeral)

    # people clicking ------------------------------------------------------------------------------
    def click(
        self,
        ts: str,
        action_id: str,
        *,
        pitfall: str | None = None,
        campaign: str | None = None,
        user: SlackUser | None = None,
        option: int = 0,
        date: str | None = None,
        channel_name: str = "growth-emea",
    ) -> dict[str, Any]:
        """The ``block_actions`` payload of someone using an element of a message: the element
        ``action_id`` in the actions block of the alert for ``pitfall`` (and ``campaign``),
        the first such block when neither is given; ``option`` picks a menu entry, ``date`` a
        day in a date picker."""
        user = user or SlackUser()
        message = self.message(ts)
        block, element = _find_element(message.blocks, action_id, pitfall, campaign)
        with self._state.lock:
            self._state.counter += 1
            n = self._state.counter
            path = f"/actions/T0000STUB/{n}/{hashlib.sha1(str(n).encode()).hexdigest()[:16]}"
            self._state.response_urls[path] = ts
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block.get("block_id"),
            "type": element["type"],
            "action_ts": f"{time.time():.6f}",
        }
        if element["type"] == "button":
            action["value"] = element.get("value")
            action["text"] = element.get("text")
        elif element["type"] == "static_select":
            action["selected_option"] = element["options"][option]
        elif element["type"] == "datepicker":
            action["selected_date"] = date
        return {
            "type": "block_actions",
            "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": "T0STUB"},
            "api_app_id": "A0STUB",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": "C0STUB0001",
                "is_ephemeral": False,
            },
            "trigger_id": f"{n}.stub.trigger",
            "team": {"id": "T0STUB", "domain": "stub"},
            "channel": {"id": "C0STUB0001", "name": channel_name},
            "message": {
                "type": "message",
                "ts": ts,
                "text": message.text,
                "blocks": message.blocks,
                **({"thread_ts": message.thread_ts} if message.thread_ts else {}),
            },
            "response_url": f"{self.url}{path}",
            "actions": [action],
        }

    def submit_view(
        self, note: str | None, *, user: SlackUser | None = None, index: int = -1
    ) -> dict[str, Any]:
        """The ``view_submission`` of the dialog ``views.open`` opened (the last by default),
        its text input filled with ``note``."""
        user = user or SlackUser()
        _, view, view_id = self.views[index]
        values: dict[str, Any] = {}
        for block in view.get("blocks") or ():
            if block.get("type") == "input":
                element = block["element"]
                values[block["block_id"]] = {
                    element["action_id"]: {"type": element["type"], "value": note}
                }
        return {
            "type": "view_submission",
            "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": "T0STUB"},
            "api_app_id": "A0STUB",
            "team": {"id": "T0STUB", "domain": "stub"},
            "trigger_id": "view.stub.trigger",
            "view": {
                **view,
                "id": view_id,
                "state": {"values": values},
            },
        }

    @staticmethod
    def interaction_request(
        payload: dict[str, Any],
        secret: str = DEFAULT_SIGNING_SECRET,
        *,
        timestamp: int | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        """Body and headers of the request Slack sends with ``payload``, signed with
        ``secret`` at ``timestamp`` (now by default)."""
        body = urlencode({"payload": json.dumps(payload)}).encode()
        ts = str(int(time.time()) if timestamp is None else timestamp)
        return body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sign(secret, ts, body),
        }

    def send_interaction(
        self,
        url: str,
        payload: dict[str, Any],
        secret: str = DEFAULT_SIGNING_SECRET,
        *,
        timestamp: int | None = None,
    ) -> tuple[int, str]:
        """Post a signed interaction to ``url`` as Slack does; (status, body) of the answer."""
        body, headers = self.interaction_request(payload, secret, timestamp=timestamp)
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


def _find_element(
    blocks: list[dict[str, Any]], action_id: str, pitfall: str | None, campaign: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    for block in blocks:
        if block.get("type") != "actions":
            continue
        block_id = str(block.get("block_id") or "")
        if pitfall and f'"p":"{pitfall}"' not in block_id:
            continue
        if campaign and f'"c":"{campaign}"' not in block_id:
            continue
        for element in block.get("elements") or ():
            if element.get("action_id") == action_id:
                return block, element
    raise LookupError(f"no {action_id} element for {pitfall or 'any pitfall'} in the message")
