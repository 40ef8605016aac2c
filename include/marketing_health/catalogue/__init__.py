"""The pitfall catalogue: typed view of ``pitfalls.yaml``."""

from marketing_health.catalogue.model import (
    Catalogue,
    CatalogueError,
    Check,
    Guard,
    Pitfall,
    Sentence,
    Summary,
    load_catalogue,
)

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Check",
    "Guard",
    "Pitfall",
    "Sentence",
    "Summary",
    "load_catalogue",
]
