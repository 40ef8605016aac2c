"""The alert outbox: every Slack message is written to the warehouse before anyone tries to send it.

Queueing and sending are separate steps so a Slack outage never loses an alert (the row stays
``pending`` and the next run sends it) and a re-run never repeats one: a night's digest for a
channel is queued once, keyed by ``sha256(run_date|channel|part)`` (with the kind in front
for the escalation copy and the ops digest, which may share a channel with an owner digest).
If the guards are re-run after the digest was queued, the channel is not told again, even
when the findings changed; the warehouse and the report always show the latest results.

A message Slack accepted from a bot token keeps the ``ts`` Slack answered, so later news about
the pitfalls it told can be posted in its thread: such replies are kind ``reply`` with the
parent's ``thread_ts`` (:mod:`marketing_health.alerts.threads`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from marketing_health.alerts.blocks import SlackMessage

if TYPE_CHECKING:
    from marketing_health.alerts.digest import Digest

OUTBOX_TABLE = "alerts.outbox"
STATUSES = ("pending", "sent", "written")
#: What a message is: an owner channel's digest, a reply in the thread of an earlier digest
#: message, the escalation copy, or the ops digest.
KINDS = ("digest", "reply", "escalation", "ops")

_DDL = """
create table if not exists alerts.outbox (
    alert_key VARCHAR PRIMARY KEY,
    run_date DATE NOT NULL,
    channel VARCHAR NOT NULL,
    part INTEGER NOT NULL,
    total_parts INTEGER NOT NULL,
    payload JSON NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('pending', 'sent', 'written')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error VARCHAR,
    destination VARCHAR,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    kind VARCHAR NOT NULL DEFAULT 'digest'
)
"""


def utc_now() -> datetime:
    """Naive UTC, the convention of every timestamp column in the warehouse."""
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_outbox(con: Any) -> None:
    con.execute("create schema if not exists alerts")
    con.execute(_DDL)
    # warehouses created before messages had a kind, and before threads
    con.execute("alter table alerts.outbox add column if not exists kind VARCHAR DEFAULT 'digest'")
    con.execute("alter table alerts.outbox add column if not exists ts VARCHAR")
    con.execute("alter table alerts.outbox add column if not exists thread_ts VARCHAR")


def alert_key(
    run_date: str, channel: str, part: int, kind: str = "digest", thread_ts: str | None = None
) -> str:
    prefix = "" if kind == "digest" else f"{kind}|"
    thread = f"|{thread_ts}" if thread_ts else ""
    return hashlib.sha256(f"{prefix}{run_date}|{channel}|{part}{thread}".encode()).hexdigest()


def _day(run_date: str | date) -> str:
    return run_date if isinstance(run_date, str) else run_date.isoformat()


def queue_digests(con: Any, digests: Sequence[Digest], run_date: str | date) -> int:
    """Queue the night's messages; returns how many were new.

    A channel that already has messages of the same kind for this night is skipped as a whole,
    so a re-run that splits the digest differently cannot send a stray "part 3 of 3".
    """
    from marketing_health.alerts.threads import ensure_announcements, record_announcements

    day = _day(run_date)
    ensure_outbox(con)
    ensure_announcements(con)
    queued = 0
    now = utc_now()
    con.execute("begin transaction")
    try:
        for digest in digests:
            kind = digest.kind
            thread = getattr(digest, "thread_ts", None)
            exists = con.execute(
                "select count(*) from alerts.outbox "
                "where run_date = ?::date and channel = ? and kind = ? "
                "and coalesce(thread_ts, '') = ?",
                [day, digest.channel, kind, thread or ""],
            ).fetchone()[0]
            if exists:
                continue
            keys = []
            for message in digest.messages:
                key = alert_key(day, digest.channel, message.part, kind, thread)
                con.execute(
                    """
                    insert into alerts.outbox
                        (alert_key, run_date, channel, part, total_parts, payload, status,
                         attempts, created_at, kind, thread_ts)
                    values (?, ?::date, ?, ?, ?, ?::json, 'pending', 0, ?, ?, ?)
                    on conflict (alert_key) do nothing
                    """,
                    [
                        key,
                        day,
                        digest.channel,
                        message.part,
                        message.total_parts,
                        json.dumps(message.payload(), ensure_ascii=False),
                        now,
                        kind,
                        thread,
                    ],
                )
                keys.append((message.part, key))
                queued += 1
            record_announcements(con, digest, keys)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return queued


@dataclass(frozen=True)
class OutboxRow:
    alert_key: str
    run_date: str
    channel: str
    part: int
    total_parts: int
    attempts: int
    message: SlackMessage
    kind: str = "digest"
    #: A reply: the ts of the message whose thread it goes to.
    thread_ts: str | None = None


def pending(con: Any, run_date: str | date | None = None) -> list[OutboxRow]:
    """Messages still to deliver, oldest night first; ``run_date`` limits them to one night."""
    ensure_outbox(con)
    sql = """
        select alert_key, run_date::varchar, channel, part, total_parts, attempts,
               payload::varchar, kind, thread_ts
        from alerts.outbox
        where status = 'pending' and (?::date is null or run_date = ?::date)
        order by run_date, kind, channel, part
    """
    day = None if run_date is None else _day(run_date)
    rows = con.execute(sql, [day, day]).fetchall()
    return [
        OutboxRow(
            key,
            rd,
            ch,
            part,
            total,
            attempts,
            SlackMessage.from_payload(json.loads(p)),
            kind,
            thread_ts,
        )
        for key, rd, ch, part, total, attempts, p, kind, thread_ts in rows
    ]


def mark_delivered(
    con: Any, key: str, status: str, destination: str, ts: str | None = None
) -> None:
    """A message sent (with the ``ts`` Slack answered, for a bot token) or written to a file."""
    if status not in ("sent", "written"):
        raise ValueError(f"not a delivered status: {status!r}")
    con.execute(
        """
        update alerts.outbox
        set status = ?, destination = ?, sent_at = ?, attempts = attempts + 1, last_error = null,
            ts = ?
        where alert_key = ?
        """,
        [status, destination, utc_now(), ts, key],
    )


def mark_failed(con: Any, key: str, error: str, destination: str | None) -> None:
    con.execute(
        """
        update alerts.outbox
        set attempts = attempts + 1, last_error = ?, destination = coalesce(?, destination)
        where alert_key = ?
        """,
        [error, destination, key],
    )
