"""Telling the ops channel that a task of the nightly run failed.

Used as the ``on_failure_callback`` of every task (``default_args``). The callback runs in the
task's process after the task has failed, so it must never raise: an error here would replace
the task's own error in the log. It posts to the ops Slack connection when one is configured
and otherwise (or when Slack is unreachable) writes the alert to
``<runs_dir>/ops/<timestamp>_<task>.json`` and logs it, so a failure is never silent.

Never raising is not swallowing: when Slack refuses the alert or the callback itself breaks,
the callback logs why (its own error with the traceback, secrets redacted) and records the lost
alert (:mod:`~marketing_health.alerts.ops_lost`), and the next ops digest says that a failure
alert did not reach the channel.

Settings: ``MH_SLACK_OPS_CONN_ID`` (default ``slack_marketing_health_ops``; type ``slack`` or
``slackwebhook``) and ``MH_OPS_SLACK_CHANNEL`` (default: the fallback channel). The log link
uses ``AIRFLOW__API__BASE_URL`` (Airflow's ``[api] base_url``). The alert is written in the ops
channel's language (``config/alerting.yaml``, see
:func:`~marketing_health.alerts.policy.ops_language`); when that file cannot be read, in
English, since the alert must go out anyway.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from marketing_health import settings
from marketing_health.alerts.blocks import Link, escape, header_block, section_blocks, unescape
from marketing_health.alerts.connections import redact
from marketing_health.alerts.ops_lost import record_lost
from marketing_health.i18n import Translator, translator
from marketing_health.report.links import airflow_base_url

log = logging.getLogger(__name__)

#: Seconds the callback may wait on Slack retries: a failed task should not hang on its alert.
OPS_WAIT_BUDGET_SECONDS = 10.0
OPS_TIMEOUT_SECONDS = 10


def _get(context: Mapping[str, Any], key: str) -> Any:
    try:
        return context.get(key)
    except Exception:
        return None


def log_url(dag_id: str, run_id: str, task_id: str, map_index: Any, try_number: Any) -> str:
    """The task instance's log page in the Airflow 3 UI."""
    url = run_url(dag_id, run_id)
    url += f"/tasks/{quote(task_id, safe='')}"
    if isinstance(map_index, int) and map_index >= 0:
        url += f"/mapped/{map_index}"
    if isinstance(try_number, int) and try_number > 0:
        url += f"?try_number={try_number}"
    return url


def run_url(dag_id: str, run_id: str) -> str:
    """The DAG run's page in the Airflow 3 UI."""
    return f"{airflow_base_url()}/dags/{quote(dag_id, safe='')}/runs/{quote(run_id, safe='')}"


def _error_line(exc: Any) -> str:
    if exc is None:
        return "no error was passed to the callback"
    if isinstance(exc, BaseException):
        first = (str(exc).strip().splitlines() or [""])[0]
        text = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    else:
        text = (str(exc).strip().splitlines() or [""])[0]
    text = redact(text)
    return text if len(text) <= 300 else text[:299] + "…"


def failure_facts(context: Mapping[str, Any]) -> dict[str, Any]:
    """What the ops channel needs to know, from an Airflow task context."""
    ti = _get(context, "task_instance") or _get(context, "ti")
    dag_id = getattr(ti, "dag_id", None) or getattr(_get(context, "dag"), "dag_id", None)
    task_id = getattr(ti, "task_id", None) or getattr(_get(context, "task"), "task_id", None)
    run_id = _get(context, "run_id") or getattr(ti, "run_id", None)
    logical = _get(context, "logical_date")
    try_number = getattr(ti, "try_number", None)
    facts = {
        "dag_id": str(dag_id or "unknown DAG"),
        "task_id": str(task_id or "unknown task"),
        "run_id": str(run_id or "unknown run"),
        "logical_date": logical.isoformat() if hasattr(logical, "isoformat") else "not set",
        "try_number": try_number if isinstance(try_number, int) else "n/a",
        "error": _error_line(_get(context, "exception")),
    }
    facts["log_url"] = log_url(
        facts["dag_id"],
        facts["run_id"],
        facts["task_id"],
        getattr(ti, "map_index", None),
        try_number,
    )
    return facts


def ops_translator(channel: str | None) -> Translator:
    """The ops channel's language; English when the alerting file cannot say (a failure alert
    is sent whatever else is wrong)."""
    from marketing_health.alerts.policy import load_policy, ops_language

    try:
        return translator(ops_language(load_policy(), channel))
    except Exception as exc:
        log.warning("Ops alert in English: the ops channel's language is unknown (%s)", exc)
        return translator()


def ops_message(
    facts: Mapping[str, Any], t: Translator | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The alert as Slack text and blocks; every value escaped, the link made unbreakable.

    The logical date stays as Airflow writes it: it is the run's identifier in the Airflow UI.
    """
    t = t or translator()
    e = {k: escape(v) for k, v in facts.items()}
    label = t.gettext("Open the task log")
    link = Link(str(facts["log_url"]), label).safe_url

    def field(name: str, value: str) -> str:
        return f"*{name}* {value}"

    body = "\n".join(
        [
            " · ".join(
                [
                    field(t.gettext("DAG:"), e["dag_id"]),
                    field(t.gettext("Task:"), e["task_id"]),
                    field(t.gettext("Try:"), e["try_number"]),
                ]
            ),
            " · ".join(
                [
                    field(t.gettext("Run:"), e["run_id"]),
                    field(t.gettext("Logical date:"), e["logical_date"]),
                ]
            ),
            field(t.gettext("Error:"), e["error"]),
            f"<{link}|{escape(label)}>",
        ]
    )
    title = t.gettext("Marketing health: task {task} failed", task=str(facts["task_id"]))
    text = t.gettext(
        "{title} (DAG {dag}, run {run}, try {try_number}): {error}. Log: {link}",
        title=escape(title),
        dag=e["dag_id"],
        run=e["run_id"],
        try_number=e["try_number"],
        error=e["error"],
        link=link,
    )
    return text, [header_block(title), *section_blocks(body)]


def write_ops_file(runs_dir: Path, facts: Mapping[str, Any], channel: str, text: str) -> Path:
    folder = runs_dir / "ops"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    task = re.sub(r"[^\w.-]+", "_", str(facts["task_id"]))
    path = folder / f"{stamp}_{task}.json"
    document = {"channel": channel, **facts, "text": unescape(text)}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Posted:
    """What became of the post: where it went, or why it did not go (None: no connection)."""

    destination: str | None = None
    failure: str | None = None


def _post_to_slack(channel: str, text: str, blocks: list[dict[str, Any]]) -> Posted:
    """The destination on success; the reason when sending failed; neither when no ops
    connection is configured."""
    from marketing_health.alerts.retry import WaitBudget, retry_handlers
    from marketing_health.alerts.slack import describe_failure, post, resolve_route

    conn_id = settings.slack_ops_conn_id()
    route = None
    try:
        route = resolve_route(conn_id, channel, per_channel=False)
        if route is None:
            return Posted()
        post(
            route,
            text,
            blocks,
            retry_handlers(WaitBudget(OPS_WAIT_BUDGET_SECONDS)),
            OPS_TIMEOUT_SECONDS,
        )
        return Posted(destination=route.destination)
    except Exception as exc:
        secrets = route.secrets if route is not None else ()
        why = describe_failure(exc, secrets)
        log.warning("Could not post the ops alert to Slack: %s", why)
        return Posted(failure=why)


def _notify(context: Mapping[str, Any], paths: settings.Paths | None) -> dict[str, Any]:
    """Post the alert, or write it to a file and record it as lost; returns the facts."""
    facts = failure_facts(context)
    channel = settings.ops_channel()
    text, blocks = ops_message(facts, ops_translator(channel))
    posted = _post_to_slack(channel, text, blocks)
    if posted.destination:
        log.info("Ops alert for %s sent to %s", facts["task_id"], posted.destination)
        return facts
    runs_dir = (paths or settings.Paths.from_env()).runs_dir
    path = write_ops_file(runs_dir, facts, channel, text)
    log.warning("Ops alert (not sent to Slack) written to %s:\n%s", path, unescape(text))
    if posted.failure:
        record = record_lost(runs_dir, facts, posted.failure, alert_file=path)
        log.warning("The lost ops alert is recorded in %s for the next ops digest", record)
    return facts


def notify_ops_failure(context: Mapping[str, Any], paths: settings.Paths | None = None) -> None:
    """``on_failure_callback``: tell the ops channel which task failed, why, and where the log is.

    Never raises, never silently: its own failure is logged with the traceback and recorded for
    the next ops digest (see the module).
    """
    try:
        _notify(context, paths)
    except Exception as exc:
        _own_failure(context, paths, exc)


def _own_failure(
    context: Mapping[str, Any], paths: settings.Paths | None, exc: BaseException
) -> None:
    """The callback broke: log it with the traceback, then record the lost alert. Each step
    that fails is logged in turn; nothing is raised into Airflow."""
    why = redact(f"{type(exc).__name__}: {exc}")
    trace = redact("".join(traceback.format_exception(exc)))
    try:
        log.error("The ops alert itself failed: %s\n%s", why, trace)
    except Exception:  # a broken log handler: stderr is what is left
        with contextlib.suppress(Exception):
            print(f"The ops alert itself failed: {why}\n{trace}", file=sys.stderr)
    try:
        facts = failure_facts(context) if isinstance(context, Mapping) else {}
    except Exception:
        facts = {}
    try:
        runs_dir = (paths or settings.Paths.from_env()).runs_dir
        record = record_lost(
            runs_dir, facts, f"the alert itself failed: {why}", traceback_text=trace
        )
        log.error("The lost ops alert is recorded in %s for the next ops digest", record)
    except Exception as again:
        with contextlib.suppress(Exception):
            log.exception(
                "The lost ops alert could not be recorded either (%s); only this log tells it",
                redact(f"{type(again).__name__}: {again}"),
            )
