"""One night of pitfall guards: read the signal marts, let GE judge them, record every outcome.

The warehouse is held as briefly as possible, since DuckDB admits one writer per file: the
night's signal rows are read first and the connection closed, each guard's rows get their
thresholds and bounds, GE validates them in the night's own project (``runs/<night>/gx``,
see ``gx_project.py``: suites, the rows judged, validation definitions, the checkpoint) and the
results are written in one short transaction at the end. A guard that cannot be evaluated
(its mart is missing, a column is wrong, GE raises) becomes one ``error`` row with the reason;
the other guards still run. A campaign a guard cannot judge because terms it depends on are
unknown to the vocabularies is recorded as ``cannot_tell`` (see ``results.py``).

The night's Data Docs are built by :func:`build_night_data_docs` once the results are
written, so GE's page rendering never delays the results the alerts wait for.

Overrides (``config/guard_overrides.yaml``) are loaded before anything is read: a wrong file
stops the whole stage with a message naming the entry, because judging the night against
thresholds nobody chose would be worse than not judging it. The catalogue's severity weights
are copied to ``guards.severity_weights`` with every night's results, for the health score.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketing_health.catalogue.model import Catalogue, Pitfall, load_catalogue
from marketing_health.guards.overrides import (
    CampaignScope,
    GuardOverrides,
    load_overrides,
    read_campaign_plan,
)
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
    campaign_thresholds,
    read_signal_frame,
    with_bounds,
    with_thresholds,
)
from marketing_health.guards.suites import KEY_COLUMN, suite_name
from marketing_health.guards.weights import replace_severity_weights
from marketing_health.settings import Paths

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

#: guard id -> campaign id -> {checked column: threshold} (or a bare number: the primary
#: check), for campaigns judged against their own thresholds.
ThresholdOverrides = Mapping[str, CampaignThresholds]
#: The campaign plan as overrides need it, or why it cannot be read.
CampaignPlan = Mapping[str, CampaignScope] | GuardUnavailable


def evaluate_guards(paths: Paths, as_of_date: str, run_id: str) -> GuardReport:
    """Judge every guarded pitfall for the night ``as_of_date`` (YYYY-MM-DD).

    Thresholds and severities are the catalogue's, changed where the overrides file says so.

    Raises:
        GuardOverridesError: the overrides file is wrong; nothing was judged or written.
    """
    return run_guards(paths, as_of_date, run_id)


def run_guards(
    paths: Paths,
    as_of_date: str,
    run_id: str,
    *,
    thresholds: ThresholdOverrides | None = None,
    catalogue: Catalogue | None = None,
    overrides: GuardOverrides | None = None,
) -> GuardReport:
    """Judge every guarded pitfall of ``catalogue`` and replace the night in guard_results.

    Args:
        thresholds: per-campaign thresholds by guard id; they win over the overrides file.
            Campaigns not listed are judged against the overrides, else the catalogue.
        catalogue: the pitfall catalogue; the packaged one when omitted.
        overrides: brand, channel and campaign overrides; read from the overrides file
            (``MH_GUARD_OVERRIDES``, default ``config/guard_overrides.yaml``) when omitted.

    Raises:
        GuardOverridesError: the overrides file is wrong; nothing was judged or written.
    """
    run_date = _night(as_of_date)
    catalogue = catalogue or load_catalogue()
    if overrides is None:
        overrides = load_overrides(catalogue=catalogue)
    pitfalls = catalogue.guarded
    thresholds = thresholds or {}
    stamp = {
        "run_date": run_date,
        "run_id": run_id,
        "evaluated_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
    }
    audit_dir = paths.run_dir(as_of_date) / "guards"

    frames, plan = read_night(paths, pitfalls, as_of_date, with_plan=overrides.needs_plan())
    if isinstance(plan, Mapping):
        for entry in overrides.unmatched(plan):
            log.warning(
                "Guard override %s reaches no campaign in the plan; check the spelling",
                entry.describe(),
            )
    prepared: dict[str, PreparedGuard] = {}
    failed: dict[str, str] = {}
    for pitfall in pitfalls:
        try:
            prepared[pitfall.id] = prepare_guard(
                pitfall,
                frames[pitfall.id],
                overrides=thresholds.get(pitfall.id),
                configured=overrides,
                plan=plan,
            )
        except GuardUnavailable as exc:
            failed[pitfall.id] = _could_not(pitfall, exc)
        except Exception as exc:
            log.exception("Guard %s failed", pitfall.id)
            failed[pitfall.id] = _could_not_unexpectedly(pitfall, exc)

    outcomes = validate_prepared(paths.run_dir(as_of_date), prepared, run_id)
    results: list[GuardResult] = []
    for pitfall in pitfalls:
        audit_file = audit_dir / f"{suite_name(pitfall.id)}.json"
        audit_file.unlink(missing_ok=True)
        if pitfall.id in failed:
            results.append(error_result(pitfall, failed[pitfall.id], **stamp))
            continue
        results.extend(
            judged_results(pitfall, prepared[pitfall.id], outcomes[pitfall.id], audit_file, stamp)
        )

    from marketing_health.warehouse import connect

    with connect(paths) as con:
        replace_night(con, run_date, results)
        replace_severity_weights(con, catalogue)
    report = GuardReport.from_results(
        as_of_date, run_id, [p.id for p in pitfalls], results, validation_dir=str(audit_dir)
    )
    log.info("%s", report.summary())
    return report


def build_night_data_docs(paths: Paths, as_of_date: str) -> str | None:
    """Build the night's Data Docs from its GE project; the index page's path, or None when
    the night has no project (no guard could be judged) or GE could not build them (logged:
    the guard results stand without their pages)."""
    from marketing_health.guards.gx_project import build_data_docs

    try:
        index = build_data_docs(paths.run_dir(as_of_date))
    except Exception:
        log.exception("Great Expectations could not build the Data Docs of %s", as_of_date)
        return None
    if index is not None:
        log.info("Great Expectations Data Docs for %s: %s", as_of_date, index)
    return None if index is None else str(index)


def read_signal_frames(
    paths: Paths, pitfalls: tuple[Pitfall, ...], as_of_date: str
) -> dict[str, pd.DataFrame | GuardUnavailable]:
    """Each guard's signal rows of the night, or why they cannot be read."""
    return read_night(paths, pitfalls, as_of_date)[0]


def read_night(
    paths: Paths, pitfalls: tuple[Pitfall, ...], as_of_date: str, *, with_plan: bool = False
) -> tuple[dict[str, pd.DataFrame | GuardUnavailable], CampaignPlan | None]:
    """Each guard's signal rows of the night (or why they cannot be read), and the campaign
    plan when brand or channel overrides need it, in one short visit to the warehouse."""
    frames: dict[str, pd.DataFrame | GuardUnavailable] = {}
    from marketing_health.warehouse import connect, exists

    if not exists(paths):
        missing = GuardUnavailable(
            f"the warehouse {paths.warehouse} does not exist yet. Run the ingest and the dbt "
            "models first."
        )
        return {p.id: missing for p in pitfalls}, (missing if with_plan else None)

    plan: CampaignPlan | None = None
    # Read-write on purpose: DuckDB refuses a read-only open of a file this process already
    # holds read-write, and the guards write to the same file minutes later anyway.
    with connect(paths) as con:
        for pitfall in pitfalls:
            assert pitfall.guard is not None
            try:
                frames[pitfall.id] = read_signal_frame(con, pitfall.guard, as_of_date)
            except GuardUnavailable as exc:
                frames[pitfall.id] = exc
        if with_plan:
            try:
                plan = read_campaign_plan(con)
            except GuardUnavailable as exc:
                plan = exc
    return frames, plan


@dataclass(frozen=True)
class PreparedGuard:
    """One guard's rows of the night with the thresholds each campaign is judged against and
    the bounds of the checks that count unknown terms, and the severities overrides set."""

    pitfall: Pitfall
    frame: pd.DataFrame
    severities: Mapping[str, str]


def prepare_guard(
    pitfall: Pitfall,
    frame: pd.DataFrame | GuardUnavailable,
    *,
    overrides: CampaignThresholds | None,
    configured: GuardOverrides | None = None,
    plan: CampaignPlan | None = None,
) -> PreparedGuard:
    """Thresholds and bounds on one guard's rows.

    Args:
        overrides: per-campaign thresholds given by the caller; they win over ``configured``.
        configured: the overrides file's entries; ``plan`` tells which campaigns they reach.

    Raises:
        GuardUnavailable: the rows could not be read (the reason is in the message).
    """
    if isinstance(frame, GuardUnavailable):
        raise frame
    assert pitfall.guard is not None
    settings = (configured or GuardOverrides()).resolve(
        pitfall.id, frame[KEY_COLUMN].astype(str), plan
    )
    own = settings.thresholds
    for campaign_id, by_check in campaign_thresholds(pitfall.guard, overrides).items():
        own[campaign_id] = {**own.get(campaign_id, {}), **by_check}
    judged = with_bounds(with_thresholds(frame, pitfall.guard, own), pitfall.guard)
    return PreparedGuard(pitfall, judged, settings.severities)


def validate_prepared(
    run_dir: Path, prepared: Mapping[str, PreparedGuard], run_id: str
) -> dict[str, Any]:
    """GE's validation result (or the error) of every prepared guard, from the night's
    project; when the project cannot be written, the reason stands for every guard."""
    from marketing_health.guards.gx_project import (
        JudgedNight,
        create_night_project,
        validate_night,
    )

    if not prepared:
        return {}
    try:
        project = create_night_project(
            run_dir, [JudgedNight(p.pitfall, p.frame) for p in prepared.values()]
        )
    except Exception as exc:
        log.exception("Great Expectations could not set up the night's project")
        unavailable = GuardUnavailable(
            f"Great Expectations could not set up the night's project ({type(exc).__name__}: "
            f"{exc}); see the task log."
        )
        return dict.fromkeys(prepared, unavailable)
    return validate_night(project, run_id)


def judged_results(
    pitfall: Pitfall,
    prepared: PreparedGuard,
    outcome: Any,
    audit_file: Path | None,
    stamp: Mapping[str, Any],
) -> list[GuardResult]:
    """One guard's results for the night from GE's validation result: one row per campaign,
    or one error row when GE could not judge it (the result is saved for audit either way)."""
    from marketing_health.guards.gx_project import result_json
    from marketing_health.guards.validation import ValidationFailed, verdict_of

    try:
        if isinstance(outcome, Exception):
            raise outcome
        try:
            verdict = verdict_of(pitfall, outcome)
        except ValidationFailed as exc:
            _save_audit(audit_file, exc.result)
            raise
        _save_audit(audit_file, result_json(outcome))
        return campaign_results(
            pitfall,
            prepared.frame,
            verdict.failed_by_check,
            severities=prepared.severities,
            failed_bound_by_check=verdict.failed_bound_by_check,
            **stamp,
        )
    except (GuardUnavailable, ValidationFailed) as exc:
        message = _could_not(pitfall, exc)
    except Exception as exc:
        log.exception("Guard %s failed", pitfall.id)
        message = _could_not_unexpectedly(pitfall, exc)
    return [error_result(pitfall, message, **stamp)]


def _could_not(pitfall: Pitfall, exc: Exception) -> str:
    message = f"Guard {pitfall.id} ({pitfall.title}) could not be evaluated: {exc}"
    log.warning("%s", message)
    return message


def _could_not_unexpectedly(pitfall: Pitfall, exc: Exception) -> str:
    return (
        f"Guard {pitfall.id} ({pitfall.title}) could not be evaluated: unexpected "
        f"{type(exc).__name__}: {exc}. See the task log."
    )


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
