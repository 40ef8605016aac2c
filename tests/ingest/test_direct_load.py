"""The single-process load (run-night, the bench) writes the warehouse directly; the Airflow
way stages Parquet files and publishes them. Both must leave the same raw and ops tables and
report the same outcome for every file, night after night.

Real files: a generated landing zone with tool exports and the Shanghai and Berlin teams'
files in their locales, plus files broken by hand; real DuckDB files on both sides.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from ingest_support import run_ingest

from marketing_health.generate import generate_landing
from marketing_health.ingest import PublishReport, load_night
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

pytestmark = pytest.mark.integration

END = date(2026, 11, 20)
#: Columns that say when or in which run a row was written: they differ between any two runs.
RUN_STAMPS = {"_loaded_at", "loaded_at", "quarantined_at", "found_at", "run_id"}


def _tables(paths: Paths) -> dict[str, list[tuple]]:
    """Every raw and ops table without its run stamps, as a sorted list of rows."""
    found = {}
    with connect(paths.warehouse, read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema IN ('raw', 'ops') ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            kept = ", ".join(f'"{c}"' for c in columns if c not in RUN_STAMPS)
            rows = con.execute(f"SELECT {kept} FROM {table}").fetchall()
            found[table] = sorted(rows, key=repr)
    return found


def _outcomes(report: PublishReport) -> list[tuple]:
    return [
        (f.file_path, f.status, f.rows_loaded, f.rows_quarantined, f.pii_findings, f.message)
        for f in report.files
    ]


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _break_files(landing: Path) -> None:
    """Row problems, a rejected file and a copy, beside the generated files."""
    day = landing / "social_posts" / "2026-11-19"
    posts = sorted(day.glob("*.csv"))[0]

    def bad_values(rows: list[dict]) -> list[dict]:
        rows[0]["impressions"] = "lots"
        rows[1]["post_date"] = "yesterday"
        return [*rows, dict(rows[2])]  # a repeated key

    _rewrite(posts, bad_values)
    shutil.copy(posts, day / "posts_copy.csv")  # the same content twice: loaded once
    (landing / "kpis" / "2026-11-19").mkdir(parents=True, exist_ok=True)
    (landing / "kpis" / "2026-11-19" / "no_metric.csv").write_text(
        "campaign_id,target_value\nC1,3\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, Paths]:
    root = tmp_path_factory.mktemp("direct")
    staged, direct = Paths.under(root / "staged"), Paths.under(root / "direct")
    generate_landing(
        staged.landing_dir,
        seed=7,
        end_date=END,
        days=28,
        export_style="mixed",
        team_style="localised",
    )
    _break_files(staged.landing_dir)
    shutil.copytree(staged.landing_dir, direct.landing_dir)
    return staged, direct


def test_the_direct_load_leaves_what_staging_and_publishing_leave(twins, pii_key):
    staged, direct = twins

    published = run_ingest(staged, pii_key, run_id="night-1")
    _, loaded = load_night(direct, "night-1", pii_key)

    assert _outcomes(loaded) == _outcomes(published)
    statuses = {f.status for f in loaded.files}
    assert {"loaded", "duplicate", "rejected"} <= statuses
    assert loaded.rows_quarantined >= 3 and loaded.rows_loaded > 10_000
    assert _tables(direct) == _tables(staged)


def test_the_next_nights_agree_too_with_a_correction_and_a_rerun(twins, pii_key):
    """The corrected file replaces its rows; its old content's copy, a duplicate until then,
    is skipped that night and loads the next; a re-run adds nothing."""
    staged, direct = twins
    for paths in twins:
        posts = sorted((paths.landing_dir / "social_posts" / "2026-11-19").glob("*.csv"))[0]
        _rewrite(posts, lambda rows: rows[:5])  # a corrected re-delivery at the same path

    nights = []
    for run_id in ("night-2", "night-3", "night-3-again"):
        published = run_ingest(staged, pii_key, run_id=run_id)
        _, loaded = load_night(direct, run_id, pii_key)
        assert _outcomes(loaded) == _outcomes(published)
        nights.append(loaded)

    second, third, again = (
        [(f.file_path.rsplit("/", 1)[1], f.status) for f in n.new_files] for n in nights
    )
    assert sorted(status for _, status in second) == ["replaced", "skipped"]
    assert third == [("posts_copy.csv", "loaded")]
    assert again == [] and nights[2].unchanged_files > 500
    assert _tables(direct) == _tables(staged)
