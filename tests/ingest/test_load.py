"""Happy paths: every source and every accepted format lands in raw.* with its provenance."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest
from ingest_support import (
    CONTRACT,
    DAY,
    SOURCES,
    landing_path,
    ledger,
    query,
    rows,
    run_ingest,
    table_counts,
    write_csv,
    write_jsonl,
    write_parquet,
)

from marketing_health.contract.ddl import raw_columns
from marketing_health.ingest import publish, stage_source


@pytest.mark.parametrize("source", SOURCES)
def test_each_source_loads_with_its_provenance(paths, pii_key, source):
    path = write_csv(landing_path(paths, source, "export.csv"), rows(source, 3))

    report = run_ingest(paths, pii_key)

    assert [(f.file_path, f.status) for f in report.files] == [
        (f"{source}/{DAY}/export.csv", "loaded")
    ]
    meta = query(
        paths,
        f"SELECT _file_path, _row_number, _delivery_day, _checksum, _loaded_at IS NOT NULL "
        f"FROM raw.{source} ORDER BY _row_number",
    )
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta == [
        (f"{source}/{DAY}/export.csv", n, date.fromisoformat(DAY), checksum, True)
        for n in (1, 2, 3)
    ]
    columns = [r[0] for r in query(paths, f"DESCRIBE raw.{source}")]
    assert columns == list(raw_columns(CONTRACT[source]))
    (entry,) = ledger(paths)
    assert entry["status"] == "loaded"
    assert (entry["rows_in_file"], entry["rows_loaded"], entry["rows_quarantined"]) == (3, 3, 0)
    assert entry["checksum"] == checksum and entry["file_bytes"] == path.stat().st_size
    assert entry["delivery_day"] == date.fromisoformat(DAY) and entry["run_id"] == "night-1"


def test_values_are_typed_by_the_contract(paths, pii_key):
    data = rows("paid_ads", 1)
    data[0].update(spend="12.3456", impressions="1200.0", platform="Meta", currency=" EUR ")
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), data)
    data = rows("email_recipients", 1)
    data[0].update(consent_at="2026-11-01T10:00:00+02:00", opted_out_at="")
    write_csv(landing_path(paths, "email_recipients", "r.csv"), data)

    run_ingest(paths, pii_key)

    assert query(paths, "SELECT spend, impressions, platform, currency FROM raw.paid_ads") == [
        (Decimal("12.3456"), 1200, "meta", "EUR")
    ]
    ((consent_at, opted_out_at),) = query(
        paths, "SELECT consent_at, opted_out_at FROM raw.email_recipients"
    )
    assert consent_at.isoformat() == "2026-11-01T08:00:00" and opted_out_at is None


def test_parquet_jsonl_tsv_and_gzip_are_accepted(paths, pii_key):
    source = "social_posts"
    write_parquet(landing_path(paths, source, "a.parquet"), source, rows(source, 2, start=1))
    jsonl = rows(source, 2, start=3)
    for r in jsonl:
        r["impressions"] = int(r["impressions"])
        r["is_sponsored"] = r["is_sponsored"] == "true"
    write_jsonl(landing_path(paths, source, "b.jsonl"), jsonl)
    write_csv(landing_path(paths, source, "c.tsv"), rows(source, 2, start=5), delimiter="\t")
    write_csv(landing_path(paths, source, "d.csv.gz"), rows(source, 2, start=7))
    plan = rows("campaigns", 1)
    plan[0]["planned_channels"] = ["social", "paid"]
    write_jsonl(landing_path(paths, "campaigns", "plan.ndjson"), plan)

    report = run_ingest(paths, pii_key)

    assert {f.file_path.rsplit("/", 1)[1]: f.status for f in report.files} == {
        "a.parquet": "loaded",
        "b.jsonl": "loaded",
        "c.tsv": "loaded",
        "d.csv.gz": "loaded",
        "plan.ndjson": "loaded",
    }
    loaded = query(
        paths,
        "SELECT post_id, impressions, is_sponsored, _row_number FROM raw.social_posts ORDER BY 1",
    )
    assert loaded == [(f"post_id-{n}", 10 * n, n % 2 == 1, 1 + (n - 1) % 2) for n in range(1, 9)]
    assert query(paths, "SELECT planned_channels FROM raw.campaigns") == [("social|paid",)]


def test_csv_with_bom_crlf_and_quoted_line_breaks(paths, pii_key):
    data = rows("social_posts", 2)
    data[0]["post_text"] = 'Line one\nline "two", with a comma'
    path = landing_path(paths, "social_posts", "posts.csv")
    write_csv(path, data)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    run_ingest(paths, pii_key)

    assert query(paths, "SELECT post_text FROM raw.social_posts ORDER BY _row_number") == [
        ('Line one\nline "two", with a comma',),
        (data[1]["post_text"],),
    ]


def test_header_names_match_loosely_and_optional_columns_may_be_left_out(paths, pii_key):
    data = [
        {k.upper().replace("_", " "): v for k, v in r.items() if k != "post_text"}
        for r in rows("social_posts", 2)
    ]
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)

    report = run_ingest(paths, pii_key)

    assert report.files[0].status == "loaded"
    assert query(paths, "SELECT count(*), count(post_text) FROM raw.social_posts") == [(2, 0)]


def test_header_only_file_loads_no_rows(paths, pii_key):
    path = landing_path(paths, "email_sends", "none.csv")
    path.write_text(",".join(c.name for c in CONTRACT["email_sends"].columns) + "\n")

    report = run_ingest(paths, pii_key)

    assert (report.files[0].status, report.files[0].rows_loaded) == ("loaded", 0)


def test_reports_are_json_for_xcom(paths, pii_key):
    write_csv(landing_path(paths, "kpis", "kpis.csv"), rows("kpis", 2))

    staged = stage_source("kpis", paths, "night-1", pii_key)
    published = publish(paths, "night-1")

    for report in (staged, published):
        assert json.loads(json.dumps(report.as_dict())) == report.as_dict()
    assert staged.as_dict()["files_staged"] == 1
    assert published.as_dict()["files_by_status"] == {"loaded": 1}
    assert "1 file staged" in staged.summary()
    assert "2 rows loaded" in published.summary()
    assert not (paths.staging_dir / "night-1").exists(), "staged files are removed once published"
    assert table_counts(paths)["raw.kpis"] == 2
