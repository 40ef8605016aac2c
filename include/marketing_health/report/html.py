"""The nightly health report: one self-contained HTML page a marketer opens from Slack or Airflow.

It answers, in this order: how many campaigns need attention tonight, which ones are getting
worse (health score and the two headline measures over time), which pitfalls each campaign is
in (a campaign x pitfall grid), and per campaign what was seen and what to do; then the words
in the exports no vocabulary knows, with the checks that could not tell because of them and
the file entry that teaches each word to the pipeline. The file carries
its own styles and server-drawn SVG charts and loads nothing from the network, so it opens from
a laptop, an e-mail attachment or the Airflow UI alike. Every value from the warehouse is
escaped: campaign names come from planning exports and are not trusted markup.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from marketing_health.alerts.digest import Finding, normalise_channel
from marketing_health.alerts.render import human_date, streak_text
from marketing_health.alerts.unknown_terms import CannotTell, UnknownTerm, how_to_add
from marketing_health.catalogue import Catalogue, load_catalogue
from marketing_health.report.charts import nights_chart, sparkline
from marketing_health.report.queries import (
    SOURCES,
    Campaign,
    CampaignHealth,
    GuardCell,
    ReportData,
    load_report_data,
)
from marketing_health.settings import Paths

#: File name of the report inside a night's run folder.
REPORT_FILE = "health_report.html"
#: Marker where a server showing the report may add links to other nights; invisible in the file.
NIGHTS_SLOT = "<!-- other nights -->"
#: campaign_id of a guard result recording a guard that could not run for any campaign.
ALL_CAMPAIGNS = "*"

_SEVERITY_LABEL = {"critical": "Critical", "warning": "Warning", "info": "Info"}
#: Files and campaigns named per unknown word before the rest fold into "and N more".
_LISTED = 5


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


def _measure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _finding(cell: GuardCell, catalogue: Catalogue) -> Finding:
    severity = cell.severity or "warning"
    try:
        pitfall = catalogue[cell.guard_id]
        title, explanation, remediation = pitfall.title, pitfall.explanation, pitfall.remediation
    except KeyError:
        title, explanation, remediation = cell.guard_id, "", ""
    rank = catalogue.severities.get(severity, {}).get("rank", 0)
    new = cell.state in (None, "entered") or not cell.failing_since
    return Finding(
        guard_id=cell.guard_id,
        title=title,
        severity=severity,
        rank=rank,
        seen=(cell.summary or "").strip() or "no evidence was recorded",
        explanation=explanation,
        remediation=remediation,
        failing_since=None if new else cell.failing_since,
        nights_failing=1 if new else int(cell.nights_failing or 1),
    )


def _campaign_views(data: ReportData, catalogue: Catalogue) -> list[CampaignView]:
    health = {h.campaign_id: h for h in data.health}
    findings: dict[str, list[Finding]] = {}
    judged = set(health)
    for cell in data.cells:
        if cell.campaign_id == ALL_CAMPAIGNS:
            continue
        judged.add(cell.campaign_id)
        if cell.outcome == "fail":
            findings.setdefault(cell.campaign_id, []).append(_finding(cell, catalogue))
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


def _tile(value: Any, label: str, css: str = "") -> str:
    return f'<div class="tile {css}"><span class="num">{_e(value)}</span>{_e(label)}</div>'


def _headline(data: ReportData, views: Sequence[CampaignView]) -> str:
    states = [c.state for c in data.cells if c.outcome == "fail"]
    has_states = data.has("marts.fct_guard_states")
    new = sum(1 for s in states if s in ("entered", None))
    persisting = sum(1 for s in states if s == "persisting")
    unevaluated = sum(1 for c in data.cells if c.outcome == "error")
    attention = sum(1 for v in views if v.needs_attention)
    tiles = [
        _tile(len(views), "campaigns judged"),
        _tile(attention, "need attention", "warn" if attention else "ok"),
        _tile(new, "pitfalls new tonight", "warn" if new else ""),
        _tile(persisting if has_states else "n/a", "pitfalls persisting"),
        _tile(len(data.recoveries) if has_states else "n/a", "resolved tonight", "ok"),
    ]
    if unevaluated:
        tiles.append(_tile(unevaluated, "checks not evaluated", "warn"))
    blind = sum(1 for c in data.cells if c.outcome == "cannot_tell")
    if blind:
        tiles.append(_tile(blind, "checks cannot tell", "unknown"))
    if data.unknown.terms:
        tiles.append(_tile(len(data.unknown.terms), "unknown words", "unknown"))
    scores = sorted(v.score for v in views if v.score is not None)
    if scores:
        tiles.append(_tile(scores[len(scores) // 2], "median health score"))
    return f'<section class="tiles" aria-label="Tonight in numbers">{"".join(tiles)}</section>'


def _missing_notice(data: ReportData) -> str:
    if not data.missing:
        return ""
    items = "".join(
        f"<li><code>{_e(t)}</code>: {_e(SOURCES[t])} cannot be shown.</li>" for t in data.missing
    )
    return (
        '<section class="notice" role="note"><h2>Some data is not there yet</h2>'
        "<p>The warehouse does not hold every table this report reads, usually because this is "
        "the first night or a stage of the nightly run did not finish. The report shows what "
        "exists; run the nightly pipeline again to fill in the rest.</p>"
        f"<ul>{items}</ul></section>"
    )


def _filters() -> str:
    return (
        '<div class="filters" role="search">'
        '<label>Find a campaign, brand or team <input id="find" type="search" '
        'autocomplete="off" placeholder="e.g. Run the City"></label>'
        '<label><input id="attention" type="checkbox"> only campaigns needing attention</label>'
        "</div>"
    )


def _change(h: CampaignHealth | None) -> str:
    if h is None or h.health_score is None or h.previous_score is None:
        return ""
    delta = h.health_score - h.previous_score
    if delta == 0:
        return '<span class="delta same" title="unchanged since the run before">=</span>'
    css, arrow = ("up", "\u25b2") if delta > 0 else ("down", "\u25bc")
    return (
        f'<span class="delta {css}" title="{delta:+d} since the run before">'
        f"{arrow}\u202f{abs(delta)}</span>"
    )


def _campaign_label(c: Campaign) -> str:
    owner = " · ".join(_e(x) for x in (c.brand, c.owner_team) if x)
    return (
        f'<span class="name" title="{_e(c.name)} ({_e(c.campaign_id)})">{_e(c.name)}</span>'
        f'<span class="owner">{owner}</span>'
    )


def _trend_row(view: CampaignView, data: ReportData) -> str:
    cid = view.campaign.campaign_id
    h = view.health
    score = "n/a" if view.score is None else str(view.score)
    health = sparkline(
        data.health_series.get(cid, []),
        lo=0,
        hi=100,
        label="Health score",
        fmt=lambda v: f"{v:.0f}",
        css_class="health",
    )
    integration = sparkline(
        data.integration_series.get(cid, []),
        lo=0,
        hi=1,
        label="Integration",
        fmt=_measure,
        css_class="integration",
    )
    coverage = sparkline(
        data.coverage_series.get(cid, []),
        lo=0,
        hi=1,
        label="KPI coverage",
        fmt=_measure,
        css_class="coverage",
    )
    return (
        f"<tr{view.row_attributes()}>"
        f'<th scope="row" class="campaign">{_campaign_label(view.campaign)}</th>'
        f'<td class="score" data-score="{_e(view.score)}">{score} {_change(h)}</td>'
        f"<td>{health}</td>"
        f'<td class="measure">{_measure(h.integration if h else None)}</td><td>{integration}</td>'
        f'<td class="measure">{_measure(h.kpi_coverage if h else None)}</td><td>{coverage}</td>'
        "</tr>"
    )


def _trends(data: ReportData, views: Sequence[CampaignView]) -> str:
    if not views:
        return ""
    rows = "".join(_trend_row(v, data) for v in views)
    chart = nights_chart(data.nights)
    nights = (
        f'<figure class="nights"><figcaption>Campaigns needing attention (dark) out of those '
        f"judged (light), night by night</figcaption>{chart}</figure>"
        if chart
        else ""
    )
    return (
        '<section id="trends"><h2>Health over time</h2>'
        '<p class="lead">Worst campaigns first. The health score (0-100) is the '
        "severity-weighted share of the pitfall checks a campaign passes, one point per night "
        "the pipeline ran. Integration (do the planned channels run together, tracked, with one "
        "message?) and KPI coverage (is the campaign measurable and on pace?) go from 0 = poor "
        "to 1 = excellent, one point per day; the middle line marks half way.</p>"
        f"{nights}"
        '<div class="scroll"><table class="trend"><thead><tr>'
        '<th scope="col">Campaign</th><th scope="col">Health tonight</th>'
        '<th scope="col">Health, night by night</th>'
        '<th scope="col">Integration</th><th scope="col">over time</th>'
        '<th scope="col">KPI coverage</th><th scope="col">over time</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></div></section>"
    )


def _cell(
    cell: GuardCell | None,
    guard_id: str,
    title: str,
    catalogue: Catalogue,
    broken: bool,
    unknown_words: tuple[str, ...] = (),
) -> str:
    """One grid cell: colour and a letter say the same, the tooltip says it in words."""
    name = f"{guard_id} {title}"
    if cell is None:
        if broken:
            return f'<td class="k-error" title="{_e(name)}: could not be evaluated">?</td>'
        return f'<td class="k-none" title="{_e(name)}: no result tonight"></td>'
    recovered = " (resolved tonight)" if cell.state == "recovered" else ""
    if cell.outcome == "pass":
        glyph = "\u2713" if recovered else ""
        return f'<td class="k-pass" title="{_e(guard_id)}: passes{recovered}">{glyph}</td>'
    if cell.outcome == "not_applicable":
        return f'<td class="k-na" title="{_e(name)}: nothing to judge{recovered}">\u2013</td>'
    if cell.outcome == "error":
        words = f"{name}: could not be evaluated. {cell.summary or ''}".strip()
        return f'<td class="k-error" title="{_e(words)}">?</td>'
    if cell.outcome == "cannot_tell":
        why = f"unknown word(s): {', '.join(unknown_words)}. " if unknown_words else ""
        words = f"{name}: cannot tell, {why}{cell.summary or ''}".strip()
        return f'<td class="k-unknown" title="{_e(words)}">~</td>'
    f = _finding(cell, catalogue)
    new = f.is_new
    label = _SEVERITY_LABEL.get(f.severity, f.severity.capitalize())
    words = f"{name}: {label}, {streak_text(f)}. Seen: {f.seen}"
    glyph = label[0] + ("+" if new else "")
    kind = "new" if new else "persisting"
    return f'<td class="k-fail s-{_e(f.severity)} {kind}" title="{_e(words)}">{glyph}</td>'


def _legend() -> str:
    items = [
        ("k-pass", "", "passes"),
        ("k-pass", "\u2713", "passes, resolved tonight"),
        ("k-fail s-critical persisting", "C", "fails, critical"),
        ("k-fail s-warning persisting", "W", "fails, warning"),
        ("k-fail s-info persisting", "I", "fails, info"),
        ("k-fail s-warning new", "W+", "started failing tonight (framed)"),
        ("k-na", "\u2013", "nothing to judge"),
        ("k-error", "?", "could not be evaluated"),
        ("k-unknown", "~", "cannot tell: a word it depends on is unknown"),
    ]
    cells = "".join(
        f'<li><span class="swatch {css}" aria-hidden="true">{glyph}</span>{_e(words)}</li>'
        for css, glyph, words in items
    )
    return f'<ul class="legend" aria-label="Legend">{cells}</ul>'


def _heatmap(data: ReportData, views: Sequence[CampaignView], catalogue: Catalogue) -> str:
    if not data.has("guards.guard_results"):
        return ""
    guard_ids = _guard_ids(data, catalogue)
    titles = {}
    for gid in guard_ids:
        try:
            titles[gid] = catalogue[gid].title
        except KeyError:
            titles[gid] = gid
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
    return (
        f'<section id="grid"><h2>Pitfalls by campaign on {_e(human_date(data.as_of_date))}</h2>'
        '<p class="lead">One row per campaign, one column per pitfall check. Hover a cell for '
        "what was seen.</p>"
        f"{_legend()}"
        '<div class="scroll"><table class="heatmap"><thead><tr><th scope="col">Campaign</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f'<details class="key"><summary>Pitfall checks</summary><ul>{key}</ul></details>'
        "</section>"
    )


def _finding_item(f: Finding, explained: set[str]) -> str:
    """One pitfall of a campaign; why it matters is told the first time the pitfall shows up."""
    label = _SEVERITY_LABEL.get(f.severity, f.severity.capitalize())
    why = ""
    if f.explanation and f.guard_id not in explained:
        why = f"<dt>Why it matters</dt><dd>{_e(f.explanation)}</dd>"
        explained.add(f.guard_id)
    todo = f"<dt>What to do</dt><dd>{_e(f.remediation)}</dd>" if f.remediation else ""
    return (
        f'<li class="finding s-{_e(f.severity)}">'
        f'<p><span class="badge s-{_e(f.severity)}">{_e(label)}</span> '
        f"<strong>{_e(f.guard_id)} {_e(f.title)}</strong> · "
        f'<em class="{"new" if f.is_new else "since"}">{_e(streak_text(f))}</em></p>'
        f"<dl><dt>Seen</dt><dd>{_e(f.seen)}</dd>{why}{todo}</dl></li>"
    )


def _alert_card(view: CampaignView, explained: set[str]) -> str:
    c = view.campaign
    channel = normalise_channel(c.owner_channel)
    meta = [
        f"Owner team: {_e(c.owner_team or 'not named in the plan')}",
        f"Slack: {_e(channel)}" if channel else "the plan names no Slack channel",
        f"health {_e(view.score if view.score is not None else 'n/a')} / 100",
        f"campaign id {_e(c.campaign_id)}",
    ]
    brand = f' <span class="brand">{_e(c.brand)}</span>' if c.brand else ""
    items = "".join(_finding_item(f, explained) for f in view.findings)
    worst = _e(view.findings[0].severity) if view.findings else "info"
    return (
        f'<article class="alert-card worst-{worst}"{view.row_attributes()}>'
        f'<h3>{_e(c.name)}{brand}</h3><p class="meta">{" · ".join(meta)}</p>'
        f"<ul>{items}</ul></article>"
    )


def _resolved(data: ReportData, catalogue: Catalogue) -> str:
    if not data.recoveries:
        return ""
    rows = []
    for r in sorted(data.recoveries, key=lambda r: (data.campaign(r.campaign_id).name, r.guard_id)):
        c = data.campaign(r.campaign_id)
        try:
            title = catalogue[r.guard_id].title
        except KeyError:
            title = r.guard_id
        since = f"failing since {human_date(r.failing_since)}" if r.failing_since else "failing"
        last = f", last failed {human_date(r.last_failed)}" if r.last_failed else ""
        rows.append(
            f'<tr data-find="{_e(c.name.lower())} {_e(c.campaign_id.lower())}" '
            f'data-attention="0"><th scope="row">{_e(c.name)}</th>'
            f"<td>{_e(r.guard_id)} {_e(title)}</td>"
            f"<td>{_e(_SEVERITY_LABEL.get(r.severity or '', r.severity or ''))}</td>"
            f"<td>{_e(since + last)}; passes tonight</td></tr>"
        )
    return (
        '<section id="resolved"><h2>Resolved tonight</h2><table class="plain"><thead><tr>'
        '<th scope="col">Campaign</th><th scope="col">Pitfall</th><th scope="col">Severity</th>'
        f'<th scope="col">History</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        "</section>"
    )


def _unevaluated(data: ReportData, catalogue: Catalogue) -> str:
    errors = [c for c in data.cells if c.outcome == "error"]
    if not errors:
        return ""
    by_guard: dict[str, list[GuardCell]] = {}
    for c in errors:
        by_guard.setdefault(c.guard_id, []).append(c)
    items = []
    for gid in sorted(by_guard):
        cells = by_guard[gid]
        try:
            title = catalogue[gid].title
        except KeyError:
            title = gid
        names = sorted(
            data.campaign(c.campaign_id).name for c in cells if c.campaign_id != ALL_CAMPAIGNS
        )
        who = ", ".join(names) if names else "any campaign"
        reason = next((c.summary for c in cells if c.summary), "no reason was recorded")
        items.append(
            f"<li><strong>{_e(gid)} {_e(title)}</strong> could not judge {_e(who)}. "
            f'<span class="reason">What went wrong: {_e(reason)}</span></li>'
        )
    return (
        '<section id="unevaluated"><h2>Checks that could not be evaluated</h2>'
        '<p class="lead">These campaigns were not judged for these pitfalls tonight. The data '
        "team can see why in the guard stage of the run; the next night judges them again.</p>"
        f"<ul>{''.join(items)}</ul></section>"
    )


def _alerts(data: ReportData, views: Sequence[CampaignView], catalogue: Catalogue) -> str:
    open_views = [v for v in views if v.needs_attention]
    if open_views:
        explained: set[str] = set()
        cards = "".join(_alert_card(v, explained) for v in open_views)
    elif data.has("guards.guard_results") and views:
        cards = '<p class="all-clear">No campaign fails a pitfall check tonight.</p>'
    else:
        cards = '<p class="all-clear">No pitfall results for this night.</p>'
    return (
        '<section id="alerts"><h2>Open alerts</h2>'
        '<p class="lead">Per campaign, worst first: each pitfall it is in, since when, what was '
        "seen and what to do.</p>"
        f"{cards}</section>{_resolved(data, catalogue)}{_unevaluated(data, catalogue)}"
    )


def _folded(items: Sequence[str], what: str, sep: str = ", ") -> str:
    """Escaped items, the first few shown and the rest behind "and N more"."""
    shown = sep.join(_e(i) for i in items[:_LISTED])
    if len(items) <= _LISTED:
        return shown
    rest = sep.join(_e(i) for i in items[_LISTED:])
    return (
        f"{shown}<details><summary>and {len(items) - _LISTED} more {_e(what)}</summary>"
        f"{rest}</details>"
    )


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _blind_guards(blind: Sequence[CannotTell], data: ReportData, catalogue: Catalogue) -> str:
    """The guards that could not tell, each with the campaigns it could not judge."""
    by_guard: dict[str, set[str]] = {}
    for c in blind:
        by_guard.setdefault(c.guard_id, set()).add(data.campaign(c.campaign_id).name)
    items = []
    for gid in sorted(by_guard):
        try:
            title = catalogue[gid].title
        except KeyError:
            title = gid
        names = sorted(by_guard[gid], key=str.casefold)
        who = ", ".join(_e(n) for n in names)
        if len(names) > 3:
            who = f"<details><summary>{len(names)} campaigns</summary>{who}</details>"
        items.append(f"<li><strong>{_e(gid)}</strong> {_e(title)}: {who}</li>")
    return f'<ul class="blind">{"".join(items)}</ul>'


def _places(term: UnknownTerm) -> str:
    """Where the word was found: per source column, each file with its rows."""
    by_column: dict[str, list[str]] = {}
    for o in term.occurrences:
        by_column.setdefault(f"{o.source}.{o.column_name}", []).append(
            f"{o.file_path} ({_rows(o.rows)})"
        )
    return "".join(
        f"<p><code>{_e(column)}</code><br>{_folded(files, 'file(s)', '<br>')}</p>"
        for column, files in by_column.items()
    )


def _unknown_row(term: UnknownTerm, data: ReportData, catalogue: Catalogue) -> str:
    """One word: what it is, where, for whom, what it blinds; then how to add it, full width."""
    names = sorted((data.campaign(c).name for c in term.campaign_ids), key=str.casefold)
    blind = _blind_guards(term.cannot_tell, data, catalogue) if term.cannot_tell else "none"
    example = f"<pre><code>{_e(term.example)}</code></pre>" if term.example else ""
    return (
        f'<tbody class="word" data-vocabulary="{_e(term.vocabulary)}"><tr>'
        f'<th scope="row" class="term">{_e(term.term)}</th>'
        f"<td>{_e(term.what)}</td>"
        f'<td class="rows">{term.rows}</td>'
        f'<td class="files">{_places(term)}</td>'
        f"<td>{_folded(names, 'campaign(s)') if names else 'none named'}</td>"
        f"<td>{blind}</td></tr>"
        f'<tr class="how"><td colspan="6"><strong>How to add it:</strong> '
        f"{_e(how_to_add(term))}{example}</td></tr></tbody>"
    )


def _unknown_terms(data: ReportData, catalogue: Catalogue) -> str:
    unknown = data.unknown
    if not unknown:
        return ""
    table = ""
    if unknown.terms:
        rows = "".join(_unknown_row(t, data, catalogue) for t in unknown.terms)
        table = (
            '<div class="scroll"><table class="plain unknown"><thead><tr>'
            '<th scope="col">Word</th><th scope="col">Meant as</th><th scope="col">Rows</th>'
            '<th scope="col">Found in</th><th scope="col">Campaigns</th>'
            f'<th scope="col">Guards that cannot tell</th></tr></thead>{rows}</table></div>'
        )
    unmatched = ""
    if unknown.unmatched:
        words = sorted({w for c in unknown.unmatched for w in c.terms}, key=str.casefold)
        said = ", ".join(words) or "not named by the guard"
        unmatched = (
            f'<p class="unmatched">Guards that cannot tell because of word(s) not in the '
            f"listing above ({_e(said)}):</p>"
            f"{_blind_guards(unknown.unmatched, data, catalogue)}"
        )
    return (
        '<section id="unknown-terms"><h2>Words the vocabularies do not know</h2>'
        '<p class="lead">Words in the exports that no vocabulary knows: KPI names, platforms, '
        "post formats, deliverable statuses, personalisation tokens. They were loaded as "
        "written. A guard whose verdict depends on one cannot tell (<b>~</b> in the grid): it "
        "neither fails nor passes the campaign, and its owner gets no alert. Add each word to "
        "the file named, and the next night judges these campaigns again.</p>"
        f"{table}{unmatched}</section>"
    )


def _deliveries(data: ReportData) -> str:
    if not data.has("alerts.outbox"):
        return ""
    if not data.deliveries:
        body = "<p>No Slack digest was queued for this night.</p>"
    else:
        rows = "".join(
            f'<tr><th scope="row">{_e(d.channel)}</th><td>{d.messages}</td>'
            f"<td>{_e(d.statuses)}</td><td>{_e(d.destinations)}</td></tr>"
            for d in data.deliveries
        )
        body = (
            '<table class="plain"><thead><tr><th scope="col">Channel</th>'
            '<th scope="col">Messages</th><th scope="col">Status</th>'
            f'<th scope="col">Delivered to</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    return f'<section id="slack"><h2>Slack digests tonight</h2>{body}</section>'


def _no_campaigns(data: ReportData) -> str:
    return (
        '<section class="notice" role="note"><h2>No campaign was judged on this night</h2>'
        f"<p>The warehouse has no health scores or pitfall results for "
        f"{_e(human_date(data.as_of_date))}. Run the nightly pipeline for this day "
        "(the Airflow DAG <code>marketing_health</code> or <code>marketing-health run-night "
        f"--as-of {_e(data.as_of_date)}</code>).</p></section>"
    )


def render_report_data(data: ReportData, catalogue: Catalogue | None = None) -> str:
    catalogue = catalogue or load_catalogue()
    views = _campaign_views(data, catalogue)
    night = human_date(data.as_of_date)
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = [
        NIGHTS_SLOT,
        f'<header><h1>Marketing health <span class="night">{_e(night)}</span></h1>'
        f'<p class="sub">Night of {_e(data.as_of_date)} · report written {generated}</p>'
        "</header>",
        _headline(data, views),
        _missing_notice(data),
    ]
    if views:
        body += [
            _filters(),
            _trends(data, views),
            _heatmap(data, views, catalogue),
            _alerts(data, views, catalogue),
        ]
    else:
        body.append(_no_campaigns(data))
    body.append(_unknown_terms(data, catalogue))
    body.append(_deliveries(data))
    return _document(f"Marketing health {night}", "".join(body))


def render_health_report(con: Any, as_of_date: str) -> str:
    """The report of one night from an open warehouse connection (read-only is enough)."""
    return render_report_data(load_report_data(con, as_of_date))


def write_health_report(paths: Paths, as_of_date: str) -> Path:
    """Write ``runs/<night>/health_report.html``, replacing an earlier one in one step."""
    import duckdb

    from marketing_health.warehouse import connect, exists

    if exists(paths):
        with connect(paths, read_only=True) as con:
            text = render_health_report(con, as_of_date)
    else:
        with duckdb.connect(":memory:") as con:
            text = render_health_report(con, as_of_date)
    target = paths.run_dir(as_of_date) / REPORT_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{REPORT_FILE}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)
    return target


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
@media print{.filters{display:none}.scroll{overflow:visible}}
"""

_JS = """
(function(){var q=document.getElementById('find'),a=document.getElementById('attention');
if(!q||!a)return;function apply(){var t=q.value.trim().toLowerCase(),only=a.checked;
document.querySelectorAll('[data-find]').forEach(function(el){
el.hidden=!((!t||el.getAttribute('data-find').indexOf(t)>=0)&&
(!only||el.getAttribute('data-attention')==='1'));});}
q.addEventListener('input',apply);a.addEventListener('change',apply);})();
"""


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>"
        f"<body><main>{body}</main><script>{_JS}</script></body></html>\n"
    )


def page(title: str, body: str) -> str:
    """A plain page in the report's style (for pages around the report, e.g. a list of nights)."""
    return _document(title, body)
