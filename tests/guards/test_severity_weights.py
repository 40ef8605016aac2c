"""guards.severity_weights mirrors the catalogue's severities after every guard run."""

from __future__ import annotations

import duckdb
import pytest
import yaml

from marketing_health.catalogue.model import CatalogueError, parse_catalogue
from marketing_health.guards.weights import severity_weight_rows

from .guard_case import FIVE_GUARDS_FILE, NIGHT, five_guards, judge


def _weights(paths) -> list[tuple]:
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        return con.execute(
            "select severity, weight, rank from guards.severity_weights order by rank"
        ).fetchall()


def _reweighted(severities: dict) -> object:
    data = yaml.safe_load(FIVE_GUARDS_FILE.read_text(encoding="utf-8"))
    data["severities"] = severities
    return parse_catalogue(data)


def test_every_run_writes_the_catalogue_weights(warehouse):
    judge(warehouse, NIGHT, "run-1")
    assert _weights(warehouse) == [("info", 1.0, 1), ("warning", 3.0, 2), ("critical", 6.0, 3)]


def test_a_later_run_replaces_the_whole_table(warehouse):
    judge(warehouse, NIGHT, "run-1")
    catalogue = _reweighted(
        {"warning": {"rank": 1, "weight": 2}, "critical": {"rank": 2, "weight": 10}}
    )
    judge(warehouse, NIGHT, "run-2", catalogue=catalogue)
    assert _weights(warehouse) == [("warning", 2.0, 1), ("critical", 10.0, 2)]


def test_weights_are_written_even_when_no_guard_can_run(paths):
    judge(paths, NIGHT, "run-1")
    assert [w[0] for w in _weights(paths)] == ["info", "warning", "critical"]


def test_a_severity_without_a_weight_is_a_catalogue_error():
    catalogue = five_guards()
    broken = _reweighted({**catalogue.severities, "warning": {"rank": 2}})
    with pytest.raises(CatalogueError, match="severity 'warning' needs a numeric weight"):
        severity_weight_rows(broken)
