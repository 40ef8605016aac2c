"""Failure alerts that did not reach the ops channel, kept until the next ops digest tells them.

The failure callback (:mod:`marketing_health.alerts.ops`) runs in a task's process after the
task failed. When its alert cannot be posted (Slack answers 500, closes the connection, the
callback itself breaks), nobody would know the task failed unless someone reads the log. So the
callback records the lost alert here and the next ops digest says so, with the task, the run and
why the alert was lost.

The record is a small JSON file under ``<runs_dir>/ops_lost/``, not a warehouse row: the
callback must be able to write it whatever else is wrong, also while another process holds the
warehouse (DuckDB has one writer) or when the warehouse is what failed. The ops digest that
tells a record writes the run key into it (``reported_in``); building the same night's digest
again tells it again (the outbox sends a night's digest once), a later night's does not.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LostNotification:
    """One failure alert that did not reach the ops channel."""

    path: Path
    recorded_at: str
    dag_id: str
    task_id: str
    run_id: str
    #: Why the alert was lost (Slack's answer, or the callback's own error), secret-free.
    why: str
    #: The file the alert's text was written to instead, if it could be written.
    alert_file: str | None = None


def lost_folder(runs_dir: Path) -> Path:
    return runs_dir / "ops_lost"


def _write_atomically(path: Path, document: Mapping[str, Any]) -> None:
    """Write then rename: a digest reading at the same time sees the old or the new record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".lost-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(document, fh, ensure_ascii=False, indent=2)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record_lost(
    runs_dir: Path,
    facts: Mapping[str, Any],
    why: str,
    *,
    traceback_text: str | None = None,
    alert_file: Path | None = None,
) -> Path:
    """Keep a lost failure alert for the next ops digest; returns the record's path."""
    now = datetime.now(UTC)
    task = re.sub(r"[^\w.-]+", "_", str(facts.get("task_id", "unknown task")))
    path = lost_folder(runs_dir) / f"{now.strftime('%Y%m%dT%H%M%S%fZ')}_{task}.json"
    document = {
        "recorded_at": now.isoformat(timespec="seconds"),
        "dag_id": str(facts.get("dag_id", "unknown DAG")),
        "task_id": str(facts.get("task_id", "unknown task")),
        "run_id": str(facts.get("run_id", "unknown run")),
        "why": why,
        "alert_file": str(alert_file) if alert_file else None,
        "traceback": traceback_text,
        "reported_in": None,
    }
    _write_atomically(path, document)
    return path


def pending_lost(runs_dir: Path, run_key: str) -> tuple[LostNotification, ...]:
    """Records no ops digest has told yet, and those this run's digest told (a rebuild)."""
    folder = lost_folder(runs_dir)
    if not folder.is_dir():
        return ()
    found = []
    for path in sorted(folder.glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("Lost-alert record %s cannot be read (%s); it is left as it is", path, exc)
            continue
        if document.get("reported_in") not in (None, run_key):
            continue
        found.append(
            LostNotification(
                path=path,
                recorded_at=str(document.get("recorded_at", "")),
                dag_id=str(document.get("dag_id", "")),
                task_id=str(document.get("task_id", "")),
                run_id=str(document.get("run_id", "")),
                why=str(document.get("why", "")),
                alert_file=document.get("alert_file"),
            )
        )
    return tuple(found)


def mark_reported(lost: tuple[LostNotification, ...], run_key: str) -> None:
    """The ops digest of ``run_key`` (now in the outbox) tells these records."""
    for item in lost:
        document = json.loads(item.path.read_text(encoding="utf-8"))
        document["reported_in"] = run_key
        _write_atomically(item.path, document)
