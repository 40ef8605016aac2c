"""
### Marketing health: the nightly run

Every night at 02:00 (timezone from `MH_SCHEDULE_TIMEZONE`, default UTC) this DAG judges
**yesterday** for every live campaign:

1. **ingest**: each channel export in the landing zone is checked against the landing contract
   and staged in parallel (one task per source); `publish_to_warehouse` then loads the staged
   files into DuckDB in one writer task. A load ledger makes re-runs and re-deliveries safe;
   rows that break the contract are quarantined, never dropped.
2. **transform**: `dbt build` turns the raw exports into the cross-channel model, the two
   headline measures (integration and KPI coverage) and one signal table per guard.
3. **guard**: Great Expectations suites, one per pitfall in the catalogue (`gx/`), judge the
   signals (thresholds and severities as in `config/guard_overrides.yaml`, when set) in the
   night's own GE project, `runs/<day>/gx` (its checkpoint `pitfall_guards` re-runs the night);
   every outcome, pass or fail, is kept in `guards.guard_results`.
4. **report**: a second `dbt build` of the models tagged `after_guards`: each guard's state
   against the run before (new, persisting, recovered) and a health score per campaign.
5. **alert**: one digest per owner Slack channel, through an idempotent outbox: a night is
   never announced twice. Each pitfall is marked new, worse, failing since a date, or
   resolved; one that keeps failing is repeated every few nights, and escalated after a week
   (`config/alerting.yaml`). The ops channel gets late or missing source files, quarantined
   rows and guards that could not be evaluated. `write_health_report` writes the night's HTML
   health report, shown under **Marketing health** in this UI and linked from every digest;
   `deliver_digests` sends them, builds the night's GE Data Docs (linked from the report) and
   brings the report's Slack section up to date.

Trigger with `{"as_of_date": "YYYY-MM-DD"}` to re-judge a given day; add `"full_refresh": true`
to rebuild every dbt table from all raw rows (a night otherwise rebuilds only the days that
changed, and rebuilds everything by itself when the dbt project changed). A failed task alerts
the ops channel. See `docs/pitfalls.md` for what each guard means.
"""

from __future__ import annotations

from dataclasses import replace

import pendulum
from airflow.sdk import (
    Asset,
    CronTriggerTimetable,
    Param,
    dag,
    get_current_context,
    task,
    task_group,
)

from marketing_health import night as stages
from marketing_health.alerts.ops import notify_ops_failure
from marketing_health.settings import Paths, schedule_timezone, task_retries, task_retry_delay

TIMEZONE = schedule_timezone()

RAW = Asset(name="marketing_health_raw", uri="x-duckdb://marketing_health/raw")
MARTS = Asset(name="marketing_health_marts", uri="x-duckdb://marketing_health/marts")
GUARD_RESULTS = Asset(
    name="marketing_health_guard_results", uri="x-duckdb://marketing_health/guards.guard_results"
)
HEALTH = Asset(
    name="marketing_health_health",
    uri="x-duckdb://marketing_health/marts.fct_campaign_health_daily",
)
OUTBOX = Asset(name="marketing_health_alerts", uri="x-duckdb://marketing_health/alerts.outbox")


def _night() -> stages.Night:
    context = get_current_context()
    as_of = context["params"].get("as_of_date")
    run_id, dag_id = context["run_id"], context["dag"].dag_id
    if as_of:
        night = stages.Night.for_date(as_of, run_id, dag_id)
    else:
        night = stages.Night.for_logical_date(context["logical_date"], TIMEZONE, run_id, dag_id)
    return replace(night, full_refresh=bool(context["params"].get("full_refresh")))


@task_group(tooltip="dbt build after the guards: guard states and campaign health")
def report(judged: dict):
    """Guard states and campaign health from the night's results, before anyone is alerted."""

    @task(outlets=[HEALTH])
    def dbt_build_reporting(judged: dict) -> dict:
        return stages.report(Paths.from_env(), _night())

    return dbt_build_reporting(judged)


@dag(
    schedule=CronTriggerTimetable("0 2 * * *", timezone=TIMEZONE),
    start_date=pendulum.datetime(2026, 1, 1, tz=TIMEZONE),
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["marketing", "health", "nightly"],
    default_args={
        "owner": "marketing-ops",
        "retries": task_retries(),
        "retry_delay": task_retry_delay(),
        "retry_exponential_backoff": True,
        "on_failure_callback": notify_ops_failure,
    },
    params={
        "as_of_date": Param(
            None,
            type=["null", "string"],
            format="date",
            description="Day to judge (YYYY-MM-DD). Empty: the day before the run.",
        ),
        "full_refresh": Param(
            False,
            type="boolean",
            description="Rebuild every dbt table from all raw rows instead of the days that "
            "changed.",
        ),
    },
)
def marketing_health():
    @task_group(tooltip="Check channel exports against the contract and load them")
    def ingest():
        @task
        def stage(source: str) -> dict:
            return stages.stage_source(Paths.from_env(), _night(), source)

        @task(outlets=[RAW])
        def publish_to_warehouse(staged: list[dict]) -> dict:
            return stages.publish(Paths.from_env(), _night())

        staged = [stage.override(task_id=f"stage_{s}")(s) for s in stages.source_names()]
        return publish_to_warehouse(staged)

    @task_group(tooltip="dbt build: cross-channel model, measures and guard signals")
    def transform(loaded: dict):
        @task(outlets=[MARTS])
        def dbt_build(loaded: dict) -> dict:
            return stages.transform(Paths.from_env(), _night())

        return dbt_build(loaded)

    @task_group(tooltip="Great Expectations pitfall guards")
    def guard(built: dict):
        @task(outlets=[GUARD_RESULTS])
        def evaluate_guards(built: dict) -> dict:
            return stages.guard(Paths.from_env(), _night())

        return evaluate_guards(built)

    @task_group(tooltip="One Slack digest per owner channel, the ops digest, the health report")
    def alert(judged: dict):
        @task(outlets=[OUTBOX])
        def queue_digests(judged: dict) -> dict:
            return stages.queue_alerts(Paths.from_env(), _night())

        @task
        def write_health_report(queued: dict) -> dict:
            """The page the digests link to, written before they are sent."""
            return stages.health_report(Paths.from_env(), _night())

        @task
        def deliver_digests(written: dict) -> dict:
            """Send the outbox, then write the report again: it now says what Slack was told."""
            return stages.deliver_alerts(Paths.from_env(), _night())

        return deliver_digests(write_health_report(queue_digests(judged)))

    alert(report(guard(transform(ingest()))))


marketing_health()
