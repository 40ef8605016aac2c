"""Threads: a pitfall's later news goes under the message that first announced it.

A channel's main view should hold only news: a pitfall new tonight, or one that got worse. A
persisting pitfall repeated on its repeat night, its escalation and its resolution are replies
in the thread of the digest message that first told it, so the story of one alert reads in one
place and the channel is not refilled night after night.

For that the outbox keeps, per message, the ``ts`` Slack answered when a bot token posted it
(``chat.postMessage`` returns it), and ``alerts.announcements`` which message first told each
failing streak (channel, campaign, pitfall, first night of the streak). An incoming webhook
answers no ``ts`` and a digest written to a file has none: a pitfall first told that way has no
thread, and its later news goes into the night's main message as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from marketing_health.alerts.action_blocks import ref_key, told_in
from marketing_health.alerts.actions import alert_ref

if TYPE_CHECKING:
    from marketing_health.alerts.digest import CampaignFindings, Digest

ANNOUNCEMENTS_TABLE = "alerts.announcements"

_DDL = f"""
create table if not exists {ANNOUNCEMENTS_TABLE} (
    channel VARCHAR NOT NULL,
    campaign_id VARCHAR NOT NULL,
    guard_id VARCHAR NOT NULL,
    failing_since DATE NOT NULL,
    alert_key VARCHAR NOT NULL,
    run_date DATE NOT NULL,
    PRIMARY KEY (channel, campaign_id, guard_id, failing_since)
)
"""

#: (campaign, pitfall, first night of its streak) -> the ts of the message that told it first.
Targets = dict[tuple[str, str, str], str]


def ensure_announcements(con: Any) -> None:
    con.execute("create schema if not exists alerts")
    con.execute(_DDL)


def thread_targets(con: Any, channel: str) -> Targets:
    """Streaks first told in ``channel`` by a message Slack gave a ts to."""
    from marketing_health.warehouse import table_exists

    if not (table_exists(con, "alerts", "announcements") and table_exists(con, "alerts", "outbox")):
        return {}
    rows = con.execute(
        f"""
        select a.campaign_id, a.guard_id, a.failing_since::varchar, o.ts
        from {ANNOUNCEMENTS_TABLE} as a
        join alerts.outbox as o on o.alert_key = a.alert_key
        where a.channel = ? and o.ts is not null and o.status = 'sent'
        """,
        [channel],
    ).fetchall()
    return {(str(c), str(g), str(s)): str(ts) for c, g, s, ts in rows}


def split(
    day: str, campaigns: Sequence[CampaignFindings], targets: Targets
) -> tuple[list[CampaignFindings], dict[str, list[CampaignFindings]]]:
    """The channel's campaigns for tonight's main message, and per thread (the ts of the
    message that first told them) what goes there as a reply.

    New and worse findings and the "still open" lines stay in the main message; a repeat, an
    escalation or a resolution of a streak with a thread goes to that thread.
    """
    main: list[CampaignFindings] = []
    threads: dict[str, list[CampaignFindings]] = {}
    for c in campaigns:
        kept, moved = [], {}
        for f in c.findings:
            ts = targets.get((c.campaign_id, f.guard_id, f.failing_since or day))
            if ts and f.shown and not f.is_new and not f.worse:
                moved.setdefault(ts, []).append(f)
            else:
                kept.append(f)
        kept_resolved, moved_resolved = [], {}
        for r in c.resolved:
            ts = targets.get((c.campaign_id, r.guard_id, r.failing_since or ""))
            if ts:
                moved_resolved.setdefault(ts, []).append(r)
            else:
                kept_resolved.append(r)
        for ts in dict.fromkeys([*moved, *moved_resolved]):
            reply = replace(
                c,
                findings=tuple(moved.get(ts, ())),
                resolved=tuple(moved_resolved.get(ts, ())),
                cannot_tell=(),
            )
            threads.setdefault(ts, []).append(reply)
        if kept or kept_resolved:
            main.append(replace(c, findings=tuple(kept), resolved=tuple(kept_resolved)))
    return main, threads


def record_announcements(con: Any, digest: Digest, keys: Iterable[tuple[int, str]]) -> None:
    """Remember which message of a channel's main digest first told each streak it shows.

    ``keys``: (part, alert_key) of the digest's messages as queued. The first message to tell a
    streak keeps it: a later one (a webhook post as before, say) never takes the thread over.
    """
    if digest.kind != "digest":
        return
    ensure_announcements(con)
    by_part = dict(keys)
    shown = {}
    for c in digest.campaigns:
        for f in c.shown:
            ref = alert_ref(c.campaign_id, f.guard_id, digest.run_date)
            if ref is not None:
                first = f.failing_since or digest.run_date
                shown[ref_key(ref)] = (c.campaign_id, f.guard_id, first)
    for message in digest.messages:
        key = by_part.get(message.part)
        if key is None:
            continue
        for told in told_in(message.blocks):
            if told not in shown:
                continue
            campaign_id, guard_id, first = shown[told]
            con.execute(
                f"""
                insert into {ANNOUNCEMENTS_TABLE}
                    (channel, campaign_id, guard_id, failing_since, alert_key, run_date)
                values (?, ?, ?, ?::date, ?, ?::date)
                on conflict do nothing
                """,
                [digest.channel, campaign_id, guard_id, first, key, digest.run_date],
            )
