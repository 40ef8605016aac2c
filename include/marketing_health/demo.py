"""The newcomer's first run: sample data, one real nightly DAG run, and where to look next.

Everything lands under the data folder (``var/`` in a clone, git-ignored). The night runs as a
nightly installation runs it: Airflow's scheduler (LocalExecutor, SQLite metadata in an Airflow
home inside the data folder) runs the DAG run the demo triggers through the REST API, and the
console shows each task as it finishes. Airflow records the run's real start and end and every
task's log where its UI reads them, so ``marketing-health airflow standalone`` afterwards shows
this run in the UI as it happened.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import TYPE_CHECKING

import pendulum

from marketing_health.local_cluster.embedded import (
    DagRunResult,
    EmbeddedAirflow,
    EmbeddedAirflowError,
    TaskProgress,
)
from marketing_health.settings import PII_KEY_ENV, REPO_ROOT, Paths, schedule_timezone

if TYPE_CHECKING:
    from marketing_health.generate import Manifest

DAG_ID = "marketing_health"


def ensure_pii_key(paths: Paths) -> str:
    """Use the configured hashing key; for a local trial, create one outside the repository's files.

    The key is kept in the git-ignored data folder (``Paths.pii_key_file``), where every later
    run on that folder finds it (``run-night``, ``airflow standalone``, the cluster), so they
    hash an address the same way. Production sets ``MH_PII_HASH_KEY`` or the
    ``marketing_health_pii`` connection.
    """
    if os.getenv(PII_KEY_ENV):
        return "environment variable MH_PII_HASH_KEY"
    key_file = paths.pii_key_file
    if not key_file.is_file() or not key_file.read_text(encoding="utf-8").strip():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(32))
    return f"local key file {_rel(key_file)} (set MH_PII_HASH_KEY in production)"


def logical_date_for(as_of: date, timezone: str, now: datetime | None = None) -> str:
    """The nightly run that judges ``as_of`` is the 02:00 run of the following day.

    Before 02:00 of that day (a trial just after midnight), that moment is still to come and
    the scheduler leaves a run dated in the future queued forever; any moment of the following
    day judges ``as_of`` (:meth:`marketing_health.night.Night.for_logical_date`), so the run is
    dated now instead. A day that has not ended yet cannot be judged: ValueError.
    """
    run_at = pendulum.instance(
        datetime.combine(as_of + timedelta(days=1), clock(2, 0)), tz=timezone
    )
    current = pendulum.instance(now) if now is not None else pendulum.now("UTC")
    if run_at <= current:
        return run_at.isoformat()
    local_now = current.in_timezone(timezone)
    if local_now.date() <= as_of:
        raise ValueError(
            f"{as_of.isoformat()} has not ended yet in {timezone} (it is "
            f"{local_now.strftime('%Y-%m-%d %H:%M')} there): a night judges a complete day, "
            "so choose an earlier --end-date"
        )
    return local_now.replace(microsecond=0).isoformat()


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def team_verdicts(paths: Paths, as_of: str, manifest: Manifest) -> list[str]:
    """Each sample team's campaigns as judged tonight: failing guards, guards that cannot tell,
    and the pitfall the sample injected (none for the clean twins)."""
    from marketing_health.warehouse import connect

    injected = {s.campaign_id: s.pitfall for s in manifest.scenarios}
    lines = []
    with connect(paths, read_only=True) as con:
        for team in manifest.teams:
            lines.append(f"{team.owner_team} ({team.owner_slack_channel}, files in {team.locale}):")
            for campaign_id in team.campaign_ids:
                name, failing, blind = con.execute(
                    """
                    select coalesce(max(c.campaign_name), ?),
                           string_agg(g.guard_id, ' ' order by g.guard_id)
                               filter (where g.outcome = 'fail'),
                           string_agg(g.guard_id, ' ' order by g.guard_id)
                               filter (where g.outcome = 'cannot_tell')
                    from guards.guard_results g
                    left join marts.dim_campaigns c using (campaign_id)
                    where g.run_date = ?::date and g.campaign_id = ?
                    """,
                    [campaign_id, as_of, campaign_id],
                ).fetchone()
                planted = injected.get(campaign_id)
                verdict = f"failing {failing}" if failing else "healthy, no guard fails"
                if blind:
                    verdict += f"; cannot tell {blind}"
                lines.append(
                    f"  {campaign_id}  {name}: {verdict}"
                    + (f"  (sample injected {planted})" if planted else "  (clean twin)")
                )
    return lines


def digests_to_show(alerts_dir: Path, manifest: Manifest) -> list[Path]:
    """The sample teams' digests (their owner channels), else the first owner channel's."""
    from marketing_health.alerts.delivery import channel_file_stem

    teams = [alerts_dir / f"{channel_file_stem(t.owner_slack_channel)}.txt" for t in manifest.teams]
    shown = [p for p in teams if p.exists()]
    if shown:
        return shown
    # owner channels' digests first: escalation and ops digests are named <kind>__<channel>
    digests = sorted(alerts_dir.glob("*.txt"), key=lambda p: ("__" in p.stem, p.stem))
    return digests[:1]


def demo_run_id(as_of: date) -> str:
    """The demo's DAG run of a night: one per night, replaced when the demo runs it again."""
    return f"demo__{as_of.isoformat()}"


def _progress_line(p: TaskProgress) -> str:
    minutes, seconds = divmod(int(p.elapsed_seconds), 60)
    state = "" if p.state == "success" else f"  ({p.state})"
    return f"   [{p.finished:>2}/{p.total}] {minutes}:{seconds:02d}  {p.task_id}{state}"


def run_night_in_airflow(
    airflow: EmbeddedAirflow,
    as_of: date,
    timezone: str,
    *,
    out: Callable[[str], None] = lambda line: print(line, flush=True),
) -> DagRunResult | None:
    """The night of ``as_of`` as the scheduler runs it: start Airflow, trigger the run through
    the REST API, report each task as it finishes, stop every component.

    Returns how the run ended, or None when Airflow itself could not start (the message and
    the end of the component's log are printed).
    """
    logical = logical_date_for(as_of, timezone)
    out(f"2. Airflow (SQLite metadata, LocalExecutor) in {_rel(airflow.home)} ...")
    started = time.monotonic()
    try:
        airflow.migrate()
        airflow.start()
        out(
            "   API server, scheduler and DAG processor ready "
            f"({time.monotonic() - started:.0f} s; component logs in "
            f"{_rel(airflow.component_logs)})"
        )
        out(f"3. nightly DAG run {DAG_ID} for {logical} through the scheduler:")
        return airflow.run_dag(
            DAG_ID,
            logical,
            demo_run_id(as_of),
            on_progress=lambda p: out(_progress_line(p)),
        )
    except EmbeddedAirflowError as err:
        out(f"!! Airflow could not run the night: {err}")
        return None
    finally:
        airflow.stop()


def run_demo(
    paths: Paths, *, seed: int = 7, end_date: date | None = None, scale: float = 1.0
) -> int:
    from marketing_health.generate import generate_landing
    from marketing_health.guards.gx_project import data_docs_index
    from marketing_health.report.console import print_night_summary
    from marketing_health.transform import generate_docs

    timezone = schedule_timezone()
    end = end_date or (pendulum.now(timezone).date() - timedelta(days=1))
    print(f"== Marketing health demo: judging {end.isoformat()} ==")
    try:
        logical_date_for(end, timezone)
    except ValueError as err:
        print(f"!! {err}")
        return 1
    key_source = ensure_pii_key(paths)
    # A trial run should fail fast rather than wait out production retry delays.
    os.environ.setdefault("MH_TASK_RETRIES", "0")
    print(f"   personal data hashing key: {key_source}")

    if paths.landing_dir.exists():
        shutil.rmtree(paths.landing_dir)
    print(f"1. writing the sample landing zone to {_rel(paths.landing_dir)} ...", flush=True)
    # on even days paid ads, e-mail recipients and creator posts arrive as the tools export them
    # (Meta Ads, Google Ads, Mailchimp, creator report): the demo reads what users drop. A
    # Shanghai and a Berlin team deliver their own files, in Chinese and German formats and
    # words (their locales are declared in config/locales.yaml).
    manifest = generate_landing(
        paths.landing_dir,
        seed=seed,
        end_date=end,
        scale=scale,
        export_style="mixed",
        team_style="localised",
    )
    print(
        f"   {len(manifest.scenarios)} injected pitfall scenarios, "
        f"ground truth in {_rel(paths.landing_dir / 'scenarios.json')}"
    )
    for team in manifest.teams:
        print(
            f"   {team.owner_team} ({team.owner_slack_channel}) delivers its own files in "
            f"{team.locale}: {len(team.campaign_ids)} campaigns"
        )

    run_dir = paths.run_dir(end.isoformat())
    run_dir.mkdir(parents=True, exist_ok=True)
    airflow = EmbeddedAirflow(paths, triggerer=False, schedule=False)
    task_logs = airflow.home / "logs" / f"dag_id={DAG_ID}" / f"run_id={demo_run_id(end)}"
    result = run_night_in_airflow(airflow, end, timezone)
    if result is None:
        return 1
    if result.state != "success":
        print(f"!! the DAG run {result.state}: failed tasks {', '.join(result.failed_tasks)}")
        print(f"   their logs: {_rel(task_logs)} (and in the Airflow UI)")
        return 1

    print("4. dbt docs (measures, formulas, lineage) ...", flush=True)
    docs = generate_docs(paths, as_of_date=end.isoformat())
    print()
    print_night_summary(paths, end.isoformat())
    print()
    print("\n".join(team_verdicts(paths, end.isoformat(), manifest)))
    for digest in digests_to_show(run_dir / "alerts", manifest):
        print(f"\nWhat the owners of #{digest.stem} read in Slack:\n")
        print("  " + digest.read_text(encoding="utf-8").replace("\n", "\n  "))
    print()
    print("Where to look:")
    print(f"  warehouse (DuckDB)    {_rel(paths.warehouse)}")
    print(f"  health report         {_rel(run_dir / 'health_report.html')}  (opens offline)")
    print(f"  alert digests         {_rel(run_dir / 'alerts')}  (Slack when a connection is set)")
    print(
        f"  GE Data Docs          {_rel(data_docs_index(run_dir))}"
        "  (linked from the report; the night's GE project is beside them)"
    )
    print(f"  dbt docs              {_rel(docs)}")
    print(f"  task logs             {_rel(task_logs)}")
    print(
        f"  Airflow UI            .venv/bin/marketing-health airflow standalone"
        f"   (AIRFLOW_HOME={_rel(airflow.home)}; login printed at start-up, http://localhost:8080)"
    )
    print(f"                        this night is the run {demo_run_id(end)} of DAG {DAG_ID};")
    print("                        the report is under 'Marketing health' in its navigation")
    return 0
