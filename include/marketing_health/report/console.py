"""The end-of-run summary printed by the demo and ``run-night``: what was loaded, judged, sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marketing_health.alerts.unknown_terms import UNKNOWN_TERMS_TABLE, load_unknown_terms
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

#: Unknown words named one per line; the rest are counted.
_UNKNOWN_LISTED = 10


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
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


def night_summary(paths: Paths, as_of_date: str) -> str:
    out: list[str] = []
    with connect(paths, read_only=True) as con:
        if _exists(con, "ops", "load_ledger"):
            rows = con.execute(
                """
                select source,
                       count(*) filter (where status in ('loaded', 'replaced')) as files,
                       coalesce(sum(rows_loaded) filter (where status in ('loaded', 'replaced')),
                                0),
                       coalesce(sum(rows_quarantined), 0),
                       count(*) filter (where status = 'rejected')
                from ops.load_ledger group by source order by source
                """
            ).fetchall()
            out.append("Loaded from the landing zone:")
            out.append(_table(["source", "files", "rows", "quarantined", "rejected files"], rows))
        if _exists(con, "marts", "fct_campaign_health_daily"):
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

            def score(v) -> str:
                return "n/a" if v is None else f"{v:.2f}"

            out.append(
                f"\nCampaign health on {as_of_date} (health 0-100; integration and KPI coverage"
                " 0 = poor, 1 = excellent):"
            )
            out.append(
                _table(
                    ["campaign", "health", "integration", "KPI coverage", "failing"],
                    [(n, h, score(i), score(k), f) for n, h, i, k, f in rows],
                )
            )
        if _exists(con, "guards", "guard_results"):
            rows = con.execute(
                """
                select g.guard_id, coalesce(c.campaign_name, g.campaign_id), g.severity,
                       coalesce(c.owner_slack_channel, '(fallback)'), g.summary
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
                where run_date = ?::date group by outcome order by outcome
                """,
                [as_of_date],
            ).fetchall()
            out.append(
                f"\nPitfall guards on {as_of_date}: " + ", ".join(f"{n} {o}" for o, n in counts)
            )
            for guard_id, campaign, severity, channel, summary in rows:
                out.append(f"  {guard_id} {severity:<8} {campaign}  ->  {channel}")
                out.append(f"      {summary}")
        out.extend(_unknown_words(paths, con, as_of_date))
        if _exists(con, "alerts", "outbox"):
            rows = con.execute(
                """
                select channel, count(*), string_agg(distinct status, ', '),
                       string_agg(distinct destination, ', ')
                from alerts.outbox where run_date = ?::date group by channel order by channel
                """,
                [as_of_date],
            ).fetchall()
            out.append(f"\nSlack digests for {as_of_date}:")
            out.append(_table(["channel", "messages", "status", "destination"], rows))
    return "\n".join(out)


def _unknown_words(paths: Paths, con: Any, as_of_date: str) -> list[str]:
    """How many words the vocabularies do not know, the first few, and where the rest are."""
    from marketing_health.report.html import REPORT_FILE

    unknown = load_unknown_terms(con, as_of_date)
    if not unknown:
        return []
    blind = len(unknown.cannot_tell)
    lines = [
        f"\nWords the vocabularies do not know on {as_of_date}: {len(unknown.terms)}"
        + (f" ({blind} guard check(s) cannot tell because of them)" if blind else "")
    ]
    rows = [
        (t.term, t.what, t.rows, len(t.campaign_ids), len(t.files), " ".join(t.guard_ids))
        for t in unknown.terms[:_UNKNOWN_LISTED]
    ]
    if rows:
        lines.append(
            _table(["word", "meant as", "rows", "campaigns", "files", "cannot tell"], rows)
        )
    more = len(unknown.terms) - _UNKNOWN_LISTED
    if more > 0:
        lines.append(f"  ... and {more} more")
    report = paths.run_dir(as_of_date) / REPORT_FILE
    try:  # the same text for every installation of the same night
        where = f"{report.relative_to(paths.data_dir)} in the data folder"
    except ValueError:
        where = str(report)
    lines.append(
        f"  Files, campaigns and how to add each word: section 'Words the vocabularies do not "
        f"know' of the health report ({where}), the ops digest, and {UNKNOWN_TERMS_TABLE}."
    )
    return lines


def print_night_summary(paths: Paths, as_of_date: str) -> None:
    print(night_summary(paths, as_of_date))
