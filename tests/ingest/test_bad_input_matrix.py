"""Messy channel exports, one case at a time, through the real stage and publish into a real
DuckDB file: each bad file or row is named (file, row, column), set aside where it can be
inspected, the rest of the night loads, and every file's rows add up.

Every test lands a good file next to the bad one, in the same source and in another source,
and checks both still load.
"""

from __future__ import annotations

import json
import logging
from datetime import date

import duckdb
import pytest
from ingest_support import (
    DAY,
    landing_path,
    ledger,
    query,
    rows,
    write_csv,
    write_jsonl,
    write_parquet,
)
from vendors.export_files import write_export

from marketing_health.ingest import PublishReport, ReconcileError, RowCounts, publish, stage_source
from marketing_health.settings import Paths

#: A Meta Ads Manager report as the tool writes it: the account total first, then ad sets.
META_HEADER = [
    "Reporting starts", "Reporting ends", "Day", "Account ID", "Campaign name", "Campaign ID",
    "Ad set name", "Ad set ID", "Amount spent (EUR)", "Impressions", "Link clicks", "Results",
    "Result indicator", "Purchases conversion value", "URL parameters", "Frequency",
]  # fmt: skip
META_ROWS = [
    ["2026-11-18", "2026-11-19", "", "", "", "", "", "", "1200.5", "95000", "", "", "", "", "",
     ""],
    *[
        [day, day, day, "1202043855", "CMP-0001 | Spring run", "1202043856", name, set_id,
         "300.25", "30000", "300", "4", "actions:offsite_conversion.fb_pixel_purchase", "210.5",
         "utm_campaign=spring_run", "1.2"]
        for day in ("2026-11-18", "2026-11-19")
        for name, set_id in (("Lookalike 1% — runners", "1202043857"), ("Broad", "1202043858"))
    ],
]  # fmt: skip


def _night(paths: Paths, key: str, *sources: str, run_id: str = "night-1") -> PublishReport:
    """Stage the sources concerned (as the DAG's parallel tasks do), then publish once."""
    for source in (*sources, "campaigns"):
        stage_source(source, paths, run_id, key)
    return publish(paths, run_id)


def _bystanders(paths: Paths, source: str, day: str = DAY) -> None:
    """A good file in the same source folder and a good campaign plan: both must load."""
    write_csv(landing_path(paths, source, "zz-good.csv", day), rows(source, 2, day, start=90))
    write_csv(landing_path(paths, "campaigns", "plan.csv", day), rows("campaigns", 2, day))


def _assert_bystanders_loaded(paths: Paths, source: str, day: str = DAY) -> None:
    good = f"{source}/{day}/zz-good.csv"
    assert query(paths, f"SELECT count(*) FROM raw.{source} WHERE _file_path = ?", [good]) == [(2,)]
    assert query(paths, "SELECT count(*) FROM raw.campaigns") == [(2,)]


def _assert_every_file_adds_up(paths: Paths) -> None:
    """Ledger: in file = loaded + quarantined, and both numbers are what the warehouse holds."""
    for entry in ledger(paths):
        if entry["status"] not in ("loaded", "replaced"):
            assert entry["rows_loaded"] is None or entry["rows_loaded"] == 0
            continue
        source, path = entry["source"], entry["file_path"]
        assert entry["rows_in_file"] == entry["rows_loaded"] + entry["rows_quarantined"], path
        ((loaded,),) = query(
            paths, f"SELECT count(*) FROM raw.{source} WHERE _file_path = ?", [path]
        )
        ((quarantined,),) = query(
            paths,
            "SELECT count(DISTINCT row_number) FROM ops.quarantine WHERE file_path = ?",
            [path],
        )
        assert (entry["rows_loaded"], entry["rows_quarantined"]) == (loaded, quarantined), path


def _assert_nothing_of(paths: Paths, source: str, file: str) -> None:
    """A rejected file leaves no row anywhere but its ledger entry."""
    assert query(paths, f"SELECT count(*) FROM raw.{source} WHERE _file_path = ?", [file]) == [(0,)]
    assert query(paths, "SELECT count(*) FROM ops.quarantine WHERE file_path = ?", [file]) == [(0,)]
    entries = [e for e in ledger(paths) if e["file_path"] == file]
    assert [(e["status"], e["rows_loaded"]) for e in entries] == [("rejected", 0)]


def _quarantined(paths: Paths, file: str) -> list[tuple]:
    return query(
        paths,
        "SELECT row_number, column_name, reason, record FROM ops.quarantine "
        "WHERE file_path = ? ORDER BY row_number",
        [file],
    )


# --- whole files that cannot be loaded ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_missing_required_column_rejects_the_file_naming_the_column(paths, pii_key, fmt):
    data = [{k: v for k, v in r.items() if k != "spend"} for r in rows("paid_ads", 3)]
    name = f"ads.{fmt}"
    (write_csv if fmt == "csv" else write_jsonl)(landing_path(paths, "paid_ads", name), data)
    _bystanders(paths, "paid_ads")

    report = _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/{name}"
    (bad,) = [f for f in report.files if f.file_path == file]
    header_row = ", row 1" if fmt == "csv" else ""  # JSON lines have no header row
    assert bad.status == "rejected"
    assert bad.message.startswith(f"{file}{header_row}, column 'spend': required column 'spend'")
    assert "it has: ad_date, platform, account_id" in bad.message
    _assert_nothing_of(paths, "paid_ads", file)
    _assert_bystanders_loaded(paths, "paid_ads")
    _assert_every_file_adds_up(paths)


def _empty(path):
    path.write_bytes(b"")


def _bom_only(path):
    path.write_bytes(b"\xef\xbb\xbf")


def _utf16_bom_only(path):
    path.write_bytes(b"\xff\xfe")


def _blank_lines(path):
    path.write_bytes(b"\r\n\r\n")


@pytest.mark.parametrize(
    ("make", "row", "words"),
    [
        (_empty, None, "the file is empty"),
        (_bom_only, None, "the file is empty"),
        (_utf16_bom_only, None, "the file is empty"),
        (_blank_lines, 1, "the file has no header row"),
    ],
    ids=["zero-bytes", "utf8-bom-only", "utf16-bom-only", "blank-lines-only"],
)
def test_empty_file_is_rejected_and_the_source_goes_on(paths, pii_key, make, row, words):
    make(landing_path(paths, "social_posts", "posts.csv"))
    _bystanders(paths, "social_posts")

    report = _night(paths, pii_key, "social_posts")

    file = f"social_posts/{DAY}/posts.csv"
    (bad,) = [f for f in report.files if f.file_path == file]
    assert bad.status == "rejected" and words in bad.message
    assert bad.message.startswith(file + (f", row {row}" if row else ":"))
    _assert_nothing_of(paths, "social_posts", file)
    _assert_bystanders_loaded(paths, "social_posts")


def test_header_only_file_is_not_an_error_it_loads_no_rows(paths, pii_key, caplog):
    """A header-only file is the contract's "nothing today": zero rows, delivered, said at
    INFO, never a warning someone has to act on."""
    caplog.set_level(logging.INFO, logger="marketing_health")
    write_csv(landing_path(paths, "social_posts", "posts.csv"), rows("social_posts", 1))
    path = landing_path(paths, "social_posts", "posts.csv")
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")

    report = _night(paths, pii_key, "social_posts")

    (entry,) = [e for e in ledger(paths) if e["source"] == "social_posts"]
    assert (entry["status"], entry["rows_in_file"], entry["rows_loaded"]) == ("loaded", 0, 0)
    assert report.files[0].status == "loaded"
    (said,) = [r for r in caplog.records if "header only" in r.getMessage()]
    assert said.levelname == "INFO"
    assert said.getMessage() == (
        f"social_posts/{DAY}/posts.csv: header only, no rows: nothing to report for that day; "
        "counted as delivered"
    )
    file = f"social_posts/{DAY}/posts.csv"
    warned = [r for r in caplog.records if r.levelname != "INFO" and file in r.getMessage()]
    assert not warned


# Truncated files: cut in the middle of a row, of a compressed stream, of a Parquet file.


def _csv_cut_mid_row(paths):
    path = write_csv(landing_path(paths, "paid_ads", "cut.csv"), rows("paid_ads", 4))
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b"\r\n", 0, len(data) - 2) + 40])
    return path, 5


def _csv_cut_in_a_quoted_value(paths):
    data = rows("paid_ads", 3)
    data[2]["utm_campaign"] = "run, the city"
    path = write_csv(landing_path(paths, "paid_ads", "cut.csv"), data)
    raw = path.read_bytes()
    path.write_bytes(raw[: raw.rindex(b'"run, ') + 5])
    return path, 4


def _gzip_cut_mid_stream(paths):
    path = write_csv(landing_path(paths, "paid_ads", "cut.csv.gz"), rows("paid_ads", 300))
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    return path, None


def _gzip_without_its_trailer(paths):
    path = write_csv(landing_path(paths, "paid_ads", "cut.csv.gz"), rows("paid_ads", 300))
    path.write_bytes(path.read_bytes()[:-8])  # the data is all there, the checksum is not
    return path, None


def _parquet_cut_short(paths):
    path = write_parquet(
        landing_path(paths, "paid_ads", "cut.parquet"), "paid_ads", rows("paid_ads", 300)
    )
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) * 2 // 3])
    return path, None


def _jsonl_cut_mid_record(paths):
    path = write_jsonl(landing_path(paths, "paid_ads", "cut.jsonl"), rows("paid_ads", 3))
    path.write_bytes(path.read_bytes()[:-30])
    return path, 3


def _tool_export_cut_mid_row(paths):
    path = landing_path(paths, "paid_ads", "cut.csv")
    write_export(path, [META_HEADER, *META_ROWS], encoding="utf-8-sig")
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b"\n", 0, -1) + 30])  # the last ad set, cut short
    return path, 6


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_csv_cut_mid_row, "values but the header has 13 columns; the file may be cut off"),
        (_csv_cut_in_a_quoted_value, "a quoted value is never closed; the file may be cut off"),
        (_gzip_cut_mid_stream, "the compressed file is damaged or cut off"),
        (_gzip_without_its_trailer, "the compressed file is damaged or cut off"),
        (_parquet_cut_short, "not a readable Parquet file"),
        (_jsonl_cut_mid_record, "this line is not valid JSON; the file may be cut off"),
        (_tool_export_cut_mid_row, "the last row has 3 of the header's 16 values and the file"),
    ],
    ids=["csv-mid-row", "csv-in-quotes", "gzip-mid-stream", "gzip-trailer", "parquet", "jsonl",
         "meta-export"],
)  # fmt: skip
def test_truncated_file_is_rejected_whole_naming_file_and_row(paths, pii_key, make, words):
    path, row = make(paths)
    _bystanders(paths, "paid_ads")

    report = _night(paths, pii_key, "paid_ads")

    file = path.relative_to(paths.landing_dir).as_posix()
    (bad,) = [f for f in report.files if f.file_path == file]
    assert bad.status == "rejected" and words in bad.message, bad.message
    assert bad.message.startswith(file + (f", row {row}:" if row else ":")), bad.message
    _assert_nothing_of(paths, "paid_ads", file)
    _assert_bystanders_loaded(paths, "paid_ads")
    _assert_every_file_adds_up(paths)


def test_csv_cut_inside_its_last_value_has_that_value_checked(paths, pii_key):
    """A CSV carries no checksum: cut inside the very last value, it looks complete. The cut
    value is checked like any other; here the due date no longer is one, so the row is held."""
    path = write_csv(landing_path(paths, "kpis", "kpis.csv"), rows("kpis", 3))
    path.write_bytes(path.read_bytes()[:-5])  # "2026-11-20\r\n" -> "2026-11"
    _bystanders(paths, "kpis")

    _night(paths, pii_key, "kpis")

    file = f"kpis/{DAY}/kpis.csv"
    ((row, column, reason, _),) = _quarantined(paths, file)
    assert (row, column) == (3, "due_date")
    assert (
        reason
        == f"{file}, row 4, column 'due_date': '2026-11' is not a date in the form YYYY-MM-DD"
    )
    _assert_every_file_adds_up(paths)


# --- rows that break the contract: quarantined, the other rows load -------------------------


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("impressions", "abc", "'abc' is not a whole number"),
        ("clicks", "12.5", "'12.5' is not a whole number"),
        ("spend", "EUR", "'EUR' is not a number (write it like 1234.56"),
        ("spend", "1.234,56", "'1.234,56' is not a number"),
        ("spend", "1234.56 euros", "'1234.56 euros' is not a number"),
    ],
    ids=["text-in-count", "decimal-in-count", "currency-without-amount", "comma-decimal",
         "currency-as-word"],
)  # fmt: skip
def test_wrong_type_quarantines_the_row_naming_file_row_and_column(
    paths, pii_key, column, value, problem
):
    data = rows("paid_ads", 4)
    data[2][column] = value
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), data)
    _bystanders(paths, "paid_ads")

    _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/ads.csv"
    ((row, col, reason, record),) = _quarantined(paths, file)
    assert (row, col) == (3, column)
    assert reason.startswith(f"{file}, row 4, column '{column}': {problem}")
    assert json.loads(record)[column] == value, "the value as delivered stays inspectable"
    assert query(paths, "SELECT _row_number FROM raw.paid_ads WHERE _file_path = ?", [file]) == [
        (1,),
        (2,),
        (4,),
    ]
    _assert_bystanders_loaded(paths, "paid_ads")
    _assert_every_file_adds_up(paths)


def test_a_value_outside_the_allowed_values_quarantines_the_row(paths, pii_key):
    data = rows("influencer_posts", 3)
    data[1]["tier"] = "Galaxy"
    write_csv(landing_path(paths, "influencer_posts", "creators.csv"), data)

    _night(paths, pii_key, "influencer_posts")

    file = f"influencer_posts/{DAY}/creators.csv"
    ((row, col, reason, _record),) = _quarantined(paths, file)
    assert (row, col) == (2, "tier")
    assert reason == (
        f"{file}, row 3, column 'tier': 'Galaxy' is not an allowed value; use one of: "
        "nano, micro, mid, macro, celebrity"
    )
    _assert_every_file_adds_up(paths)


@pytest.mark.parametrize(
    ("source", "column", "value", "problem"),
    [
        ("social_posts", "post_date", "2026-13-45", "is not a date in the form YYYY-MM-DD"),
        ("social_posts", "post_date", "31/11/2026", "is not a date in the form YYYY-MM-DD"),
        ("social_posts", "post_date", "2026-02-30", "is not a date in the form YYYY-MM-DD"),
        ("social_posts", "post_date", "the 20th of Nov", "is not a date in the form YYYY-MM-DD"),
        ("email_recipients", "consent_at", "yesterday 9am", "is not a date and time"),
    ],
    ids=["month-13", "day-first", "30-february", "words", "timestamp"],
)
def test_unparseable_date_quarantines_the_row(paths, pii_key, source, column, value, problem):
    data = rows(source, 3)
    data[1][column] = value
    write_csv(landing_path(paths, source, "export.csv"), data)
    _bystanders(paths, source)

    _night(paths, pii_key, source)

    file = f"{source}/{DAY}/export.csv"
    ((row, col, reason, record),) = _quarantined(paths, file)
    assert (row, col) == (2, column)
    assert reason.startswith(f"{file}, row 3, column '{column}': '{value}' {problem}")
    assert json.loads(record)[column] == value
    _assert_bystanders_loaded(paths, source)
    _assert_every_file_adds_up(paths)


@pytest.mark.parametrize(
    ("source", "column", "value"),
    [
        ("paid_ads", "spend", "-5.00"),
        ("paid_ads", "clicks", "-1"),
        ("social_posts", "likes", "-3"),
        ("email_sends", "delivered", "-10"),
    ],
)
def test_negative_spend_or_count_quarantines_the_row(paths, pii_key, source, column, value):
    data = rows(source, 3)
    data[0][column] = value
    write_csv(landing_path(paths, source, "export.csv"), data)
    _bystanders(paths, source)

    _night(paths, pii_key, source)

    file = f"{source}/{DAY}/export.csv"
    ((row, col, reason, record),) = _quarantined(paths, file)
    assert (row, col) == (1, column)
    assert (
        reason == f"{file}, row 2, column '{column}': '{value}' is negative; it must be 0 or more"
    )
    assert json.loads(record)[column] == value
    assert query(paths, f"SELECT count(*) FROM raw.{source} WHERE _file_path = ?", [file]) == [(2,)]
    _assert_bystanders_loaded(paths, source)
    _assert_every_file_adds_up(paths)


def test_duplicate_rows_within_a_file_load_once(paths, pii_key):
    data = rows("social_posts", 3)
    data.insert(2, dict(data[0]))  # the very same row again
    data.append(dict(data[1], likes="999"))  # the same key with other numbers
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)
    _bystanders(paths, "social_posts")

    _night(paths, pii_key, "social_posts")

    file = f"social_posts/{DAY}/posts.csv"
    quarantined = _quarantined(paths, file)
    assert [(r[0], r[1]) for r in quarantined] == [
        (3, "post_date, platform, post_id"),
        (5, "post_date, platform, post_id"),
    ]
    assert quarantined[0][2].startswith(
        f"{file}, row 4, columns 'post_date', 'platform', 'post_id': repeats row 2 "
        "(post_date 2026-11-20, platform instagram, post_id post_id-1)"
    )
    assert "repeats row 3" in quarantined[1][2] and json.loads(quarantined[1][3])["likes"] == "999"
    assert query(
        paths, "SELECT _row_number, likes FROM raw.social_posts WHERE _file_path = ?", [file]
    ) == [(1, 10), (2, 20), (4, 30)]
    _assert_every_file_adds_up(paths)


# --- deliveries: twice, late --------------------------------------------------------------


def test_same_file_delivered_twice_counts_once(paths, pii_key):
    data = rows("paid_ads", 3)
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), data)
    write_csv(landing_path(paths, "paid_ads", "copy of ads.csv"), data)  # same night, other name
    _bystanders(paths, "paid_ads")
    _night(paths, pii_key, "paid_ads", run_id="night-1")
    write_csv(landing_path(paths, "paid_ads", "ads-again.csv", "2026-11-21"), data)  # next day

    second = _night(paths, pii_key, "paid_ads", run_id="night-2")
    _night(paths, pii_key, "paid_ads", run_id="night-2-retry")

    assert query(paths, "SELECT _file_path, count(*) FROM raw.paid_ads GROUP BY 1 ORDER BY 1") == [
        (f"paid_ads/{DAY}/ads.csv", 3),
        (f"paid_ads/{DAY}/zz-good.csv", 2),
    ]
    statuses = sorted(
        (e["file_path"].rsplit("/", 1)[1], e["status"], e["rows_in_file"])
        for e in ledger(paths)
        if e["source"] == "paid_ads"
    )
    assert statuses == [
        ("ads-again.csv", "duplicate", None),
        ("ads.csv", "loaded", 3),
        ("copy of ads.csv", "duplicate", None),
        ("zz-good.csv", "loaded", 2),
    ]
    (again,) = [f for f in second.files if f.file_path.endswith("ads-again.csv")]
    assert f"same content as paid_ads/{DAY}/ads.csv" in again.message
    _assert_every_file_adds_up(paths)


def test_file_for_an_earlier_day_arriving_late_loads_under_its_own_day(paths, pii_key):
    for day in ("2026-11-20", "2026-11-21"):
        write_csv(
            landing_path(paths, "social_posts", "posts.csv", day), rows("social_posts", 2, day)
        )
    _night(paths, pii_key, "social_posts", run_id="night-21")
    late = rows("social_posts", 3, "2026-11-19", start=50)
    write_csv(landing_path(paths, "social_posts", "posts.csv", "2026-11-19"), late)

    report = _night(paths, pii_key, "social_posts", run_id="night-22")
    _night(paths, pii_key, "social_posts", run_id="night-22-retry")

    file = "social_posts/2026-11-19/posts.csv"
    assert [(f.file_path, f.status, f.rows_loaded) for f in report.new_files] == [
        (file, "loaded", 3)
    ]
    (entry,) = [e for e in ledger(paths) if e["file_path"] == file]
    assert (entry["delivery_day"], entry["run_id"]) == (date(2026, 11, 19), "night-22")
    by_day = query(
        paths,
        "SELECT _delivery_day, post_date, count(*) FROM raw.social_posts GROUP BY ALL ORDER BY 1",
    )
    assert by_day == [
        (date(2026, 11, 19), date(2026, 11, 19), 3),
        (date(2026, 11, 20), date(2026, 11, 20), 2),
        (date(2026, 11, 21), date(2026, 11, 21), 2),
    ]
    _assert_every_file_adds_up(paths)


# --- encodings and text -------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", "\t"], ids=["csv", "tsv"])
def test_bom_crlf_and_quoted_line_breaks_keep_values_and_row_numbers(paths, pii_key, delimiter):
    data = rows("social_posts", 4)
    data[0]["post_text"] = 'First line\r\nsecond line, "quoted"\r\n\r\nafter a blank line'
    data[2]["likes"] = "many"
    name = "posts.csv" if delimiter == "," else "posts.tsv"
    path = write_csv(landing_path(paths, "social_posts", name), data, delimiter=delimiter)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as spreadsheets save it
    assert path.read_bytes().count(b"\r\n") == 8
    _bystanders(paths, "social_posts")

    _night(paths, pii_key, "social_posts")

    file = f"social_posts/{DAY}/{name}"
    ((row, column, reason, _),) = _quarantined(paths, file)
    assert (row, column) == (3, "likes")
    assert reason == f"{file}, row 4, column 'likes': 'many' is not a whole number"
    loaded = query(
        paths,
        "SELECT _row_number, post_date, post_text FROM raw.social_posts "
        "WHERE _file_path = ? ORDER BY 1",
        [file],
    )
    assert [r[0] for r in loaded] == [1, 2, 4]
    assert loaded[0][1] == date(2026, 11, 20), "the BOM does not stick to the first column"
    assert loaded[0][2] == data[0]["post_text"]
    _assert_bystanders_loaded(paths, "social_posts")
    _assert_every_file_adds_up(paths)


def test_chinese_text_loads_intact_and_is_quoted_in_messages(paths, pii_key):
    data = rows("social_posts", 3)
    data[0].update(campaign_id="双十一-001", post_text="双十一大促 🎉 一起跑步吧")
    data[1]["impressions"] = "一千"
    path = write_csv(landing_path(paths, "social_posts", "小红书帖子.csv"), data)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _bystanders(paths, "social_posts")

    _night(paths, pii_key, "social_posts")

    file = f"social_posts/{DAY}/小红书帖子.csv"
    assert query(
        paths,
        "SELECT campaign_id, post_text FROM raw.social_posts WHERE _file_path = ? "
        "ORDER BY _row_number",
        [file],
    ) == [("双十一-001", "双十一大促 🎉 一起跑步吧"), ("C003", data[2]["post_text"])]
    ((row, column, reason, record),) = _quarantined(paths, file)
    assert (row, column) == (2, "impressions")
    assert reason == f"{file}, row 3, column 'impressions': '一千' is not a whole number"
    assert json.loads(record)["impressions"] == "一千"
    _assert_every_file_adds_up(paths)


# --- columns the contract does not know ---------------------------------------------------


def test_unknown_extra_column_is_reported_not_loaded(paths, pii_key, caplog):
    data = [dict(r, Reach="5000", **{"Notes (internal)": "check"}) for r in rows("paid_ads", 3)]
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), data)
    _bystanders(paths, "paid_ads")

    report = _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/ads.csv"
    assert report.schema_drift == {"paid_ads": {file: ["Reach", "Notes (internal)"]}}
    assert "Columns not in the contract, not loaded: Notes (internal), Reach" in report.summary()
    (entry,) = [e for e in ledger(paths) if e["file_path"] == file]
    assert entry["status"] == "loaded" and entry["rows_loaded"] == 3
    assert entry["message"] == (
        f"{file}: columns not in the contract, not loaded: Reach, Notes (internal)"
    )
    columns = [r[0] for r in query(paths, "DESCRIBE raw.paid_ads")]
    assert "reach" not in columns and "Reach" not in columns
    assert (
        f"{file}: columns not in the contract, not loaded: Reach, Notes (internal)" in caplog.text
    )
    _assert_every_file_adds_up(paths)


# --- every file adds up -------------------------------------------------------------------


def test_rows_set_aside_as_not_data_are_counted_apart(paths, pii_key):
    path = landing_path(paths, "paid_ads", "meta.csv")
    write_export(path, [META_HEADER, *META_ROWS], encoding="utf-8-sig")

    report = _night(paths, pii_key, "paid_ads")

    (published,) = [f for f in report.files if f.file_path == f"paid_ads/{DAY}/meta.csv"]
    assert (published.rows_in_file, published.rows_loaded, published.rows_quarantined) == (4, 4, 0)
    assert published.rows_skipped == 1 and report.as_dict()["rows_skipped"] == 1
    assert "1 set aside as not data" in report.summary()
    (entry,) = [e for e in ledger(paths) if e["file_path"] == published.file_path]
    assert "not data, not loaded: 1 account total" in entry["message"]
    _assert_every_file_adds_up(paths)


@pytest.mark.parametrize(
    ("in_file", "loaded", "quarantined"),
    [(5, 4, 0), (5, 5, 1), (0, 1, 0)],
    ids=["row-lost", "row-counted-twice", "row-from-nowhere"],
)
def test_counts_that_do_not_add_up_raise_naming_the_file(in_file, loaded, quarantined):
    counts = RowCounts(f"paid_ads/{DAY}/ads.csv", in_file, loaded, quarantined, rows_skipped=2)

    with pytest.raises(ReconcileError) as caught:
        counts.check("in the warehouse")

    assert caught.value.file == f"paid_ads/{DAY}/ads.csv"
    assert str(caught.value).startswith(
        f"paid_ads/{DAY}/ads.csv: the file has {in_file} rows (besides 2 row(s) that are not "
        f"data) but {loaded} loaded + {quarantined} quarantined in the warehouse"
    )


def test_counts_that_add_up_pass():
    RowCounts(f"paid_ads/{DAY}/ads.csv", 5, 4, 1, rows_skipped=2).check("in the warehouse")
    RowCounts(f"paid_ads/{DAY}/ads.csv", 0, 0, 0).check("in the warehouse")


def test_a_staged_file_that_lost_rows_is_refused_and_the_night_fails_loudly(paths, pii_key):
    """Real situation: a staged file loses a row between the checks and the warehouse."""
    write_csv(landing_path(paths, "kpis", "a.csv"), rows("kpis", 2))
    data = rows("kpis", 3, start=10)
    data[0]["target_value"] = "lots"
    write_csv(landing_path(paths, "kpis", "b.csv"), data)
    stage_source("kpis", paths, "night-1", pii_key)
    staged = paths.staging_dir / "night-1" / "kpis" / "rows.parquet"
    with duckdb.connect() as con:  # b.csv's last valid row goes missing
        con.execute(
            f"COPY (SELECT * FROM '{staged}' WHERE NOT (_file_path LIKE '%/b.csv' "
            f"AND _row_number = 3)) TO '{staged}.tmp' (FORMAT parquet)"
        )
    staged.with_name(staged.name + ".tmp").replace(staged)

    with pytest.raises(ReconcileError) as caught:
        publish(paths, "night-1")

    assert caught.value.file == f"kpis/{DAY}/b.csv"
    assert "the file has 3 rows but 1 loaded + 1 quarantined in the warehouse make 2" in str(
        caught.value
    )
    assert query(paths, "SELECT DISTINCT _file_path FROM raw.kpis") == [(f"kpis/{DAY}/a.csv",)]
    assert query(paths, "SELECT count(*) FROM ops.quarantine") == [(0,)]


def test_a_messy_night_loads_every_good_row_and_every_file_adds_up(paths, pii_key):
    """All the cases at once, across sources: the night finishes and accounts for each row."""
    ads = rows("paid_ads", 5)
    ads[1].update(spend="€12.00", currency="USD")  # a euro amount in a dollar row
    ads[3]["clicks"] = "-2"
    ads.append(dict(ads[0]))
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), ads)
    posts = rows("social_posts", 3, "2026-11-19")
    posts[0]["post_text"] = "双十一\r\n一起跑"
    posts[2]["post_date"] = "31.11.2026"
    path = write_csv(landing_path(paths, "social_posts", "late.csv", "2026-11-19"), posts)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    landing_path(paths, "kpis", "kpis.csv").write_bytes(b"")
    sends = [{k: v for k, v in r.items() if k != "opens"} for r in rows("email_sends", 2)]
    write_csv(landing_path(paths, "email_sends", "sends.csv"), sends)
    gz = write_csv(landing_path(paths, "creators", "creators.csv.gz"), rows("creators", 200))
    gz.write_bytes(gz.read_bytes()[:-100])
    write_csv(
        landing_path(paths, "campaigns", "plan.csv"),
        [dict(r, extra="x") for r in rows("campaigns", 2)],
    )

    report = _night(paths, pii_key, "paid_ads", "social_posts", "kpis", "email_sends", "creators")

    outcome = {
        f.file_path.split("/")[0]: (f.status, f.rows_loaded, f.rows_quarantined)
        for f in report.files
    }
    assert outcome == {
        "paid_ads": ("loaded", 3, 3),
        "social_posts": ("loaded", 2, 1),
        "kpis": ("rejected", 0, 0),
        "email_sends": ("rejected", 0, 0),
        "creators": ("rejected", 0, 0),
        "campaigns": ("loaded", 2, 0),
    }
    assert report.rows_loaded == 7 and report.rows_quarantined == 4
    assert query(paths, "SELECT count(*) FROM ops.quarantine") == [(4,)]
    _assert_every_file_adds_up(paths)
