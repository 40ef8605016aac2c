"""A local stand-in for Slack: a real HTTP server that records what it is sent.

It answers the two ways the pipeline talks to Slack:

* incoming webhooks: ``POST /services/<T>/<B>/<token>`` -> ``200 ok``
* the Web API: ``POST /api/chat.postMessage`` -> ``{"ok": true, "channel": ..., "ts": ...}`` and
  ``POST /api/auth.test``; a wrong bot token gets ``{"ok": false, "error": "invalid_auth"}``.

Tests script trouble with :meth:`SlackStub.fail_next` (answer the next requests with 429 and a
Retry-After, or 500) and :meth:`SlackStub.stop` (nothing listens: "Slack is down");
:meth:`SlackStub.start` brings it back on the same port. ``webhook_connection`` and
``bot_connection`` build the ``AIRFLOW_CONN_<ID>`` JSON values that point Airflow's Slack hooks
at the stand-in.

    with SlackStub() as slack:
        monkeypatch.setenv(conn_env_var("slack_x"), slack.bot_connection())
        ...
        assert slack.posts()[0].channel == "#growth-emea"
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

DEFAULT_BOT_TOKEN = "xoxb-stub-0000-secret"
DEFAULT_WEBHOOK_PATH = "/services/T0000STUB/B0000STUB/stubwebhooksecret"


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


@dataclass
class _Script:
    status: int
    retry_after: int | None


@dataclass
class _State:
    token: str
    requests: list[RecordedRequest] = field(default_factory=list)
    script: list[_Script] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: int = 0


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
            return 200, "ok", "text/plain", {}
        if not api:
            return 404, "no_service", "text/plain", {}
        if self.headers.get("Authorization") != f"Bearer {self.state.token}":
            return 200, '{"ok": false, "error": "invalid_auth"}', "application/json", {}
        return 200, json.dumps(self._api_reply(ts)), "application/json", {}

    def _api_reply(self, ts: str) -> dict[str, Any]:
        method = self.path[len("/api/") :].split("?")[0]
        if method == "auth.test":
            return {"ok": True, "url": "https://stub.slack.test/", "team": "Stub", "user": "mh"}
        if method == "chat.postMessage":
            channel = (self._last_json or {}).get("channel")
            if not channel:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": channel, "ts": ts, "message": {"ts": ts}}
        return {"ok": False, "error": "unknown_method"}

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
        self._reply(status, body, ctype, extra)


class SlackStub:
    """A Slack stand-in on ``127.0.0.1`` and a free port, served from a background thread."""

    def __init__(self, token: str = DEFAULT_BOT_TOKEN) -> None:
        self._state = _State(token=token)
        self._server: _StubServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> SlackStub:
        """Listen (again); after :meth:`stop` the stand-in comes back on the same port."""
        if self._server is not None:
            return self
        self._server = _StubServer(("127.0.0.1", self._port), self._state)
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
        return f"http://127.0.0.1:{self._port}"

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
