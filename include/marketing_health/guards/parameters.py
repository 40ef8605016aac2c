"""Writes the guard parameters where dbt reads them, before every build.

The numbers inside the signal models that decide a verdict (windows, ratios, minimum counts)
are catalogue parameters, and ``config/guard_overrides.yaml`` may change them for a campaign,
a brand or a channel. dbt cannot read YAML per campaign, so the transform stage writes the
defaults and the overrides to ``params.guard_parameter_settings`` (as it writes the
vocabularies to ``vocab.*``); the model ``int_campaign_guard_parameters`` resolves them per
campaign and the macro ``guard_param`` reads them. Tonight's file therefore reaches tonight's
build, and a wrong file stops the build with the entry named before any model runs.
"""

from __future__ import annotations

from typing import Any

from marketing_health.catalogue.model import Catalogue, load_catalogue
from marketing_health.guards.overrides import (
    PARAMETER_SETTING_COLUMNS,
    GuardOverrides,
    load_overrides,
    parameter_settings,
)

SCHEMA = "params"
TABLE = f"{SCHEMA}.guard_parameter_settings"
_TYPES = {"value": "DOUBLE PRECISION", "scope_rank": "INTEGER", "precedence": "INTEGER"}


def write_guard_parameters(
    con: Any, catalogue: Catalogue | None = None, overrides: GuardOverrides | None = None
) -> int:
    """(Re)write ``params.guard_parameter_settings``; returns how many rows it holds.

    Works on a DuckDB connection and on the PostgreSQL wrapper alike (plain DDL and
    ``executemany``). Raises :class:`~marketing_health.guards.overrides.GuardOverridesError`
    when the overrides file is wrong.
    """
    catalogue = catalogue or load_catalogue()
    overrides = overrides if overrides is not None else load_overrides(catalogue=catalogue)
    rows = parameter_settings(catalogue, overrides)
    columns = ", ".join(f"{c} {_TYPES.get(c, 'VARCHAR')}" for c in PARAMETER_SETTING_COLUMNS)
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    con.execute(f"DROP TABLE IF EXISTS {TABLE}")
    con.execute(f"CREATE TABLE {TABLE} ({columns})")
    if rows:
        marks = ", ".join("?" for _ in PARAMETER_SETTING_COLUMNS)
        con.executemany(f"INSERT INTO {TABLE} VALUES ({marks})", rows)
    return len(rows)
