"""The plain load the bench sets beside ingest: every landing file read into typed tables by
DuckDB, one read per file layout, nothing checked or recorded."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from marketing_health.bench.plain import plain_load
from marketing_health.contract import load_contract
from marketing_health.contract.schema import COLUMN_TYPES
from marketing_health.generate.landing import generate_landing


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plain") / "landing"
    generate_landing(folder, seed=7, end_date=date(2026, 11, 30), days=28, overwrite=True)
    return folder


def _rows_in(files: list[Path]) -> int:
    total = 0
    for path in files:
        with path.open(newline="", encoding="utf-8") as handle:
            total += sum(1 for _ in csv.reader(handle)) - 1
    return total


def test_every_source_is_loaded_whole_with_the_contracts_types(
    landing: Path, tmp_path: Path
) -> None:
    database = tmp_path / "plain.duckdb"
    loaded = plain_load(database, landing)
    contract = {s.name: s for s in load_contract()}
    on_disk = {
        name: _rows_in(sorted((landing / name).glob("*/*.csv")))
        for name in contract
        if any((landing / name).glob("*/*.csv"))
    }
    assert loaded == on_disk
    assert loaded["social_posts"] > 1_000
    with duckdb.connect(str(database), read_only=True) as con:
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'paid_ads'"
            ).fetchall()
        )
    expected = {c.name: COLUMN_TYPES[c.type] for c in contract["paid_ads"].columns}
    assert types == expected


def test_files_of_another_column_order_are_read_by_name(landing: Path, tmp_path: Path) -> None:
    original = sorted((landing / "campaigns").glob("*/*.csv"))[0]
    with original.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    copy = tmp_path / "landing" / "campaigns"
    (copy / "2026-11-01").mkdir(parents=True)
    (copy / "2026-11-01" / "campaigns.csv").write_bytes(original.read_bytes())
    # the same rows once more, columns reversed, and a column the contract does not know
    (copy / "2026-11-02").mkdir()
    with (copy / "2026-11-02" / "campaigns.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        for i, row in enumerate(rows):
            writer.writerow([*reversed(row), "note" if i == 0 else "x"])
    database = tmp_path / "plain.duckdb"
    assert plain_load(database, tmp_path / "landing") == {"campaigns": 2 * (len(rows) - 1)}
    with duckdb.connect(str(database), read_only=True) as con:
        copies = con.execute(
            "SELECT campaign_id, start_date, budget, count(*) FROM campaigns GROUP BY ALL"
        ).fetchall()
    # each campaign reads the same, typed, from both layouts
    assert len(copies) == len(rows) - 1
    assert all(n == 2 and isinstance(start, date) for _, start, _, n in copies)


def test_a_value_that_is_not_its_columns_type_stops_the_load_naming_the_file(
    landing: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "landing" / "kpis" / "2026-11-30" / "kpis.csv"
    source = sorted((landing / "kpis").glob("*/*.csv"))[0]
    bad.parent.mkdir(parents=True)
    lines = source.read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    row = next(csv.reader([lines[1]]))
    row[header.index("due_date")] = "next friday"
    with bad.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, row])
    with pytest.raises(duckdb.Error, match=r"kpis\.csv"):
        plain_load(tmp_path / "plain.duckdb", tmp_path / "landing")
