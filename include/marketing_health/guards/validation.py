"""Running a guard's suite on one night of signal rows with Great Expectations.

Everything GE lives behind this module and is imported inside functions: the DAG file imports
the guards package at parse time and GE takes seconds to import. The context is ephemeral
(suites are rebuilt from the catalogue every night; nothing GE-specific is kept on disk apart
from the validation results saved for audit), with progress bars and usage statistics off so
task logs show only what the pipeline says.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from marketing_health.catalogue.model import Pitfall
from marketing_health.guards.suites import (
    CHECK_META_KEY,
    JUDGES_BOUND,
    JUDGES_META_KEY,
    JUDGES_VALUE,
    KEY_COLUMN,
    build_suite,
    expectation_count,
    result_format,
    suite_name,
)

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.data_context import AbstractDataContext

DATASOURCE_NAME = "signal_marts"
BATCH_DEFINITION_NAME = "night"


class ValidationFailed(RuntimeError):
    """GE could not evaluate the suite; the message is GE's, the result is kept for audit."""

    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class Verdict:
    """What GE concluded for one guard on one night."""

    success: bool
    #: checked column -> campaigns its expectation listed as failing (every check present).
    failed_by_check: dict[str, frozenset[str]]
    result: dict[str, Any]
    #: checked column -> campaigns failing even at the bound (value + unknown count); only
    #: checks that declare ``unknown`` are present.
    failed_bound_by_check: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def failed_campaigns(self) -> frozenset[str]:
        """Campaigns failing the guard: listed by any check, at its bound too where it has one
        (listed at one end only, the check cannot tell)."""
        return frozenset().union(
            *(
                failed & self.failed_bound_by_check.get(column, failed)
                for column, failed in self.failed_by_check.items()
            )
        )


def quiet_gx() -> None:
    """No usage statistics, no progress bars, no INFO chatter from GE in task logs."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)


def new_context() -> AbstractDataContext:
    """An in-memory GE context with one pandas datasource for the signal marts."""
    quiet_gx()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    context.data_sources.add_pandas(name=DATASOURCE_NAME)
    return context


def validate_signals(
    context: AbstractDataContext, pitfall: Pitfall, frame: pd.DataFrame
) -> Verdict:
    """Validate one guard's rows; GE names the failing campaigns of every check, and of the
    bound of every check that counts unknown terms.

    Raises:
        ValidationFailed: GE raised, or its result reports an exception (a missing or
            mistyped column, say). The partial result travels with the error.
    """
    import great_expectations as gx

    guard = pitfall.guard
    if guard is None:
        raise ValueError(f"{pitfall.id} is not guarded")
    name = suite_name(pitfall.id)
    datasource = context.data_sources.get(DATASOURCE_NAME)
    asset = datasource.add_dataframe_asset(name=name)
    batch_definition = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION_NAME)
    suite = context.suites.add(build_suite(pitfall))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    )
    outcome = definition.run(batch_parameters={"dataframe": frame}, result_format=result_format())
    result = outcome.to_json_dict()
    checks = [c.column for c in guard.checks]
    bounded = [c.column for c in guard.checks if c.unknown]
    expected = expectation_count(pitfall)
    if len(outcome.results) != expected:
        raise ValidationFailed(
            f"expected {expected} expectation result(s) from {name}, GE returned "
            f"{len(outcome.results)}",
            result,
        )
    failed_by_check: dict[str, frozenset[str]] = {}
    failed_bound_by_check: dict[str, frozenset[str]] = {}
    for expectation_result in outcome.results:
        meta = expectation_result.expectation_config.meta or {}
        column = meta.get(CHECK_META_KEY)
        judges = meta.get(JUDGES_META_KEY, JUDGES_VALUE)
        if judges == JUDGES_BOUND:
            target, known = failed_bound_by_check, bounded
        else:
            target, known = failed_by_check, checks
        if column not in known or column in target:
            raise ValidationFailed(
                f"{name}: GE returned a result for an unexpected check {column!r} ({judges})",
                result,
            )
        error = _exception_message(expectation_result.exception_info)
        if error:
            raise ValidationFailed(
                f"Great Expectations could not evaluate the check on {column} in {name}: {error}",
                result,
            )
        details = expectation_result.result or {}
        unexpected = details.get("unexpected_index_list") or []
        if len(unexpected) != details.get("unexpected_count", len(unexpected)):
            raise ValidationFailed(
                f"{name}: GE counted {details.get('unexpected_count')} failing rows on {column} "
                f"but listed {len(unexpected)}",
                result,
            )
        target[column] = frozenset(str(row[KEY_COLUMN]) for row in unexpected)
    return Verdict(
        success=bool(outcome.success),
        failed_by_check=failed_by_check,
        result=result,
        failed_bound_by_check=failed_bound_by_check,
    )


def _exception_message(info: Any) -> str | None:
    """GE nests exception details per metric when one was raised; find the first message."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "unknown error")
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message") or "unknown error")
    return None
