"""Numbers and dates written the way teams in Germany, France, Spain, China and the US write
them: recognised from the file's own values or declared in config/locales.yaml, loaded through
the real stage and publish steps into a real DuckDB file; a value that could be read two ways
is quarantined with both readings, never guessed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from ingest_support import DAY, landing_path, ledger, query, rows, write_csv
from vendors.export_files import write_export

from marketing_health.ingest import PublishReport, publish, stage_source
from marketing_health.ingest.locale_sql import Cell, FileReading
from marketing_health.ingest.locales import LocaleConfigError, load_locale_config, locale_style
from marketing_health.settings import Paths

NNBSP = "\u202f"  # narrow no-break space: how CLDR groups thousands in French
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def locales_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test reads its own declarations (none until it writes the file)."""
    path = tmp_path / "locales.yaml"
    monkeypatch.setenv("MH_LOCALES_CONFIG", str(path))
    return path


def _night(paths: Paths, key: str, *sources: str) -> PublishReport:
    for source in sources:
        stage_source(source, paths, "night-1", key)
    return publish(paths, "night-1")


def _quarantine(paths: Paths) -> list[tuple]:
    return query(paths, "SELECT row_number, column_name, reason FROM ops.quarantine ORDER BY 1, 2")


def _message(paths: Paths, file: str) -> str | None:
    (entry,) = [e for e in ledger(paths) if e["file_path"] == file]
    return entry["message"]


def _paid_ads(values: list[dict[str, str]]) -> list[dict[str, str]]:
    return [dict(row, **v) for row, v in zip(rows("paid_ads", len(values)), values, strict=True)]


def _paid(paths: Paths, file: str) -> list[tuple]:
    return query(
        paths,
        "SELECT ad_date, spend, impressions, clicks, conversions, revenue FROM raw.paid_ads "
        "WHERE _file_path = ? ORDER BY _row_number",
        [file],
    )


# --- recognised from the file's own values ---------------------------------------------------


def test_a_german_file_is_recognised_from_its_numbers_and_dates(paths, pii_key):
    data = _paid_ads(
        [
            {"ad_date": "06.12.2026", "spend": "1.234,56", "impressions": "12.000",
             "clicks": "1.200", "conversions": "2,5", "revenue": "12.345,6"},
            {"ad_date": "07.12.2026", "spend": "99,90", "impressions": "800",
             "clicks": "12", "conversions": "0,5", "revenue": "1.000.000"},
        ]
    )  # fmt: skip
    write_csv(landing_path(paths, "paid_ads", "kampagnen.csv"), data)

    report = _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/kampagnen.csv"
    assert (report.files[0].rows_loaded, report.files[0].rows_quarantined) == (2, 0)
    assert _paid(paths, file) == [
        (dt.date(2026, 12, 6), Decimal("1234.56"), 12000, 1200, Decimal("2.5"), Decimal("12345.6")),
        (dt.date(2026, 12, 7), Decimal("99.9"), 800, 12, Decimal("0.5"), Decimal("1000000")),
    ]
    assert _message(paths, file) == f"{file}: numbers and dates recognised as de-DE"


def test_a_chinese_file_reads_its_dates_and_grouped_numbers(paths, pii_key):
    data = _paid_ads(
        [
            {"ad_date": "2026年12月6日", "spend": "1,234.56", "impressions": "12,000"},
            {"ad_date": "2026/12/06", "spend": "88.8", "impressions": "1,000,000"},
        ]
    )
    write_csv(landing_path(paths, "paid_ads", "百度推广.csv"), data)

    _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/百度推广.csv"
    loaded = [r[:3] for r in _paid(paths, file)]
    assert loaded == [
        (dt.date(2026, 12, 6), Decimal("1234.56"), 12000),
        (dt.date(2026, 12, 6), Decimal("88.8"), 1000000),
    ]
    assert _message(paths, file) == f"{file}: numbers and dates recognised as zh-Hans-CN"


def test_a_french_plan_reads_spaced_thousands_and_percentages(paths, pii_key):
    data = [
        dict(rows("campaigns", 2)[0], budget=f"1{NNBSP}234,56", reserve_budget=f"12{NBSP}000",
             target_roi="12,5 %", start_date="01/12/2026", end_date="31/12/2026"),
        dict(rows("campaigns", 2)[1], budget="250 000", reserve_budget="0,5",
             target_roi=f"50{NBSP}%", start_date="6 déc. 2026", end_date="6 janvier 2027"),
    ]  # fmt: skip
    write_csv(landing_path(paths, "campaigns", "plan-média.csv"), data)

    _night(paths, pii_key, "campaigns")

    assert query(
        paths,
        "SELECT budget, reserve_budget, target_roi, start_date, end_date FROM raw.campaigns "
        "ORDER BY _row_number",
    ) == [
        (Decimal("1234.56"), Decimal("12000"), Decimal("0.125"),
         dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
        (Decimal("250000"), Decimal("0.5"), Decimal("0.5"),
         dt.date(2026, 12, 6), dt.date(2027, 1, 6)),
    ]  # fmt: skip
    assert _quarantine(paths) == []


def test_german_times_read_with_their_date(paths, pii_key):
    data = [
        dict(rows("email_recipients", 2)[0], sent_date="06.12.2026",
             consent_at="06.12.2026 14:30:15", opted_out_at="7. Dezember 2026 09:05"),
        dict(rows("email_recipients", 2)[1], sent_date="06.12.2026",
             consent_at="2026-12-01T08:00:00+01:00", opted_out_at=""),
    ]  # fmt: skip
    write_csv(landing_path(paths, "email_recipients", "versand.csv"), data)

    _night(paths, pii_key, "email_recipients")

    assert query(
        paths, "SELECT sent_date, consent_at, opted_out_at FROM raw.email_recipients ORDER BY 2"
    ) == [
        (dt.date(2026, 12, 6), dt.datetime(2026, 12, 1, 7, 0), None),
        (dt.date(2026, 12, 6), dt.datetime(2026, 12, 6, 14, 30, 15),
         dt.datetime(2026, 12, 7, 9, 5)),
    ]  # fmt: skip


def test_one_day_first_date_among_iso_dates_is_read(paths, pii_key):
    """ "20/11/2026" can only be 20 November: no locale reads it another way."""
    data = rows("social_posts", 3)
    data[1]["post_date"] = "20/11/2026"
    data[2]["post_date"] = "19.11.2026"
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)

    _night(paths, pii_key, "social_posts")

    dates = query(paths, "SELECT post_date FROM raw.social_posts ORDER BY _row_number")
    assert dates == [(dt.date(2026, 11, 20),), (dt.date(2026, 11, 20),), (dt.date(2026, 11, 19),)]


# --- ambiguous: quarantined with every reading, until the locale is declared -----------------

AMBIGUOUS = [
    {"ad_date": "03/04/2026", "spend": "1.234", "conversions": "2", "revenue": "2.500"},
    {"ad_date": "2026-04-04", "spend": "12", "conversions": "1", "revenue": "3"},
]


def test_an_ambiguous_value_is_quarantined_naming_its_readings_and_locales(
    paths, pii_key, locales_file
):
    write_csv(landing_path(paths, "paid_ads", "agency.csv"), _paid_ads(AMBIGUOUS))

    report = _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/agency.csv"
    declare = f"declare the file's locale in {locales_file}"
    assert _quarantine(paths) == [
        (1, "ad_date", f"{file}, row 2, column 'ad_date': '03/04/2026' could be 4 March 2026 "
         f"(en-US) or 3 April 2026 (en-GB, es-ES, it-IT): write it as YYYY-MM-DD or {declare}"),
        (1, "revenue", f"{file}, row 2, column 'revenue': '2.500' could be 2.5 (en-US, en-GB) "
         f"or 2500 (es-ES, it-IT): {declare}"),
        (1, "spend", f"{file}, row 2, column 'spend': '1.234' could be 1.234 (en-US, en-GB) or "
         f"1234 (es-ES, it-IT): {declare}"),
    ]  # fmt: skip
    assert (report.files[0].rows_loaded, report.files[0].rows_quarantined) == (1, 1)
    record = query(paths, "SELECT DISTINCT record->>'spend' FROM ops.quarantine")
    assert record == [("1.234",)], "the value as delivered stays inspectable"


def test_the_same_file_declared_loads_as_meant(paths, pii_key, locales_file):
    locales_file.write_text(
        "sources: {paid_ads: en-US}\nfiles: {'paid_ads/**/agency*.csv': es-ES}\n",
        encoding="utf-8",
    )
    write_csv(landing_path(paths, "paid_ads", "agency.csv"), _paid_ads(AMBIGUOUS))

    _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/agency.csv"
    assert _quarantine(paths) == []
    assert [r[:2] + r[4:] for r in _paid(paths, file)] == [
        (dt.date(2026, 4, 3), Decimal("1234"), Decimal("2"), Decimal("2500")),
        (dt.date(2026, 4, 4), Decimal("12"), Decimal("1"), Decimal("3")),
    ]
    assert _message(paths, file) == (
        f"{file}: numbers and dates read as es-ES "
        f"(declared in {locales_file}, files: 'paid_ads/**/agency*.csv')"
    )


def test_a_us_file_declared_en_us_reads_month_first(paths, pii_key, locales_file):
    locales_file.write_text("sources: {paid_ads: en-US}\n", encoding="utf-8")
    data = _paid_ads(
        [
            {"ad_date": "12/06/2026", "spend": "1,234.56", "impressions": "1,000"},
            {"ad_date": "Dec 7, 2026", "spend": "1.234", "impressions": "7"},
            {"ad_date": "06.12.2026", "spend": "1.234,56", "impressions": "7"},
        ]
    )
    write_csv(landing_path(paths, "paid_ads", "us.csv"), data)

    _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/us.csv"
    assert [r[:3] for r in _paid(paths, file)] == [
        (dt.date(2026, 12, 6), Decimal("1234.56"), 1000),
        (dt.date(2026, 12, 7), Decimal("1.234"), 7),
    ]
    declared = f"(the file's locale, declared in {locales_file}, sources: paid_ads)"
    assert _quarantine(paths) == [
        (3, "ad_date", f"{file}, row 4, column 'ad_date': '06.12.2026' is not a date as en-US "
         f"writes it {declared}: write it like 12/6/2026 or 2026-12-06"),
        (3, "spend", f"{file}, row 4, column 'spend': '1.234,56' is not a number as en-US writes "
         f"it {declared}: write it like 1,234.56 or $1,234.56"),
    ]  # fmt: skip


# --- the declarations file ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("sources: {paid_ads: xx-YY}\n", "sources: paid_ads: unknown locale 'xx-YY'"),
        ("sources: {paid_adz: de-DE}\n", "sources: paid_adz: unknown source 'paid_adz'"),
        ("files: {'ads/*.csv': de-DE}\n", "files: 'ads/*.csv': a file pattern starts with"),
        ("files: {'paid_ads/*.csv': Deutsch}\n", "files: 'paid_ads/*.csv': unknown locale"),
        ("locale: de-DE\n", "unknown key(s) locale"),
    ],
)
def test_a_wrong_declaration_stops_staging_naming_the_entry(
    paths, pii_key, locales_file, text, words
):
    locales_file.write_text(text, encoding="utf-8")
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), rows("paid_ads", 2))

    with pytest.raises(LocaleConfigError) as caught:
        stage_source("paid_ads", paths, "night-1", pii_key)

    assert str(caught.value).startswith(str(locales_file))
    assert words in str(caught.value)


def test_a_file_entry_beats_the_source_entry(locales_file):
    locales_file.write_text(
        "sources: {influencer_posts: en-GB}\nfiles: {'influencer_posts/**/agentur_*.csv': de-DE}\n",
        encoding="utf-8",
    )
    config = load_locale_config()

    german = config.declared_for("influencer_posts", "influencer_posts/2026-11-20/agentur_x.csv")
    other = config.declared_for("influencer_posts", "influencer_posts/2026-11-20/agency_x.csv")
    assert (german.locale, other.locale) == ("de-DE", "en-GB")
    assert config.declared_for("paid_ads", "paid_ads/2026-11-20/agentur_x.csv") is None


# --- tool exports --------------------------------------------------------------------------------

META_HEADER = [
    "Reporting starts", "Reporting ends", "Day", "Account ID", "Campaign name", "Campaign ID",
    "Ad set name", "Ad set ID", "Amount spent (EUR)", "Impressions", "Link clicks",
]  # fmt: skip


def _meta_row(day: str, spend: str, impressions: str, ad_set: str) -> list[str]:
    return [day, day, day, "1202043855", "CMP-0001 | Winterlauf", "1202043856", ad_set, ad_set,
            spend, impressions, "10"]  # fmt: skip


def test_a_german_meta_export_is_read_in_its_locale(paths, pii_key):
    write_export(
        landing_path(paths, "paid_ads", "meta-de.csv"),
        [META_HEADER, _meta_row("06.12.2026", "1.234,56", "12.000", "1"),
         _meta_row("07.12.2026", "0,99", "800", "2")],
    )  # fmt: skip

    _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/meta-de.csv"
    assert [r[:3] for r in _paid(paths, file)] == [
        (dt.date(2026, 12, 6), Decimal("1234.56"), 12000),
        (dt.date(2026, 12, 7), Decimal("0.99"), 800),
    ]
    assert _message(paths, file).endswith("; numbers and dates recognised as de-DE")


def test_an_ambiguous_export_value_is_quarantined_under_the_export_header(
    paths, pii_key, locales_file
):
    write_export(
        landing_path(paths, "paid_ads", "meta.csv"),
        [META_HEADER, _meta_row("2026-12-06", "1.234", "100", "1"),
         _meta_row("2026-12-06", "12", "100", "2")],
    )  # fmt: skip

    _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/meta.csv"
    ((row, column, reason),) = _quarantine(paths)
    assert (row, column) == (1, "spend")
    assert reason.startswith(
        f"{file}, row 2, column 'Amount spent (EUR)' (spend): '1.234' could be 1.234 (en-US, "
        "en-GB, zh-Hans-CN, de-CH) or 1234 (de-DE, es-ES, it-IT, nl-NL): declare the file's "
        f"locale in {locales_file}"
    )

    locales_file.write_text("files: {'paid_ads/*/meta.csv': nl-NL}\n", encoding="utf-8")
    path = landing_path(paths, "paid_ads", "meta.csv")
    path.write_bytes(path.read_bytes() + b"\n")  # delivered again: new content, same path
    _night(paths, pii_key, "paid_ads")
    assert [r[1] for r in _paid(paths, file)] == [Decimal("1234"), Decimal("12")]


# --- each locale's written forms, read by DuckDB ------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "kind", "value", "read"),
    [
        ("de-CH", "decimal", "1\u2019234.56", Decimal("1234.56")),
        ("de-CH", "decimal", "1'234.56", Decimal("1234.56")),
        ("fr-FR", "decimal", f"-1{NNBSP}234,5", Decimal("-1234.5")),
        ("fr-FR", "decimal", "1 234 567,891", Decimal("1234567.891")),
        ("de-DE", "integer", "1.200", 1200),
        ("de-DE", "integer", "1,5", None),
        ("en-US", "integer", "1200.0", 1200),
        ("es-ES", "percent", "12,5 %", Decimal("0.125")),
        ("en-GB", "percent", "0.25", Decimal("0.25")),
        ("de-DE", "decimal", "0.125", None),
        ("fr-FR", "date", "6 déc. 2026", dt.date(2026, 12, 6)),
        ("fr-FR", "date", "6 DÉCEMBRE 2026", dt.date(2026, 12, 6)),
        ("de-DE", "date", "6. März 2026", dt.date(2026, 3, 6)),
        ("es-ES", "date", "6 de marzo de 2026", dt.date(2026, 3, 6)),
        ("nl-NL", "date", "06-12-2026", dt.date(2026, 12, 6)),
        ("en-US", "date", "Dec 6, 2026", dt.date(2026, 12, 6)),
        ("en-US", "date", "12/6/26", None),
        ("zh-Hans-CN", "date", "2026年12月6日", dt.date(2026, 12, 6)),
        ("de-DE", "date", "31.02.2026", None),
        ("en-US", "timestamp", "12/6/2026, 2:30 PM", dt.datetime(2026, 12, 6, 14, 30)),
        ("en-US", "timestamp", f"12/6/2026 2:30{NNBSP}pm", dt.datetime(2026, 12, 6, 14, 30)),
        ("zh-Hans-CN", "timestamp", "2026/12/6 14:30:05", dt.datetime(2026, 12, 6, 14, 30, 5)),
        ("it-IT", "timestamp", "2026-12-06 14:30:00", dt.datetime(2026, 12, 6, 14, 30)),
    ],
)
def test_a_locale_reads_its_forms(locale, kind, value, read):
    reading = FileReading((locale_style(locale),), "config/locales.yaml")
    cell = Cell("v", '"v"', kind)
    with duckdb.connect() as con:
        got = con.execute(
            f"{reading.readings_sql([cell], '(SELECT ? AS v)')} SELECT {reading.typed(cell)} "
            "FROM read",
            [value],
        ).fetchone()[0]
    assert got == read
