"""The ops channel's nightly digest: what kept the pipeline from seeing everything tonight.

Marketers hear about campaigns; whoever runs the pipeline hears about the pipeline: a source
whose files are late or have never arrived (freshness, per ``config/alerting.yaml``), files
rejected and rows quarantined tonight, and guards that could not be evaluated. Each names what
was seen and what to do, and links to the Airflow run. It travels through the same outbox as the
marketers' digests (kind ``ops``, the ops Slack connection), so it is never lost or sent twice.
A night with nothing to say sends nothing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from marketing_health.alerts.blocks import (
    Chunk,
    Group,
    assemble,
    escape,
    link_context_block,
    pack,
    section_blocks,
)
from marketing_health.alerts.digest import Digest, normalise_channel, table_exists
from marketing_health.alerts.policy import AlertPolicy, load_policy
from marketing_health.alerts.render import EN_DASH, human_date
from marketing_health.catalogue import load_catalogue
from marketing_health.settings import ops_channel

log = logging.getLogger(__name__)

#: Statuses of the load ledger that mean a source's data for that delivery day is in.
_DELIVERED = ("loaded", "replaced", "duplicate")
#: Quarantine reasons listed per file; the rest are counted.
_REASONS_PER_FILE = 5


@dataclass(frozen=True)
class LateSource:
    source: str
    newest_delivery: str | None
    max_age_days: int
    days_behind: int | None

    @property
    def missing(self) -> bool:
        return self.newest_delivery is None


@dataclass(frozen=True)
class FileProblem:
    """A file rejected tonight, or one with rows quarantined."""

    source: str
    file_path: str
    rows_quarantined: int
    rejected: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unevaluated:
    """A guard that could not judge some campaigns (none listed: any campaign) tonight, and why."""

    guard_id: str
    title: str
    reason: str
    campaigns: tuple[str, ...]


@dataclass(frozen=True)
class OpsFindings:
    late: tuple[LateSource, ...]
    files: tuple[FileProblem, ...]
    unevaluated: tuple[Unevaluated, ...]

    def __bool__(self) -> bool:
        return bool(self.late or self.files or self.unevaluated)


def late_sources(con: Any, run_date: str, policy: AlertPolicy) -> tuple[LateSource, ...]:
    """Watched sources whose newest delivered day is too far behind the night judged."""
    if not policy.freshness:
        return ()
    newest: dict[str, Any] = {}
    if table_exists(con, "ops", "load_ledger"):
        rows = con.execute(
            f"""
            select source, max(delivery_day)::varchar
            from ops.load_ledger
            where status in {_DELIVERED!r}
            group by source
            """
        ).fetchall()
        newest = dict(rows)
    day = date.fromisoformat(run_date)
    late = []
    for source, max_age in sorted(policy.freshness.items()):
        delivered = newest.get(source)
        if delivered is None:
            late.append(LateSource(source, None, max_age, None))
            continue
        behind = (day - date.fromisoformat(delivered)).days
        if behind > max_age:
            late.append(LateSource(source, delivered, max_age, behind))
    return tuple(late)


def file_problems(con: Any, run_key: str) -> tuple[FileProblem, ...]:
    """Files processed by this run that were rejected or had rows quarantined."""
    if not table_exists(con, "ops", "load_ledger"):
        return ()
    reasons: dict[tuple[str, str], list[str]] = {}
    if table_exists(con, "ops", "quarantine"):
        for source, path, reason, n in con.execute(
            """
            select source, file_path, reason, count(*) as n
            from ops.quarantine
            where run_id = ?
            group by source, file_path, reason
            order by source, file_path, n desc, reason
            """,
            [run_key],
        ).fetchall():
            reasons.setdefault((source, path), []).append(f"{reason} ({n} row(s))")
    rows = con.execute(
        """
        select source, file_path, coalesce(rows_quarantined, 0), status = 'rejected', message
        from ops.load_ledger
        where run_id = ? and (status = 'rejected' or rows_quarantined > 0)
        order by source, file_path
        """,
        [run_key],
    ).fetchall()
    problems = []
    for source, path, quarantined, rejected, message in rows:
        listed = reasons.get((source, path), [])
        if rejected and message:
            listed = [message, *listed]
        extra = len(listed) - _REASONS_PER_FILE
        shown = listed[:_REASONS_PER_FILE] + ([f"and {extra} more reason(s)"] if extra > 0 else [])
        problems.append(FileProblem(source, path, int(quarantined), bool(rejected), tuple(shown)))
    return tuple(problems)


def _campaign_label(name: Any, campaign_id: Any, brand: Any) -> str | None:
    label = name or campaign_id
    if label is None or label == "*":
        return None
    return f"{label} ({brand})" if brand else str(label)


def unevaluated_guards(con: Any, run_date: str) -> tuple[Unevaluated, ...]:
    if not table_exists(con, "guards", "guard_results"):
        return ()
    join = table_exists(con, "marts", "dim_campaigns")
    sql = f"""
        select g.guard_id, g.summary, {"c.campaign_name, c.brand" if join else "null, null"},
               g.campaign_id
        from guards.guard_results as g
        {
        "left join (select campaign_id, min(campaign_name) as campaign_name, "
        "min(brand) as brand from marts.dim_campaigns group by campaign_id) as c "
        "on c.campaign_id = g.campaign_id"
        if join
        else ""
    }
        where g.run_date = ?::date and g.outcome = 'error'
    """
    catalogue = load_catalogue()
    grouped: dict[tuple[str, str], set[str]] = {}
    for gid, summary, name, brand, cid in con.execute(sql, [run_date]).fetchall():
        reason = (summary or "").strip() or "the guard stopped without a message"
        labels = grouped.setdefault((str(gid), reason), set())
        label = _campaign_label(name, cid, brand)
        if label:
            labels.add(label)
    items = []
    for (gid, reason), labels in sorted(grouped.items()):
        try:
            title = catalogue[gid].title
        except KeyError:
            title = f"Guard {gid}"
        items.append(Unevaluated(gid, title, reason, tuple(sorted(labels, key=str.casefold))))
    return tuple(items)


def collect(con: Any, run_date: str, run_key: str, policy: AlertPolicy) -> OpsFindings:
    return OpsFindings(
        late=late_sources(con, run_date, policy),
        files=file_problems(con, run_key),
        unevaluated=unevaluated_guards(con, run_date),
    )


def _late_group(late: tuple[LateSource, ...]) -> Group:
    heading = "Source files late or missing"
    chunks = [Chunk(tuple(section_blocks(f"*{heading}*")), heading)]
    for s in late:
        if s.missing:
            seen = f"*{escape(s.source)}*: no file has ever been delivered."
            todo = (
                f"Export it from the channel tool into the landing folder {escape(s.source)}/"
                "<delivery day>/, or stop watching it in config/alerting.yaml."
            )
        else:
            seen = (
                f"*{escape(s.source)}*: newest delivery is for "
                f"{human_date(str(s.newest_delivery))}, "
                f"{s.days_behind} day(s) behind (at most {s.max_age_days} expected)."
            )
            todo = (
                "Check the export schedule or the transfer into the landing zone; campaigns are "
                "judged on stale data until it arrives."
            )
        plain = f"{seen} What to do: {todo}".replace("*", "")
        chunks.append(Chunk(tuple(section_blocks(f"{seen}\n*What to do:* {todo}")), plain))
    return Group(tuple(chunks))


def _files_group(files: tuple[FileProblem, ...]) -> Group:
    heading = "Files rejected or rows quarantined tonight"
    chunks = [Chunk(tuple(section_blocks(f"*{heading}*")), heading)]
    for f in files:
        what = "rejected as a whole" if f.rejected else f"{f.rows_quarantined} row(s) quarantined"
        reasons = "\n".join(f"• {escape(r)}" for r in f.reasons)
        text = f"*{escape(f.source)}* `{escape(f.file_path)}`: {what}\n{reasons}"
        plain = f"{f.source} {f.file_path}: {what}\n" + "\n".join(f"- {r}" for r in f.reasons)
        chunks.append(Chunk(tuple(section_blocks(text)), escape(plain)))
    todo = (
        "The other rows and sources were loaded. Fix the export and deliver it again at the same "
        "path: the corrected file replaces the earlier one. Quarantined rows stay in "
        "ops.quarantine with file, row and column."
    )
    chunks.append(Chunk(tuple(section_blocks(f"*What to do:* {todo}")), f"What to do: {todo}"))
    return Group(tuple(chunks))


def _unevaluated_group(items: tuple[Unevaluated, ...]) -> Group:
    heading = "Guard checks that could not be evaluated"
    chunks = [Chunk(tuple(section_blocks(f"*{heading}*")), heading)]
    todo = (
        "These campaigns were not judged for this pitfall tonight. Look at the guard task's log; "
        "the next night judges them again."
    )
    for u in items:
        title = f"{u.guard_id} {escape(u.title)}"
        if u.campaigns:
            names = ", ".join(escape(n) for n in u.campaigns)
            lead = f"could not be evaluated for {len(u.campaigns)} campaign(s): {names}"
        else:
            lead = "could not be evaluated for any campaign"
        reason = escape(u.reason)
        mrkdwn = f":warning: *{title}* {lead}\n*What went wrong:* {reason}\n*What to do:* {todo}"
        plain = f"[Not evaluated] {title} {lead}\nWhat went wrong: {reason}\nWhat to do: {todo}"
        chunks.append(Chunk(tuple(section_blocks(mrkdwn)), plain))
    return Group(tuple(chunks))


def _header(day: str, found: OpsFindings) -> str:
    said = []
    if found.late:
        said.append(f"{len(found.late)} source(s) late or missing")
    if found.files:
        rows = sum(f.rows_quarantined for f in found.files)
        rejected = sum(1 for f in found.files if f.rejected)
        if rows:
            said.append(f"{rows} row(s) quarantined")
        if rejected:
            said.append(f"{rejected} file(s) rejected")
    if found.unevaluated:
        said.append(f"{len(found.unevaluated)} guard check(s) not evaluated")
    return f"Pipeline health {EN_DASH} {human_date(day)}: " + " · ".join(said)


def build_ops_digest(
    con: Any,
    run_date: str,
    run_key: str,
    run_url: str | None = None,
    *,
    policy: AlertPolicy | None = None,
) -> Digest | None:
    """The ops digest of the night, or None when the pipeline saw everything it expected.

    Args:
        con: an open warehouse connection.
        run_date: the business day judged.
        run_key: the run key stage and publish recorded in the load ledger and quarantine.
        run_url: the Airflow run's page, linked from the message (None outside Airflow).
    """
    policy = policy or load_policy()
    found = collect(con, run_date, run_key, policy)
    if not found:
        return None
    groups = []
    if found.late:
        groups.append(_late_group(found.late))
    if found.files:
        groups.append(_files_group(found.files))
    if found.unevaluated:
        groups.append(_unevaluated_group(found.unevaluated))
    link = link_context_block(run_url, "Open the Airflow run", "task logs") if run_url else None
    channel = normalise_channel(ops_channel()) or ops_channel()
    messages = assemble(channel, _header(run_date, found), pack(groups), link)
    log.info("Ops digest for %s: %s", run_date, json.dumps(_header(run_date, found)))
    return Digest(run_date, channel, (), tuple(messages), "ops")
