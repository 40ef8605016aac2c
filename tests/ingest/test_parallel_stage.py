"""Stage tasks run in parallel processes next to an existing warehouse; only publish writes."""

from __future__ import annotations

import multiprocessing

from ingest_support import SOURCES, landing_path, ledger, query, rows, run_ingest, write_csv

from marketing_health.ingest import publish, stage_source


def test_sources_stage_concurrently_in_separate_processes(paths, pii_key):
    for source in SOURCES:
        write_csv(landing_path(paths, source, "export.csv"), rows(source, 3))
    run_ingest(paths, pii_key, run_id="night-1")
    for source in SOURCES:
        data = rows(source, 3, day="2026-11-21", start=10)
        write_csv(landing_path(paths, source, "export.csv", day="2026-11-21"), data)

    with multiprocessing.get_context("spawn").Pool(processes=len(SOURCES)) as pool:
        reports = pool.starmap(
            stage_source, [(source, paths, "night-2", pii_key) for source in SOURCES]
        )
    published = publish(paths, "night-2")

    assert [(r.source, r.count("staged"), r.unchanged_files) for r in reports] == [
        (source, 1, 1) for source in SOURCES
    ]
    assert [f.status for f in published.files] == ["loaded"] * len(SOURCES)
    assert [e["status"] for e in ledger(paths)] == ["loaded"] * 2 * len(SOURCES)
    for source in SOURCES:
        assert query(paths, f"SELECT count(*) FROM raw.{source}") == [(6,)]
