"""The nightly health report: one self-contained HTML page a marketer opens from Slack or Airflow.

It answers, in this order: how many campaigns need attention tonight, which ones are getting
worse (health score and the two headline measures over time), which pitfalls each campaign is
in (a campaign x pitfall grid), and per campaign what was seen and what to do; then the words
in the exports no vocabulary knows, with the checks that could not tell because of them and
the file entry that teaches each word to the pipeline. The file carries
its own styles and server-drawn SVG charts and loads nothing from the network, so it opens from
a laptop, an e-mail attachment or the Airflow UI alike. Every value from the warehouse is
escaped: campaign names come from planning exports and are not trusted markup.

The report is written once per language the teams read (see
:mod:`marketing_health.report.languages`): every text goes through the translator, numbers
and dates in the locale's format, the catalogue's texts and the evidence sentences from their
own catalogues. Translated sentences are escaped as a whole; the little markup some carry
(a command in ``<code>``) is put in afterwards through :func:`rich`, never written by a
translator.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from marketing_health.alerts.digest import Finding, normalise_channel
from marketing_health.alerts.unknown_terms import CannotTell, UnknownTerm, how_to_add
from marketing_health.catalogue import Catalogue, load_catalogue
from marketing_health.catalogue.model import Guard
from marketing_health.guards.evidence import summary_from_evidence
from marketing_health.guards.results import CHECKS_EVIDENCE_KEY
from marketing_health.i18n import Translator, translator
from marketing_health.i18n.translator import SOURCE_LANGUAGE
from marketing_health.report.actions_page import marker
from marketing_health.report.charts import nights_chart, sparkline
from marketing_health.report.labels_section import labels_section
from marketing_health.report.languages import language_name, languages_in_use, unique_tags
from marketing_health.report.queries import (
    SOURCES,
    Campaign,
    CampaignHealth,
    GuardCell,
    ReportData,
    load_report_data,
)
from marketing_health.settings import Paths

#: File name of the report inside a night's run folder (in the default language).
REPORT_FILE = "health_report.html"
#: Marker where a server showing the report may add links to other nights; invisible in the file.
NIGHTS_SLOT = "<!-- other nights -->"
#: Markers around the language switcher, which a server showing the report replaces by links
#: of its own (the file links to the files beside it).
LANGUAGES_START = "<!-- languages -->"
LANGUAGES_END = "<!-- /languages -->"
#: The night's Great Expectations Data Docs, relative to its report file (a server showing the
#: report points the link at its own route instead).
DATA_DOCS_HREF = "gx/uncommitted/data_docs/local_site/index.html"
#: campaign_id of a guard result recording a guard that could not run for any campaign.
ALL_CAMPAIGNS = "*"

#: Files and campaigns named per unknown word before the rest fold into "and N more".
_LISTED = 5
#: Placeholder markers for markup inside a translated sentence (private-use characters).
_OPEN, _CLOSE = "\ue000", "\ue001"


def report_file_name(language: str | None = None) -> str:
    """``health_report.html`` for the default language (None), ``health_report.<tag>.html``
    for another one, so the files of one night sit side by side."""
    if language is None:
        return REPORT_FILE
    stem, suffix = REPORT_FILE.rsplit(".", 1)
    return f"{stem}.{language}.{suffix}"


@dataclass(frozen=True)
class CampaignView:
    """A campaign as the report lists it: who owns it, how it stands, what it fails."""

    campaign: Campaign
    health: CampaignHealth | None
    findings: tuple[Finding, ...]

    @property
    def needs_attention(self) -> bool:
        return bool(self.findings)

    @property
    def score(self) -> int | None:
        return self.health.health_score if self.health else None

    def sort_key(self) -> tuple[Any, ...]:
        """Worst first: lowest score, then most critical and most failed pitfalls."""
        worst = max((f.rank for f in self.findings), default=0)
        score = self.score if self.score is not None else 101
        name = self.campaign.name.casefold()
        return (score, -worst, -len(self.findings), name, self.campaign.campaign_id)

    def search_text(self) -> str:
        c = self.campaign
        return " ".join(x for x in (c.name, c.brand, c.owner_team, c.campaign_id) if x).lower()

    def row_attributes(self) -> str:
        return (
            f' data-find="{escape(self.search_text())}"'
            f' data-attention="{1 if self.needs_attention else 0}"'
            f' data-campaign-id="{escape(self.campaign.campaign_id)}"'
        )


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def slot(name: str) -> str:
    """A placeholder value standing for markup until the sentence around it is escaped
    (see :func:`rich`)."""
    return f"{_OPEN}{name}{_CLOSE}"


def rich(text: str, **markup: str) -> str:
    """A translated sentence escaped as a whole, then its marked placeholders replaced by the
    (already safe) markup given for them."""
    out = escape(text)
    for name, html in markup.items():
        out = out.replace(slot(name), html)
    return out


def _code(text: str) -> str:
    return f"<code>{_e(text)}</code>"


def _separator(t: Translator) -> str:
    """What the locale puts between the items of a long list: ``, `` or ``、``."""
    pattern = t.locale.list_patterns.get("standard", {}).get("middle", "{0}, {1}")
    return pattern.replace("{0}", "").replace("{1}", "")


def _measure(t: Translator, value: float | None) -> str:
    """A measure from 0 to 1 with two decimals, as the locale writes decimals."""
    return t.missing() if value is None else t.number(value, 2)


def _day(t: Translator, day: str) -> str:
    """A day as the report writes it everywhere: ``Nov 18, 2026``, ``2026年11月18日``."""
    return t.date(day, "medium")


def severity_label(t: Translator, severity: str | None) -> str:
    """A severity's name in the reader's language."""
    if severity == "critical":
        return t.pgettext("severity", "Critical")
    if severity == "warning":
        return t.pgettext("severity", "Warning")
    if severity == "info":
        return t.pgettext("severity", "Info")
    return (severity or "").capitalize()


def _severity_letter(t: Translator, severity: str) -> str:
    """The one character a grid cell shows for a severity (the legend explains it)."""
    if severity == "critical":
        # Translators: one character in the grid for a critical failure (the legend explains it)
        return t.pgettext("severity letter", "C")
    if severity == "warning":
        # Translators: one character in the grid for a warning failure
        return t.pgettext("severity letter", "W")
    if severity == "info":
        # Translators: one character in the grid for an info failure
        return t.pgettext("severity letter", "I")
    return severity[:1].upper()


def _delivery_status(t: Translator, status: str) -> str:
    """What happened to a Slack digest, as the outbox records it."""
    if status == "pending":
        return t.pgettext("Slack digest", "pending")
    if status == "sent":
        return t.pgettext("Slack digest", "sent")
    if status == "written":
        # Translators: no Slack connection is set, so the digest was written to a file
        return t.pgettext("Slack digest", "written to a file")
    return status


def _streak(t: Translator, f: Finding) -> str:
    """Where the pitfall stands: new tonight, or failing night after night."""
    if f.is_new or f.failing_since is None:
        return t.gettext("new tonight")
    return t.ngettext(
        "failing since {date} ({n} night)",
        "failing since {date} ({n} nights)",
        f.nights_failing,
        date=_day(t, f.failing_since),
    )


def _title(catalogue: Catalogue, guard_id: str, t: Translator) -> str:
    try:
        return t.translate(catalogue[guard_id].title)
    except KeyError:
        return guard_id


def _quotes_only_stored(guard: Guard, evidence: dict[str, Any]) -> bool:
    """Whether the stored evidence holds every column the summary quotes: a night stored
    before the summary changed cannot be written again, its English sentence is the truth."""
    stored = set(evidence)
    for check in evidence.get(CHECKS_EVIDENCE_KEY) or ():
        if isinstance(check, dict) and "column" in check:
            stored.add(str(check["column"]))
            declared = next((c for c in guard.checks if c.column == check["column"]), None)
            if declared is not None and declared.unknown and "unknown" in check:
                stored.add(declared.unknown)
    return guard.summary.columns() <= stored


def _seen(cell: GuardCell, catalogue: Catalogue, t: Translator) -> str:
    """The evidence sentence: as the night stored it (in English), or written again from the
    stored evidence in the reader's language."""
    stored = (cell.summary or "").strip()
    if t.locale.language != SOURCE_LANGUAGE and cell.evidence:
        try:
            guard = catalogue[cell.guard_id].guard
        except KeyError:
            guard = None
        if guard is not None and _quotes_only_stored(guard, cell.evidence):
            rendered = summary_from_evidence(guard, cell.evidence, t)
            if rendered:
                return rendered
    return stored or t.gettext("no evidence was recorded")


def _finding(cell: GuardCell, catalogue: Catalogue, t: Translator) -> Finding:
    severity = cell.severity or "warning"
    try:
        pitfall = catalogue[cell.guard_id]
        title = t.translate(pitfall.title)
        explanation, remediation = (
            t.translate(pitfall.explanation),
            t.translate(pitfall.remediation),
        )
    except KeyError:
        title, explanation, remediation = cell.guard_id, "", ""
    rank = catalogue.severities.get(severity, {}).get("rank", 0)
    new = cell.state in (None, "entered") or not cell.failing_since
    return Finding(
        guard_id=cell.guard_id,
        title=title,
        severity=severity,
        rank=rank,
        seen=_seen(cell, catalogue, t),
        explanation=explanation,
        remediation=remediation,
        failing_since=None if new else cell.failing_since,
        nights_failing=1 if new else int(cell.nights_failing or 1),
    )


def _campaign_views(data: ReportData, catalogue: Catalogue, t: Translator) -> list[CampaignView]:
    health = {h.campaign_id: h for h in data.health}
    findings: dict[str, list[Finding]] = {}
    judged = set(health)
    for cell in data.cells:
        if cell.campaign_id == ALL_CAMPAIGNS:
            continue
        judged.add(cell.campaign_id)
        if cell.outcome == "fail":
            findings.setdefault(cell.campaign_id, []).append(_finding(cell, catalogue, t))
    views = [
        CampaignView(
            data.campaign(cid),
            health.get(cid),
            tuple(
                sorted(
                    findings.get(cid, ()), key=lambda f: (-f.rank, -f.nights_failing, f.guard_id)
                )
            ),
        )
        for cid in judged
    ]
    return sorted(views, key=CampaignView.sort_key)


def _guard_ids(data: ReportData, catalogue: Catalogue) -> list[str]:
    """The catalogue's guarded pitfalls in catalogue order, then any other guard seen tonight."""
    ids = [p.id for p in catalogue.guarded]
    extra = sorted({c.guard_id for c in data.cells} - set(ids))
    return ids + extra


# ---------------------------------------------------------------- sections


def _tile(value: str, label: str, css: str = "") -> str:
    return f'<div class="tile {css}"><span class="num">{_e(value)}</span>{_e(label)}</div>'


def _headline(data: ReportData, views: Sequence[CampaignView], t: Translator) -> str:
    states = [c.state for c in data.cells if c.outcome == "fail"]
    has_states = data.has("marts.fct_guard_states")
    new = sum(1 for s in states if s in ("entered", None))
    persisting = sum(1 for s in states if s == "persisting")
    resolved = len(data.recoveries)
    unevaluated = sum(1 for c in data.cells if c.outcome == "error")
    attention = sum(1 for v in views if v.needs_attention)
    tiles = [
        _tile(
            t.integer(len(views)),
            t.ngettext("campaign judged", "campaigns judged", len(views)),
        ),
        _tile(
            t.integer(attention),
            t.ngettext("needs attention", "need attention", attention),
            "warn" if attention else "ok",
        ),
        _tile(
            t.integer(new),
            t.ngettext("pitfall new tonight", "pitfalls new tonight", new),
            "warn" if new else "",
        ),
        _tile(
            t.integer(persisting) if has_states else t.missing(),
            t.ngettext("pitfall persisting", "pitfalls persisting", persisting),
        ),
        _tile(
            t.integer(resolved) if has_states else t.missing(),
            t.ngettext("resolved tonight", "resolved tonight", resolved),
            "ok",
        ),
    ]
    if unevaluated:
        tiles.append(
            _tile(
                t.integer(unevaluated),
                t.ngettext("check not evaluated", "checks not evaluated", unevaluated),
                "warn",
            )
        )
    blind = sum(1 for c in data.cells if c.outcome == "cannot_tell")
    if blind:
        tiles.append(
            _tile(
                t.integer(blind),
                t.ngettext("check cannot tell", "checks cannot tell", blind),
                "unknown",
            )
        )
    words = len(data.unknown.terms)
    if words:
        tiles.append(
            _tile(t.integer(words), t.ngettext("unknown word", "unknown words", words), "unknown")
        )
    scores = sorted(v.score for v in views if v.score is not None)
    if scores:
        tiles.append(_tile(t.integer(scores[len(scores) // 2]), t.gettext("median health score")))
    label = _e(t.gettext("Tonight in numbers"))
    return f'<section class="tiles" aria-label="{label}">{"".join(tiles)}</section>'


def _missing_notice(data: ReportData, t: Translator) -> str:
    if not data.missing:
        return ""
    items = "".join(
        "<li>"
        + rich(
            t.gettext("{table}: {what} cannot be shown.", table=slot("table"), what=slot("what")),
            table=_code(table),
            what=_e(t.translate(SOURCES[table])),
        )
        + "</li>"
        for table in data.missing
    )
    heading = _e(t.gettext("Some data is not there yet"))
    lead = _e(
        t.gettext(
            "The warehouse does not hold every table this report reads, usually because this is "
            "the first night or a stage of the nightly run did not finish. The report shows what "
            "exists; run the nightly pipeline again to fill in the rest."
        )
    )
    return (
        f'<section class="notice" role="note"><h2>{heading}</h2><p>{lead}</p>'
        f"<ul>{items}</ul></section>"
    )


def _filters(t: Translator) -> str:
    find = _e(t.gettext("Find a campaign, brand or team"))
    # Translators: an example of what to type in the search box (a campaign name)
    example = _e(t.gettext("e.g. Run the City"))
    only = _e(t.gettext("only campaigns needing attention"))
    return (
        '<div class="filters" role="search">'
        f'<label>{find} <input id="find" type="search" autocomplete="off" '
        f'placeholder="{example}"></label>'
        f'<label><input id="attention" type="checkbox"> {only}</label>'
        "</div>"
    )


def _change(h: CampaignHealth | None, t: Translator) -> str:
    if h is None or h.health_score is None or h.previous_score is None:
        return ""
    delta = h.health_score - h.previous_score
    if delta == 0:
        same = _e(t.gettext("unchanged since the run before"))
        return f'<span class="delta same" title="{same}">=</span>'
    css, arrow, sign = ("up", "\u25b2", "+") if delta > 0 else ("down", "\u25bc", "\u2212")
    change = f"{sign}{t.integer(abs(delta))}"
    words = _e(t.gettext("{change} since the run before", change=change))
    return f'<span class="delta {css}" title="{words}">{arrow}\u202f{t.integer(abs(delta))}</span>'


def _campaign_label(c: Campaign) -> str:
    owner = " · ".join(_e(x) for x in (c.brand, c.owner_team) if x)
    return (
        f'<span class="name" title="{_e(c.name)} ({_e(c.campaign_id)})">{_e(c.name)}</span>'
        f'<span class="owner">{owner}</span>'
    )


def _trend_row(view: CampaignView, data: ReportData, t: Translator) -> str:
    cid = view.campaign.campaign_id
    h = view.health
    score = t.missing() if view.score is None else t.integer(view.score)
    health = sparkline(
        data.health_series.get(cid, []),
        lo=0,
        hi=100,
        label=t.gettext("Health score"),
        fmt=t.integer,
        css_class="health",
        t=t,
    )
    integration = sparkline(
        data.integration_series.get(cid, []),
        lo=0,
        hi=1,
        label=t.gettext("Integration"),
        fmt=lambda v: _measure(t, v),
        css_class="integration",
        t=t,
    )
    coverage = sparkline(
        data.coverage_series.get(cid, []),
        lo=0,
        hi=1,
        label=t.gettext("KPI coverage"),
        fmt=lambda v: _measure(t, v),
        css_class="coverage",
        t=t,
    )
    return (
        f"<tr{view.row_attributes()}>"
        f'<th scope="row" class="campaign">{_campaign_label(view.campaign)}</th>'
        f'<td class="score" data-score="{_e(view.score)}">{_e(score)} {_change(h, t)}</td>'
        f"<td>{health}</td>"
        f'<td class="measure">{_measure(t, h.integration if h else None)}</td>'
        f"<td>{integration}</td>"
        f'<td class="measure">{_measure(t, h.kpi_coverage if h else None)}</td>'
        f"<td>{coverage}</td>"
        "</tr>"
    )


def _trends(data: ReportData, views: Sequence[CampaignView], t: Translator) -> str:
    if not views:
        return ""
    rows = "".join(_trend_row(v, data, t) for v in views)
    chart = nights_chart(data.nights, t=t)
    caption = _e(
        t.gettext("Campaigns needing attention (dark) out of those judged (light), night by night")
    )
    nights = (
        f'<figure class="nights"><figcaption>{caption}</figcaption>{chart}</figure>'
        if chart
        else ""
    )
    lead = _e(
        t.gettext(
            "Worst campaigns first. The health score (0-100) is the severity-weighted share of "
            "the pitfall checks a campaign passes, one point per night the pipeline ran. "
            "Integration (do the planned channels run together, tracked, with one message?) and "
            "KPI coverage (is the campaign measurable and on pace?) go from 0 = poor to "
            "1 = excellent, one point per day; the middle line marks half way."
        )
    )
    headers = (
        t.gettext("Campaign"),
        t.gettext("Health tonight"),
        t.gettext("Health, night by night"),
        t.gettext("Integration"),
        # Translators: column of the chart of the measure in the column before
        t.gettext("over time"),
        t.gettext("KPI coverage"),
        t.gettext("over time"),
    )
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    heading = _e(t.gettext("Health over time"))
    return (
        f'<section id="trends"><h2>{heading}</h2>'
        f'<p class="lead">{lead}</p>{nights}'
        f'<div class="scroll"><table class="trend"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div></section>"
    )


def _cell(
    cell: GuardCell | None,
    guard_id: str,
    title: str,
    catalogue: Catalogue,
    broken: bool,
    t: Translator,
    unknown_words: tuple[str, ...] = (),
) -> str:
    """One grid cell: colour and a letter say the same, the tooltip says it in words."""
    name = f"{guard_id} {title}"
    if cell is None:
        if broken:
            words = t.gettext("{pitfall}: could not be evaluated", pitfall=name)
            return f'<td class="k-error" title="{_e(words)}">?</td>'
        words = t.gettext("{pitfall}: no result tonight", pitfall=name)
        return f'<td class="k-none" title="{_e(words)}"></td>'
    recovered = cell.state == "recovered"
    if cell.outcome == "pass":
        if recovered:
            words = t.gettext("{pitfall}: passes, resolved tonight", pitfall=guard_id)
            return f'<td class="k-pass" title="{_e(words)}">\u2713</td>'
        words = t.gettext("{pitfall}: passes", pitfall=guard_id)
        return f'<td class="k-pass" title="{_e(words)}"></td>'
    if cell.outcome == "not_applicable":
        if recovered:
            words = t.gettext("{pitfall}: nothing to judge, resolved tonight", pitfall=name)
        else:
            words = t.gettext("{pitfall}: nothing to judge", pitfall=name)
        return f'<td class="k-na" title="{_e(words)}">\u2013</td>'
    if cell.outcome == "error":
        words = t.gettext(
            "{pitfall}: could not be evaluated. {reason}", pitfall=name, reason=cell.summary or ""
        )
        return f'<td class="k-error" title="{_e(words.strip())}">?</td>'
    if cell.outcome == "cannot_tell":
        seen = _seen(cell, catalogue, t) if cell.summary or cell.evidence else ""
        if unknown_words:
            words = t.ngettext(
                "{pitfall}: cannot tell, unknown word: {words}. {seen}",
                "{pitfall}: cannot tell, unknown words: {words}. {seen}",
                len(unknown_words),
                pitfall=name,
                words=t.list(unknown_words),
                seen=seen,
            )
        else:
            words = t.gettext("{pitfall}: cannot tell. {seen}", pitfall=name, seen=seen)
        return f'<td class="k-unknown" title="{_e(words.strip())}">~</td>'
    f = _finding(cell, catalogue, t)
    new = f.is_new
    words = t.gettext(
        "{pitfall}: {severity}, {streak}. Seen: {seen}",
        pitfall=name,
        severity=severity_label(t, f.severity),
        streak=_streak(t, f),
        seen=f.seen,
    )
    glyph = _severity_letter(t, f.severity) + ("+" if new else "")
    kind = "new" if new else "persisting"
    return f'<td class="k-fail s-{_e(f.severity)} {kind}" title="{_e(words)}">{_e(glyph)}</td>'


def _legend(t: Translator) -> str:
    letter = {s: _severity_letter(t, s) for s in ("critical", "warning", "info")}
    items = [
        ("k-pass", "", t.pgettext("legend", "passes")),
        ("k-pass", "\u2713", t.pgettext("legend", "passes, resolved tonight")),
        (
            "k-fail s-critical persisting",
            letter["critical"],
            t.pgettext("legend", "fails, critical"),
        ),
        ("k-fail s-warning persisting", letter["warning"], t.pgettext("legend", "fails, warning")),
        ("k-fail s-info persisting", letter["info"], t.pgettext("legend", "fails, info")),
        (
            "k-fail s-warning new",
            letter["warning"] + "+",
            t.pgettext("legend", "started failing tonight (framed)"),
        ),
        ("k-na", "\u2013", t.pgettext("legend", "nothing to judge")),
        ("k-error", "?", t.pgettext("legend", "could not be evaluated")),
        ("k-unknown", "~", t.pgettext("legend", "cannot tell: a word it depends on is unknown")),
    ]
    cells = "".join(
        f'<li><span class="swatch {css}" aria-hidden="true">{_e(glyph)}</span>{_e(words)}</li>'
        for css, glyph, words in items
    )
    label = _e(t.gettext("Legend"))
    return f'<ul class="legend" aria-label="{label}">{cells}</ul>'


def _heatmap(
    data: ReportData, views: Sequence[CampaignView], catalogue: Catalogue, t: Translator
) -> str:
    if not data.has("guards.guard_results"):
        return ""
    guard_ids = _guard_ids(data, catalogue)
    titles = {gid: _title(catalogue, gid, t) for gid in guard_ids}
    by_key = {(c.campaign_id, c.guard_id): c for c in data.cells}
    broken = {c.guard_id for c in data.cells if c.campaign_id == ALL_CAMPAIGNS}
    words = {(c.campaign_id, c.guard_id): c.terms for c in data.unknown.cannot_tell}
    head = "".join(
        f'<th scope="col" class="guard" title="{_e(gid)} {_e(titles[gid])}">{_e(gid)}</th>'
        for gid in guard_ids
    )
    rows = []
    for view in views:
        cid = view.campaign.campaign_id
        cells = "".join(
            _cell(
                by_key.get((cid, gid)),
                gid,
                titles[gid],
                catalogue,
                gid in broken,
                t,
                words.get((cid, gid), ()),
            )
            for gid in guard_ids
        )
        rows.append(
            f"<tr{view.row_attributes()}>"
            f'<th scope="row" class="campaign">{_campaign_label(view.campaign)}</th>{cells}</tr>'
        )
    if not rows:
        return ""
    key = "".join(f"<li><b>{_e(g)}</b> {_e(titles[g])}</li>" for g in guard_ids)
    heading = _e(t.gettext("Pitfalls by campaign on {date}", date=_day(t, data.as_of_date)))
    lead = _e(
        t.gettext(
            "One row per campaign, one column per pitfall check. Hover a cell for what was seen."
        )
    )
    campaign = _e(t.gettext("Campaign"))
    checks = _e(t.gettext("Pitfall checks"))
    return (
        f'<section id="grid"><h2>{heading}</h2><p class="lead">{lead}</p>{_legend(t)}'
        '<div class="scroll"><table class="heatmap"><thead><tr>'
        f'<th scope="col">{campaign}</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f'<details class="key"><summary>{checks}</summary>'
        f"<ul>{key}</ul></details></section>"
    )


def _finding_item(
    f: Finding, explained: set[str], t: Translator, campaign_id: str | None = None
) -> str:
    """One pitfall of a campaign; why it matters is told the first time the pitfall shows up.

    With the campaign, an invisible marker follows it where the Marketing health pages put the
    form to act on the alert (:mod:`marketing_health.report.actions_page`)."""
    why = ""
    if f.explanation and f.guard_id not in explained:
        why_label = _e(t.gettext("Why it matters"))
        why = f"<dt>{why_label}</dt><dd>{_e(f.explanation)}</dd>"
        explained.add(f.guard_id)
    todo_label = _e(t.gettext("What to do"))
    todo = f"<dt>{todo_label}</dt><dd>{_e(f.remediation)}</dd>" if f.remediation else ""
    seen_label = _e(t.gettext("Seen"))
    return (
        f'<li class="finding s-{_e(f.severity)}">'
        f'<p><span class="badge s-{_e(f.severity)}">{_e(severity_label(t, f.severity))}</span> '
        f"<strong>{_e(f.guard_id)} {_e(f.title)}</strong> · "
        f'<em class="{"new" if f.is_new else "since"}">{_e(_streak(t, f))}</em></p>'
        f"<dl><dt>{seen_label}</dt><dd>{_e(f.seen)}</dd>{why}{todo}</dl>"
        f"{marker(campaign_id, f.guard_id, f.failing_since) if campaign_id else ''}</li>"
    )


def _alert_card(view: CampaignView, explained: set[str], t: Translator) -> str:
    c = view.campaign
    channel = normalise_channel(c.owner_channel)
    score = t.missing() if view.score is None else t.integer(view.score)
    meta = [
        t.gettext("Owner team: {team}", team=c.owner_team)
        if c.owner_team
        else t.gettext("Owner team not named in the plan"),
        t.gettext("Slack: {channel}", channel=channel)
        if channel
        else t.gettext("The plan names no Slack channel"),
        t.gettext("health {score} / 100", score=score),
        t.gettext("campaign id {campaign_id}", campaign_id=c.campaign_id),
    ]
    brand = f' <span class="brand">{_e(c.brand)}</span>' if c.brand else ""
    items = "".join(_finding_item(f, explained, t, c.campaign_id) for f in view.findings)
    worst = _e(view.findings[0].severity) if view.findings else "info"
    return (
        f'<article class="alert-card worst-{worst}"{view.row_attributes()}>'
        f'<h3>{_e(c.name)}{brand}</h3><p class="meta">{" · ".join(_e(m) for m in meta)}</p>'
        f"<ul>{items}</ul></article>"
    )


def _history(t: Translator, failing_since: str | None, last_failed: str | None) -> str:
    """How a resolved pitfall had been failing, in one sentence."""
    if failing_since and last_failed:
        return t.gettext(
            "Failing since {since}, last failed {last}; passes tonight",
            since=_day(t, failing_since),
            last=_day(t, last_failed),
        )
    if failing_since:
        return t.gettext("Failing since {since}; passes tonight", since=_day(t, failing_since))
    if last_failed:
        return t.gettext("Last failed {last}; passes tonight", last=_day(t, last_failed))
    return t.gettext("Was failing; passes tonight")


def _resolved(data: ReportData, catalogue: Catalogue, t: Translator) -> str:
    if not data.recoveries:
        return ""
    rows = []
    for r in sorted(data.recoveries, key=lambda r: (data.campaign(r.campaign_id).name, r.guard_id)):
        c = data.campaign(r.campaign_id)
        rows.append(
            f'<tr data-find="{_e(c.name.lower())} {_e(c.campaign_id.lower())}" '
            f'data-attention="0"><th scope="row">{_e(c.name)}</th>'
            f"<td>{_e(r.guard_id)} {_e(_title(catalogue, r.guard_id, t))}</td>"
            f"<td>{_e(severity_label(t, r.severity))}</td>"
            f"<td>{_e(_history(t, r.failing_since, r.last_failed))}</td></tr>"
        )
    headers = (t.gettext("Campaign"), t.gettext("Pitfall"), t.gettext("Severity"))
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    heading = _e(t.gettext("Resolved tonight"))
    history = _e(t.gettext("History"))
    return (
        f'<section id="resolved"><h2>{heading}</h2>'
        f'<table class="plain"><thead><tr>{head}'
        f'<th scope="col">{history}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _unevaluated(data: ReportData, catalogue: Catalogue, t: Translator) -> str:
    errors = [c for c in data.cells if c.outcome == "error"]
    if not errors:
        return ""
    by_guard: dict[str, list[GuardCell]] = {}
    for c in errors:
        by_guard.setdefault(c.guard_id, []).append(c)
    items = []
    for gid in sorted(by_guard):
        cells = by_guard[gid]
        names = sorted(
            data.campaign(c.campaign_id).name for c in cells if c.campaign_id != ALL_CAMPAIGNS
        )
        reason = next((c.summary for c in cells if c.summary), None)
        reason = reason or t.gettext("no reason was recorded")
        pitfall = f"<strong>{_e(gid)} {_e(_title(catalogue, gid, t))}</strong>"
        if names:
            said = t.gettext(
                "{pitfall} could not judge {campaigns}.",
                pitfall=slot("pitfall"),
                campaigns=t.list(names),
            )
        else:
            said = t.gettext("{pitfall} could not judge any campaign.", pitfall=slot("pitfall"))
        why = _e(t.gettext("What went wrong: {reason}", reason=reason))
        items.append(f'<li>{rich(said, pitfall=pitfall)} <span class="reason">{why}</span></li>')
    heading = _e(t.gettext("Checks that could not be evaluated"))
    lead = _e(
        t.gettext(
            "These campaigns were not judged for these pitfalls tonight. The data team can see "
            "why in the guard stage of the run; the next night judges them again."
        )
    )
    return (
        f'<section id="unevaluated"><h2>{heading}</h2><p class="lead">{lead}</p>'
        f"<ul>{''.join(items)}</ul></section>"
    )


def _alerts(
    data: ReportData, views: Sequence[CampaignView], catalogue: Catalogue, t: Translator
) -> str:
    open_views = [v for v in views if v.needs_attention]
    if open_views:
        explained: set[str] = set()
        cards = "".join(_alert_card(v, explained, t) for v in open_views)
    elif data.has("guards.guard_results") and views:
        clear = _e(t.gettext("No campaign fails a pitfall check tonight."))
        cards = f'<p class="all-clear">{clear}</p>'
    else:
        none = _e(t.gettext("No pitfall results for this night."))
        cards = f'<p class="all-clear">{none}</p>'
    lead = _e(
        t.gettext(
            "Per campaign, worst first: each pitfall it is in, since when, what was seen and "
            "what to do."
        )
    )
    heading = _e(t.gettext("Open alerts"))
    return (
        f'<section id="alerts"><h2>{heading}</h2>'
        f'<p class="lead">{lead}</p>{cards}</section>'
        f"{_resolved(data, catalogue, t)}{_unevaluated(data, catalogue, t)}"
    )


def _folded(items: Sequence[str], more: Callable[[int], str], sep: str) -> str:
    """Escaped items, the first few shown and the rest behind ``more(n)`` ("and 3 more files")."""
    shown = sep.join(_e(i) for i in items[:_LISTED])
    if len(items) <= _LISTED:
        return shown
    rest = sep.join(_e(i) for i in items[_LISTED:])
    return f"{shown}<details><summary>{_e(more(len(items) - _LISTED))}</summary>{rest}</details>"


def _blind_guards(
    blind: Sequence[CannotTell], data: ReportData, catalogue: Catalogue, t: Translator
) -> str:
    """The guards that could not tell, each with the campaigns it could not judge."""
    by_guard: dict[str, set[str]] = {}
    for c in blind:
        by_guard.setdefault(c.guard_id, set()).add(data.campaign(c.campaign_id).name)
    items = []
    for gid in sorted(by_guard):
        names = sorted(by_guard[gid], key=str.casefold)
        who = _e(_separator(t)).join(_e(n) for n in names)
        if len(names) > 3:
            many = _e(t.ngettext("{n} campaign", "{n} campaigns", len(names)))
            who = f"<details><summary>{many}</summary>{who}</details>"
        items.append(f"<li><strong>{_e(gid)}</strong> {_e(_title(catalogue, gid, t))}: {who}</li>")
    return f'<ul class="blind">{"".join(items)}</ul>'


def _places(term: UnknownTerm, t: Translator) -> str:
    """Where the word was found: per source column, each file with its rows."""
    by_column: dict[str, list[str]] = {}
    for o in term.occurrences:
        by_column.setdefault(f"{o.source}.{o.column_name}", []).append(
            t.ngettext("{file} ({n} row)", "{file} ({n} rows)", o.rows, file=o.file_path)
        )

    def more(n: int) -> str:
        return t.ngettext("and {n} more file", "and {n} more files", n)

    return "".join(
        f"<p><code>{_e(column)}</code><br>{_folded(files, more, '<br>')}</p>"
        for column, files in by_column.items()
    )


def _unknown_row(term: UnknownTerm, data: ReportData, catalogue: Catalogue, t: Translator) -> str:
    """One word: what it is, where, for whom, what it blinds; then how to add it, full width."""
    names = sorted((data.campaign(c).name for c in term.campaign_ids), key=str.casefold)
    blind = (
        _blind_guards(term.cannot_tell, data, catalogue, t)
        if term.cannot_tell
        else _e(t.pgettext("guards", "none"))
    )
    example = term.example_in(t)
    example = f"<pre><code>{_e(example)}</code></pre>" if example else ""

    def more(n: int) -> str:
        return t.ngettext("and {n} more campaign", "and {n} more campaigns", n)

    campaigns = _folded(names, more, _e(_separator(t))) if names else _e(t.gettext("none named"))
    how = _e(t.gettext("How to add it:"))
    return (
        f'<tbody class="word" data-vocabulary="{_e(term.vocabulary)}"><tr>'
        f'<th scope="row" class="term">{_e(term.term)}</th>'
        f"<td>{_e(term.what_in(t))}</td>"
        f'<td class="rows">{_e(t.integer(term.rows))}</td>'
        f'<td class="files">{_places(term, t)}</td>'
        f"<td>{campaigns}</td>"
        f"<td>{blind}</td></tr>"
        f'<tr class="how"><td colspan="6"><strong>{how}</strong> '
        f"{_e(how_to_add(term, t))}{example}</td></tr></tbody>"
    )


def _unknown_terms(data: ReportData, catalogue: Catalogue, t: Translator) -> str:
    unknown = data.unknown
    if not unknown:
        return ""
    table = ""
    if unknown.terms:
        rows = "".join(_unknown_row(term, data, catalogue, t) for term in unknown.terms)
        headers = (
            t.gettext("Word"),
            t.gettext("Meant as"),
            t.gettext("Rows"),
            t.gettext("Found in"),
            t.gettext("Campaigns"),
            t.gettext("Guards that cannot tell"),
        )
        head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
        table = (
            '<div class="scroll"><table class="plain unknown">'
            f"<thead><tr>{head}</tr></thead>{rows}</table></div>"
        )
    unmatched = ""
    if unknown.unmatched:
        words = sorted({w for c in unknown.unmatched for w in c.terms}, key=str.casefold)
        if words:
            said = t.ngettext(
                "Guards that cannot tell because of a word not in the listing above ({words}):",
                "Guards that cannot tell because of words not in the listing above ({words}):",
                len(words),
                words=t.list(words),
            )
        else:
            said = t.gettext("Guards that cannot tell because of words the guard did not name:")
        unmatched = (
            f'<p class="unmatched">{_e(said)}</p>'
            f"{_blind_guards(unknown.unmatched, data, catalogue, t)}"
        )
    lead = rich(
        t.gettext(
            "Words in the exports that no vocabulary knows: KPI names, platforms, post formats, "
            "deliverable statuses, personalisation tokens. They were loaded as written. A guard "
            "whose verdict depends on one cannot tell ({mark} in the grid): it neither fails nor "
            "passes the campaign, and its owner gets no alert. Add each word to the file named, "
            "and the next night judges these campaigns again.",
            mark=slot("mark"),
        ),
        mark="<b>~</b>",
    )
    heading = _e(t.gettext("Words the vocabularies do not know"))
    return (
        f'<section id="unknown-terms"><h2>{heading}</h2>'
        f'<p class="lead">{lead}</p>{table}{unmatched}</section>'
    )


def _deliveries(data: ReportData, t: Translator) -> str:
    if not data.has("alerts.outbox"):
        return ""
    if not data.deliveries:
        none = _e(t.gettext("No Slack digest was queued for this night."))
        body = f"<p>{none}</p>"
    else:
        rows = "".join(
            f'<tr><th scope="row">{_e(d.channel)}</th><td>{_e(t.integer(d.messages))}</td>'
            f"<td>{_e(t.list(_delivery_status(t, s) for s in d.statuses.split(', ') if s))}</td>"
            f"<td>{_e(d.destinations)}</td></tr>"
            for d in data.deliveries
        )
        headers = (
            # Translators: a Slack channel
            t.gettext("Channel"),
            t.gettext("Messages"),
            t.gettext("Status"),
            t.gettext("Delivered to"),
        )
        head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
        body = f'<table class="plain"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    heading = _e(t.gettext("Slack digests tonight"))
    return f'<section id="slack"><h2>{heading}</h2>{body}</section>'


def _no_campaigns(data: ReportData, t: Translator) -> str:
    command = f"marketing-health run-night --as-of {data.as_of_date}"
    text = rich(
        t.gettext(
            "The warehouse has no health scores or pitfall results for {date}. Run the nightly "
            "pipeline for this day (the Airflow DAG {dag} or {command}).",
            date=_day(t, data.as_of_date),
            dag=slot("dag"),
            command=slot("command"),
        ),
        dag=_code("marketing_health"),
        command=_code(command),
    )
    heading = _e(t.gettext("No campaign was judged on this night"))
    return f'<section class="notice" role="note"><h2>{heading}</h2><p>{text}</p></section>'


def language_nav(
    t: Translator, current: str, languages: Sequence[str], href: Callable[[str], str]
) -> str:
    """Links to the report in the night's other languages, each named in its own language;
    empty when the night has one language. Wrapped in markers a server may replace."""
    if len(languages) < 2:
        return ""
    items = []
    for tag in languages:
        name = _e(language_name(tag))
        if tag == current:
            items.append(f'<span lang="{_e(tag)}" aria-current="true">{name}</span>')
        else:
            items.append(
                f'<a href="{_e(href(tag))}" hreflang="{_e(tag)}" lang="{_e(tag)}">{name}</a>'
            )
    label = _e(t.gettext("Language"))
    return (
        f'{LANGUAGES_START}<nav class="languages" aria-label="{label}">{"".join(items)}</nav>'
        f"{LANGUAGES_END}"
    )


def _data_docs_link(t: Translator, href: str | None) -> str:
    """The link to the night's Great Expectations Data Docs, when they were built."""
    if not href:
        return ""
    # Translators: "Great Expectations" and "Data Docs" are the names of the tool and its pages
    name = _e(t.gettext("Great Expectations Data Docs"))
    text = rich(
        # Translators: {link} is the link named "Great Expectations Data Docs"
        t.gettext(
            "{link}: every pitfall guard's suite tonight, its expectations and the campaigns "
            "that failed them, in the validation tool's own pages.",
            link=slot("link"),
        ),
        link=f'<a href="{_e(href)}">{name}</a>',
    )
    return f'<p class="data-docs">{text}</p>'


def render_report_data(
    data: ReportData,
    catalogue: Catalogue | None = None,
    t: Translator | None = None,
    languages: Sequence[str] = (),
    data_docs: str | None = None,
) -> str:
    """The report of one night in ``t``'s language (None: the default language); ``languages``
    are the night's languages, the default first, for the switcher linking the files;
    ``data_docs`` the link to the night's Great Expectations Data Docs, when there are some."""
    catalogue = catalogue or load_catalogue()
    t = t or translator()
    views = _campaign_views(data, catalogue, t)
    night = t.date(data.as_of_date, "long")
    default = languages[0] if languages else t.tag
    switcher = language_nav(
        t, t.tag, languages, lambda tag: report_file_name(None if tag == default else tag)
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    heading = rich(
        t.gettext("Marketing health {date}", date=slot("date")),
        date=f'<span class="night">{_e(night)}</span>',
    )
    sub = rich(
        t.gettext(
            "Night of {night} · report written {written}",
            night=t.date(data.as_of_date, "full"),
            written=slot("written"),
        ),
        written=f'<time datetime="{_e(data.as_of_date)}">{generated}</time>',
    )
    body = [
        switcher,
        NIGHTS_SLOT,
        f'<header><h1>{heading}</h1><p class="sub">{sub}</p></header>',
        _data_docs_link(t, data_docs),
        _headline(data, views, t),
        _missing_notice(data, t),
    ]
    if views:
        body += [
            _filters(t),
            _trends(data, views, t),
            _heatmap(data, views, catalogue, t),
            _alerts(data, views, catalogue, t),
        ]
    else:
        body.append(_no_campaigns(data, t))
    body.append(_unknown_terms(data, catalogue, t))
    if data.labels:
        body.append(labels_section(data.labels, catalogue, t))
    body.append(_deliveries(data, t))
    title = t.gettext("Marketing health {date}", date=night)
    return _document(title, "".join(body), t.tag)


def render_health_report(
    con: Any, as_of_date: str, language: str | None = None, languages: Sequence[str] = ()
) -> str:
    """The report of one night from an open warehouse connection (read-only is enough)."""
    return render_report_data(
        load_report_data(con, as_of_date), t=translator(language), languages=languages
    )


def _write(target: Path, text: str) -> None:
    """Replace ``target`` in one step, so a reader never sees half a report."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)


def write_health_report(
    paths: Paths, as_of_date: str, languages: Sequence[str] | None = None
) -> Path:
    """Write the night's report in every language in use (``None``: the alerting file's, the
    default first): ``runs/<night>/health_report.html`` in the default language and
    ``health_report.<tag>.html`` in each other one. Files of languages no longer in use are
    removed, so a night never links to a stale translation. Returns the default's path."""
    import duckdb

    from marketing_health.warehouse import connect, exists

    tags = unique_tags(languages) if languages else languages_in_use()
    translators = [translator(tag) for tag in tags]  # an unknown language fails before writing
    if exists(paths):
        with connect(paths, read_only=True) as con:
            data = load_report_data(con, as_of_date)
    else:
        with duckdb.connect(":memory:") as con:
            data = load_report_data(con, as_of_date)
    catalogue = load_catalogue()
    folder = paths.run_dir(as_of_date)
    folder.mkdir(parents=True, exist_ok=True)
    docs = DATA_DOCS_HREF if (folder / DATA_DOCS_HREF).is_file() else None
    written = []
    for index, t in enumerate(translators):
        target = folder / report_file_name(None if index == 0 else tags[index])
        _write(target, render_report_data(data, catalogue, t, tags, docs))
        written.append(target)
    stem, suffix = REPORT_FILE.rsplit(".", 1)
    for stale in folder.glob(f"{stem}.*.{suffix}"):
        if stale not in written:
            stale.unlink(missing_ok=True)
    return written[0]


def night_report_files(folder: Path) -> dict[str, Path]:
    """The report files of one night by language, the default first: the language of
    ``health_report.html`` is the one its ``<html lang>`` names."""
    default = folder / REPORT_FILE
    if not default.is_file():
        return {}
    with default.open(encoding="utf-8") as handle:
        start = handle.read(200)
    marker = '<html lang="'
    found = start.find(marker)
    tag = start[found + len(marker) : start.find('"', found + len(marker))] if found >= 0 else ""
    files = {tag or "en": default}
    stem, suffix = REPORT_FILE.rsplit(".", 1)
    for path in sorted(folder.glob(f"{stem}.*.{suffix}")):
        language = path.name[len(stem) + 1 : -len(suffix) - 1]
        if language and language not in files:
            files[language] = path
    return files


# ---------------------------------------------------------------- page shell

_CSS = """
:root{--ink:#1d2433;--muted:#5b6475;--line:#d9dde5;--bg:#f6f7f9;--card:#fff;
--pass:#cfe8d5;--na:#eceef1;--error:#6b4c9a;--info:#fde3a7;--warning:#f08c3a;
--critical:#b2182b;--accent:#2b5fab}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"PingFang SC","Microsoft YaHei",sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1280px;margin:0 auto;padding:16px 20px 48px}
header h1{margin:8px 0 0;font-size:24px}header .night{color:var(--accent)}
.sub,.lead,.owner,.meta{color:var(--muted)}h2{margin:28px 0 6px;font-size:19px}
p.data-docs{margin:6px 0 0;color:var(--muted)}p.data-docs a{color:var(--accent);font-weight:600}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px;
min-width:130px;color:var(--muted)}.tile .num{display:block;font-size:26px;font-weight:700;
color:var(--ink)}.tile.warn .num{color:var(--critical)}.tile.ok .num{color:#1f6e3a}
.notice{background:#fff7e0;border:1px solid #e9c46a;border-radius:8px;padding:4px 16px}
.filters{display:flex;flex-wrap:wrap;gap:18px;align-items:center;margin:18px 0 0;
position:sticky;top:0;background:var(--bg);padding:8px 0;z-index:3}
.filters input[type=search]{margin-left:6px;padding:5px 8px;min-width:240px;
border:1px solid var(--line);border-radius:6px}
.scroll{overflow:auto;max-width:100%;background:var(--card);border:1px solid var(--line);
border-radius:8px}table{border-collapse:collapse}th,td{text-align:left;vertical-align:middle}
table.trend td,table.trend th{padding:4px 10px;border-bottom:1px solid var(--line)}
th.campaign{max-width:280px;font-weight:600}th.campaign .name{display:block;overflow:hidden;
text-overflow:ellipsis;white-space:nowrap;max-width:280px}
th.campaign .owner{display:block;font-weight:400;font-size:12px;white-space:nowrap;
overflow:hidden;text-overflow:ellipsis;max-width:280px}
td.score{font-size:18px;font-weight:700;white-space:nowrap}td.measure{font-weight:600}
.delta{font-size:12px;font-weight:600;margin-left:4px}.delta.up{color:#1f6e3a}
.delta.down{color:var(--critical)}.delta.same{color:var(--muted)}
svg.spark{display:block;background:linear-gradient(transparent calc(50% - .5px),#dfe3ea
calc(50% - .5px),#dfe3ea calc(50% + .5px),transparent calc(50% + .5px)),#fafbfc}
svg.spark .series{fill:none;stroke-width:1.6;stroke-linejoin:round}
svg.spark.health .series{stroke:var(--accent)}svg.spark.health .last{fill:var(--accent)}
svg.spark.integration .series{stroke:#008571}svg.spark.integration .last{fill:#008571}
svg.spark.coverage .series{stroke:#8a4fbf}svg.spark.coverage .last{fill:#8a4fbf}
.no-data{color:var(--muted);font-size:12px}
figure.nights{margin:10px 0 16px;background:var(--card);border:1px solid var(--line);
border-radius:8px;padding:8px 12px}figure.nights figcaption{color:var(--muted)}
svg.nights-chart .judged{fill:#dbe4f3}svg.nights-chart .bar{fill:var(--critical)}
svg.nights-chart .axis{stroke:#b8bfcc}svg.nights-chart .tick{font-size:11px;fill:var(--muted)}
table.heatmap{font-size:12px}table.heatmap th.campaign{padding:2px 10px;
border-bottom:1px solid var(--line);position:sticky;left:0;background:var(--card);z-index:1}
table.heatmap th.guard{padding:4px 2px;text-align:center;font-weight:600;min-width:30px}
table.heatmap td{width:30px;height:26px;text-align:center;font-weight:700;
border:2px solid var(--card)}
.k-pass{background:var(--pass);color:#1f6e3a}.k-na{background:var(--na);color:#8a92a0}
.k-none{background:#fff;outline:1px dashed var(--line);outline-offset:-3px}
.k-error{background:var(--error);color:#fff}
.k-unknown{background:repeating-linear-gradient(135deg,#dfe6f2 0 4px,#f4f6fa 4px 8px);
color:#3b4a66}.tile.unknown .num{color:#3b4a66}
table.unknown td,table.unknown th{vertical-align:top}table.unknown th.term{max-width:220px;
overflow-wrap:anywhere}table.unknown td.files{font-size:12px;white-space:nowrap}
table.unknown td.files p{margin:0 0 4px}table.unknown tr.how td{border-bottom:2px solid
var(--line);color:var(--muted)}table.unknown tbody.word tr:first-child td,
table.unknown tbody.word tr:first-child th{border-bottom:0}
table.unknown pre{margin:4px 0 2px;padding:6px 8px;background:#f4f6fa;border-radius:4px;
font-size:12px;white-space:pre-wrap;color:var(--ink)}ul.blind{margin:0;padding-left:16px}.s-info.k-fail{background:var(--info);color:#5a3d00}
.s-warning.k-fail{background:var(--warning);color:#1d1d1d}
.s-critical.k-fail{background:var(--critical);color:#fff}
.k-fail.new{box-shadow:inset 0 0 0 2px #111}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;list-style:none;padding:0;margin:8px 0}
.legend li{display:flex;align-items:center;gap:6px}.swatch{display:inline-block;width:26px;
height:20px;line-height:20px;text-align:center;font-weight:700;font-size:12px;border-radius:3px}
details.key ul{columns:2;font-size:13px}
.alert-card{background:var(--card);border:1px solid var(--line);border-left:5px solid
var(--critical);border-radius:8px;padding:6px 16px;margin:12px 0}.alert-card h3{margin:6px 0 0}
.alert-card.worst-warning{border-left-color:var(--warning)}
.alert-card.worst-info{border-left-color:#e0b44a}
.alert-card .brand{font-weight:400;color:var(--muted);font-size:14px}
.alert-card ul{list-style:none;padding:0}.finding{border-top:1px solid var(--line);
padding:6px 0}.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;
margin:4px 0}.finding dt{font-weight:600;color:var(--muted)}.finding dd{margin:0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:700}
.badge.s-critical{background:var(--critical);color:#fff}
.badge.s-warning{background:var(--warning);color:#1d1d1d}
.badge.s-info{background:var(--info);color:#5a3d00}em.new{color:var(--critical);
font-style:normal;font-weight:600}em.since{color:var(--muted)}
table.plain{background:var(--card);border:1px solid var(--line)}table.plain th,
table.plain td{padding:6px 10px;border-bottom:1px solid var(--line)}
.all-clear{background:var(--pass);padding:10px 14px;border-radius:8px}
nav.nights-nav{font-size:13px;padding:6px 0;color:var(--muted)}
nav.nights-nav a{color:var(--accent);margin-right:10px}
nav.languages{float:right;font-size:13px;padding:6px 0;color:var(--muted)}
nav.languages a,nav.languages span{margin-left:10px}nav.languages a{color:var(--accent)}
nav.languages span[aria-current]{font-weight:600;color:var(--ink)}
form.alert-actions{margin:4px 0 2px;padding:6px 10px;background:#f4f6fa;border-radius:6px;
font-size:13px;scroll-margin-top:120px}
form.alert-actions .row{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:3px 0}
form.alert-actions button{padding:3px 10px;border:1px solid var(--line);border-radius:5px;
background:#fff;cursor:pointer}form.alert-actions input[type=text]{min-width:260px;flex:1;
padding:3px 6px;border:1px solid var(--line);border-radius:5px}
form.alert-actions .acted{margin:0 0 4px;font-weight:600;color:var(--accent)}
table.labels td,table.labels th{vertical-align:top}table.labels td.num{text-align:right}
table.labels th .total{display:block;font-weight:400;color:var(--muted);font-size:12px}
table.labels pre{margin:2px 0;padding:6px 8px;background:#f4f6fa;border-radius:4px;
font-size:12px;white-space:pre-wrap}table.labels p.how{margin:0;color:var(--muted)}
.saved{background:#e3f1e6;border:1px solid #9cc9a6;border-radius:8px;padding:8px 14px}
@media print{.filters{display:none}.scroll{overflow:visible}form.alert-actions{display:none}}
"""

_JS = """
(function(){var q=document.getElementById('find'),a=document.getElementById('attention');
if(!q||!a)return;function apply(){var t=q.value.trim().toLowerCase(),only=a.checked;
document.querySelectorAll('[data-find]').forEach(function(el){
el.hidden=!((!t||el.getAttribute('data-find').indexOf(t)>=0)&&
(!only||el.getAttribute('data-attention')==='1'));});}
q.addEventListener('input',apply);a.addEventListener('change',apply);})();
"""


def _document(title: str, body: str, language: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main><script>{_JS}</script></body></html>\n"
    )


def page(title: str, body: str, language: str = "en") -> str:
    """A plain page in the report's style (for pages around the report, e.g. a list of nights)."""
    return _document(title, body, language)
