"""The transform stage: builds the dbt project (marts and signal marts) against the warehouse,
and after the guards the reporting models that read their results."""

from marketing_health.transform.dbt import (
    DbtBuildError,
    DbtNodeFailure,
    DbtRunSummary,
    generate_docs,
    run_dbt_build,
    run_dbt_reporting,
)

__all__ = [
    "DbtBuildError",
    "DbtNodeFailure",
    "DbtRunSummary",
    "generate_docs",
    "run_dbt_build",
    "run_dbt_reporting",
]
