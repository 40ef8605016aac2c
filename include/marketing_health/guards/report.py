"""The night's guard outcome in brief: what the DAG passes on (XCom) and logs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from marketing_health.guards.results import OUTCOMES, GuardResult

#: Failing campaigns listed one by one in :meth:`GuardReport.summary` before "and N more".
SUMMARY_FAILURE_LINES = 20


@dataclass(frozen=True)
class GuardFailure:
    guard_id: str
    campaign_id: str
    severity: str
    summary: str


@dataclass(frozen=True)
class GuardProblem:
    """A guard that could not be evaluated this night."""

    guard_id: str
    message: str


@dataclass(frozen=True)
class GuardReport:
    as_of_date: str
    run_id: str
    #: guard id -> outcome -> number of campaigns (every outcome present, zeros included).
    counts: dict[str, dict[str, int]]
    failures: list[GuardFailure] = field(default_factory=list)
    errors: list[GuardProblem] = field(default_factory=list)
    #: Where GE's validation results of this night were saved, one file per guard.
    validation_dir: str | None = None

    @classmethod
    def from_results(
        cls,
        as_of_date: str,
        run_id: str,
        guard_ids: Sequence[str],
        results: Iterable[GuardResult],
        validation_dir: str | None = None,
    ) -> GuardReport:
        counts = {gid: dict.fromkeys(OUTCOMES, 0) for gid in guard_ids}
        failures: list[GuardFailure] = []
        errors: list[GuardProblem] = []
        for r in results:
            counts.setdefault(r.guard_id, dict.fromkeys(OUTCOMES, 0))[r.outcome] += 1
            if r.outcome == "fail":
                failures.append(GuardFailure(r.guard_id, r.campaign_id, r.severity, r.summary))
            elif r.outcome == "error":
                errors.append(GuardProblem(r.guard_id, r.summary))
        return cls(as_of_date, run_id, counts, failures, errors, validation_dir)

    def total(self, outcome: str) -> int:
        return sum(c.get(outcome, 0) for c in self.counts.values())

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types only, so Airflow can pass it between tasks."""
        return asdict(self)

    def summary(self) -> str:
        checks = sum(sum(c.values()) for c in self.counts.values())
        lines = [
            f"Pitfall guards for {self.as_of_date} (run {self.run_id}): {len(self.counts)} "
            f"guard(s), {checks} campaign check(s): {self.total('pass')} pass, "
            f"{self.total('fail')} fail, {self.total('not_applicable')} not applicable, "
            f"{self.total('error')} error(s)."
        ]
        for guard_id, counts in self.counts.items():
            lines.append(
                f"  {guard_id}: {counts['pass']} pass, {counts['fail']} fail, "
                f"{counts['not_applicable']} not applicable"
                + (", could not be evaluated" if counts["error"] else "")
            )
        if self.failures:
            lines.append("Failing campaigns:")
            for f in self.failures[:SUMMARY_FAILURE_LINES]:
                lines.append(f"  {f.guard_id} {f.campaign_id} [{f.severity}]: {f.summary}")
            if len(self.failures) > SUMMARY_FAILURE_LINES:
                lines.append(f"  ... and {len(self.failures) - SUMMARY_FAILURE_LINES} more")
        if self.errors:
            lines.append("Guards not evaluated:")
            lines.extend(f"  {e.guard_id}: {e.message}" for e in self.errors)
        return "\n".join(lines)
