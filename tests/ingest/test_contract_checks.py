"""Rows that break the contract are quarantined; files that break it are rejected, with the
file, row and column named so whoever exports the file can fix it."""

from __future__ import annotations

import logging
from decimal import Decimal

import duckdb
import pytest
from ingest_support import (
    CONTRACT,
    DAY,
    landing_path,
    ledger,
    query,
    rows,
    run_ingest,
    write_csv,
    write_jsonl,
)

from marketing_health.ingest import ContractViolation, ReconcileError, publish, stage_source


def _quarantine(paths):
    return query(
        paths, "SELECT row_number, column_name, reason FROM ops.quarantine ORDER BY row_number, 2"
    )


def test_bad_values_are_quarantined_and_the_other_rows_load(paths, pii_key, caplog):
    data = rows("social_posts", 6)
    data[1]["impressions"] = "abc"
    data[2]["platform"] = "MySpace"  # a platform no vocabulary knows: loaded, not quarantined
    data[3]["likes"] = "-3"
    data[4]["campaign_id"] = " "
    data[5]["is_sponsored"] = "maybe"
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)

    with caplog.at_level(logging.INFO, logger="marketing_health.ingest"):
        report = run_ingest(paths, pii_key)

    file = f"social_posts/{DAY}/posts.csv"
    assert _quarantine(paths) == [
        (2, "impressions", f"{file}, row 3, column 'impressions': 'abc' is not a whole number"),
        (4, "likes", f"{file}, row 5, column 'likes': '-3' is negative; it must be 0 or more"),
        (
            5,
            "campaign_id",
            f"{file}, row 6, column 'campaign_id': is empty; every row needs a value here",
        ),
        (
            6,
            "is_sponsored",
            f"{file}, row 7, column 'is_sponsored': 'maybe' is not yes or no (write true/false, "
            "yes/no, 1/0 or a word of the yes/no vocabulary: ja/nein, 是/否, oui/non, sí/no; a "
            "team adds its own words in config/vocabularies/yes_no.yaml)",
        ),
    ]
    loaded = query(paths, "SELECT _row_number, platform FROM raw.social_posts ORDER BY 1")
    assert loaded == [(1, "instagram"), (3, "myspace")]
    assert (report.files[0].rows_loaded, report.files[0].rows_quarantined) == (2, 4)
    record = query(paths, "SELECT record->>'impressions' FROM ops.quarantine WHERE row_number = 2")
    assert record == [("abc",)]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"{file}, row 3, column 'impressions': 'abc' is not a whole number" in warnings
    assert any(
        r.getMessage().startswith(f"{file}: loaded, 2 row(s) loaded, 4 quarantined")
        for r in caplog.records
        if r.levelno == logging.INFO
    )


def test_duplicate_key_in_a_file_keeps_the_first_row(paths, pii_key):
    data = rows("paid_ads", 3)
    data[2] = dict(data[0], spend="99.00")
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), data)

    run_ingest(paths, pii_key)

    ((row, column, reason),) = _quarantine(paths)
    assert (row, column) == (3, "ad_date, platform, account_id, platform_campaign_id, ad_group_id")
    assert reason.startswith(f"paid_ads/{DAY}/ads.csv, row 4, columns 'ad_date', 'platform'")
    assert "repeats row 2" in reason
    assert query(paths, "SELECT spend FROM raw.paid_ads ORDER BY _row_number") == [
        (Decimal("1.5"),),
        (Decimal("2.5"),),
    ]


def test_many_problems_log_a_capped_list(paths, pii_key, caplog):
    data = rows("kpis", 30)
    for r in data:
        r["target_value"] = "lots"
    write_csv(landing_path(paths, "kpis", "kpis.csv"), data)

    with caplog.at_level(logging.WARNING, logger="marketing_health.ingest"):
        stage_source("kpis", paths, "night-1", pii_key)

    lines = [r.getMessage() for r in caplog.records]
    assert sum("is not a number" in line for line in lines) == 20
    assert any("10 more problem(s)" in line for line in lines)


def test_missing_required_column_rejects_the_file_and_others_still_load(paths, pii_key):
    data = [{k: v for k, v in r.items() if k != "impressions"} for r in rows("social_posts", 2)]
    write_csv(landing_path(paths, "social_posts", "broken.csv"), data)
    write_csv(landing_path(paths, "social_posts", "fine.csv"), rows("social_posts", 2, start=5))

    report = run_ingest(paths, pii_key)

    outcome = {f.file_path.rsplit("/", 1)[1]: f for f in report.files}
    assert outcome["fine.csv"].status == "loaded"
    assert outcome["broken.csv"].status == "rejected"
    message = outcome["broken.csv"].message
    assert message.startswith(f"social_posts/{DAY}/broken.csv, row 1, column 'impressions': ")
    assert "required column 'impressions' is missing from the header" in message
    assert "it has: post_date, platform, post_id" in message
    rejected = [e for e in ledger(paths) if e["status"] == "rejected"]
    assert [(e["file_path"], e["message"]) for e in rejected] == [
        (f"social_posts/{DAY}/broken.csv", message)
    ]
    assert query(paths, "SELECT count(*) FROM raw.social_posts") == [(2,)]


def _cut_off_csv(paths):
    path = write_csv(landing_path(paths, "kpis", "cut.csv"), rows("kpis", 3))
    path.write_bytes(path.read_bytes()[:-22])


def _cut_off_gzip(paths):
    path = write_csv(landing_path(paths, "kpis", "cut.csv.gz"), rows("kpis", 400))
    path.write_bytes(path.read_bytes()[:-40])


def _latin1(paths):
    path = write_csv(landing_path(paths, "kpis", "latin.csv"), rows("kpis", 2))
    path.write_bytes(path.read_bytes().replace(b"metric_2", "métric_2".encode("latin-1")))


def _repeated_column(paths):
    data = [dict(r, Metric=r["metric"]) for r in rows("kpis", 2)]
    write_csv(landing_path(paths, "kpis", "twice.csv"), data)


def _bad_json(paths):
    path = write_jsonl(landing_path(paths, "kpis", "k.jsonl"), rows("kpis", 2))
    path.write_text(path.read_text()[:-5])


@pytest.mark.parametrize(
    ("make", "name", "row", "words"),
    [
        (_cut_off_csv, "cut.csv", 4, "this row has 2 values but the header has 4 columns"),
        (_cut_off_gzip, "cut.csv.gz", None, "damaged or cut off"),
        (_latin1, "latin.csv", 3, "not UTF-8"),
        (_bad_json, "k.jsonl", 2, "not valid JSON"),
        (_repeated_column, "twice.csv", 1, "the column 'Metric' appears twice"),
        (lambda p: landing_path(p, "kpis", "empty.csv").touch(), "empty.csv", None, "is empty"),
        (
            lambda p: landing_path(p, "kpis", "plan.numbers").write_bytes(b"PK"),
            "plan.numbers",
            None,
            "this file type is not accepted",
        ),
        (
            lambda p: landing_path(p, "kpis", "plan.xlsx").write_bytes(b"PK"),
            "plan.xlsx",
            None,
            "the workbook could not be opened",
        ),
        (
            lambda p: landing_path(p, "kpis", "x.parquet").write_bytes(b"not parquet"),
            "x.parquet",
            None,
            "not a readable Parquet file",
        ),
    ],
)
def test_unreadable_files_are_rejected_with_where_and_why(paths, pii_key, make, name, row, words):
    make(paths)
    write_csv(landing_path(paths, "kpis", "zz-good.csv"), rows("kpis", 2, start=50))

    report = stage_source("kpis", paths, "night-1", pii_key)

    bad, good = report.files
    assert good.status == "staged" and good.rows_valid == 2
    assert bad.status == "rejected"
    assert bad.error["file"] == f"kpis/{DAY}/{name}" and bad.error["row"] == row
    assert words in bad.message and bad.message.startswith(f"kpis/{DAY}/{name}")


def test_files_outside_a_delivery_day_folder_are_rejected(paths, pii_key):
    folder = paths.landing_dir / "kpis" / "latest"
    folder.mkdir(parents=True)
    write_csv(folder / "kpis.csv", rows("kpis", 1))
    write_csv(paths.landing_dir / "kpis" / "loose.csv", rows("kpis", 1))
    (paths.landing_dir / "kpis" / ".DS_Store").write_bytes(b"\0")

    report = stage_source("kpis", paths, "night-1", pii_key)

    assert [(f.file_path, f.status) for f in report.files] == [
        ("kpis/latest/kpis.csv", "rejected"),
        ("kpis/loose.csv", "rejected"),
    ]
    assert "kpis/YYYY-MM-DD/" in report.files[0].message


def test_unknown_columns_are_not_loaded_and_reported_as_drift(paths, pii_key, caplog):
    data = [dict(r, **{"Reach": "5", "notes": "x"}) for r in rows("kpis", 2)]
    write_csv(landing_path(paths, "kpis", "kpis.csv"), data)

    with caplog.at_level(logging.WARNING, logger="marketing_health.ingest"):
        report = run_ingest(paths, pii_key)

    assert report.schema_drift == {"kpis": {f"kpis/{DAY}/kpis.csv": ["Reach", "notes"]}}
    assert "Columns not in the contract, not loaded: Reach, notes" in report.summary()
    assert "reach" not in [r[0] for r in query(paths, "DESCRIBE raw.kpis")]
    assert any("columns not in the contract" in r.getMessage() for r in caplog.records)


def test_every_loaded_file_reconciles(paths, pii_key):
    for n, source in enumerate(CONTRACT.sources):
        data = rows(source, 5)
        needed = next(c for c in CONTRACT[source].required_columns if not c.nullable)
        data[n % 5][needed.name] = ""  # an empty value where one is needed: quarantined
        write_csv(landing_path(paths, source, "export.csv"), data)

    report = run_ingest(paths, pii_key)

    assert {f.status for f in report.files} == {"loaded"}
    for entry in ledger(paths):
        assert entry["rows_in_file"] == 5
        assert entry["rows_in_file"] == entry["rows_loaded"] + entry["rows_quarantined"]
        assert entry["rows_quarantined"] == 1
    total = query(
        paths,
        "SELECT sum(rows_loaded), (SELECT count(DISTINCT (file_path, row_number)) "
        "FROM ops.quarantine) FROM ops.load_ledger",
    )
    assert total == [(5 * len(CONTRACT.sources) - len(CONTRACT.sources), len(CONTRACT.sources))]


def test_contract_violation_names_file_row_and_column():
    err = ContractViolation(
        "kpis/2026-11-20/k.csv", 1, "metric", "missing_in_header", names="'metric'", seen="a", n=1
    )
    message = (
        "required column 'metric' is missing from the header; it has: a. Add the column (in any "
        "position) and deliver the file again."
    )
    assert str(err) == f"kpis/2026-11-20/k.csv, row 1, column 'metric': {message}"
    assert err.as_dict() == {
        "file": "kpis/2026-11-20/k.csv",
        "row": 1,
        "column": "metric",
        "message": message,
        "problem": "missing_in_header",
        "values": {"names": "'metric'", "seen": "a", "n": 1},
    }
    with pytest.raises(KeyError, match="no_such_problem"):
        ContractViolation("k.csv", None, None, "no_such_problem")


def test_publish_refuses_a_file_whose_rows_do_not_add_up(paths, pii_key):
    write_csv(landing_path(paths, "kpis", "a.csv"), rows("kpis", 2))
    write_csv(landing_path(paths, "kpis", "b.csv"), rows("kpis", 3, start=10))
    stage_source("kpis", paths, "night-1", pii_key)
    staged = paths.staging_dir / "night-1" / "kpis" / "rows.parquet"
    with duckdb.connect() as con:  # b.csv's last row goes missing
        con.execute(
            f"COPY (SELECT * FROM '{staged}' WHERE NOT (_file_path LIKE '%/b.csv' "
            f"AND _row_number = 3)) TO '{staged}.tmp' (FORMAT parquet)"
        )
    staged.with_name(staged.name + ".tmp").replace(staged)

    with pytest.raises(ReconcileError, match=r"kpis/2026-11-20/b.csv: the file has 3 rows but 2"):
        publish(paths, "night-1")

    assert query(paths, "SELECT _file_path, count(*) FROM raw.kpis GROUP BY ALL") == [
        (f"kpis/{DAY}/a.csv", 2)
    ]
    assert [e["file_path"] for e in ledger(paths)] == [f"kpis/{DAY}/a.csv"]
    assert staged.exists(), "staged files stay for the retry"
