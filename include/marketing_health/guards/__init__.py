"""Pitfall guards: the catalogue's guards run as Great Expectations suites over the signal marts.

Importing this package is cheap (no GE, pandas or DuckDB until a guard runs), so the DAG file
can import it at parse time.
"""

from marketing_health.guards.overrides import GuardOverrides, GuardOverridesError, load_overrides
from marketing_health.guards.report import (
    GuardFailure,
    GuardProblem,
    GuardReport,
    GuardUndecided,
)
from marketing_health.guards.runner import ThresholdOverrides, evaluate_guards, run_guards

__all__ = [
    "GuardFailure",
    "GuardOverrides",
    "GuardOverridesError",
    "GuardProblem",
    "GuardReport",
    "GuardUndecided",
    "ThresholdOverrides",
    "evaluate_guards",
    "load_overrides",
    "run_guards",
]
