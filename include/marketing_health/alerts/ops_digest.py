"""The ops channel's nightly digest: what kept the pipeline from seeing everything tonight.

Marketers hear about campaigns; whoever runs the pipeline hears about the pipeline: a source
whose files are late or have never arrived (freshness, per ``config/alerting.yaml``), files
rejected and rows quarantined tonight, guards that could not be evaluated, and words the
vocabularies do not know (with the guard checks that could not tell because of them, and the
file entry that teaches each word). Each names what was seen and what to do, and links to the
Airflow run. It travels through the same outbox as the
marketers' digests (kind ``ops``, the ops Slack connection), so it is never lost or sent twice.
A night with nothing to say sends nothing.

Unknown words follow the quarantine's rule: a word is told in full on the night the first file
holding it is loaded. While it stays unknown it is one "still unknown" line on nights the digest
is sent anyway, and never the reason a digest is sent.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marketing_health.alerts.blocks import (
    Chunk,
    Group,
    Link,
    assemble,
    escape,
    link_context_block,
    pack,
    section_blocks,
)
from marketing_health.alerts.digest import Digest, normalise_channel, table_exists
from marketing_health.alerts.policy import AlertPolicy, load_policy
from marketing_health.alerts.render import EN_DASH, human_date
from marketing_health.alerts.unknown_terms import (
    CannotTell,
    UnknownTerm,
    UnknownTerms,
    how_to_add,
    load_unknown_terms,
)
from marketing_health.catalogue import load_catalogue
from marketing_health.settings import ops_channel

log = logging.getLogger(__name__)

#: Statuses of the load ledger that mean a source's data for that delivery day is in.
_DELIVERED = ("loaded", "replaced", "duplicate")
#: Quarantine reasons listed per file; the rest are counted.
_REASONS_PER_FILE = 5
#: Files, campaigns and still-unknown words named per line; the rest are counted.
_FILES_PER_TERM = 3
_CAMPAIGNS_PER_LINE = 5
_EARLIER_TERMS_NAMED = 10


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
    unknown: UnknownTerms = field(default_factory=lambda: UnknownTerms((), ()))
    #: campaign id -> "name (brand)", for the campaigns unknown words and guards name.
    campaign_labels: dict[str, str] | None = None

    def __bool__(self) -> bool:
        """News tonight; words told on earlier nights alone are not worth a message."""
        news = self.unknown.new or self.unknown.unmatched
        return bool(self.late or self.files or self.unevaluated or news)


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


def campaign_labels(con: Any, campaign_ids: set[str]) -> dict[str, str]:
    """campaign id -> "name (brand)" for the ids given, the id itself when the plan lacks it."""
    labels = {cid: cid for cid in campaign_ids}
    if campaign_ids and table_exists(con, "marts", "dim_campaigns"):
        rows = con.execute(
            "select campaign_id, min(campaign_name), min(brand) from marts.dim_campaigns "
            "group by campaign_id"
        ).fetchall()
        for cid, name, brand in rows:
            if str(cid) in labels:
                labels[str(cid)] = _campaign_label(name, cid, brand) or str(cid)
    return labels


def collect(con: Any, run_date: str, run_key: str, policy: AlertPolicy) -> OpsFindings:
    unknown = load_unknown_terms(con, run_date, run_key)
    ids = {c for t in unknown.terms for c in t.campaign_ids}
    ids |= {c.campaign_id for c in unknown.cannot_tell}
    return OpsFindings(
        late=late_sources(con, run_date, policy),
        files=file_problems(con, run_key),
        unevaluated=unevaluated_guards(con, run_date),
        unknown=unknown,
        campaign_labels=campaign_labels(con, ids),
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


def _some(items: list[str], limit: int, what: str) -> str:
    """The first ``limit`` items, comma-separated, and how many more there are."""
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more {what}" if len(items) > limit else "")


def _guard_title(guard_id: str) -> str:
    try:
        return f"{guard_id} {load_catalogue()[guard_id].title}"
    except KeyError:
        return f"Guard {guard_id}"


def _blinded_lines(blind: tuple[CannotTell, ...], labels: dict[str, str]) -> list[str]:
    """One escaped line per guard: which campaigns it could not judge."""
    by_guard: dict[str, list[str]] = {}
    for c in blind:
        by_guard.setdefault(c.guard_id, []).append(labels.get(c.campaign_id, c.campaign_id))
    lines = []
    for gid, names in sorted(by_guard.items()):
        names = sorted(set(names), key=str.casefold)
        who = _some([escape(n) for n in names], _CAMPAIGNS_PER_LINE, "campaign(s)")
        lines.append(f"{escape(_guard_title(gid))} for {len(names)} campaign(s): {who}")
    return lines


def _term_chunk(term: UnknownTerm, labels: dict[str, str]) -> Chunk:
    """One new word: what it should be, where it came from, what it blinds, how to add it."""
    word = escape(term.term)
    where = []
    for path in term.files[:_FILES_PER_TERM]:
        occ = [o for o in term.occurrences if o.file_path == path]
        columns = ", ".join(dict.fromkeys(f"{o.source}.{o.column_name}" for o in occ))
        where.append(f"`{escape(path)}` ({escape(columns)}, {sum(o.rows for o in occ)} row(s))")
    more = len(term.files) - _FILES_PER_TERM
    if more > 0:
        where.append(f"and {more} more file(s)")
    names = sorted((labels.get(c, c) for c in term.campaign_ids), key=str.casefold)
    campaigns = _some([escape(n) for n in names], _CAMPAIGNS_PER_LINE, "campaign(s)")
    blinded = _blinded_lines(term.cannot_tell, labels)
    what = f"{EN_DASH} an unknown {term.what}, {term.rows} row(s)"
    lines = [
        "Found in " + "; ".join(where),
        f"Campaigns ({len(names)}): {campaigns}" if names else "No campaign named in its rows",
    ]
    todo = escape(how_to_add(term))
    mrkdwn = "\n".join(
        [f":grey_question: *{word}* {what}", *lines, *(f"*Cannot tell:* {b}" for b in blinded)]
    )
    plain = "\n".join([f"[Unknown] {word} {what}", *lines])
    plain += "".join(f"\nCannot tell: {b}" for b in blinded)
    mrkdwn += f"\n*How to add it:* {todo}"
    plain += f"\nHow to add it: {todo}"
    if term.example:
        example = escape(term.example)
        mrkdwn += f"\n```\n{example}\n```"
        plain += f"\n{example}"
    return Chunk(tuple(section_blocks(mrkdwn)), plain)


def _earlier_chunk(earlier: tuple[UnknownTerm, ...], day: str) -> Chunk:
    """Words told on earlier nights and still unknown: one line, the report has them all."""
    from marketing_health.report.links import report_url

    named = [f"{escape(t.term)} ({t.what})" for t in earlier]
    blind = sum(len(t.cannot_tell) for t in earlier)
    lead = "Still unknown, told before"
    rest = f"{len(earlier)} word(s): " + _some(named, _EARLIER_TERMS_NAMED, "word(s)")
    checks = f" · {blind} guard check(s) cannot tell because of them" if blind else ""
    link = Link(report_url(day), "health report")
    mrkdwn = (
        f":hourglass_flowing_sand: *{lead}:* {rest}{checks} · every file and how to add each "
        f"word: <{link.safe_url}|{escape(link.label)}>"
    )
    plain = f"{lead}: {rest}{checks} · every file and how to add each word: {link.url}"
    return Chunk(tuple(section_blocks(mrkdwn)), plain)


def _unknown_group(found: OpsFindings, day: str) -> Group:
    unknown = found.unknown
    labels = found.campaign_labels or {}
    heading = "Words the vocabularies do not know"
    intro = (
        "Loaded as written, never quarantined; guards that depend on them cannot tell and say "
        "so instead of failing. Owners get no alert for them."
    )
    chunks = [Chunk(tuple(section_blocks(f"*{heading}*\n{intro}")), f"{heading}\n{intro}")]
    for term in unknown.new:
        chunks.append(_term_chunk(term, labels))
    if unknown.unmatched:
        words = sorted({w for c in unknown.unmatched for w in c.terms}, key=str.casefold)
        said = ", ".join(escape(w) for w in words) or "not named by the guard"
        where = "" if unknown.listed else " (marts.fct_unknown_terms is not built yet)"
        blinded = _blinded_lines(unknown.unmatched, labels)
        lead = f"Unknown word(s) {said}, not in the listing of unknown words{where}:"
        mrkdwn = "\n".join([lead, *(f"*Cannot tell:* {b}" for b in blinded)])
        plain = "\n".join([lead, *(f"Cannot tell: {b}" for b in blinded)])
        chunks.append(Chunk(tuple(section_blocks(mrkdwn)), plain))
    if unknown.earlier:
        chunks.append(_earlier_chunk(unknown.earlier, day))
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
    if found.unknown.new:
        said.append(f"{len(found.unknown.new)} new unknown word(s)")
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
    if found.unknown:
        groups.append(_unknown_group(found, run_date))
    link = link_context_block(run_url, "Open the Airflow run", "task logs") if run_url else None
    channel = normalise_channel(ops_channel()) or ops_channel()
    messages = assemble(channel, _header(run_date, found), pack(groups), link)
    log.info("Ops digest for %s: %s", run_date, json.dumps(_header(run_date, found)))
    return Digest(run_date, channel, (), tuple(messages), "ops")
