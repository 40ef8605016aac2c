"""The few lines ``marketing-health run-night`` ends with: what the night did, and where to look.

The whole record of a night is the health report, the warehouse and (``run-night --json``)
every stage's result; a person at a terminal needs the gist: what was loaded, which campaigns
the guards found failing, what Slack was told, and where the report is.

The person at the terminal is whoever runs the pipeline, so the summary is in the ops channel's
language (the alerting file's ``ops.language``, the ops channel's own entry, else its default),
with plurals from that language's rule and numbers in its format.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from marketing_health.i18n import Translator, translator
from marketing_health.settings import Paths, ops_channel
from marketing_health.warehouse import connect

log = logging.getLogger(__name__)

#: Campaigns named in the summary, worst first; the report lists every one.
WORST_SHOWN = 5


def summary_translator() -> Translator:
    """The ops channel's language; English when the alerting file cannot say (the alert step
    has already said what is wrong with it, the summary must still print)."""
    from marketing_health.alerts.digest import normalise_channel
    from marketing_health.alerts.policy import load_policy, ops_language

    try:
        channel = ops_channel()
        return translator(ops_language(load_policy(), normalise_channel(channel) or channel))
    except Exception as exc:
        log.warning("Summary in English: the ops channel's language is unknown (%s)", exc)
        return translator()


def _duration(seconds: float, t: Translator) -> str:
    minutes, secs = divmod(round(seconds), 60)
    if minutes:
        return t.gettext("{minutes} min {seconds} s", minutes=minutes, seconds=secs)
    return t.gettext("{seconds} s", seconds=secs)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _loaded(result: dict[str, Any], t: Translator) -> str:
    published = result.get("publish") or {}
    stages = result.get("stage") or {}
    rejected = int((published.get("files_by_status") or {}).get("rejected", 0))
    quarantined = int(published.get("rows_quarantined") or 0)
    new = int(published.get("files_new", 0))
    values = {
        "files": t.ngettext("{n} new file", "{n} new files", new),
        "sources": t.ngettext("{n} source", "{n} sources", len(stages)),
        "rows": t.ngettext("{n} row", "{n} rows", int(published.get("rows_loaded", 0))),
        "quarantined": t.ngettext("{n} quarantined", "{n} quarantined", quarantined),
        "rejected": t.ngettext("{n} file rejected", "{n} files rejected", rejected),
    }
    if quarantined and rejected:
        return t.gettext(
            "Loaded: {files} from {sources}, {rows} ({quarantined}, {rejected})", **values
        )
    if quarantined:
        return t.gettext("Loaded: {files} from {sources}, {rows} ({quarantined})", **values)
    if rejected:
        return t.gettext("Loaded: {files} from {sources}, {rows} ({rejected})", **values)
    return t.gettext("Loaded: {files} from {sources}, {rows}", **values)


def _judged(con: Any, day: str, t: Translator) -> list[str]:
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
    line = t.gettext(
        "Guards: {checks}; {failing}, {critical} of them on a critical pitfall",
        checks=t.ngettext("{n} check", "{n} checks", checks),
        failing=t.ngettext("{n} campaign failing", "{n} campaigns failing", int(failing[0])),
        critical=int(failing[1]),
    )
    notes = []
    if outcomes.get("cannot_tell"):
        n = int(outcomes["cannot_tell"])
        notes.append(
            t.ngettext("{n} cannot tell (unknown words)", "{n} cannot tell (unknown words)", n)
        )
    if outcomes.get("error"):
        n = int(outcomes["error"])
        notes.append(t.ngettext("{n} could not be evaluated", "{n} could not be evaluated", n))
    if notes:
        # Translators: the guards' line, then what could not be judged (a list)
        line = t.gettext("{summary}; {notes}", summary=line, notes=t.list(notes))
    lines = [line]
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
        lines.append(t.gettext("Worst first (health 0-100, failing guards):"))
        lines += [f"  {score:>3}  {name}  ({guards})" for name, score, guards in worst]
    return lines


def _told(result: dict[str, Any], paths: Paths, day: str, t: Translator) -> str:
    queued = result.get("queue") or {}
    delivered = result.get("deliver") or {}
    values = {
        "digests": t.ngettext("{n} digest", "{n} digests", len(queued.get("channels") or [])),
        "messages": t.ngettext("{n} message", "{n} messages", int(queued.get("messages", 0))),
    }
    said = []
    if delivered.get("sent"):
        said.append(t.gettext("{n} sent", n=int(delivered["sent"])))
    if delivered.get("written"):
        said.append(t.gettext("{n} written to files", n=int(delivered["written"])))
    if delivered.get("pending"):
        said.append(t.gettext("{n} pending", n=int(delivered["pending"])))
    if not said:
        return t.gettext("Slack: {digests} ({messages}), nothing new to send", **values)
    if delivered.get("written"):
        return t.gettext(
            "Slack: {digests} ({messages}): {delivered} in {folder}",
            delivered=t.list(said),
            folder=_shown(paths.run_dir(day) / "alerts"),
            **values,
        )
    return t.gettext("Slack: {digests} ({messages}): {delivered}", delivered=t.list(said), **values)


def night_summary_lines(
    paths: Paths, result: dict[str, Any], seconds: float, t: Translator | None = None
) -> list[str]:
    """The end-of-run summary of one night from its stage results and the warehouse, in the
    ops channel's language unless ``t`` names one."""
    t = t or summary_translator()
    day = str(result["as_of_date"])
    lines = [
        t.gettext(
            "Night of {date} judged in {duration} (run {run})",
            date=day,
            duration=_duration(seconds, t),
            run=str(result.get("run_id")),
        )
    ]
    lines.append("  " + _loaded(result, t))
    with connect(paths, read_only=True) as con:
        lines += ["  " + line for line in _judged(con, day, t)]
    lines.append("  " + _told(result, paths, day, t))
    report = (result.get("health_report") or {}).get("path")
    if report:
        lines.append("  " + t.gettext("Health report: {path}", path=_shown(Path(report))))
    lines.append(
        t.gettext("Every stage's result: run-night --json; every campaign: the health report.")
    )
    return lines
