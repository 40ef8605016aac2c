"""``guards.severity_weights``: how much each severity counts in the campaign health score.

The weights belong to the catalogue (``severities`` in pitfalls.yaml), but the health score is
computed in dbt after the guards, which cannot read the catalogue file. The guard stage copies
them into the warehouse on every run, whole, so a changed weight counts from the next night
on and a removed severity disappears.
"""

from __future__ import annotations

import math
from typing import Any

from marketing_health.catalogue.model import Catalogue, CatalogueError

SEVERITY_WEIGHTS_TABLE = "guards.severity_weights"

#: ``{double}``: the engine's name of a double-precision float.
SEVERITY_WEIGHTS_DDL = f"""
CREATE TABLE IF NOT EXISTS {SEVERITY_WEIGHTS_TABLE} (
    severity VARCHAR PRIMARY KEY,
    weight {{double}} NOT NULL,
    rank INTEGER NOT NULL
)
"""


def severity_weight_rows(catalogue: Catalogue) -> list[tuple[str, float, int]]:
    """(severity, weight, rank) for every severity of the catalogue, lowest rank first."""
    rows = []
    for severity, spec in catalogue.severities.items():
        try:
            weight, rank = float(spec["weight"]), int(spec["rank"])
        except (KeyError, TypeError, ValueError):
            raise CatalogueError(
                f"pitfalls.yaml: severity {severity!r} needs a numeric weight and rank, "
                f"got {spec!r}"
            ) from None
        if not math.isfinite(weight) or weight < 0:
            raise CatalogueError(
                f"pitfalls.yaml: severity {severity!r} has weight {weight}; use 0 or more"
            )
        rows.append((str(severity), weight, rank))
    return sorted(rows, key=lambda r: (r[2], r[0]))


def replace_severity_weights(con: Any, catalogue: Catalogue) -> None:
    """Replace the table's contents with the catalogue's severities, atomically."""
    from marketing_health.warehouse import engine_of, sql_type

    rows = severity_weight_rows(catalogue)
    con.execute("CREATE SCHEMA IF NOT EXISTS guards")
    con.execute(SEVERITY_WEIGHTS_DDL.format(double=sql_type("DOUBLE", engine_of(con))))
    con.begin()
    try:
        con.execute(f"DELETE FROM {SEVERITY_WEIGHTS_TABLE}")
        if rows:
            con.executemany(
                f"INSERT INTO {SEVERITY_WEIGHTS_TABLE} (severity, weight, rank) VALUES (?, ?, ?)",
                rows,
            )
        con.commit()
    except BaseException:
        con.rollback()
        raise
