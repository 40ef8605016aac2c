"""One night of pitfall guards: read the signal marts, let GE judge them, record every outcome.

The warehouse is held as briefly as possible, since DuckDB admits one writer per file: the
night's signal rows are read first and the connection closed, GE validates in memory, and the
results are written in one short transaction at the end. A guard that cannot be evaluated
(its mart is missing, a column is wrong, GE raises) becomes one ``error`` row with the reason;
the other guards still run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketing_health.catalogue.model import Catalogue, Pitfall, load_catalogue
from marketing_health.guards.report import GuardReport
from marketing_health.guards.results import (
    GuardResult,
    campaign_results,
    error_result,
    replace_night,
)
from marketing_health.guards.signals import (
    CampaignThresholds,
    GuardUnavailable,
    read_signal_frame,
    with_thresholds,
)
from marketing_health.guards.suites import suite_name
from marketing_health.settings import Paths

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.data_context import AbstractDataContext

log = logging.getLogger(__name__)

#: guard id -> campaign id -> threshold, for campaigns judged against their own threshold.
ThresholdOverrides = Mapping[str, CampaignThresholds]


def evaluate_guards(paths: Paths, as_of_date: str, run_id: str) -> GuardReport:
    """Judge every guarded pitfall for the night ``as_of_date`` (YYYY-MM-DD) with defaults."""
    return run_guards(paths, as_of_date, run_id)


def run_guards(
    paths: Paths,
    as_of_date: str,
    run_id: str,
    *,
    thresholds: ThresholdOverrides | None = None,
    catalogue: Catalogue | None = None,
) -> GuardReport:
    """Judge every guarded pitfall of ``catalogue`` and replace the night in guard_results.

    Args:
        thresholds: per-campaign thresholds by guard id; campaigns not listed are judged
            against the catalogue default.
        catalogue: the pitfall catalogue; the packaged one when omitted.
    """
    from marketing_health.guards.validation import new_context

    run_date = _night(as_of_date)
    pitfalls = (catalogue or load_catalogue()).guarded
    thresholds = thresholds or {}
    evaluated_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    audit_dir = paths.run_dir(as_of_date) / "guards"

    frames = read_signal_frames(paths, pitfalls, as_of_date)
    context: AbstractDataContext | None = None
    if any(not isinstance(f, GuardUnavailable) for f in frames.values()):
        try:
            context = new_context()
        except Exception:
            log.exception("Great Expectations could not start; every readable guard is an error")

    results: list[GuardResult] = []
    for pitfall in pitfalls:
        results.extend(
            judge_guard(
                context,
                pitfall,
                frames[pitfall.id],
                overrides=thresholds.get(pitfall.id),
                run_date=run_date,
                run_id=run_id,
                evaluated_at=evaluated_at,
                audit_dir=audit_dir,
            )
        )

    from marketing_health.warehouse import connect

    with connect(paths.warehouse) as con:
        replace_night(con, run_date, results)
    report = GuardReport.from_results(
        as_of_date, run_id, [p.id for p in pitfalls], results, validation_dir=str(audit_dir)
    )
    log.info("%s", report.summary())
    return report


def read_signal_frames(
    paths: Paths, pitfalls: tuple[Pitfall, ...], as_of_date: str
) -> dict[str, pd.DataFrame | GuardUnavailable]:
    """Each guard's signal rows of the night, or why they cannot be read."""
    frames: dict[str, pd.DataFrame | GuardUnavailable] = {}
    if not Path(paths.warehouse).exists():
        missing = GuardUnavailable(
            f"the warehouse {paths.warehouse} does not exist yet. Run the ingest and the dbt "
            "models first."
        )
        return {p.id: missing for p in pitfalls}

    from marketing_health.warehouse import connect

    # Read-write on purpose: DuckDB refuses a read-only open of a file this process already
    # holds read-write, and the guards write to the same file minutes later anyway.
    with connect(paths.warehouse) as con:
        for pitfall in pitfalls:
            assert pitfall.guard is not None
            try:
                frames[pitfall.id] = read_signal_frame(con, pitfall.guard, as_of_date)
            except GuardUnavailable as exc:
                frames[pitfall.id] = exc
    return frames


def judge_guard(
    context: AbstractDataContext | None,
    pitfall: Pitfall,
    frame: pd.DataFrame | GuardUnavailable,
    *,
    overrides: CampaignThresholds | None,
    run_date: dt.date,
    run_id: str,
    evaluated_at: dt.datetime,
    audit_dir: Path | None = None,
) -> list[GuardResult]:
    """One guard's results for the night: one row per campaign, or one error row."""
    from marketing_health.guards.validation import ValidationFailed, validate_signals

    stamp = {"run_date": run_date, "run_id": run_id, "evaluated_at": evaluated_at}
    audit_file = None if audit_dir is None else audit_dir / f"{suite_name(pitfall.id)}.json"
    if audit_file is not None:
        audit_file.unlink(missing_ok=True)
    try:
        if isinstance(frame, GuardUnavailable):
            raise frame
        if context is None:
            raise GuardUnavailable("Great Expectations could not start; see the task log.")
        assert pitfall.guard is not None
        judged = with_thresholds(frame, pitfall.guard, overrides)
        try:
            verdict = validate_signals(context, pitfall, judged)
        except ValidationFailed as exc:
            _save_audit(audit_file, exc.result)
            raise
        _save_audit(audit_file, verdict.result)
        return campaign_results(pitfall, judged, verdict.failed_campaigns, **stamp)
    except (GuardUnavailable, ValidationFailed) as exc:
        message = f"Guard {pitfall.id} ({pitfall.title}) could not be evaluated: {exc}"
        log.warning("%s", message)
    except Exception as exc:
        log.exception("Guard %s failed", pitfall.id)
        message = (
            f"Guard {pitfall.id} ({pitfall.title}) could not be evaluated: unexpected "
            f"{type(exc).__name__}: {exc}. See the task log."
        )
    return [error_result(pitfall, message, **stamp)]


def _save_audit(path: Path | None, result: dict[str, Any] | None) -> None:
    if path is None or result is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")


def _night(as_of_date: str) -> dt.date:
    try:
        return dt.date.fromisoformat(as_of_date)
    except (TypeError, ValueError):
        raise ValueError(f"as_of_date must be a date like 2026-03-14, got {as_of_date!r}") from None
