"""The few lines ``marketing-health run-night`` ends with: what the night did, and where to look.

The whole record of a night is the health report, the warehouse and (``run-night --json``)
every stage's result; a person at a terminal needs the gist: what was loaded, which campaigns
the guards found failing, what Slack was told, and where the report is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from marketing_health.settings import Paths
from marketing_health.warehouse import connect

#: Campaigns named in the summary, worst first; the report lists every one.
WORST_SHOWN = 5


def _n(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _loaded(result: dict[str, Any]) -> str:
    published = result.get("publish") or {}
    stages = result.get("stage") or {}
    rejected = (published.get("files_by_status") or {}).get("rejected", 0)
    text = (
        f"Loaded: {_n(int(published.get('files_new', 0)), 'new file', 'new files')} from "
        f"{_n(len(stages), 'source', 'sources')}, "
        f"{_n(int(published.get('rows_loaded', 0)), 'row', 'rows')}"
    )
    extra = []
    if published.get("rows_quarantined"):
        extra.append(f"{published['rows_quarantined']:,} quarantined")
    if rejected:
        extra.append(f"{_n(int(rejected), 'file', 'files')} rejected")
    return text + (f" ({', '.join(extra)})" if extra else "")


def _judged(con: Any, day: str) -> list[str]:
    outcomes = dict(
        con.execute(
            "select outcome, count(*) from guards.guard_results where run_date = ?::date "
            "group by outcome",
            [day],
        ).fetchall()
    )
    failing = con.execute(
        """
        select count(distinct campaign_id),
               count(distinct campaign_id) filter (where severity = 'critical')
        from guards.guard_results
        where run_date = ?::date and outcome = 'fail' and campaign_id <> '*'
        """,
        [day],
    ).fetchone()
    checks = sum(outcomes.values())
    line = (
        f"Guards: {_n(checks, 'check', 'checks')}; "
        f"{_n(int(failing[0]), 'campaign', 'campaigns')} failing, "
        f"{int(failing[1]):,} of them on a critical pitfall"
    )
    notes = []
    if outcomes.get("cannot_tell"):
        notes.append(f"{outcomes['cannot_tell']:,} cannot tell (unknown words)")
    if outcomes.get("error"):
        notes.append(f"{outcomes['error']:,} could not be evaluated")
    lines = [line + (f"; {', '.join(notes)}" if notes else "")]
    worst = con.execute(
        """
        select coalesce(c.campaign_name, h.campaign_id), h.health_score,
               array_to_string(h.failed_guards, ' ')
        from marts.fct_campaign_health_daily h
        left join marts.dim_campaigns c using (campaign_id)
        where h.run_date = ?::date and h.guards_failed > 0
        order by h.health_score, 1
        limit ?
        """,
        [day, WORST_SHOWN],
    ).fetchall()
    if worst:
        lines.append("Worst first (health 0-100, failing guards):")
        lines += [f"  {score:>3}  {name}  ({guards})" for name, score, guards in worst]
    return lines


def _told(result: dict[str, Any], paths: Paths, day: str) -> str:
    queued = result.get("queue") or {}
    delivered = result.get("deliver") or {}
    channels = len(queued.get("channels") or [])
    messages = int(queued.get("messages", 0))
    said = [
        f"{delivered.get(k, 0):,} {label}"
        for k, label in (("sent", "sent"), ("written", "written to files"), ("pending", "pending"))
        if delivered.get(k)
    ]
    text = f"Slack: {_n(channels, 'digest', 'digests')} ({_n(messages, 'message', 'messages')})" + (
        f": {', '.join(said)}" if said else ", nothing new to send"
    )
    if delivered.get("written"):
        text += f" in {_shown(paths.run_dir(day) / 'alerts')}"
    return text


def night_summary_lines(paths: Paths, result: dict[str, Any], seconds: float) -> list[str]:
    """The end-of-run summary of one night from its stage results and the warehouse."""
    day = str(result["as_of_date"])
    lines = [f"Night of {day} judged in {_duration(seconds)} (run {result.get('run_id')})"]
    lines.append("  " + _loaded(result))
    with connect(paths, read_only=True) as con:
        lines += ["  " + line for line in _judged(con, day)]
    lines.append("  " + _told(result, paths, day))
    report = (result.get("health_report") or {}).get("path")
    if report:
        lines.append(f"  Health report: {_shown(Path(report))}")
    lines.append("Every stage's result: run-night --json; every campaign: the health report.")
    return lines
