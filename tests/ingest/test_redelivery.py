"""Re-runs, duplicates and corrected re-deliveries: the ledger keeps every count honest."""

from __future__ import annotations

from ingest_support import (
    DAY,
    landing_path,
    ledger,
    query,
    rows,
    run_ingest,
    table_counts,
    write_csv,
)


def _landing_night(paths):
    for source in ("campaigns", "social_posts", "email_recipients"):
        write_csv(landing_path(paths, source, "export.csv"), rows(source, 4))
    bad = rows("social_posts", 2, start=10)
    bad[1]["impressions"] = "abc"
    bad[0]["post_text"] = "call me on +49 30 1234567"
    write_csv(landing_path(paths, "social_posts", "more.csv"), bad)
    missing = [{k: v for k, v in r.items() if k != "delivered"} for r in rows("email_sends", 2)]
    write_csv(landing_path(paths, "email_sends", "sends.csv"), missing)


def test_rerunning_the_same_night_changes_nothing(paths, pii_key):
    _landing_night(paths)
    first = run_ingest(paths, pii_key, run_id="night-1")
    counts, entries = table_counts(paths), ledger(paths)

    second = run_ingest(paths, pii_key, run_id="night-1-retry")

    assert table_counts(paths) == counts
    assert ledger(paths) == entries
    assert sorted(f.status for f in first.files) == [
        "loaded",
        "loaded",
        "loaded",
        "loaded",
        "rejected",
    ]
    assert [f.status for f in second.files] == ["rejected"]
    assert second.unchanged_files == 4
    assert "0 new files, 5 already seen: 0 rows loaded" in second.summary()
    assert not any(f.ledger_row_written for f in second.files)
    assert counts["ops.quarantine"] == 1 and counts["ops.pii_findings"] == 1


def test_same_content_under_another_name_is_loaded_once(paths, pii_key):
    data = rows("social_posts", 3)
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)
    run_ingest(paths, pii_key, run_id="night-1")
    write_csv(landing_path(paths, "social_posts", "posts (1).csv"), data)
    write_csv(landing_path(paths, "social_posts", "posts-copy.csv", day="2026-11-21"), data)

    report = run_ingest(paths, pii_key, run_id="night-2")
    run_ingest(paths, pii_key, run_id="night-3")

    assert query(paths, "SELECT count(*) FROM raw.social_posts") == [(3,)]
    by_file = {f.file_path: f for f in report.files}
    copy = by_file[f"social_posts/{DAY}/posts (1).csv"]
    assert copy.status == "duplicate" and copy.ledger_row_written and copy.rows_in_file is None
    assert f"same content as social_posts/{DAY}/posts.csv" in copy.message
    statuses = sorted((e["file_path"], e["status"]) for e in ledger(paths))
    assert statuses == [
        ("social_posts/2026-11-20/posts (1).csv", "duplicate"),
        ("social_posts/2026-11-20/posts.csv", "loaded"),
        ("social_posts/2026-11-21/posts-copy.csv", "duplicate"),
    ]


def test_two_copies_in_one_delivery_count_once(paths, pii_key):
    data = rows("kpis", 2)
    write_csv(landing_path(paths, "kpis", "a.csv"), data)
    write_csv(landing_path(paths, "kpis", "b.csv"), data)

    report = run_ingest(paths, pii_key)

    assert [f.status for f in report.files] == ["loaded", "duplicate"]
    assert query(paths, "SELECT count(*) FROM raw.kpis") == [(2,)]


def test_corrected_redelivery_at_the_same_path_replaces_the_rows(paths, pii_key):
    path = landing_path(paths, "social_posts", "posts.csv")
    old = rows("social_posts", 3)
    old[0]["likes"] = "-1"
    old[1]["post_text"] = "write to old.address@example.com"
    write_csv(path, old)
    run_ingest(paths, pii_key, run_id="night-1")
    assert query(paths, "SELECT count(*) FROM ops.quarantine") == [(1,)]

    new = rows("social_posts", 2)
    for r in new:
        r["likes"] = "777"
    write_csv(path, new)
    report = run_ingest(paths, pii_key, run_id="night-2")

    assert [(f.status, f.rows_loaded) for f in report.files] == [("replaced", 2)]
    assert query(paths, "SELECT likes, count(*) FROM raw.social_posts GROUP BY ALL") == [(777, 2)]
    assert query(paths, "SELECT count(*) FROM ops.quarantine") == [(0,)]
    assert query(paths, "SELECT count(*) FROM ops.pii_findings") == [(0,)]
    assert [e["status"] for e in ledger(paths)] == ["loaded", "replaced"]

    write_csv(path, old)
    run_ingest(paths, pii_key, run_id="night-3")

    assert query(paths, "SELECT count(*), min(likes) FROM raw.social_posts") == [(2, 20)]
    assert [e["status"] for e in ledger(paths)] == ["loaded", "replaced", "replaced"]


def test_rejected_file_then_corrected_file_loads(paths, pii_key):
    path = landing_path(paths, "email_sends", "sends.csv")
    good = rows("email_sends", 2)
    write_csv(path, [{k: v for k, v in r.items() if k != "opens"} for r in good])
    run_ingest(paths, pii_key, run_id="night-1")
    run_ingest(paths, pii_key, run_id="night-1-retry")
    assert [e["status"] for e in ledger(paths)] == ["rejected"]

    write_csv(path, good)
    report = run_ingest(paths, pii_key, run_id="night-2")

    assert [f.status for f in report.files] == ["loaded"]
    assert [e["status"] for e in ledger(paths)] == ["rejected", "loaded"]
    assert query(paths, "SELECT count(*) FROM raw.email_sends") == [(2,)]
