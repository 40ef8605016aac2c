"""Finding the Slack connection for a channel, and keeping its secret out of every message.

Airflow is imported only when a connection is looked up, never when a DAG file imports this
package, so a scheduler without Slack configured parses the DAG fine. ``airflow.sdk.BaseHook``
works in both places this runs: inside a task (connections come from the API server, the
metadata database or a secrets backend) and from plain Python such as the ``run-night`` command
or tests (connections come from ``AIRFLOW_CONN_<ID>`` environment variables and any configured
secrets backend).

Connection conventions:

* ``<slack_conn_id>__<channel>`` (channel without ``#``, lower case, ``-`` and other
  punctuation as ``_``; e.g. ``slack_marketing_health__growth_emea``) is tried first, so each
  channel can have its own incoming webhook (a webhook always posts to the one channel it was
  created for).
* ``<slack_conn_id>`` (``MH_SLACK_CONN_ID``, default ``slack_marketing_health``) comes next: a
  bot-token connection (type ``slack``) posts to every owner channel; a webhook connection
  (type ``slackwebhook``) posts everything to its own channel.
"""

from __future__ import annotations

import re
from typing import Any

_NOT_ID_CHARS = re.compile(r"[^a-z0-9_]+")
_TOKEN = re.compile(r"xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")
_WEBHOOK_PATH = re.compile(r"(https?://[^\s'\"]*?)?/services/[^\s'\")]+")


class SlackConfigurationError(RuntimeError):
    """A Slack connection exists but cannot be used as configured."""


def channel_conn_id(base_conn_id: str, channel: str) -> str:
    """Per-channel connection id: ``slack_marketing_health__growth_emea`` for ``#growth-emea``."""
    slug = _NOT_ID_CHARS.sub("_", channel.lstrip("#").lower()).strip("_")
    return f"{base_conn_id}__{slug}"


def _base_hook() -> Any:
    try:
        from airflow.sdk import BaseHook
    except ImportError:  # Airflow 2 layout
        from airflow.hooks.base import BaseHook
    return BaseHook


def _not_found_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = []
    try:
        from airflow.sdk.exceptions import AirflowNotFoundException as SdkNotFound

        errors.append(SdkNotFound)
    except ImportError:
        pass
    try:
        from airflow.exceptions import AirflowNotFoundException

        errors.append(AirflowNotFoundException)
    except ImportError:
        pass
    return tuple(errors)


def lookup(conn_id: str) -> Any | None:
    """The Airflow connection, or None when it is not defined anywhere.

    Other failures (a secrets backend that cannot be reached) propagate: they must not be taken
    for "Slack is not configured", which would write the digest to a file instead of sending it.
    """
    base_hook = _base_hook()
    try:
        return base_hook.get_connection(conn_id)
    except _not_found_errors():
        return None


def secrets_of(conn: Any) -> tuple[str, ...]:
    """Values of a connection that must never appear in a log line or an error text."""
    values = [conn.password, conn.login]
    if conn.password and "://" not in conn.password and conn.host:
        values.append(f"{conn.host.rstrip('/')}/{conn.password.lstrip('/')}")
    return tuple(v for v in values if v and len(v) >= 4)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove known secrets and anything shaped like a Slack token or webhook path."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _TOKEN.sub("***", text)
    return _WEBHOOK_PATH.sub("[webhook url hidden]", text)
