"""What the health report reads from the warehouse, as plain rows for one night.

Each section of the report reads one table, so a night whose guards or reporting models did not
run still gets a report of what exists, and :attr:`ReportData.missing` says what is not there.
Every query is one set-based statement; series for the trend charts are aggregated into lists
by DuckDB, never assembled row by row in Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marketing_health.alerts.labels import LabelSummary, load_labels
from marketing_health.alerts.unknown_terms import (
    UNKNOWN_TERMS_TABLE,
    UnknownTerms,
    load_unknown_terms,
)
from marketing_health.i18n.domains import N_

#: Days of the two headline measures and runs of the health score drawn per campaign.
TREND_WINDOW = 90

#: Tables the report reads, and what the reader loses when one is missing (shown translated).
SOURCES: dict[str, str] = {
    "marts.dim_campaigns": N_("campaign names, brands and owner teams (campaigns are shown by id)"),
    "marts.fct_campaign_health_daily": N_("health scores"),
    "marts.fct_campaign_integration_daily": N_("the integration measure"),
    "marts.fct_campaign_kpi_coverage_daily": N_("the KPI coverage measure"),
    "guards.guard_results": N_("the pitfall guards' results"),
    "marts.fct_guard_states": N_("whether a pitfall is new, persisting or resolved"),
    "alerts.outbox": N_("which Slack digests were sent"),
    UNKNOWN_TERMS_TABLE: N_("the words the vocabularies do not know"),
}


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    name: str
    brand: str | None = None
    owner_team: str | None = None
    owner_channel: str | None = None


@dataclass(frozen=True)
class CampaignHealth:
    """One campaign's standing tonight, with its score on the run before for the change."""

    campaign_id: str
    health_score: int | None
    previous_score: int | None
    guards_failed: int
    critical_failed: int
    guards_entered: int
    guards_recovered: int
    guards_error: int
    integration: float | None
    kpi_coverage: float | None


@dataclass(frozen=True)
class GuardCell:
    """One guard's verdict on one campaign tonight (campaign ``*``: the guard could not run)."""

    campaign_id: str
    guard_id: str
    outcome: str
    state: str | None
    severity: str | None
    summary: str | None
    failing_since: str | None
    nights_failing: int | None
    #: The guard's evidence columns (JSON), from which the summary is written in another language.
    evidence: dict[str, Any] | None = None


@dataclass(frozen=True)
class Recovery:
    """A pitfall a campaign failed on the run before and no longer fails tonight."""

    campaign_id: str
    guard_id: str
    severity: str | None
    failing_since: str | None
    last_failed: str | None


@dataclass(frozen=True)
class Delivery:
    """The Slack digest of one channel tonight."""

    channel: str
    messages: int
    statuses: str
    destinations: str


@dataclass
class ReportData:
    as_of_date: str
    missing: list[str] = field(default_factory=list)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    health: list[CampaignHealth] = field(default_factory=list)
    health_series: dict[str, list[tuple[str, float | None]]] = field(default_factory=dict)
    integration_series: dict[str, list[tuple[str, float | None]]] = field(default_factory=dict)
    coverage_series: dict[str, list[tuple[str, float | None]]] = field(default_factory=dict)
    cells: list[GuardCell] = field(default_factory=list)
    recoveries: list[Recovery] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    #: (night, campaigns judged, campaigns failing at least one guard) for every run so far.
    nights: list[tuple[str, int, int]] = field(default_factory=list)
    #: Words the vocabularies do not know, and the guard checks that could not tell.
    unknown: UnknownTerms = field(default_factory=lambda: UnknownTerms((), (), listed=False))
    #: Alerts people labelled expected or not a problem in the last 90 days (none: no table).
    labels: LabelSummary | None = None

    def has(self, table: str) -> bool:
        return table not in self.missing

    def campaign(self, campaign_id: str) -> Campaign:
        return self.campaigns.get(campaign_id) or Campaign(campaign_id, campaign_id)


def table_exists(con: Any, qualified_name: str) -> bool:
    schema, table = qualified_name.split(".", 1)
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def _day(value: Any) -> str | None:
    return None if value is None else str(value)


def _campaigns(con: Any) -> dict[str, Campaign]:
    rows = con.execute(
        """
        select campaign_id, min(campaign_name), min(brand), min(owner_team),
               min(owner_slack_channel)
        from marts.dim_campaigns
        group by campaign_id
        """
    ).fetchall()
    return {
        str(cid): Campaign(str(cid), str(name or cid), brand, team, channel)
        for cid, name, brand, team, channel in rows
    }


def _health(con: Any, day: str) -> list[CampaignHealth]:
    rows = con.execute(
        """
        with scored as (
            select *, lag(health_score) over (partition by campaign_id order by run_date)
                          as previous_score
            from marts.fct_campaign_health_daily
            where run_date <= ?::date
        )
        select campaign_id, health_score, previous_score, guards_failed, critical_failed,
               guards_entered, guards_recovered, guards_error, integration_score, kpi_coverage
        from scored
        where run_date = ?::date
        """,
        [day, day],
    ).fetchall()
    return [
        CampaignHealth(str(r[0]), r[1], r[2], *(int(v or 0) for v in r[3:8]), r[8], r[9])
        for r in rows
    ]


def _series(con: Any, sql: str, params: list[Any]) -> dict[str, list[tuple[str, float | None]]]:
    """campaign -> [(day, value)] oldest first; the SQL returns campaign_id, days[], values[]."""
    return {
        str(cid): [(str(d), v) for d, v in zip(days, values, strict=True)]
        for cid, days, values in con.execute(sql, params).fetchall()
    }


def _health_series(con: Any, day: str) -> dict[str, list[tuple[str, float | None]]]:
    return _series(
        con,
        """
        with recent as (
            select campaign_id, run_date, health_score,
                   row_number() over (partition by campaign_id order by run_date desc) as age
            from marts.fct_campaign_health_daily
            where run_date <= ?::date
        )
        select campaign_id, array_agg(run_date order by run_date),
               array_agg(health_score order by run_date)
        from recent where age <= ? group by campaign_id
        """,
        [day, TREND_WINDOW],
    )


def _measure_series(
    con: Any, table: str, column: str, day: str
) -> dict[str, list[tuple[str, float | None]]]:
    start = date.fromordinal(date.fromisoformat(day).toordinal() - TREND_WINDOW + 1).isoformat()
    return _series(
        con,
        f"""
        select campaign_id, array_agg(as_of_date order by as_of_date),
               array_agg({column} order by as_of_date)
        from {table}
        where as_of_date between ?::date and ?::date
        group by campaign_id
        """,
        [start, day],
    )


def _cells(con: Any, day: str, with_states: bool) -> list[GuardCell]:
    states = (
        """
        left join marts.fct_guard_states s
            on s.run_date = g.run_date and s.guard_id = g.guard_id
            and s.campaign_id = g.campaign_id
        """
        if with_states
        else ""
    )
    state_columns = (
        "s.state, s.failing_since, s.nights_failing" if with_states else "null, null, null"
    )
    rows = con.execute(
        f"""
        select g.campaign_id, g.guard_id, g.outcome, g.severity, g.summary, {state_columns},
               g.evidence::varchar
        from guards.guard_results g
        {states}
        where g.run_date = ?::date
        """,
        [day],
    ).fetchall()
    return [
        GuardCell(
            str(cid),
            str(gid),
            str(outcome),
            state,
            severity,
            summary,
            _day(since),
            nights,
            _evidence(evidence),
        )
        for cid, gid, outcome, severity, summary, state, since, nights, evidence in rows
    ]


def _evidence(text: Any) -> dict[str, Any] | None:
    """The evidence JSON as a mapping; None when absent or not an object."""
    if text is None:
        return None
    if isinstance(text, dict):
        return text
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _recoveries(con: Any, day: str) -> list[Recovery]:
    rows = con.execute(
        """
        select s.campaign_id, s.guard_id, coalesce(p.severity, s.severity), p.failing_since,
               s.previous_run_date
        from marts.fct_guard_states s
        left join marts.fct_guard_states p
            on p.guard_id = s.guard_id and p.campaign_id = s.campaign_id
            and p.run_date = s.previous_run_date
        where s.run_date = ?::date and s.state = 'recovered' and s.outcome <> 'cannot_tell'
        """,
        [day],
    ).fetchall()
    return [
        Recovery(str(c), str(g), sev, _day(since), _day(last)) for c, g, sev, since, last in rows
    ]


def _deliveries(con: Any, day: str) -> list[Delivery]:
    rows = con.execute(
        """
        select channel, count(*), string_agg(distinct status, ', ' order by status),
               coalesce(string_agg(distinct destination, ', ' order by destination), '')
        from alerts.outbox where run_date = ?::date
        group by channel order by channel
        """,
        [day],
    ).fetchall()
    return [Delivery(str(c), int(n), str(s), str(d)) for c, n, s, d in rows]


def _nights(con: Any, day: str) -> list[tuple[str, int, int]]:
    rows = con.execute(
        """
        select run_date, count(*), count(*) filter (where guards_failed > 0)
        from marts.fct_campaign_health_daily
        where run_date <= ?::date
        group by run_date order by run_date
        """,
        [day],
    ).fetchall()
    return [(str(d), int(n), int(f)) for d, n, f in rows[-TREND_WINDOW:]]


def load_report_data(con: Any, as_of_date: str) -> ReportData:
    """Everything the report shows for one night, from whichever tables exist."""
    day = date.fromisoformat(as_of_date).isoformat()
    data = ReportData(as_of_date=day)
    data.missing = [t for t in SOURCES if not table_exists(con, t)]
    if data.has("marts.dim_campaigns"):
        data.campaigns = _campaigns(con)
    if data.has("marts.fct_campaign_health_daily"):
        data.health = _health(con, day)
        data.health_series = _health_series(con, day)
        data.nights = _nights(con, day)
    if data.has("marts.fct_campaign_integration_daily"):
        data.integration_series = _measure_series(
            con, "marts.fct_campaign_integration_daily", "integration_score", day
        )
    if data.has("marts.fct_campaign_kpi_coverage_daily"):
        data.coverage_series = _measure_series(
            con, "marts.fct_campaign_kpi_coverage_daily", "kpi_coverage", day
        )
    if data.has("guards.guard_results"):
        data.cells = _cells(con, day, with_states=data.has("marts.fct_guard_states"))
    if data.has("marts.fct_guard_states"):
        data.recoveries = _recoveries(con, day)
    if data.has("alerts.outbox"):
        data.deliveries = _deliveries(con, day)
    data.unknown = load_unknown_terms(con, day)
    if table_exists(con, "alerts.alert_actions"):
        data.labels = load_labels(con, day)
    return data
