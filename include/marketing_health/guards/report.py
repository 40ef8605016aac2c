"""The night's guard outcome in brief: what the DAG passes on (XCom) and logs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from marketing_health.guards.results import OUTCOMES, UNKNOWN_TERMS_EVIDENCE_KEY, GuardResult

#: Failing campaigns listed one by one in :meth:`GuardReport.summary` before "and N more".
SUMMARY_FAILURE_LINES = 20


@dataclass(frozen=True)
class GuardFailure:
    guard_id: str
    campaign_id: str
    severity: str
    summary: str


@dataclass(frozen=True)
class GuardUndecided:
    """A campaign a guard could not judge because terms it depends on are unknown."""

    guard_id: str
    campaign_id: str
    #: The unknown terms, introduced by what they are ("unknown KPI names: 种草指数").
    unknown_terms: str


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
    #: Campaigns a guard could not tell about, with the unknown terms to classify.
    cannot_tell: list[GuardUndecided] = field(default_factory=list)

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
        undecided: list[GuardUndecided] = []
        for r in results:
            counts.setdefault(r.guard_id, dict.fromkeys(OUTCOMES, 0))[r.outcome] += 1
            if r.outcome == "fail":
                failures.append(GuardFailure(r.guard_id, r.campaign_id, r.severity, r.summary))
            elif r.outcome == "error":
                errors.append(GuardProblem(r.guard_id, r.summary))
            elif r.outcome == "cannot_tell":
                terms = (r.evidence or {}).get(UNKNOWN_TERMS_EVIDENCE_KEY) or ""
                undecided.append(GuardUndecided(r.guard_id, r.campaign_id, str(terms)))
        return cls(as_of_date, run_id, counts, failures, errors, validation_dir, undecided)

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
            f"{self.total('fail')} fail, {self.total('cannot_tell')} cannot tell, "
            f"{self.total('not_applicable')} not applicable, {self.total('error')} error(s)."
        ]
        for guard_id, counts in self.counts.items():
            lines.append(
                f"  {guard_id}: {counts['pass']} pass, {counts['fail']} fail, "
                + (f"{counts['cannot_tell']} cannot tell, " if counts["cannot_tell"] else "")
                + f"{counts['not_applicable']} not applicable"
                + (", could not be evaluated" if counts["error"] else "")
            )
        if self.failures:
            lines.append("Failing campaigns:")
            for f in self.failures[:SUMMARY_FAILURE_LINES]:
                lines.append(f"  {f.guard_id} {f.campaign_id} [{f.severity}]: {f.summary}")
            if len(self.failures) > SUMMARY_FAILURE_LINES:
                lines.append(f"  ... and {len(self.failures) - SUMMARY_FAILURE_LINES} more")
        if self.cannot_tell:
            lines.append("Cannot tell (terms the vocabularies do not know):")
            for u in self.cannot_tell[:SUMMARY_FAILURE_LINES]:
                lines.append(f"  {u.guard_id} {u.campaign_id}: {u.unknown_terms}")
            if len(self.cannot_tell) > SUMMARY_FAILURE_LINES:
                lines.append(f"  ... and {len(self.cannot_tell) - SUMMARY_FAILURE_LINES} more")
        if self.errors:
            lines.append("Guards not evaluated:")
            lines.extend(f"  {e.guard_id}: {e.message}" for e in self.errors)
        return "\n".join(lines)
