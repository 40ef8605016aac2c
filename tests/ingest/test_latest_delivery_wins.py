"""A snapshot source delivered A, then B, then A again (the same bytes as the first) leaves A in
use: the latest delivery wins, whatever its bytes. Tested for every snapshot source of the
contract, through both ways of loading (the single-process ``load_night`` and the Airflow way,
stage then publish), on a real DuckDB warehouse; re-running a night counts nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ingest_support import CONTRACT, landing_path, ledger, query, rows, table_counts, write_csv

from marketing_health.contract import Contract
from marketing_health.ingest import PublishReport, load_night, publish, stage_source
from marketing_health.ingest.discover import sha256_file
from marketing_health.settings import Paths

SNAPSHOT_SOURCES = [s.name for s in CONTRACT if s.kind == "snapshot"]
DAYS = ("2026-11-18", "2026-11-19", "2026-11-20")


def _only(name: str) -> Contract:
    """The contract reduced to one source: the other sources have no files in these tests."""
    return Contract(CONTRACT.version, {name: CONTRACT[name]})


def _airflow_way(paths: Paths, name: str, run_id: str, key: str) -> PublishReport:
    stage_source(name, paths, run_id, key)
    return publish(paths, run_id, contract=_only(name))


def _single_process(paths: Paths, name: str, run_id: str, key: str) -> PublishReport:
    return load_night(paths, run_id, key, contract=_only(name))[1]


WAYS: dict[str, Callable[[Paths, str, str, str], PublishReport]] = {
    "stage-and-publish": _airflow_way,
    "run-night": _single_process,
}


def _in_use(paths: Paths, name: str) -> list[tuple]:
    """Checksums and row counts of the latest delivery day: the rows the models read."""
    table = CONTRACT[name].raw_table
    return query(
        paths,
        f"SELECT _checksum, count(*) FROM {table} "
        f"WHERE _delivery_day = (SELECT max(_delivery_day) FROM {table}) GROUP BY 1",
    )


@pytest.mark.parametrize("way", list(WAYS))
@pytest.mark.parametrize("name", SNAPSHOT_SOURCES)
def test_a_then_b_then_a_again_leaves_a_in_use(paths, pii_key, name, way):
    run = WAYS[way]
    a, b = rows(name, 3, day=DAYS[0]), rows(name, 2, day=DAYS[0], start=10)
    first = write_csv(landing_path(paths, name, "export.csv", day=DAYS[0]), a)
    run(paths, name, "night-1", pii_key)
    second = write_csv(landing_path(paths, name, "export.csv", day=DAYS[1]), b)
    run(paths, name, "night-2", pii_key)
    third = write_csv(landing_path(paths, name, "export.csv", day=DAYS[2]), a)
    assert third.read_bytes() == first.read_bytes()

    report = run(paths, name, "night-3", pii_key)

    checksum_a = sha256_file(first)
    assert _in_use(paths, name) == [(checksum_a, 3)]
    outcome = {f.file_path: f for f in report.files}[f"{name}/{DAYS[2]}/export.csv"]
    assert outcome.status == "loaded" and outcome.rows_loaded == 3
    row = [e for e in ledger(paths) if e["run_id"] == "night-3"]
    assert [(e["file_path"], e["status"], e["rows_loaded"]) for e in row] == [
        (f"{name}/{DAYS[2]}/export.csv", "loaded", 3)
    ]
    assert row[0]["checksum"] == checksum_a
    assert row[0]["message"] == (
        f"{name}/{DAYS[2]}/export.csv: same content as {name}/{DAYS[0]}/export.csv, delivered "
        f"again after {name}/{DAYS[1]}/export.csv; the latest delivery wins, so it replaces "
        f"{name}/{DAYS[1]}/export.csv as the current delivery"
    )
    assert sha256_file(second) != checksum_a

    counts, entries = table_counts(paths), ledger(paths)
    again = run(paths, name, "night-3-retry", pii_key)

    assert table_counts(paths) == counts
    assert ledger(paths) == entries
    assert again.files == [] and again.unchanged_files == 3
    assert query(paths, f"SELECT count(*) FROM {CONTRACT[name].raw_table}") == [(8,)]
    assert _in_use(paths, name) == [(checksum_a, 3)]


@pytest.mark.parametrize("way", list(WAYS))
def test_a_b_a_delivered_in_one_night_leaves_a_in_use(paths, pii_key, way):
    """Three days caught up at once: the same rule, applied in delivery order."""
    name = "campaigns"
    a, b = rows(name, 3, day=DAYS[0]), rows(name, 2, day=DAYS[0], start=10)
    first = write_csv(landing_path(paths, name, "plan.csv", day=DAYS[0]), a)
    write_csv(landing_path(paths, name, "plan.csv", day=DAYS[1]), b)
    write_csv(landing_path(paths, name, "plan.csv", day=DAYS[2]), a)

    report = WAYS[way](paths, name, "night-1", pii_key)

    assert [f.status for f in report.files] == ["loaded", "loaded", "loaded"]
    assert _in_use(paths, name) == [(sha256_file(first), 3)]


@pytest.mark.parametrize("way", list(WAYS))
def test_the_same_snapshot_twice_without_change_between_is_a_duplicate(paths, pii_key, way):
    """A, A: nothing changed, so the second delivery adds nothing (the earlier rule stands),
    and an event source's copies are never loaded twice."""
    a = rows("campaigns", 3, day=DAYS[0])
    write_csv(landing_path(paths, "campaigns", "plan.csv", day=DAYS[0]), a)
    WAYS[way](paths, "campaigns", "night-1", pii_key)
    write_csv(landing_path(paths, "campaigns", "plan.csv", day=DAYS[1]), a)

    report = WAYS[way](paths, "campaigns", "night-2", pii_key)

    assert [f.status for f in report.files] == ["duplicate"]
    assert query(paths, "SELECT count(*) FROM raw.campaigns") == [(3,)]


@pytest.mark.integration
def test_the_campaign_plan_model_reads_a_after_a_b_a(paths, pii_key):
    """What the marts see: dbt's staging model of the plan keeps the latest delivery, A."""
    from marketing_health.transform import run_dbt_build

    name = "campaigns"
    a, b = rows(name, 3, day=DAYS[0]), rows(name, 2, day=DAYS[0], start=10)
    for day, data in zip(DAYS, (a, b, a), strict=True):
        write_csv(landing_path(paths, name, "plan.csv", day=day), data)
        _airflow_way(paths, name, f"night-{day}", pii_key)

    run_dbt_build(paths, DAYS[2], select="stg_campaign_plan__campaigns", full_refresh=True)

    (schema,) = query(
        paths,
        "SELECT table_schema FROM information_schema.tables "
        "WHERE table_name = 'stg_campaign_plan__campaigns'",
    )[0:1]
    in_use = query(
        paths, f'SELECT campaign_id FROM "{schema[0]}".stg_campaign_plan__campaigns ORDER BY 1'
    )
    assert [r[0] for r in in_use] == sorted(r["campaign_id"] for r in a)
