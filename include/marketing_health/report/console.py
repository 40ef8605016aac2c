"""The end-of-run summary printed by the demo and ``run-night``: what was loaded, judged, sent.

It is written in the alerting file's default language (``language`` in
``config/alerting.yaml``), numbers and dates in that language's format. Tables are aligned by
the columns a terminal gives each character, not by ``len()``: a Chinese campaign name such as
双十一 takes two columns per character, so padding by character count would push every later
column out of line.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from typing import Any

from marketing_health.alerts.evidence_text import evidence_sentence, parse_evidence
from marketing_health.alerts.unknown_terms import UNKNOWN_TERMS_TABLE, load_unknown_terms
from marketing_health.i18n import Translator, translator
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

log = logging.getLogger(__name__)

#: Unknown words named one per line; the rest are counted.
_UNKNOWN_LISTED = 10
#: The order guard outcomes are counted in: what needs attention first.
_OUTCOME_ORDER = ("fail", "error", "cannot_tell", "pass", "not_applicable")


def display_width(text: str) -> int:
    """Terminal columns of ``text``: East Asian wide and full-width characters take two,
    combining marks none, everything else one."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    """``text`` followed by the spaces that make it ``width`` columns wide."""
    return text + " " * max(width - display_width(text), 0)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Rows under their headers, each column as wide as its widest cell in terminal columns."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join("  " + line for line in lines)


def _exists(con, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def console_language() -> str | None:
    """The alerting file's default language; English when the file cannot be read (the
    alert step has already said what is wrong with it, the summary must still print)."""
    from marketing_health.alerts.policy import load_policy

    try:
        return load_policy().language
    except Exception as exc:
        log.warning("Summary in English: the alerting file's language is unknown (%s)", exc)
        return None


def _outcome_count(outcome: str, n: int, t: Translator) -> str:
    """ "3 failed": how many guard checks ended one way."""
    if outcome == "pass":
        return t.ngettext("{n} passed", "{n} passed", n)
    if outcome == "fail":
        return t.ngettext("{n} failed", "{n} failed", n)
    if outcome == "error":
        return t.ngettext("{n} could not be evaluated", "{n} could not be evaluated", n)
    if outcome == "cannot_tell":
        return t.ngettext("{n} cannot tell", "{n} cannot tell", n)
    if outcome == "not_applicable":
        return t.ngettext("{n} not applicable", "{n} not applicable", n)
    return f"{t.integer(n)} {outcome}"


def _severity(severity: str | None, t: Translator) -> str:
    if severity == "critical":
        return t.pgettext("severity", "critical")
    if severity == "warning":
        return t.pgettext("severity", "warning")
    if severity == "info":
        return t.pgettext("severity", "info")
    return severity or ""


def _delivery_status(status: str, t: Translator) -> str:
    if status == "sent":
        return t.pgettext("delivery status", "sent")
    if status == "written":
        return t.pgettext("delivery status", "written to a file")
    if status == "pending":
        return t.pgettext("delivery status", "pending")
    return status


def _loaded(con: Any, t: Translator) -> list[str]:
    rows = con.execute(
        """
        select source,
               count(*) filter (where status in ('loaded', 'replaced')) as files,
               coalesce(sum(rows_loaded) filter (where status in ('loaded', 'replaced')), 0),
               coalesce(sum(rows_quarantined), 0),
               count(*) filter (where status = 'rejected')
        from ops.load_ledger group by source order by source
        """
    ).fetchall()
    headers = [
        t.pgettext("console column", "source"),
        t.pgettext("console column", "files"),
        t.pgettext("console column", "rows"),
        t.pgettext("console column", "quarantined"),
        t.pgettext("console column", "rejected files"),
    ]
    table = [[source, *(t.integer(v) for v in counts)] for source, *counts in rows]
    return [t.gettext("Loaded from the landing zone:"), format_table(headers, table)]


def _health(con: Any, as_of_date: str, t: Translator) -> list[str]:
    rows = con.execute(
        """
        select c.campaign_name, h.health_score, h.integration_score, h.kpi_coverage,
               array_to_string(h.failed_guards, ' ')
        from marts.fct_campaign_health_daily h
        join marts.dim_campaigns c using (campaign_id)
        where h.run_date = ?::date
        order by h.health_score, c.campaign_name
        """,
        [as_of_date],
    ).fetchall()
    headers = [
        t.pgettext("console column", "campaign"),
        t.pgettext("console column", "health"),
        t.pgettext("console column", "integration"),
        t.pgettext("console column", "KPI coverage"),
        t.pgettext("console column", "failing"),
    ]
    table = [
        [name, t.number(health), t.number(integration, 2), t.number(coverage, 2), failing]
        for name, health, integration, coverage, failing in rows
    ]
    head = t.gettext(
        "Campaign health on {date} (health 0-100; integration and KPI coverage 0 = poor, "
        "1 = excellent):",
        date=t.date(as_of_date, "medium"),
    )
    return ["\n" + head, format_table(headers, table)]


def _guards(con: Any, as_of_date: str, t: Translator) -> list[str]:
    rows = con.execute(
        """
        select g.guard_id, coalesce(c.campaign_name, g.campaign_id), g.severity,
               c.owner_slack_channel, g.summary, g.evidence::varchar
        from guards.guard_results g
        left join marts.dim_campaigns c using (campaign_id)
        where g.run_date = ?::date and g.outcome in ('fail', 'error')
        order by g.guard_id, 2
        """,
        [as_of_date],
    ).fetchall()
    counts = con.execute(
        """
        select outcome, count(*) from guards.guard_results
        where run_date = ?::date group by outcome
        """,
        [as_of_date],
    ).fetchall()
    rank = {o: i for i, o in enumerate(_OUTCOME_ORDER)}
    counts = sorted(counts, key=lambda row: (rank.get(row[0], len(rank)), row[0]))
    out = [
        "\n"
        + t.gettext(
            "Pitfall guards on {date}: {counts}",
            date=t.date(as_of_date, "medium"),
            counts=t.list(_outcome_count(o, n, t) for o, n in counts),
        )
    ]
    severities = [_severity(row[2], t) for row in rows]
    width = max((display_width(s) for s in severities), default=0)
    fallback = t.gettext("(fallback channel)")
    for (guard_id, campaign, _, channel, summary, evidence), severity in zip(
        rows, severities, strict=True
    ):
        seen = evidence_sentence(guard_id, summary, parse_evidence(evidence), t)
        out.append(f"  {guard_id} {pad(severity, width)} {campaign}  ->  {channel or fallback}")
        out.append(f"      {seen}")
    return out


def _outbox(con: Any, as_of_date: str, t: Translator) -> list[str]:
    rows = con.execute(
        """
        select channel, count(*), string_agg(distinct status, ','),
               string_agg(distinct destination, ', ')
        from alerts.outbox where run_date = ?::date group by channel order by channel
        """,
        [as_of_date],
    ).fetchall()
    headers = [
        t.pgettext("console column", "channel"),
        t.pgettext("console column", "messages"),
        t.pgettext("console column", "status"),
        t.pgettext("console column", "destination"),
    ]
    table = [
        [
            channel,
            t.integer(n),
            t.list(_delivery_status(s, t) for s in sorted(statuses.split(","))),
            destination,
        ]
        for channel, n, statuses, destination in rows
    ]
    head = t.gettext("Slack digests for {date}:", date=t.date(as_of_date, "medium"))
    return ["\n" + head, format_table(headers, table)]


def night_summary(paths: Paths, as_of_date: str, language: str | None = None) -> str:
    """The summary of a night, in ``language`` (default: the alerting file's language)."""
    t = translator(language or console_language())
    out: list[str] = []
    with connect(paths, read_only=True) as con:
        if _exists(con, "ops", "load_ledger"):
            out.extend(_loaded(con, t))
        if _exists(con, "marts", "fct_campaign_health_daily"):
            out.extend(_health(con, as_of_date, t))
        if _exists(con, "guards", "guard_results"):
            out.extend(_guards(con, as_of_date, t))
        out.extend(_unknown_words(paths, con, as_of_date, t))
        if _exists(con, "alerts", "outbox"):
            out.extend(_outbox(con, as_of_date, t))
    return "\n".join(out)


def _unknown_words(paths: Paths, con: Any, as_of_date: str, t: Translator) -> list[str]:
    """How many words the vocabularies do not know, the first few, and where the rest are."""
    from marketing_health.report.html import REPORT_FILE

    unknown = load_unknown_terms(con, as_of_date)
    if not unknown:
        return []
    blind = len(unknown.cannot_tell)
    day = t.date(as_of_date, "medium")
    if blind:
        head = t.ngettext(
            "Words the vocabularies do not know on {date}: {words} ({n} guard check cannot "
            "tell because of them)",
            "Words the vocabularies do not know on {date}: {words} ({n} guard checks cannot "
            "tell because of them)",
            blind,
            date=day,
            words=len(unknown.terms),
        )
    else:
        head = t.gettext(
            "Words the vocabularies do not know on {date}: {words}",
            date=day,
            words=len(unknown.terms),
        )
    lines = ["\n" + head]
    rows = [
        (
            term.term,
            term.what_in(t),
            t.integer(term.rows),
            t.integer(len(term.campaign_ids)),
            t.integer(len(term.files)),
            " ".join(term.guard_ids),
        )
        for term in unknown.terms[:_UNKNOWN_LISTED]
    ]
    if rows:
        headers = [
            t.pgettext("console column", "word"),
            t.pgettext("console column", "meant as"),
            t.pgettext("console column", "rows"),
            t.pgettext("console column", "campaigns"),
            t.pgettext("console column", "files"),
            t.pgettext("console column", "cannot tell"),
        ]
        lines.append(format_table(headers, rows))
    more = len(unknown.terms) - _UNKNOWN_LISTED
    if more > 0:
        lines.append("  " + t.ngettext("... and {n} more word", "... and {n} more words", more))
    report = paths.run_dir(as_of_date) / REPORT_FILE
    try:  # the same text for every installation of the same night
        where = t.gettext("{path} in the data folder", path=str(report.relative_to(paths.data_dir)))
    except ValueError:
        where = str(report)
    lines.append(
        "  "
        + t.gettext(
            "Files, campaigns and how to add each word: section '{section}' of the health "
            "report ({where}), the ops digest, and {table}.",
            section=t.gettext("Words the vocabularies do not know"),
            where=where,
            table=UNKNOWN_TERMS_TABLE,
        )
    )
    return lines


def print_night_summary(paths: Paths, as_of_date: str) -> None:
    print(night_summary(paths, as_of_date))
