"""The transform stage: builds the dbt project (marts and signal marts) against the warehouse."""

from marketing_health.transform.dbt import (
    DbtBuildError,
    DbtNodeFailure,
    DbtRunSummary,
    generate_docs,
    run_dbt_build,
)

__all__ = ["DbtBuildError", "DbtNodeFailure", "DbtRunSummary", "generate_docs", "run_dbt_build"]
