"""The words and layout of a digest: what a marketer sees in Slack and in the notification.

Every sentence is a message of the ``alerts`` catalogue, said in the channel's language by a
:class:`~marketing_health.i18n.Translator` (dates in its medium form, counts through
its plural rule); the pitfall's title, why it matters and what to do are the catalogue's texts,
translated as data. Every value from the warehouse passes through :func:`escape`; only the
fixed wording here, the ``*bold*`` around it, the report link and the team mentions of the
alerting file (IDs checked when the file is read) are trusted markup.

Each pitfall told in full carries its alert (campaign, pitfall, night) in its first block's id,
so the outbox can tell which message first announced it (threads), and, in an interactive
digest, the buttons to act on it (:mod:`marketing_health.alerts.action_blocks`); what people
did about it shows as one line (owner, why it is back, what keeps it quiet).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from marketing_health.alerts import action_blocks
from marketing_health.alerts.actions import alert_ref
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
from marketing_health.i18n import Translator, translator

if TYPE_CHECKING:
    from marketing_health.alerts.digest import CampaignFindings, Finding, Resolved

MARKERS = {
    "critical": ":red_circle:",
    "warning": ":large_orange_circle:",
    "info": ":large_blue_circle:",
}
#: How a date reads inside a digest line: "Nov 22, 2026", "2026年11月22日".
DATE_STYLE = "medium"
#: What separates the facts of one line ("new tonight · escalated"), in every language.
SEPARATOR = " · "


def day_text(day: str | date, t: Translator) -> str:
    """A night as a digest line writes it, in the locale's medium form."""
    return t.date(day, DATE_STYLE)


def severity_label(severity: str, t: Translator) -> str:
    """A severity as a finding's label: "Critical", "严重"."""
    if severity == "critical":
        return t.pgettext("severity label", "Critical")
    if severity == "warning":
        return t.pgettext("severity label", "Warning")
    if severity == "info":
        return t.pgettext("severity label", "Info")
    return severity.capitalize()


def severity_word(severity: str, t: Translator) -> str:
    """A severity inside a sentence: "critical", "严重"."""
    if severity == "critical":
        return t.pgettext("severity in a sentence", "critical")
    if severity == "warning":
        return t.pgettext("severity in a sentence", "warning")
    if severity == "info":
        return t.pgettext("severity in a sentence", "info")
    return severity


def header_text(
    day: str,
    campaigns: Sequence[CampaignFindings],
    escalation: bool = False,
    t: Translator | None = None,
) -> str:
    """One line that tells the night at a glance: how many campaigns, what is new, what is fixed."""
    t = t or translator()
    when = day_text(day, t)
    if escalation:
        pitfalls = sum(len(c.findings) for c in campaigns)
        return t.ngettext(
            "Escalated \u2013 {date}: {n} pitfall has been failing for too long",
            "Escalated \u2013 {date}: {n} pitfalls have been failing for too long",
            pitfalls,
            date=when,
        )
    findings = [f for c in campaigns for f in c.findings]
    attention = sum(1 for c in campaigns if c.findings)
    new = sum(1 for f in findings if f.change == "new")
    worse = sum(1 for f in findings if f.change == "worse")
    resolved = sum(len(c.resolved) for c in campaigns)
    said = []
    if attention:
        said.append(
            t.ngettext("{n} campaign needs attention", "{n} campaigns need attention", attention)
        )
    if new:
        # Translators: in the digest's title, how many pitfalls are new tonight ("4 new").
        said.append(t.npgettext("digest title", "{n} new", "{n} new", new))
    if worse:
        # Translators: in the digest's title, how many pitfalls got worse since last night.
        said.append(t.npgettext("digest title", "{n} worse", "{n} worse", worse))
    if resolved:
        # Translators: in the digest's title, how many pitfalls were fixed since last night.
        said.append(t.npgettext("digest title", "{n} resolved", "{n} resolved", resolved))
    summary = SEPARATOR.join(said) if said else t.gettext("all clear")
    return t.gettext("Marketing health \u2013 {date}: {summary}", date=when, summary=summary)


def streak_text(f: Finding, t: Translator | None = None) -> str:
    """Where the pitfall stands: new tonight, worse, or failing night after night."""
    t = t or translator()
    if f.is_new or f.failing_since is None:
        said = [t.gettext("new tonight")]
    else:
        since = t.ngettext(
            "failing since {date} ({n} night)",
            "failing since {date} ({n} nights)",
            f.nights_failing,
            date=day_text(f.failing_since, t),
        )
        said = [t.gettext("worse than last night"), since] if f.worse else [since]
    if f.escalated:
        said.append(t.gettext("escalated"))
    return SEPARATOR.join(said)


def _finding_chunk(
    f: Finding,
    explain: bool,
    t: Translator,
    campaign_id: str | None = None,
    day: str | None = None,
    interactive: bool = False,
) -> Chunk:
    """One pitfall of one campaign; ``explain`` adds why it matters (once per digest). With
    the campaign and the night, its first block names the alert, and ``interactive`` adds the
    buttons to act on it."""
    label = severity_label(f.severity, t)
    title = f"{f.guard_id} {escape(t.translate(f.title))}"
    streak = streak_text(f, t)
    seen, todo = escape(f.seen_in(t)), escape(t.translate(f.remediation))
    marker = MARKERS.get(f.severity, ":white_circle:")
    seen_label, todo_label = t.gettext("Seen:"), t.gettext("What to do:")
    why_md = why_plain = ""
    if explain:
        why, why_label = escape(t.translate(f.explanation)), t.gettext("Why it matters:")
        why_md, why_plain = f"*{why_label}* {why}\n", f"{why_label} {why}\n"
    mrkdwn = (
        f"{marker} *{label} · {title}* · _{streak}_\n"
        f"*{seen_label}* {seen}\n{why_md}*{todo_label}* {todo}"
    )
    plain = f"[{label}] {title} · {streak}\n{seen_label} {seen}\n{why_plain}{todo_label} {todo}"
    acted = action_blocks.triage_line(f.triage, t)
    if acted:
        mrkdwn, plain = f"{mrkdwn}\n:bust_in_silhouette: _{acted}_", f"{plain}\n{acted}"
    blocks = section_blocks(mrkdwn)
    ref = alert_ref(campaign_id, f.guard_id, day) if campaign_id and day else None
    if ref is not None:
        blocks[0] = {**blocks[0], "block_id": action_blocks.block_id(ref, t.tag, "f", 0)}
        if interactive:
            blocks.append(action_blocks.actions_block(ref, t))
    return Chunk(tuple(blocks), plain)


def _still_open_chunk(quiet: Sequence[Finding], t: Translator) -> Chunk:
    """Persisting pitfalls not repeated tonight, one line each, so none is out of sight."""
    lines = [
        t.ngettext(
            "{guard} {title} ({severity}, failing since {date}, {n} night)",
            "{guard} {title} ({severity}, failing since {date}, {n} nights)",
            f.nights_failing,
            guard=f.guard_id,
            title=escape(t.translate(f.title)),
            severity=severity_word(f.severity, t),
            date=day_text(f.failing_since or "1970-01-01", t),
        )
        + _still_open_note(f, t)
        for f in quiet
    ]
    lead = t.gettext("Still open, told before and not repeated tonight:")
    mrkdwn = f":hourglass_flowing_sand: *{lead}*\n" + "\n".join(f"• {line}" for line in lines)
    plain = f"{lead}\n" + "\n".join(f"- {line}" for line in lines)
    return Chunk(tuple(section_blocks(mrkdwn)), plain)


def _still_open_note(f: Finding, t: Translator) -> str:
    """What keeps a quiet pitfall quiet (a snooze, a label) or who owns it, after its line."""
    note = action_blocks.still_open_note(f.triage, t)
    return f"{SEPARATOR}{note}" if note else ""


def _resolved_line(r: Resolved, t: Translator) -> str:
    line = _resolved_words(r, t)
    if r.closed is not None:
        line += SEPARATOR + action_blocks.closed_text(r.closed, t)
    return line


def _resolved_words(r: Resolved, t: Translator) -> str:
    title = escape(t.translate(r.title))
    if r.failing_since:
        return t.ngettext(
            "{guard} {title} (was failing since {date}, {n} night)",
            "{guard} {title} (was failing since {date}, {n} nights)",
            r.nights_failed,
            guard=r.guard_id,
            title=title,
            date=day_text(r.failing_since, t),
        )
    return t.ngettext(
        "{guard} {title} (was failing for {n} night)",
        "{guard} {title} (was failing for {n} nights)",
        r.nights_failed,
        guard=r.guard_id,
        title=title,
    )


def _resolved_chunk(resolved: Sequence[Resolved], t: Translator) -> Chunk:
    lines = [_resolved_line(r, t) for r in resolved]
    lead = t.gettext("Resolved tonight:")
    mrkdwn = f":white_check_mark: *{lead}*\n" + "\n".join(f"• {x}" for x in lines)
    plain = f"{lead}\n" + "\n".join(f"- {x}" for x in lines)
    return Chunk(tuple(section_blocks(mrkdwn)), plain)


def _cannot_tell_chunk(lines: Sequence[str]) -> Chunk:
    """Guards that could not judge the campaign tonight: a quiet note, not an alert."""
    text = "\n".join(f":grey_question: {escape(line)}" for line in lines)
    plain = "\n".join(escape(line) for line in lines)
    return Chunk((context_block(text),), plain)


def _campaign_title(c: CampaignFindings, t: Translator) -> tuple[str, str]:
    """The campaign's heading, bold in Slack and plain, with the team's mention when due."""
    name = escape(c.campaign_name)
    mention = f"{c.mention} " if c.mention else ""
    if not c.brand:
        return f"{mention}*{name}*", f"{mention}{name}"
    brand = escape(c.brand)
    # Translators: a campaign's heading: the campaign's name and, in brackets, its brand.
    bold = t.gettext("{campaign} ({brand})", campaign=f"*{name}*", brand=brand)
    plain = t.gettext("{campaign} ({brand})", campaign=name, brand=brand)
    return mention + bold, mention + plain


def _counts(findings: Sequence[Finding], t: Translator) -> str:
    by_severity: dict[str, int] = {}
    for f in findings:
        by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
    detail = [
        # Translators: how many open pitfalls have one severity, e.g. "1 critical".
        t.pgettext("pitfalls of a severity", "{n} {severity}", n=n, severity=severity_word(s, t))
        for s, n in by_severity.items()
    ]
    return t.ngettext(
        "{n} open pitfall ({detail})",
        "{n} open pitfalls ({detail})",
        len(findings),
        # Translators: what separates the counts per severity ("1 critical, 1 warning").
        detail=t.pgettext("counts separator", ", ").join(detail),
    )


def _context(c: CampaignFindings, t: Translator) -> str:
    """The campaign's owner, open pitfalls, id and, when missing, the channel to add."""
    team = escape(c.owner_team) if c.owner_team else t.gettext("not named in the plan")
    said = [t.gettext("Owner team: {team}", team=team)]
    if c.findings:
        said.append(_counts(c.findings, t))
    said.append(t.gettext("campaign id {campaign_id}", campaign_id=escape(c.campaign_id)))
    if not c.has_owner_channel:
        said.append(
            t.gettext("the plan names no Slack channel: add one so the team hears directly")
        )
    return SEPARATOR.join(said)


def _campaign_group(
    c: CampaignFindings,
    explained: set[str],
    t: Translator,
    day: str | None = None,
    interactive: bool = False,
) -> Group:
    """A campaign's heading, findings and context; ``explained`` tracks pitfalls already told."""
    bold, plain = _campaign_title(c, t)
    context = _context(c, t)
    chunks = [Chunk(tuple(section_blocks(bold)), plain)]
    for f in c.shown:
        explain = f.guard_id not in explained
        chunks.append(_finding_chunk(f, explain, t, c.campaign_id, day, interactive))
        explained.add(f.guard_id)
    if c.quiet:
        chunks.append(_still_open_chunk(c.quiet, t))
    if c.resolved:
        chunks.append(_resolved_chunk(c.resolved, t))
    if c.cannot_tell:
        chunks.append(_cannot_tell_chunk(c.cannot_tell))
    chunks.append(Chunk((context_block(context),), context))
    chunks.append(Chunk((divider_block(),), ""))
    # Translators: heads a campaign again when its findings continue in the next message.
    continued_bold = t.gettext("{campaign}, continued", campaign=bold)
    continued_plain = t.gettext("{campaign}, continued", campaign=plain)
    continued = Chunk(tuple(section_blocks(continued_bold)), continued_plain)
    return Group(tuple(chunks), continued)


def render_messages(
    day: str,
    channel: str,
    campaigns: Sequence[CampaignFindings],
    *,
    escalation: bool = False,
    t: Translator | None = None,
    interactive: bool = False,
) -> list[SlackMessage]:
    """The digest as Slack messages in ``t``'s language (English when None): one, or several
    numbered parts when it is long. The report link opens the report in the same language.
    ``interactive`` puts the action buttons under each pitfall told in full."""
    from marketing_health.report.links import report_url

    t = t or translator()
    explained: set[str] = set()
    groups = [_campaign_group(c, explained, t, day, interactive) for c in campaigns]
    parts = pack(groups)
    url, label = report_url(day, language=t.tag), t.gettext("Open the health report")
    link = link_context_block(
        url,
        label,
        t.gettext("charts and evidence for {date}", date=day_text(day, t)),
        t.gettext("{label}: {value}", label=label, value=url),
    )
    return assemble(channel, header_text(day, campaigns, escalation, t), parts, link, t)
