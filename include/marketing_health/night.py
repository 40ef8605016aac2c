"""One night of the pipeline as plain Python: the stages the DAG wires together.

The DAG's tasks and the ``marketing-health run-night`` command both call these functions, so
the business logic runs (and is tested) without a scheduler. Each stage reads only what the
stage before it wrote in the warehouse; each returns a JSON-serialisable dict that the DAG
passes on as XCom and the command prints.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from marketing_health.settings import Paths

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Night:
    """Which business day a run judges, and a run key safe for folder names."""

    as_of_date: str
    run_id: str
    #: The Airflow DAG running this night; None when run without a scheduler.
    dag_id: str | None = None
    #: Rebuild every dbt table from all raw rows, not only the days that changed.
    full_refresh: bool = False

    @property
    def run_key(self) -> str:
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", self.run_id).strip("_") or "run"

    @classmethod
    def for_logical_date(
        cls, logical_date: datetime, timezone: str, run_id: str, dag_id: str | None = None
    ) -> Night:
        """A run at 02:00 on day D judges day D-1, the last complete day of data.

        The logical date is taken in the schedule's timezone so a team in Singapore and one in
        New York both judge their own yesterday.
        """
        import pendulum

        local = pendulum.instance(logical_date).in_timezone(timezone)
        day = (local.date() - timedelta(days=1)).isoformat()
        return cls(as_of_date=day, run_id=run_id, dag_id=dag_id)

    @classmethod
    def for_date(
        cls, as_of_date: str | date, run_id: str | None = None, dag_id: str | None = None
    ) -> Night:
        day = as_of_date if isinstance(as_of_date, str) else as_of_date.isoformat()
        date.fromisoformat(day)
        return cls(as_of_date=day, run_id=run_id or f"night_{day}", dag_id=dag_id)

    @property
    def airflow_url(self) -> str | None:
        """The run's page in the Airflow UI, when a scheduler runs it."""
        from marketing_health.alerts.ops import run_url

        return run_url(self.dag_id, self.run_id) if self.dag_id else None


def source_names() -> list[str]:
    from marketing_health.contract import load_contract

    return [s.name for s in load_contract()]


def stage_source(paths: Paths, night: Night, source: str) -> dict[str, Any]:
    from marketing_health.ingest import stage_source as _stage
    from marketing_health.ingest.pii import resolve_pii_key

    report = _stage(source, paths, night.run_key, resolve_pii_key(paths))
    return report.as_dict()  # ingest logs its summary


def publish(paths: Paths, night: Night) -> dict[str, Any]:
    from marketing_health.ingest import publish as _publish

    report = _publish(paths, night.run_key)
    return report.as_dict()  # ingest logs its summary


def ingest(paths: Paths, night: Night) -> dict[str, Any]:
    """Every source loaded straight into the warehouse, in this process: what the stage tasks
    and publish do in the DAG, without staged files in between."""
    from marketing_health.ingest import load_night
    from marketing_health.ingest.pii import resolve_pii_key

    staged, published = load_night(paths, night.run_key, resolve_pii_key(paths))
    return {"stage": {s: r.as_dict() for s, r in staged.items()}, "publish": published.as_dict()}


def transform(paths: Paths, night: Night) -> dict[str, Any]:
    from marketing_health.transform import run_dbt_build

    summary = run_dbt_build(paths, night.as_of_date, full_refresh=night.full_refresh)
    return summary.as_dict()  # the dbt runner logs its summary


def guard(paths: Paths, night: Night) -> dict[str, Any]:
    from marketing_health.guards import evaluate_guards

    report = evaluate_guards(paths, night.as_of_date, night.run_id)
    return report.as_dict()  # the guard runner logs its summary


def report(paths: Paths, night: Night) -> dict[str, Any]:
    """Guard states and campaign health from the night's guard results (dbt, after_guards)."""
    from marketing_health.transform import run_dbt_reporting

    summary = run_dbt_reporting(paths, night.as_of_date)
    return summary.as_dict()  # the dbt runner logs its summary


def queue_alerts(paths: Paths, night: Night) -> dict[str, Any]:
    """Tonight's owner digests, the escalation copy and the ops digest, into the outbox."""
    from marketing_health.alerts import build_digests, build_ops_digest, queue_digests
    from marketing_health.alerts.actions import flush_inbox
    from marketing_health.alerts.intended_channel import name_intended_channels
    from marketing_health.alerts.policy import load_policy
    from marketing_health.warehouse import connect

    policy = load_policy()
    with connect(paths) as con:
        # what people did about alerts while the warehouse was busy counts tonight
        flush_inbox(paths, con)
        digests = name_intended_channels(build_digests(con, night.as_of_date, policy=policy))
        ops = build_ops_digest(
            con,
            night.as_of_date,
            night.run_key,
            night.airflow_url,
            policy=policy,
            runs_dir=paths.runs_dir,
        )
        if ops is not None:
            digests.append(ops)
        queued = queue_digests(con, digests, night.as_of_date)
    messages = sum(len(d.messages) for d in digests)
    log.info(
        "%d channel digest(s), %d message(s) for %s; %d newly queued",
        len(digests),
        messages,
        night.as_of_date,
        queued,
    )
    return {
        "channels": sorted({d.channel for d in digests}),
        "ops_digest": ops is not None,
        "messages": messages,
        "queued": queued,
    }


def health_report(paths: Paths, night: Night) -> dict[str, Any]:
    """The night's self-contained HTML health report, which the digests link to."""
    from marketing_health.report.html import write_health_report
    from marketing_health.report.links import report_url

    path = write_health_report(paths, night.as_of_date)
    url = report_url(night.as_of_date)
    log.info("Health report for %s: %s (in the Airflow UI: %s)", night.as_of_date, path, url)
    return {"path": str(path), "url": url}


def deliver_alerts(paths: Paths, night: Night) -> dict[str, Any]:
    """Send what the outbox holds, build the night's Great Expectations Data Docs, then bring
    the night's health report up to date.

    The report is written before delivery (the digests link to it) and so first shows every
    digest as pending; written again afterwards, its "Slack digests tonight" section says
    what was sent, written to files or is still pending, and it links the Data Docs. These are
    built only now, once the digests are out, so GE's page rendering never delays an alert.
    """
    from marketing_health.alerts import deliver_pending
    from marketing_health.guards.runner import build_night_data_docs
    from marketing_health.report.html import write_health_report
    from marketing_health.warehouse import connect

    with connect(paths) as con:
        report = deliver_pending(paths, con)
    log.info("%s", report.summary())
    build_night_data_docs(paths, night.as_of_date)
    write_health_report(paths, night.as_of_date)
    return report.as_dict()


def run_night(paths: Paths, night: Night) -> dict[str, Any]:
    """Every stage in order, in this process: what the DAG does, without a scheduler.

    The night keeps the warehouse from its first stage to its last: another night started at
    the same time (a manual re-run of an earlier day) waits for all of it, so it can neither
    rebuild the marts between this night's build and its guards nor judge them for its own day.
    The DAG gets the same from ``max_active_runs=1``.
    """
    from marketing_health.warehouse import hold  # DuckDB: not at DAG-parse time

    results: dict[str, Any] = {"as_of_date": night.as_of_date, "run_id": night.run_id}
    with hold(paths, exclusive=True):
        results.update(ingest(paths, night))
        results["transform"] = transform(paths, night)
        results["guard"] = guard(paths, night)
        results["report"] = report(paths, night)
        results["queue"] = queue_alerts(paths, night)
        results["health_report"] = health_report(paths, night)
        results["deliver"] = deliver_alerts(paths, night)
    return results
