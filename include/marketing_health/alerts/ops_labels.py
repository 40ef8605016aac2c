"""The ops digest's part on labelled alerts: what people called expected or not a problem in the
last 90 days, per guard and brand, and the override that would have avoided them.

Whoever runs the pipeline owns ``config/guard_overrides.yaml``; this tells them where the
rules disagree with the teams and hands them the entry to paste. The counts and entries come
from :mod:`marketing_health.alerts.labels`; labels given since the night before make the part
news (the digest is sent for them), older ones are repeated on nights the digest is sent anyway.
"""

from __future__ import annotations

from marketing_health.alerts.blocks import Chunk, Group, escape, section_blocks
from marketing_health.alerts.labels import GuardLabels, LabelSummary, ScopeLabels
from marketing_health.catalogue import load_catalogue
from marketing_health.i18n import Translator

#: Guards and, per guard, brands listed; the rest are counted.
GUARDS_LISTED = 5
SCOPES_LISTED = 3


def _title(guard_id: str, t: Translator) -> str:
    try:
        return f"{guard_id} {t.translate(load_catalogue()[guard_id].title)}"
    except KeyError:
        return guard_id


def _scope_line(scope: ScopeLabels, t: Translator) -> tuple[str, str]:
    where = escape(scope.brand) if scope.brand else escape(", ".join(scope.campaigns))
    said = t.gettext(
        "{where}: {expected} expected, {not_a_problem} not a problem",
        where=where,
        expected=scope.expected,
        not_a_problem=scope.not_a_problem,
    )
    if not scope.suggestions:
        return f"• {said}", f"- {said}"
    entries = " ".join(f"`{escape(s.yaml)}`" for s in scope.suggestions)
    plain = " ".join(escape(s.yaml) for s in scope.suggestions)
    if all(s.kind == "threshold" for s in scope.suggestions):
        how = t.gettext("would have let them pass:")
    else:
        how = t.gettext("no value to set a threshold from; as info:")
    return f"• {said} · {how} {entries}", f"- {said} · {how} {plain}"


def _guard_chunk(guard: GuardLabels, t: Translator) -> Chunk:
    head = t.ngettext(
        "{guard}: {n} alert labelled",
        "{guard}: {n} alerts labelled",
        guard.total,
        guard=escape(_title(guard.guard_id, t)),
    )
    lines = [_scope_line(s, t) for s in guard.scopes[:SCOPES_LISTED]]
    more = len(guard.scopes) - SCOPES_LISTED
    if more > 0:
        extra = t.ngettext("and {n} more brand", "and {n} more brands", more)
        lines.append((f"• {extra}", f"- {extra}"))
    mrkdwn = f"*{head}*\n" + "\n".join(m for m, _ in lines)
    plain = f"{head}\n" + "\n".join(p for _, p in lines)
    return Chunk(tuple(section_blocks(mrkdwn)), plain)


def labels_group(labels: LabelSummary, t: Translator) -> Group:
    """The part of the ops digest on labelled alerts."""
    heading = t.gettext("Alerts people labelled in the last 90 days")
    intro = t.gettext(
        "Marked expected or not a problem from Slack or the Marketing health pages. Where a "
        "rule keeps raising alerts a team calls wrong, the entry for config/guard_overrides.yaml "
        "that would have avoided them follows; paste it if the team agrees."
    )
    chunks = [Chunk(tuple(section_blocks(f"*{heading}*\n{intro}")), f"{heading}\n{intro}")]
    chunks += [_guard_chunk(g, t) for g in labels.guards[:GUARDS_LISTED]]
    more = len(labels.guards) - GUARDS_LISTED
    if more > 0:
        said = t.ngettext(
            "{n} more guard with labels: see the health report.",
            "{n} more guards with labels: see the health report.",
            more,
        )
        chunks.append(Chunk(tuple(section_blocks(said)), said))
    return Group(tuple(chunks))
