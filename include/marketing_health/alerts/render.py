"""The words and layout of a digest: what a marketer sees in Slack and in the notification.

Every value from the warehouse passes through :func:`escape`; only the fixed wording here and
the ``*bold*`` around it is trusted markup.
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
    pack,
    section_blocks,
)

if TYPE_CHECKING:
    from marketing_health.alerts.digest import CampaignFindings, Finding, Unevaluated

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


def header_text(day: str, campaigns: int, unevaluated: int) -> str:
    said = []
    if campaigns:
        said.append(_plural(campaigns, "campaign needs", "campaigns need") + " attention")
    if unevaluated:
        said.append(_plural(unevaluated, "check", "checks") + " could not be evaluated")
    return f"Marketing health {EN_DASH} {human_date(day)}: " + ", ".join(said or ["all clear"])


def streak_text(f: Finding) -> str:
    """Whether the pitfall showed up tonight or has been failing night after night."""
    if f.is_new or f.failing_since is None:
        return "new tonight"
    nights = _plural(f.nights_failing, "night", "nights")
    return f"failing since {human_date(f.failing_since)} ({nights})"


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


def _campaign_title(c: CampaignFindings) -> tuple[str, str]:
    name = escape(c.campaign_name)
    brand = f" ({escape(c.brand)})" if c.brand else ""
    return f"*{name}*{brand}", f"{name}{brand}"


def _counts(findings: Sequence[Finding]) -> str:
    by_severity: dict[str, int] = {}
    for f in findings:
        by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
    detail = ", ".join(f"{n} {s}" for s, n in by_severity.items())
    return f"{_plural(len(findings), 'pitfall', 'pitfalls')} ({detail})"


def _campaign_group(c: CampaignFindings, explained: set[str]) -> Group:
    """A campaign's heading, findings and context; ``explained`` tracks pitfalls already told."""
    bold, plain = _campaign_title(c)
    team = escape(c.owner_team) if c.owner_team else "not named in the plan"
    context = f"Owner team: {team} · {_counts(c.findings)} · campaign id {escape(c.campaign_id)}"
    if not c.has_owner_channel:
        context += " · the plan names no Slack channel: add one so the team hears directly"
    chunks = [Chunk(tuple(section_blocks(bold)), plain)]
    for f in c.findings:
        chunks.append(_finding_chunk(f, f.guard_id not in explained))
        explained.add(f.guard_id)
    chunks.append(Chunk((context_block(context),), context))
    chunks.append(Chunk((divider_block(),), ""))
    continued = Chunk(tuple(section_blocks(f"{bold}, continued")), f"{plain}, continued")
    return Group(tuple(chunks), continued)


def _unevaluated_chunk(u: Unevaluated) -> Chunk:
    names = ", ".join(escape(n) for n in u.campaigns)
    title = f"{u.guard_id} {escape(u.title)}"
    todo = (
        "These campaigns were not judged for this pitfall tonight. Ask the data team to look "
        "at the guard run; the next night judges them again."
    )
    if u.campaigns:
        count = _plural(len(u.campaigns), "campaign", "campaigns")
        lead = f"could not be evaluated for {count}: {names}"
    else:
        lead = "could not be evaluated for any campaign"
    mrkdwn = (
        f":warning: *{title}* {lead}\n*What went wrong:* {escape(u.reason)}\n*What to do:* {todo}"
    )
    plain = f"[Not evaluated] {title} {lead}\nWhat went wrong: {escape(u.reason)}\n"
    plain += f"What to do: {todo}"
    return Chunk(tuple(section_blocks(mrkdwn)), plain)


def _unevaluated_group(items: Sequence[Unevaluated]) -> Group:
    heading = "Guard checks that could not be evaluated"
    chunks = [Chunk(tuple(section_blocks(f"*{heading}*")), heading)]
    chunks.extend(_unevaluated_chunk(u) for u in items)
    continued = Chunk(tuple(section_blocks(f"*{heading}*, continued")), f"{heading}, continued")
    return Group(tuple(chunks), continued)


def render_messages(
    day: str,
    channel: str,
    campaigns: Sequence[CampaignFindings],
    unevaluated: Sequence[Unevaluated] = (),
) -> list[SlackMessage]:
    """The digest as Slack messages: one, or several numbered parts when it is long."""
    explained: set[str] = set()
    groups = [_campaign_group(c, explained) for c in campaigns]
    if unevaluated:
        groups.append(_unevaluated_group(unevaluated))
    parts = pack(groups)
    checks = sum(max(1, len(u.campaigns)) for u in unevaluated)
    return assemble(channel, header_text(day, len(campaigns), checks), parts)
