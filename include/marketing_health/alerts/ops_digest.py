"""The ops channel's nightly digest: what kept the pipeline from seeing everything tonight.

Marketers hear about campaigns; whoever runs the pipeline hears about the pipeline: a source
whose files are late or have never arrived (freshness, per ``config/alerting.yaml``; a source
that sends no file on quiet days is named only for a long silence), failure alerts that did not
reach the ops channel (:mod:`marketing_health.alerts.ops_lost`), files
rejected and rows quarantined tonight, guards that could not be evaluated, and words the
vocabularies do not know (with the guard checks that could not tell because of them, and the
file entry that teaches each word). Each names what was seen and what to do, and links to the
Airflow run. It travels through the same outbox as the
marketers' digests (kind ``ops``, the ops Slack connection), so it is never lost or sent twice.
A night with nothing to say sends nothing.

Unknown words follow the quarantine's rule: a word is told in full on the night the first file
holding it is loaded. While it stays unknown it is one "still unknown" line on nights the digest
is sent anyway, and never the reason a digest is sent.

Alerts people labelled expected or not a problem in the last 90 days are listed per guard and
brand with the override that would have avoided them (:mod:`marketing_health.alerts.labels`);
labels given since the night before are news, older ones ride along when the digest is sent.

The digest speaks the ops channel's language (``config/alerting.yaml``: the channel's own
``language`` under ``channels``, else ``ops.language``, else the file's default ``language``);
the words are in :mod:`marketing_health.alerts.ops_render`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from marketing_health.alerts import ops_render
from marketing_health.alerts.blocks import assemble, link_context_block, pack
from marketing_health.alerts.digest import Digest, normalise_channel, table_exists
from marketing_health.alerts.labels import LabelSummary, load_labels
from marketing_health.alerts.ops_labels import labels_group
from marketing_health.alerts.ops_lost import LostNotification, mark_reported, pending_lost
from marketing_health.alerts.policy import AlertPolicy, load_policy, ops_language
from marketing_health.alerts.unknown_terms import UnknownTerms, load_unknown_terms
from marketing_health.catalogue import load_catalogue
from marketing_health.contract import load_contract
from marketing_health.contract.problems import loads
from marketing_health.i18n import translator
from marketing_health.settings import ops_channel

log = logging.getLogger(__name__)

#: Statuses of the load ledger that mean a source's data for that delivery day is in.
_DELIVERED = ("loaded", "replaced", "duplicate")
#: Quarantine reasons listed per file; the rest are counted.
_REASONS_PER_FILE = 5


@dataclass(frozen=True)
class LateSource:
    source: str
    newest_delivery: str | None
    max_age_days: int
    days_behind: int | None
    #: The source sends no file on a day without activity: it is named for a long silence
    #: (``max_silent_days``), not for a missed day.
    silent: bool = False

    @property
    def missing(self) -> bool:
        return self.newest_delivery is None


@dataclass(frozen=True)
class Reason:
    """One reason a file's rows were quarantined (or the file rejected), as ingest kept it."""

    #: The English sentence (``ops.quarantine.reason`` or the ledger's message).
    reason: str
    #: Rows it quarantined; None for the message that rejected the file.
    rows: int | None
    #: The problem's code and values (``marketing_health.contract.problems``); no code for a
    #: rejection or a row quarantined before the warehouse kept codes.
    problem: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    column: str | None = None
    file_path: str = ""


@dataclass(frozen=True)
class FileProblem:
    """A file rejected tonight, or one with rows quarantined."""

    source: str
    file_path: str
    rows_quarantined: int
    rejected: bool
    reasons: tuple[Reason, ...]
    #: Reasons beyond the ones listed, counted.
    more_reasons: int = 0


@dataclass(frozen=True)
class Unevaluated:
    """A guard that could not judge some campaigns (none listed: any campaign) tonight, and why."""

    guard_id: str
    #: The catalogue's (English) title; None for a guard the catalogue does not have.
    title: str | None
    #: The guard's own message; empty when it stopped without one.
    reason: str
    campaigns: tuple[str, ...]


@dataclass(frozen=True)
class OpsFindings:
    late: tuple[LateSource, ...]
    files: tuple[FileProblem, ...]
    unevaluated: tuple[Unevaluated, ...]
    unknown: UnknownTerms = field(default_factory=lambda: UnknownTerms((), ()))
    #: campaign id -> "name (brand)", for the campaigns unknown words and guards name.
    campaign_labels: dict[str, str] | None = None
    #: Alerts people labelled expected or not a problem in the last 90 days.
    labels: LabelSummary | None = None
    #: Failure alerts that did not reach the ops channel since the last ops digest.
    lost: tuple[LostNotification, ...] = ()

    def __bool__(self) -> bool:
        """News tonight; words told and labels given on earlier nights alone are not worth a
        message."""
        news = self.unknown.new or self.unknown.unmatched or (self.labels and self.labels.new)
        return bool(self.late or self.files or self.unevaluated or self.lost or news)


def late_sources(con: Any, run_date: str, policy: AlertPolicy) -> tuple[LateSource, ...]:
    """Watched sources whose newest delivered day is too far behind the night judged.

    A header-only file is a delivery ("nothing today"). A source that sends no file when
    nothing happened (``quiet_days: no_file`` in the landing contract) is compared with its
    ``max_silent_days``: quiet days alone never make it late.
    """
    if not policy.freshness:
        return ()
    contract = load_contract()
    newest: dict[str, Any] = {}
    if table_exists(con, "ops", "load_ledger"):
        rows = con.execute(
            f"""
            select source, max(delivery_day)::varchar
            from ops.load_ledger
            where status in {_DELIVERED!r}
            group by source
            """
        ).fetchall()
        newest = dict(rows)
    day = date.fromisoformat(run_date)
    late = []
    for source, max_age in sorted(policy.freshness.items()):
        delivered = newest.get(source)
        silent = not contract[source].needs_file_every_day
        if delivered is None:
            late.append(LateSource(source, None, max_age, None, silent))
            continue
        behind = (day - date.fromisoformat(delivered)).days
        if behind > max_age:
            late.append(LateSource(source, delivered, max_age, behind, silent))
    return tuple(late)


def _has_column(con: Any, table: str, column: str) -> bool:
    """Whether ``ops.<table>`` has ``column`` (a warehouse no ingest has updated may not)."""
    row = con.execute(
        "select count(*) from information_schema.columns "
        "where table_schema = 'ops' and table_name = ? and column_name = ?",
        [table, column],
    ).fetchone()
    return bool(row and row[0])


def file_problems(con: Any, run_key: str) -> tuple[FileProblem, ...]:
    """Files processed by this run that were rejected or had rows quarantined."""
    if not table_exists(con, "ops", "load_ledger"):
        return ()
    reasons: dict[tuple[str, str], list[Reason]] = {}
    if table_exists(con, "ops", "quarantine"):
        coded = _has_column(con, "quarantine", "problem")
        code = "min(problem), min(cast(problem_values as varchar))" if coded else "null, null"
        for source, path, reason, n, column, problem, values in con.execute(
            f"""
            select source, file_path, reason, count(*) as n, min(column_name), {code}
            from ops.quarantine
            where run_id = ?
            group by source, file_path, reason
            order by source, file_path, n desc, reason
            """,
            [run_key],
        ).fetchall():
            seen = Reason(str(reason), int(n), problem, loads(values), column, path)
            reasons.setdefault((source, path), []).append(seen)
    coded = "problem, cast(problem_values as varchar)"
    if not _has_column(con, "load_ledger", "problem"):
        coded = "null, null"
    rows = con.execute(
        f"""
        select source, file_path, coalesce(rows_quarantined, 0), status = 'rejected', message,
            {coded}
        from ops.load_ledger
        where run_id = ? and (status = 'rejected' or rows_quarantined > 0)
        order by source, file_path
        """,
        [run_key],
    ).fetchall()
    problems = []
    for source, path, quarantined, rejected, message, problem, values in rows:
        listed = reasons.get((source, path), [])
        if rejected and message:
            why = Reason(str(message), None, problem, loads(values), file_path=path)
            listed = [why, *listed]
        extra = max(len(listed) - _REASONS_PER_FILE, 0)
        shown = tuple(listed[:_REASONS_PER_FILE])
        problems.append(
            FileProblem(source, path, int(quarantined), bool(rejected), shown, more_reasons=extra)
        )
    return tuple(problems)


def _campaign_label(name: Any, campaign_id: Any, brand: Any) -> str | None:
    label = name or campaign_id
    if label is None or label == "*":
        return None
    return f"{label} ({brand})" if brand else str(label)


def unevaluated_guards(con: Any, run_date: str) -> tuple[Unevaluated, ...]:
    if not table_exists(con, "guards", "guard_results"):
        return ()
    join = table_exists(con, "marts", "dim_campaigns")
    sql = f"""
        select g.guard_id, g.summary, {"c.campaign_name, c.brand" if join else "null, null"},
               g.campaign_id
        from guards.guard_results as g
        {
        "left join (select campaign_id, min(campaign_name) as campaign_name, "
        "min(brand) as brand from marts.dim_campaigns group by campaign_id) as c "
        "on c.campaign_id = g.campaign_id"
        if join
        else ""
    }
        where g.run_date = ?::date and g.outcome = 'error'
    """
    catalogue = load_catalogue()
    grouped: dict[tuple[str, str], set[str]] = {}
    for gid, summary, name, brand, cid in con.execute(sql, [run_date]).fetchall():
        reason = (summary or "").strip()
        labels = grouped.setdefault((str(gid), reason), set())
        label = _campaign_label(name, cid, brand)
        if label:
            labels.add(label)
    items = []
    for (gid, reason), labels in sorted(grouped.items()):
        try:
            title: str | None = catalogue[gid].title
        except KeyError:
            title = None
        items.append(Unevaluated(gid, title, reason, tuple(sorted(labels, key=str.casefold))))
    return tuple(items)


def campaign_labels(con: Any, campaign_ids: set[str]) -> dict[str, str]:
    """campaign id -> "name (brand)" for the ids given, the id itself when the plan lacks it."""
    labels = {cid: cid for cid in campaign_ids}
    if campaign_ids and table_exists(con, "marts", "dim_campaigns"):
        rows = con.execute(
            "select campaign_id, min(campaign_name), min(brand) from marts.dim_campaigns "
            "group by campaign_id"
        ).fetchall()
        for cid, name, brand in rows:
            if str(cid) in labels:
                labels[str(cid)] = _campaign_label(name, cid, brand) or str(cid)
    return labels


def collect(
    con: Any,
    run_date: str,
    run_key: str,
    policy: AlertPolicy,
    lost: tuple[LostNotification, ...] = (),
) -> OpsFindings:
    unknown = load_unknown_terms(con, run_date, run_key)
    ids = {c for t in unknown.terms for c in t.campaign_ids}
    ids |= {c.campaign_id for c in unknown.cannot_tell}
    return OpsFindings(
        late=late_sources(con, run_date, policy),
        files=file_problems(con, run_key),
        unevaluated=unevaluated_guards(con, run_date),
        unknown=unknown,
        campaign_labels=campaign_labels(con, ids),
        labels=load_labels(con, run_date),
        lost=lost,
    )


def build_ops_digest(
    con: Any,
    run_date: str,
    run_key: str,
    run_url: str | None = None,
    *,
    policy: AlertPolicy | None = None,
    runs_dir: Path | None = None,
) -> Digest | None:
    """The ops digest of the night, or None when the pipeline saw everything it expected.

    Args:
        con: an open warehouse connection.
        run_date: the business day judged.
        run_key: the run key stage and publish recorded in the load ledger and quarantine.
        run_url: the Airflow run's page, linked from the message (None outside Airflow).
        runs_dir: where failure alerts that did not reach Slack are recorded
            (:mod:`~marketing_health.alerts.ops_lost`); the digest tells those not told yet
            and marks them told by ``run_key`` (a rebuild of the same run tells them again).
    """
    policy = policy or load_policy()
    lost = pending_lost(runs_dir, run_key) if runs_dir is not None else ()
    found = collect(con, run_date, run_key, policy, lost)
    if not found:
        return None
    channel = normalise_channel(ops_channel()) or ops_channel()
    t = translator(ops_language(policy, channel))
    groups = []
    if found.lost:
        groups.append(ops_render.lost_group(found.lost, t))
    if found.late:
        groups.append(ops_render.late_group(found.late, t))
    if found.files:
        groups.append(ops_render.files_group(found.files, t))
    if found.unevaluated:
        groups.append(ops_render.unevaluated_group(found.unevaluated, t))
    if found.unknown:
        groups.append(ops_render.unknown_group(found, run_date, t))
    if found.labels:
        groups.append(labels_group(found.labels, t))
    link = (
        link_context_block(run_url, t.gettext("Open the Airflow run"), t.gettext("task logs"))
        if run_url
        else None
    )
    header = ops_render.header(run_date, found, t)
    messages = assemble(channel, header, pack(groups), link, t)
    log.info("Ops digest for %s: %s", run_date, json.dumps(header, ensure_ascii=False))
    mark_reported(found.lost, run_key)
    return Digest(run_date, channel, (), tuple(messages), "ops")
