"""The words and layout of a digest: what a marketer sees in Slack and in the notification.

Every value from the warehouse passes through :func:`escape`; only the fixed wording here, the
``*bold*`` around it, the report link and the team mentions of the alerting file (IDs checked
when the file is read) are trusted markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from marketing_health.alerts.blocks import (
    Chunk,
    Group,
    SlackMessage,
    assemble,
    context_block,
    divider_block,
    escape,
    link_context_block,
    pack,
    section_blocks,
)

if TYPE_CHECKING:
    from marketing_health.alerts.digest import CampaignFindings, Finding, Resolved

MARKERS = {
    "critical": ":red_circle:",
    "warning": ":large_orange_circle:",
    "info": ":large_blue_circle:",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EN_DASH = "\u2013"


def human_date(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def header_text(day: str, campaigns: Sequence[CampaignFindings], escalation: bool = False) -> str:
    """One line that tells the night at a glance: how many campaigns, what is new, what is fixed."""
    if escalation:
        pitfalls = sum(len(c.findings) for c in campaigns)
        return (
            f"Escalated {EN_DASH} {human_date(day)}: "
            + _plural(pitfalls, "pitfall has", "pitfalls have")
            + " been failing for too long"
        )
    findings = [f for c in campaigns for f in c.findings]
    attention = sum(1 for c in campaigns if c.findings)
    said = []
    if attention:
        said.append(_plural(attention, "campaign needs", "campaigns need") + " attention")
    counts = {
        "new": sum(1 for f in findings if f.change == "new"),
        "worse": sum(1 for f in findings if f.change == "worse"),
        "resolved": sum(len(c.resolved) for c in campaigns),
    }
    said.extend(f"{n} {word}" for word, n in counts.items() if n)
    return f"Marketing health {EN_DASH} {human_date(day)}: " + " · ".join(said or ["all clear"])


def streak_text(f: Finding) -> str:
    """Where the pitfall stands: new tonight, worse, or failing night after night."""
    if f.is_new or f.failing_since is None:
        text = "new tonight"
    else:
        nights = _plural(f.nights_failing, "night", "nights")
        text = f"failing since {human_date(f.failing_since)} ({nights})"
        if f.worse:
            text = "worse than last night · " + text
    if f.escalated:
        text += " · escalated"
    return text


def _finding_chunk(f: Finding, explain: bool) -> Chunk:
    """One pitfall of one campaign; ``explain`` adds why it matters (once per digest)."""
    label = f.severity.capitalize()
    title = f"{f.guard_id} {escape(f.title)}"
    streak = streak_text(f)
    seen, todo = escape(f.seen), escape(f.remediation)
    marker = MARKERS.get(f.severity, ":white_circle:")
    why = escape(f.explanation)
    why_md, why_plain = (
        (f"*Why it matters:* {why}\n", f"Why it matters: {why}\n") if explain else ("", "")
    )
    mrkdwn = (
        f"{marker} *{label} · {title}* · _{streak}_\n*Seen:* {seen}\n{why_md}*What to do:* {todo}"
    )
    plain = f"[{label}] {title} · {streak}\nSeen: {seen}\n{why_plain}What to do: {todo}"
    return Chunk(tuple(section_blocks(mrkdwn)), plain)


def _still_open_chunk(quiet: Sequence[Finding]) -> Chunk:
    """Persisting pitfalls not repeated tonight, one line each, so none is out of sight."""
    lines = [
        f"{f.guard_id} {escape(f.title)} ({f.severity}, failing since "
        f"{human_date(f.failing_since or '1970-01-01')}, "
        f"{_plural(f.nights_failing, 'night', 'nights')})"
        for f in quiet
    ]
    lead = "Still open, told before and not repeated tonight"
    mrkdwn = f":hourglass_flowing_sand: *{lead}:*\n" + "\n".join(f"• {line}" for line in lines)
    plain = f"{lead}:\n" + "\n".join(f"- {line}" for line in lines)
    return Chunk(tuple(section_blocks(mrkdwn)), plain)


def _resolved_chunk(resolved: Sequence[Resolved]) -> Chunk:
    lines = []
    for r in resolved:
        since = f" since {human_date(r.failing_since)}" if r.failing_since else ""
        nights = _plural(r.nights_failed, "night", "nights")
        lines.append(f"{r.guard_id} {escape(r.title)} (was failing{since}, {nights})")
    mrkdwn = ":white_check_mark: *Resolved tonight:*\n" + "\n".join(f"• {x}" for x in lines)
    plain = "Resolved tonight:\n" + "\n".join(f"- {x}" for x in lines)
    return Chunk(tuple(section_blocks(mrkdwn)), plain)


def _cannot_tell_chunk(lines: Sequence[str]) -> Chunk:
    """Guards that could not judge the campaign tonight: a quiet note, not an alert."""
    text = "\n".join(f":grey_question: {escape(line)}" for line in lines)
    plain = "\n".join(escape(line) for line in lines)
    return Chunk((context_block(text),), plain)


def _campaign_title(c: CampaignFindings) -> tuple[str, str]:
    name = escape(c.campaign_name)
    brand = f" ({escape(c.brand)})" if c.brand else ""
    mention = f"{c.mention} " if c.mention else ""
    return f"{mention}*{name}*{brand}", f"{mention}{name}{brand}"


def _counts(findings: Sequence[Finding]) -> str:
    by_severity: dict[str, int] = {}
    for f in findings:
        by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
    detail = ", ".join(f"{n} {s}" for s, n in by_severity.items())
    return f"{_plural(len(findings), 'open pitfall', 'open pitfalls')} ({detail})"


def _campaign_group(c: CampaignFindings, explained: set[str]) -> Group:
    """A campaign's heading, findings and context; ``explained`` tracks pitfalls already told."""
    bold, plain = _campaign_title(c)
    team = escape(c.owner_team) if c.owner_team else "not named in the plan"
    context = f"Owner team: {team}"
    if c.findings:
        context += f" · {_counts(c.findings)}"
    context += f" · campaign id {escape(c.campaign_id)}"
    if not c.has_owner_channel:
        context += " · the plan names no Slack channel: add one so the team hears directly"
    chunks = [Chunk(tuple(section_blocks(bold)), plain)]
    for f in c.shown:
        chunks.append(_finding_chunk(f, f.guard_id not in explained))
        explained.add(f.guard_id)
    if c.quiet:
        chunks.append(_still_open_chunk(c.quiet))
    if c.resolved:
        chunks.append(_resolved_chunk(c.resolved))
    if c.cannot_tell:
        chunks.append(_cannot_tell_chunk(c.cannot_tell))
    chunks.append(Chunk((context_block(context),), context))
    chunks.append(Chunk((divider_block(),), ""))
    continued = Chunk(tuple(section_blocks(f"{bold}, continued")), f"{plain}, continued")
    return Group(tuple(chunks), continued)


def render_messages(
    day: str,
    channel: str,
    campaigns: Sequence[CampaignFindings],
    *,
    escalation: bool = False,
) -> list[SlackMessage]:
    """The digest as Slack messages: one, or several numbered parts when it is long."""
    from marketing_health.report.links import report_url

    explained: set[str] = set()
    groups = [_campaign_group(c, explained) for c in campaigns]
    parts = pack(groups)
    link = link_context_block(
        report_url(day), "Open the health report", f"charts and evidence for {human_date(day)}"
    )
    return assemble(channel, header_text(day, campaigns, escalation), parts, link)
