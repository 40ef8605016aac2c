"""How export cells are read, on DuckDB itself: the number, rate and date spellings tools write."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from marketing_health.ingest.export_sql import (
    date_without_year_sql,
    number_sql,
    ratio_sql,
    utm_sql,
)


def _eval(sql_of, value: str | None):
    with duckdb.connect() as con:
        return con.execute(
            f"SELECT {sql_of('v')} FROM (SELECT ?::VARCHAR AS v)", [value]
        ).fetchone()[0]


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("1,234.56", "1234.56"),
        ("1,000", "1000"),
        ("121401.0", "121401.0"),
        ("6e-05", "0.000060000000"),
        ("4.19763158", "4.19763158"),
        ("$1,222.91", "1222.91"),
        ("--", None),
        ("-", None),
        ("lots", "lots"),  # passed on as written: the contract check quarantines it
    ],
)
def test_numbers(cell, read):
    assert _eval(number_sql, cell) == read


@pytest.mark.parametrize(
    ("cell", "read"), [("48.43%", 0.4843), ("0.4843", 0.4843), ("6e-05", 6e-05)]
)
def test_rates_as_percent_or_fraction(cell, read):
    assert _eval(ratio_sql, cell) == pytest.approx(read)


@pytest.mark.parametrize(
    ("cell", "period_end", "read"),
    [
        ("August 31", date(2026, 9, 2), "2026-08-31"),
        ("December 30", date(2027, 1, 2), "2026-12-30"),
        ("Jan 1", date(2027, 1, 2), "2027-01-01"),
        ("2026-08-31", date(2027, 1, 2), "2026-08-31"),
    ],
)
def test_dates_without_a_year_fall_in_the_report_period(cell, period_end, read):
    assert _eval(lambda v: date_without_year_sql(v, ["%B %d", "%b %d"], period_end), cell) == read


def test_utm_campaign_from_links_and_url_parameters():
    assert _eval(utm_sql, "utm_source=fb&utm_campaign=spring%20run") == "spring run"
    assert _eval(utm_sql, "see https://x.example/?a=1&utm_campaign=brew_pl now") == "brew_pl"
    assert _eval(utm_sql, "no link") is None
