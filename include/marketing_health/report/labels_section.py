"""The report's section on labelled alerts: what people called expected or not a problem in the
last 90 days, per pitfall check and brand, with the override that would have avoided them.

The numbers and entries come from :mod:`marketing_health.alerts.labels`; this module only says
them in the reader's language. The override entries are YAML for
``config/guard_overrides.yaml`` and stay as written: brand names and campaign ids are data.
"""

from __future__ import annotations

from html import escape

from marketing_health.alerts.labels import LabelSummary, ScopeLabels
from marketing_health.catalogue import Catalogue
from marketing_health.i18n import Translator

#: Campaigns named per row before the rest are counted.
_NAMED = 3


def _title(catalogue: Catalogue, guard_id: str, t: Translator) -> str:
    try:
        return f"{guard_id} {t.translate(catalogue[guard_id].title)}"
    except KeyError:
        return guard_id


def _campaigns(scope: ScopeLabels, names: dict[str, str], t: Translator) -> str:
    shown = [names.get(c, c) for c in scope.campaigns[:_NAMED]]
    extra = len(scope.campaigns) - _NAMED
    if extra > 0:
        shown.append(t.ngettext("{n} more campaign", "{n} more campaigns", extra))
    return t.list(shown)


def _override(scope: ScopeLabels, t: Translator) -> str:
    if not scope.suggestions:
        return escape(
            t.gettext(
                "No single brand or campaign covers these alerts: set the plan's brand to get an "
                "entry."
            )
        )
    kinds = {s.kind for s in scope.suggestions}
    lead = (
        t.gettext("Would have let these values pass:")
        if kinds == {"threshold"}
        else t.gettext("Nothing was measured to set a threshold from; to hear of them as info:")
    )
    entries = "\n".join(escape(s.yaml) for s in scope.suggestions)
    return f'<p class="how">{escape(lead)}</p><pre><code>{entries}</code></pre>'


def labels_section(labels: LabelSummary, catalogue: Catalogue, t: Translator) -> str:
    """The section, or nothing when no alert was labelled in the window."""
    if not labels:
        return ""
    names = dict(labels.campaign_names)
    rows = []
    for guard in labels.guards:
        title = escape(_title(catalogue, guard.guard_id, t))
        total = escape(t.ngettext("{n} label", "{n} labels", guard.total))
        for i, scope in enumerate(guard.scopes):
            first = (
                f'<th scope="rowgroup" rowspan="{len(guard.scopes)}">{title}'
                f'<span class="total">{total}</span></th>'
                if i == 0
                else ""
            )
            brand = (
                escape(scope.brand) if scope.brand else escape(t.gettext("no brand in the plan"))
            )
            rows.append(
                f"<tr>{first}<td>{brand}</td>"
                f'<td class="num">{escape(t.integer(scope.expected))}</td>'
                f'<td class="num">{escape(t.integer(scope.not_a_problem))}</td>'
                f"<td>{escape(_campaigns(scope, names, t))}</td>"
                f'<td class="override">{_override(scope, t)}</td></tr>'
            )
    headers = (
        t.gettext("Pitfall check"),
        t.gettext("Brand"),
        t.gettext("Expected"),
        t.gettext("Not a problem"),
        t.gettext("Campaigns"),
        t.gettext("Override that would have avoided them"),
    )
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    heading = escape(t.gettext("Alerts people labelled in the last 90 days"))
    lead = escape(
        t.gettext(
            "Alerts marked expected or not a problem, from Slack or these pages, between {since} "
            "and {until}. When a rule keeps raising alerts a team calls wrong, the entry shows "
            "the override of config/guard_overrides.yaml that would have avoided them: paste "
            "it there if the team agrees the rule is too strict for that brand.",
            since=t.date(labels.since, "medium"),
            until=t.date(labels.until, "medium"),
        )
    )
    return (
        f'<section id="labels"><h2>{heading}</h2><p class="lead">{lead}</p>'
        f'<table class="plain labels"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )
