"""The end-of-run summary printed by the demo and ``run-night``: what was loaded, judged, sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marketing_health.settings import Paths
from marketing_health.warehouse import connect


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


def print_night_summary(paths: Paths, as_of_date: str) -> None:
    print(night_summary(paths, as_of_date))
