"""The landing contract: typed view of ``sources.yaml``, the one definition of landing files."""

from marketing_health.contract.schema import (
    COLUMN_TYPES,
    Column,
    Contract,
    ContractDefinitionError,
    Source,
    load_contract,
)

__all__ = [
    "COLUMN_TYPES",
    "Column",
    "Contract",
    "ContractDefinitionError",
    "Source",
    "load_contract",
]
