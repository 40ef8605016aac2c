"""What Great Expectations concluded for one guard on one night, read from its validation result.

GE is imported inside functions only: the DAG file imports the guards package at parse time
and GE takes seconds to import. The night's project and its checkpoint are in
``gx_project.py``; this module turns one suite's validation result into the campaigns each
check failed (at its value, and at its bound where it counts unknown terms), and refuses a
result it cannot read: an expectation missing, one GE could not evaluate, failing rows counted
but not listed.
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
    expectation_count,
    suite_name,
)

if TYPE_CHECKING:
    from great_expectations.core import ExpectationSuiteValidationResult


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
    """No usage statistics and no INFO chatter from GE in task logs (progress bars are off in
    the projects' great_expectations.yml)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)


def verdict_of(pitfall: Pitfall, outcome: ExpectationSuiteValidationResult) -> Verdict:
    """The campaigns GE listed as failing each check of one guard, and at the bound of every
    check that counts unknown terms.

    Raises:
        ValidationFailed: the result reports an exception (a missing or mistyped column, say)
            or does not hold one result per expectation. The result travels with the error.
    """
    guard = pitfall.guard
    if guard is None:
        raise ValueError(f"{pitfall.id} is not guarded")
    name = suite_name(pitfall.id)
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
