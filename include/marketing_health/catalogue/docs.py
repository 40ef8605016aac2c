"""``docs/pitfalls.md``, written from the catalogue so the page never disagrees with the guards.

The page is generated (``marketing-health docs``) and checked in; a test fails when it no
longer matches ``pitfalls.yaml``. Everything a marketer reads about a pitfall (why it hurts,
which number judges it, what an alert quotes, what to do) comes from the catalogue entry.
"""

from __future__ import annotations

from pathlib import Path

from marketing_health.catalogue.model import Catalogue, Guard, Pitfall, load_catalogue
from marketing_health.settings import REPO_ROOT

PITFALLS_DOC = REPO_ROOT / "docs" / "pitfalls.md"

_INTRO = """\
# Pitfall catalogue

<!-- Generated from include/marketing_health/catalogue/pitfalls.yaml by `marketing-health docs`.
     Edit the catalogue, not this page. -->

Campaigns rarely fail in one day: they drift into patterns that marketing practice already
knows, such as vanity metrics with no business goal, sponsored posts without disclosure, or
channels that never run together. This page lists those patterns (pitfalls), how each one is
recognised in the data, and what to do when a campaign shows it.

## What a guard is

A **guard** watches one pitfall. Every night the warehouse computes a *signal* for each
campaign live that day: one number in a signal table (for example the share of influencer spend
that went to nano and micro creators). The guard compares that number with a threshold and
decides, per campaign:

- **pass**: the campaign is clear of the pitfall;
- **fail**: the campaign shows the pitfall; its owner team gets an alert;
- **cannot tell**: the verdict depends on words the vocabularies do not know (a KPI called
  种草指数, a personalisation token, a platform): counted one way the campaign passes, counted
  the other it fails. The guard does not guess: no alert goes to the owners, the ops digest
  and the health report list the words, and a team teaches them to the pipeline in its
  `config/vocabularies/` folder. It is not counted in the health score;
- **not applicable**: there is nothing to judge yet (for example no influencer spend so far);
- **error**: the guard could not be evaluated that night (its signal table is missing or
  malformed). This says nothing about the campaign; the data team fixes the pipeline.

Pitfalls marked *not yet* below are catalogued so the team knows the pattern, but no signal
computes them yet.

## Drift is judged nightly

Guards run every night on that night's data, and every outcome of every night is kept. Most
signals look back over a window (the last 7 or 14 days, or the campaign to date), so a
campaign can slide into a pitfall gradually and recover the same way. Because the history is
kept, an alert can say whether a campaign has just entered a pitfall, is still in it, or has
recovered. Re-running a night replaces that night's outcomes; it never counts twice.

## How to read an alert

An alert names the campaign, the pitfall and its severity (critical first, then warning,
then info), in the owning team's language (this page is the English reference), and gives:

1. **What was seen**: a few sentences built from the signal, such as
   "1 sponsored post out of 3 published in the last 7 days lacks a disclosure (no
   paid-partnership label, no #ad or similar in the text). Examples: instagram post 123 by
   @mia."; a sentence about a check the campaign passes is left out;
2. **The rule and the threshold** the campaign was judged against, such as
   "undisclosed_sponsored_posts must be at most 0";
3. **The evidence**: the numbers behind the judgement, each with a label;
4. **What to do**: the remediation below.

Thresholds are the defaults listed here unless a campaign has its own; every outcome records
the threshold that applied. A value shown as "n/a" was not available that night.
"""


def render_pitfalls_md(catalogue: Catalogue) -> str:
    """The whole page: introduction, overview table, one section per pitfall."""
    guarded = len(catalogue.guarded)
    parts = [
        _INTRO,
        "## All pitfalls\n",
        f"{len(catalogue.pitfalls)} pitfalls are catalogued; {guarded} are guarded.\n",
        "| Id | Pitfall | Severity | Guarded | Default |",
        "|---|---|---|---|---|",
    ]
    for p in catalogue:
        parts.append(
            f"| [{p.id}](#{p.id.lower()}) | {_cell(p.title)} | {p.severity} | "
            f"{'guarded' if p.is_guarded else 'not yet'} | {_cell(p.default)} |"
        )
    parts.append("")
    for p in catalogue:
        parts.append(_section(p))
    return "\n".join(parts).rstrip() + "\n"


def write_pitfalls_md(path: Path = PITFALLS_DOC, catalogue: Catalogue | None = None) -> Path:
    """Regenerate the page; returns where it was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_pitfalls_md(catalogue or load_catalogue()), encoding="utf-8")
    return path


def _section(p: Pitfall) -> str:
    lines = [
        f'<a id="{p.id.lower()}"></a>',
        "",
        f"### {p.id}: {p.title}",
        "",
        f"**Severity:** {p.severity}. **Default:** {p.default}.",
        "",
        p.explanation,
        "",
    ]
    guard = p.guard
    if guard is None:
        lines += [
            "**Signal:** not guarded yet; no nightly signal computes this pitfall.",
            "",
        ]
    else:
        checks = ", ".join(f"`{c.column}` ({c.unit})" for c in guard.checks)
        lines += [
            f"**Signal:** `marts.{guard.model}`: {checks}. "
            f"**Rule:** {guard.describe_rule()}; a campaign that breaks "
            f"{'it' if len(guard.checks) == 1 else 'any of them'} fails the guard.",
            "",
            *([f"**How it is judged:** {p.judgement}", ""] if p.judgement else []),
            *_cannot_tell_lines(guard),
            *_parameter_lines(p),
            "**Evidence quoted in an alert:**",
            "",
            *(f"- {label} (`{column}`)" for column, label in guard.evidence.items()),
            "",
        ]
    lines += [
        f"**What to do:** {p.remediation}",
        "",
        f"**Source:** {p.seed}.",
        "",
    ]
    return "\n".join(lines)


def _parameter_lines(p: Pitfall) -> list[str]:
    """The numbers inside the signal that decide the verdict, and how to override them."""
    if not p.parameters:
        return []
    rows = [
        f"| `{q.name}` | {q.unit} | {q.default:g} | "
        f"{'per campaign' if q.scope == 'campaign' else 'global (catalogue default)'} | "
        f"{_cell(q.description)} |"
        for q in p.parameters
    ]
    return [
        "**Parameters** (override per campaign, brand or channel in "
        "`config/guard_overrides.yaml` with `parameter: <name>, value: <number>`; a global one "
        "has one value for every campaign):",
        "",
        "| Parameter | Unit | Default | Scope | Meaning |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ]


def _cannot_tell_lines(guard: Guard) -> list[str]:
    """How a guard that counts unknown words says cannot tell, or nothing."""
    bounded = [c for c in guard.checks if c.unknown]
    if not bounded:
        return []
    counts = "; ".join(f"`{c.column}` may be up to `{c.unknown}` higher" for c in bounded)
    return [
        f"**Cannot tell:** words no vocabulary knows are counted apart ({counts}); when the "
        "verdict at the value and at the raised value differ, the guard says *cannot tell* "
        f"and names the words (`{guard.unknown_terms}`).",
        "",
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
