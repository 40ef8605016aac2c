"""Tonight's failed guards, grouped into one digest per owner Slack channel.

A marketer should get one message a night, about their own campaigns, worst first: each
campaign's failed pitfalls with what was seen (the guard's evidence sentence) and what to do
(the catalogue's remediation), and whether it is new tonight or has been failing for a while
(from ``marts.fct_guard_states``, built after the guards; "new tonight" when it is not there).
Campaigns whose plan names no Slack channel, and guards that could not be evaluated at all, go
to the fallback channel so nothing is silently dropped.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from marketing_health.alerts.blocks import SlackMessage
from marketing_health.catalogue import Catalogue, load_catalogue
from marketing_health.settings import fallback_channel

log = logging.getLogger(__name__)

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")

_ROWS_SQL = """
with campaigns as (
    select
        campaign_id,
        any_value(campaign_name) as campaign_name,
        any_value(brand) as brand,
        any_value(owner_team) as owner_team,
        any_value(owner_slack_channel) as owner_slack_channel
    from marts.dim_campaigns
    group by campaign_id
)
select
    g.guard_id, g.campaign_id, g.outcome, g.severity, g.summary, g.evidence::varchar,
    c.campaign_name, c.brand, c.owner_team, c.owner_slack_channel
from guards.guard_results as g
left join campaigns as c on c.campaign_id = g.campaign_id
where g.run_date = ?::date and g.outcome in ('fail', 'error')
"""

_STREAKS_SQL = """
select guard_id, campaign_id, failing_since::varchar, nights_failing
from marts.fct_guard_states
where run_date = ?::date and outcome = 'fail'
"""

_ROWS_WITHOUT_CAMPAIGNS_SQL = """
select
    guard_id, campaign_id, outcome, severity, summary, evidence::varchar,
    null, null, null, null
from guards.guard_results
where run_date = ?::date and outcome in ('fail', 'error')
"""


@dataclass(frozen=True)
class Finding:
    """One failed pitfall guard for one campaign, in the words marketers read."""

    guard_id: str
    title: str
    severity: str
    rank: int
    seen: str
    explanation: str
    remediation: str
    #: First night of the failing streak this finding belongs to; None when new tonight.
    failing_since: str | None = None
    #: Nights the streak has lasted, tonight included (1: new tonight).
    nights_failing: int = 1

    @property
    def is_new(self) -> bool:
        return self.failing_since is None or self.nights_failing <= 1


@dataclass(frozen=True)
class CampaignFindings:
    campaign_id: str
    campaign_name: str
    brand: str | None
    owner_team: str | None
    has_owner_channel: bool
    findings: tuple[Finding, ...]

    @property
    def worst_rank(self) -> int:
        return max(f.rank for f in self.findings)

    def sort_key(self) -> tuple[int, str, str]:
        return (-self.worst_rank, self.campaign_name.casefold(), self.campaign_id)


@dataclass(frozen=True)
class Unevaluated:
    """A guard that could not judge some campaigns (none listed: any campaign) tonight, and why."""

    guard_id: str
    title: str
    reason: str
    campaigns: tuple[str, ...]


@dataclass(frozen=True)
class Digest:
    """Everything one channel hears about one night, and the Slack message(s) that say it."""

    run_date: str
    channel: str
    campaigns: tuple[CampaignFindings, ...]
    unevaluated: tuple[Unevaluated, ...]
    messages: tuple[SlackMessage, ...]


def normalise_channel(channel: str | None) -> str | None:
    """``growth-emea``, ``#Growth-EMEA`` and ``#growth-emea`` are one channel; IDs stay as is."""
    if channel is None or not str(channel).strip():
        return None
    name = str(channel).strip()
    if _CHANNEL_ID.match(name):
        return name
    return "#" + name.lstrip("#").lower()


def _table_exists(con: Any, schema: str, table: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def _fetch_rows(con: Any, run_date: str) -> list[dict[str, Any]]:
    if not _table_exists(con, "guards", "guard_results"):
        log.warning("guards.guard_results does not exist yet: no alerts for %s", run_date)
        return []
    sql = _ROWS_SQL
    if not _table_exists(con, "marts", "dim_campaigns"):
        log.warning("marts.dim_campaigns is missing: alerts name campaigns by id only")
        sql = _ROWS_WITHOUT_CAMPAIGNS_SQL
    cols = [
        "guard_id",
        "campaign_id",
        "outcome",
        "severity",
        "summary",
        "evidence",
        "campaign_name",
        "brand",
        "owner_team",
        "owner_slack_channel",
    ]
    return [dict(zip(cols, row, strict=True)) for row in con.execute(sql, [run_date]).fetchall()]


def _streaks(con: Any, run_date: str) -> dict[tuple[str, str], tuple[str, int]]:
    """(guard, campaign) -> (failing since, nights failing) for tonight's failures.

    Empty when the guard states were not built (yet): every finding then reads as new.
    """
    if not _table_exists(con, "marts", "fct_guard_states"):
        log.info("marts.fct_guard_states is missing: every finding reads as new tonight")
        return {}
    rows = con.execute(_STREAKS_SQL, [run_date]).fetchall()
    return {
        (str(gid), str(cid)): (str(since), int(nights))
        for gid, cid, since, nights in rows
        if since is not None and nights is not None
    }


def _seen(row: dict[str, Any], catalogue: Catalogue) -> str:
    """The guard's evidence sentence; labelled evidence values when the sentence is missing."""
    if row["summary"] and str(row["summary"]).strip():
        return str(row["summary"]).strip()
    try:
        evidence = json.loads(row["evidence"]) if row["evidence"] else {}
    except ValueError:
        evidence = {}
    labels: dict[str, str] = {}
    try:
        guard = catalogue[row["guard_id"]].guard
        labels = guard.evidence if guard else {}
    except KeyError:
        pass
    if isinstance(evidence, dict):
        evidence = {k: v for k, v in evidence.items() if k != "checks"}
    if isinstance(evidence, dict) and evidence:
        return "; ".join(f"{labels.get(k, k)}: {v}" for k, v in evidence.items())
    return "no evidence was recorded"


def _finding(
    row: dict[str, Any],
    catalogue: Catalogue,
    streaks: dict[tuple[str, str], tuple[str, int]] | None = None,
) -> Finding:
    gid = str(row["guard_id"])
    try:
        pitfall = catalogue[gid]
        title, severity = pitfall.title, pitfall.severity
        explanation, remediation = pitfall.explanation, pitfall.remediation
    except KeyError:
        title, severity = f"Guard {gid}", "warning"
        explanation = "This guard is not described in the pitfall catalogue."
        remediation = "Ask the data team which pitfall this guard checks."
    if row["severity"] in catalogue.severities:
        severity = row["severity"]
    since, nights = (streaks or {}).get((gid, str(row["campaign_id"])), (None, 1))
    return Finding(
        guard_id=gid,
        title=title,
        severity=severity,
        rank=catalogue.severity_rank(severity),
        seen=_seen(row, catalogue),
        explanation=explanation,
        remediation=remediation,
        failing_since=since,
        nights_failing=nights,
    )


def _campaign_label(row: dict[str, Any]) -> str | None:
    """How an unevaluated campaign is named; None when the guard failed as a whole."""
    name = row["campaign_name"] or row["campaign_id"]
    if name is None:
        return None
    return f"{name} ({row['brand']})" if row["brand"] else str(name)


def _unevaluated(rows: list[dict[str, Any]], catalogue: Catalogue) -> tuple[Unevaluated, ...]:
    grouped: dict[tuple[str, str], list[str | None]] = {}
    for row in rows:
        reason = (row["summary"] or "").strip() or "the guard stopped without a message"
        grouped.setdefault((str(row["guard_id"]), reason), []).append(_campaign_label(row))
    items = []
    for (gid, reason), labels in sorted(grouped.items()):
        try:
            title = catalogue[gid].title
        except KeyError:
            title = f"Guard {gid}"
        names = tuple(sorted({n for n in labels if n is not None}, key=str.casefold))
        items.append(Unevaluated(guard_id=gid, title=title, reason=reason, campaigns=names))
    return tuple(items)


def _campaigns_by_channel(
    rows: list[dict[str, Any]],
    catalogue: Catalogue,
    fallback: str,
    streaks: dict[tuple[str, str], tuple[str, int]] | None = None,
) -> dict[str, list[CampaignFindings]]:
    by_campaign: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_campaign.setdefault(str(row["campaign_id"] or "unknown campaign"), []).append(row)
    channels: dict[str, list[CampaignFindings]] = {}
    for campaign_id, campaign_rows in by_campaign.items():
        first = campaign_rows[0]
        owner = normalise_channel(first["owner_slack_channel"])
        findings = sorted(
            (_finding(r, catalogue, streaks) for r in campaign_rows),
            key=lambda f: (-f.rank, f.guard_id),
        )
        campaign = CampaignFindings(
            campaign_id=campaign_id,
            campaign_name=str(first["campaign_name"] or campaign_id),
            brand=first["brand"],
            owner_team=first["owner_team"],
            has_owner_channel=owner is not None,
            findings=tuple(findings),
        )
        channels.setdefault(owner or fallback, []).append(campaign)
    return channels


def build_digests(con: Any, run_date: str | date) -> list[Digest]:
    """One digest per Slack channel for the night's failed and unevaluable guards.

    Args:
        con: an open warehouse connection (read access is enough).
        run_date: the business day the guards judged.
    """
    from marketing_health.alerts.render import render_messages

    day = run_date if isinstance(run_date, str) else run_date.isoformat()
    catalogue = load_catalogue()
    fallback = normalise_channel(fallback_channel()) or fallback_channel()
    rows = _fetch_rows(con, day)
    failed = [r for r in rows if r["outcome"] == "fail"]
    errors = [r for r in rows if r["outcome"] == "error"]
    streaks = _streaks(con, day) if failed else {}
    channels = _campaigns_by_channel(failed, catalogue, fallback, streaks)
    unevaluated = _unevaluated(errors, catalogue)
    if unevaluated:
        channels.setdefault(fallback, [])
    digests = []
    for channel in sorted(channels):
        campaigns = tuple(sorted(channels[channel], key=CampaignFindings.sort_key))
        extra = unevaluated if channel == fallback else ()
        messages = render_messages(day, channel, campaigns, extra)
        digests.append(Digest(day, channel, campaigns, extra, tuple(messages)))
    return digests
