"""Sending what the outbox holds: to Slack when a connection is configured, to files when not.

A message that cannot be sent stays ``pending`` with the reason and the attempt count, and the
next run (the next night, or a manual re-run) tries again, oldest night first. Without any
Slack connection the pipeline still works on a laptop: each digest is written under the
night's run folder and printed to the log, and marked ``written``.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from marketing_health.alerts import outbox
from marketing_health.alerts.blocks import SlackMessage
from marketing_health.alerts.outbox import OutboxRow
from marketing_health.settings import Paths, slack_conn_id, slack_ops_conn_id

log = logging.getLogger(__name__)

#: Seconds one delivery run may spend waiting on rate limits and retries, all messages together.
DEFAULT_WAIT_BUDGET_SECONDS = 60.0
_UNSAFE_FILE_CHARS = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Delivery:
    alert_key: str
    run_date: str
    channel: str
    part: int
    status: str
    destination: str | None = None
    error: str | None = None


@dataclass
class DeliveryReport:
    """What one delivery run did with each pending message."""

    deliveries: list[Delivery] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for d in self.deliveries if d.status == status)

    @property
    def sent(self) -> int:
        return self._count("sent")

    @property
    def written(self) -> int:
        return self._count("written")

    @property
    def pending(self) -> int:
        return self._count("pending")

    def summary(self) -> str:
        text = (
            f"Slack digests: {self.sent} sent, {self.written} written to files, "
            f"{self.pending} still pending"
        )
        errors = sorted({f"{d.channel}: {d.error}" for d in self.deliveries if d.error})
        return text + "".join(f"\n  {e}" for e in errors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "written": self.written,
            "pending": self.pending,
            "deliveries": [asdict(d) for d in self.deliveries],
        }


def channel_file_stem(channel: str, kind: str = "digest") -> str:
    stem = _UNSAFE_FILE_CHARS.sub("_", channel.lstrip("#")).strip("_") or "channel"
    return stem if kind == "digest" else f"{kind}__{stem}"


def conn_id_for(kind: str) -> str:
    """The ops digest goes through the ops connection; marketers' digests through the main one."""
    return slack_ops_conn_id() if kind == "ops" else slack_conn_id()


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_digest_files(
    paths: Paths, run_date: str, channel: str, rows: Sequence[OutboxRow], kind: str = "digest"
) -> Path:
    """``<run_dir>/alerts/<channel>.json`` (Block Kit payloads) and ``.txt`` (readable text).

    Parts already written by an earlier, interrupted run are kept, so the files always hold
    every part written so far.
    """
    folder = paths.run_dir(run_date) / "alerts"
    folder.mkdir(parents=True, exist_ok=True)
    stem = channel_file_stem(channel, kind)
    json_path, txt_path = folder / f"{stem}.json", folder / f"{stem}.txt"
    messages: dict[int, dict[str, Any]] = {}
    if json_path.exists():
        try:
            messages = {m["part"]: m for m in json.loads(json_path.read_text("utf-8"))["messages"]}
        except (ValueError, KeyError, TypeError):
            messages = {}
    messages.update({row.part: row.message.payload() for row in rows})
    ordered = [messages[p] for p in sorted(messages)]
    document = {"channel": channel, "run_date": run_date, "messages": ordered}
    _write_atomic(json_path, json.dumps(document, ensure_ascii=False, indent=2))
    readable = [SlackMessage.from_payload(m).readable_text for m in ordered]
    _write_atomic(txt_path, "\n\n----\n\n".join(readable) + "\n")
    return json_path


class _Deliverer:
    """One delivery run: routes resolved once per channel, one retry budget for all messages."""

    def __init__(self, paths: Paths, con: Any, wait_budget_seconds: float, timeout: int) -> None:
        from marketing_health.alerts.retry import WaitBudget, retry_handlers

        self.paths, self.con, self.timeout = paths, con, timeout
        self.handlers = retry_handlers(WaitBudget(wait_budget_seconds))
        self.routes: dict[str, Any] = {}
        self.blocked: set[tuple[str, str, str, str | None]] = set()
        self.report = DeliveryReport()

    def route(self, kind: str, channel: str) -> Any:
        """The channel's Route, None (no Slack configured) or the exception that prevented it."""
        from marketing_health.alerts.slack import resolve_route

        key = f"{conn_id_for(kind)}|{channel}"
        if key not in self.routes:
            try:
                self.routes[key] = resolve_route(
                    conn_id_for(kind), channel, per_channel=kind != "ops"
                )
            except Exception as exc:
                self.routes[key] = exc
        return self.routes[key]

    def _failed(self, row: OutboxRow, error: str, destination: str | None) -> None:
        outbox.mark_failed(self.con, row.alert_key, error, destination)
        self.blocked.add((row.run_date, row.kind, row.channel, row.thread_ts))
        self.report.deliveries.append(
            Delivery(
                row.alert_key, row.run_date, row.channel, row.part, "pending", destination, error
            )
        )
        log.warning(
            "Digest for %s (%s, part %d of %d) not delivered, will retry next run: %s",
            row.channel,
            row.run_date,
            row.part,
            row.total_parts,
            error,
        )

    def send(self, row: OutboxRow, route: Any) -> None:
        from marketing_health.alerts.slack import describe_failure, post

        if (row.run_date, row.kind, row.channel, row.thread_ts) in self.blocked:
            self.report.deliveries.append(
                Delivery(
                    row.alert_key,
                    row.run_date,
                    row.channel,
                    row.part,
                    "pending",
                    error="held back so the parts arrive in order",
                )
            )
            return
        if isinstance(route, Exception):
            self._failed(row, describe_failure(route), None)
            return
        try:
            ts = post(
                route,
                row.message.text,
                list(row.message.blocks),
                self.handlers,
                self.timeout,
                thread_ts=row.thread_ts if route.kind == "bot" else None,
            )
        except Exception as exc:
            self._failed(row, describe_failure(exc, route.secrets), route.destination)
            return
        outbox.mark_delivered(self.con, row.alert_key, "sent", route.destination, ts)
        self.report.deliveries.append(
            Delivery(row.alert_key, row.run_date, row.channel, row.part, "sent", route.destination)
        )
        log.info(
            "Sent the %s digest for %s (part %d of %d) to %s",
            row.run_date,
            row.channel,
            row.part,
            row.total_parts,
            route.destination,
        )

    def write(self, run_date: str, kind: str, channel: str, rows: Sequence[OutboxRow]) -> None:
        path = write_digest_files(self.paths, run_date, channel, rows, kind)
        for row in rows:
            outbox.mark_delivered(self.con, row.alert_key, "written", str(path))
            self.report.deliveries.append(
                Delivery(row.alert_key, run_date, channel, row.part, "written", str(path))
            )
        text = "\n\n".join(r.message.readable_text for r in rows)
        log.info(
            "No Slack connection %r is configured: the %s digest for %s is in %s\n%s",
            conn_id_for(kind),
            run_date,
            channel,
            path,
            text,
        )


def deliver_pending(
    paths: Paths,
    con: Any,
    run_date: str | None = None,
    *,
    wait_budget_seconds: float = DEFAULT_WAIT_BUDGET_SECONDS,
    timeout_seconds: int = 10,
) -> DeliveryReport:
    """Deliver every pending outbox message (of ``run_date`` only, when given).

    Args:
        paths: where digests are written when no Slack connection is configured.
        con: an open, writable warehouse connection.
        run_date: restrict delivery to one night; by default earlier nights' leftovers go too.
        wait_budget_seconds: total time all retries of this run may spend waiting.
        timeout_seconds: how long one HTTP request to Slack may take.
    """
    rows = outbox.pending(con, run_date)
    deliverer = _Deliverer(paths, con, wait_budget_seconds, timeout_seconds)
    to_files: dict[tuple[str, str, str], list[OutboxRow]] = {}
    for row in rows:
        route = deliverer.route(row.kind, row.channel)
        if route is None:
            # a reply's file is named after its thread, so two threads' parts never mix
            kind = f"reply_{row.thread_ts}" if row.kind == "reply" and row.thread_ts else row.kind
            to_files.setdefault((row.run_date, kind, row.channel), []).append(row)
        else:
            deliverer.send(row, route)
    for (day, kind, channel), group in to_files.items():
        deliverer.write(day, kind, channel, group)
    return deliverer.report
