"""Posting one message to Slack through Airflow's Slack provider.

Two kinds of Airflow connection can carry a message:

* ``slackwebhook`` (incoming webhook; password = the webhook URL, or host
  ``https://hooks.slack.com/services`` + password = the ``T…/B…/…`` token): posted with
  ``SlackWebhookHook.send``; lands in the channel the webhook was created for.
* ``slack`` (bot token ``xoxb-…`` in the password): posted with ``chat.postMessage`` to the
  digest's channel; the bot must be invited to it. The ``base_url`` extra points the client at
  another Slack API address (a proxy, or a local stand-in in tests).

The client gets a logger of its own at WARNING: slack_sdk logs the full request URL (for a
webhook, the secret) at INFO and DEBUG when it retries.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.error import URLError

from marketing_health.alerts.connections import (
    SlackConfigurationError,
    channel_conn_id,
    lookup,
    redact,
    secrets_of,
)

DEFAULT_TIMEOUT_SECONDS = 10
#: How SlackWebhookHook words a non-200 answer.
_WEBHOOK_ERROR = re.compile(r"Response body: '?(?P<body>.*?)'?, Status Code: (?P<status>\d+)")
WEBHOOK_TYPE = "slackwebhook"
BOT_TYPE = "slack"


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


_client_log = logging.getLogger("marketing_health.alerts.slack_client")
_client_log.setLevel(logging.WARNING)
_client_log.addFilter(_RedactingFilter())


@dataclass(frozen=True)
class Route:
    """Where a message goes: which connection, of which kind, to which channel."""

    kind: Literal["webhook", "bot"]
    conn_id: str
    channel: str
    secrets: tuple[str, ...] = field(default=(), repr=False)

    @property
    def destination(self) -> str:
        """What the outbox records: never the webhook URL or token, only the connection id."""
        if self.kind == "webhook":
            return f"slack webhook {self.conn_id}"
        return f"slack {self.channel} via {self.conn_id}"


def resolve_route(base_conn_id: str, channel: str, *, per_channel: bool = True) -> Route | None:
    """The first configured connection for the channel, or None when Slack is not configured."""
    candidates = [base_conn_id]
    if per_channel:
        candidates.insert(0, channel_conn_id(base_conn_id, channel))
    for conn_id in candidates:
        conn = lookup(conn_id)
        if conn is None:
            continue
        conn_type = (conn.conn_type or "").lower()
        if conn_type not in (WEBHOOK_TYPE, BOT_TYPE):
            raise SlackConfigurationError(
                f"Airflow connection {conn_id!r} has type {conn_type!r}; Slack alerts need type "
                f"{BOT_TYPE!r} (bot token) or {WEBHOOK_TYPE!r} (incoming webhook)"
            )
        if not conn.password:
            raise SlackConfigurationError(
                f"Airflow connection {conn_id!r} has no password: put the bot token or the "
                "webhook URL there"
            )
        kind: Literal["webhook", "bot"] = "webhook" if conn_type == WEBHOOK_TYPE else "bot"
        return Route(kind, conn_id, channel, secrets_of(conn))
    return None


def post(
    route: Route,
    text: str,
    blocks: list[dict[str, Any]] | None,
    handlers: list | None = None,
    timeout: int = DEFAULT_TIMEOUT_SECONDS,
    thread_ts: str | None = None,
) -> str | None:
    """Send one message; raises on any failure so the caller keeps it for later.

    Returns the message's ``ts`` (a bot token's ``chat.postMessage`` answers it; a webhook
    answers none). ``thread_ts`` posts it as a reply in that message's thread (bot token only:
    through a webhook it is posted in the channel, as before threads).
    """
    if route.kind == "webhook":
        from airflow.providers.slack.hooks.slack_webhook import SlackWebhookHook

        SlackWebhookHook(
            slack_webhook_conn_id=route.conn_id,
            timeout=timeout,
            retry_handlers=handlers,
            logger=_client_log,
        ).send(text=text, blocks=blocks, unfurl_links=False, unfurl_media=False)
        return None
    from airflow.providers.slack.hooks.slack import SlackHook

    client = SlackHook(
        slack_conn_id=route.conn_id, timeout=timeout, retry_handlers=handlers, logger=_client_log
    ).get_conn()
    thread = {"thread_ts": thread_ts} if thread_ts else {}
    answer = client.chat_postMessage(
        channel=route.channel,
        text=text,
        blocks=blocks,
        unfurl_links=False,
        unfurl_media=False,
        **thread,
    )
    ts = answer.get("ts") if hasattr(answer, "get") else None
    return None if ts is None else str(ts)


def _first_line(value: object) -> str:
    text = str(value).strip()
    return text.splitlines()[0] if text else ""


def describe_failure(exc: BaseException, secrets: tuple[str, ...] = ()) -> str:
    """A short, secret-free reason for the outbox and the log."""
    from slack_sdk.errors import SlackApiError

    if isinstance(exc, SlackApiError):
        response = exc.response
        status = getattr(response, "status_code", "?")
        data = getattr(response, "data", None)
        error = data.get("error") if isinstance(data, dict) else _first_line(data)[:200]
        text = f"Slack answered HTTP {status}: {error or 'no error code'}"
    elif isinstance(exc, URLError):
        text = f"Slack could not be reached: {exc.reason}"
    elif isinstance(exc, OSError | TimeoutError):
        text = f"Slack could not be reached: {exc}"
    elif isinstance(exc, SlackConfigurationError):
        text = str(exc)
    elif match := _WEBHOOK_ERROR.search(str(exc)):
        text = f"Slack answered HTTP {match['status']}: {match['body'][:200]}"
    else:
        text = f"{type(exc).__name__}: {_first_line(exc)}"
    return redact(text, secrets)[:500]
