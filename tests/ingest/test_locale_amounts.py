"""Amounts with a currency sign, KPI targets written as percentages and a UK agency's creator
report, as teams deliver them, loaded through the real stage and publish steps into a real
DuckDB file. The sign never changes the number; a sign that names another currency than the
row's is quarantined with both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from ingest_support import DAY, landing_path, query, rows, write_csv
from vendors.export_files import write_export

from marketing_health.contract import load_contract
from marketing_health.contract.docs import render_landing_contract_md
from marketing_health.contract.schema import ContractDefinitionError, parse_contract
from marketing_health.ingest import PublishReport, publish, stage_source
from marketing_health.ingest.money import currency_signs
from marketing_health.settings import Paths

NNBSP = "\u202f"
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


def _paid_ads(values: list[dict[str, str]]) -> list[dict[str, str]]:
    """Paid-ads rows with ``values``; whole conversions, read alike in every locale."""
    return [
        dict(row, conversions="2", **v)
        for row, v in zip(rows("paid_ads", len(values)), values, strict=True)
    ]


def _spend_revenue(paths: Paths) -> list[tuple]:
    return query(paths, "SELECT spend, revenue FROM raw.paid_ads ORDER BY _row_number")


# --- a sign before or after the number -------------------------------------------------------


def test_a_google_sheet_plan_with_dollar_amounts_loads_in_en_us(paths, pii_key, locales_file):
    """A Google Sheet exports currency cells with their sign: "$420,000.00"."""
    locales_file.write_text("sources: {campaigns: en-US, paid_ads: en-US}\n", encoding="utf-8")
    plan = [
        dict(rows("campaigns", 2)[0], budget="$420,000.00", reserve_budget="$60,000.00",
             currency="USD", start_date="10/19/2026", end_date="12/31/2026"),
        dict(rows("campaigns", 2)[1], budget="$95,000", reserve_budget="", currency=""),
    ]  # fmt: skip
    write_csv(landing_path(paths, "campaigns", "Q4 campaign plan - plan.csv"), plan)
    ads = _paid_ads([{"spend": "$1,284.15", "revenue": "$3,001.00", "currency": "USD"}])
    write_csv(landing_path(paths, "paid_ads", "pinterest_weekly.csv"), ads)

    report = _night(paths, pii_key, "campaigns", "paid_ads")

    assert _quarantine(paths) == []
    assert [(f.rows_loaded, f.rows_quarantined) for f in report.files] == [(2, 0), (1, 0)]
    assert query(
        paths, "SELECT budget, reserve_budget, start_date FROM raw.campaigns ORDER BY _row_number"
    ) == [
        (Decimal("420000"), Decimal("60000"), dt.date(2026, 10, 19)),
        (Decimal("95000"), None, dt.date(2026, 11, 20)),
    ]
    assert _spend_revenue(paths) == [(Decimal("1284.15"), Decimal("3001"))]


@pytest.mark.parametrize(
    ("locale", "currency", "written"),
    [
        ("zh-Hans-CN", "CNY", ["¥1,234.56", "￥1,234.56", "CNY 1,234.56", "CN¥1,234.56"]),
        ("zh-Hans-CN", "USD", ["US$1,234.56", "USD1,234.56", "$ 1,234.56", "1,234.56 USD"]),
        ("de-DE", "EUR", ["1.234,56 €", "€ 1.234,56", f"1.234,56{NBSP}€", "EUR 1.234,56"]),
        ("nl-NL", "EUR", ["€ 1.234,56", "€1.234,56", "1.234,56", "EUR1.234,56"]),
        ("fr-FR", "EUR", ["1 234,56 €", f"1{NNBSP}234,56{NBSP}€", "1234,56€", "1 234,56 EUR"]),
        ("de-CH", "CHF", ["CHF 1\u2019234.56", "CHF 1'234.56", "1'234.56 CHF", "CHF1234.56"]),
        ("en-GB", "GBP", ["£1,234.56", "GBP 1,234.56", "£ 1,234.56", "1,234.56 GBP"]),
    ],
)
def test_teams_write_the_sign_before_or_after_the_number(
    paths, pii_key, locales_file, locale, currency, written
):
    locales_file.write_text(f"sources: {{paid_ads: {locale}}}\n", encoding="utf-8")
    data = _paid_ads([{"spend": v, "revenue": v, "currency": currency} for v in written])
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), data)

    _night(paths, pii_key, "paid_ads")

    assert _quarantine(paths) == []
    assert _spend_revenue(paths) == [(Decimal("1234.56"), Decimal("1234.56"))] * len(written)


def test_an_undeclared_file_with_euro_amounts_is_recognised_from_them(paths, pii_key):
    """The sign is taken off before the locale is recognised: "1.234,56 €" still says that
    the file groups thousands with dots."""
    data = _paid_ads(
        [
            {"spend": "1.234,56 €", "revenue": "€ 12,5", "currency": "EUR"},
            {"spend": "0,99 €", "revenue": "2.500,00 €", "currency": ""},
        ]
    )
    write_csv(landing_path(paths, "paid_ads", "kampagnen.csv"), data)

    _night(paths, pii_key, "paid_ads")

    assert _quarantine(paths) == []
    assert _spend_revenue(paths) == [
        (Decimal("1234.56"), Decimal("12.5")),
        (Decimal("0.99"), Decimal("2500")),
    ]


def test_a_creator_report_reads_a_sign_after_the_fee(paths, pii_key):
    """A Berlin agency types its fees as Excel shows them: "1.200,00 €"."""
    report = [list(r) for r in CREATOR_REPORT]
    report[0][11] = "Fee"
    report[1][5:13] = ["03.04.2026", "52.000", "ja", "ja", "04.04.2026", "03.04.2026",
                       "1.200,00 €", "40.000"]  # fmt: skip
    report[2][5:13] = ["10.04.2026", "8.000", "ja", "ja", "11.04.2026", "10.04.2026",
                       "€ 300", "9.000"]  # fmt: skip
    write_export(landing_path(paths, "influencer_posts", "agentur_report.csv"), report)

    _night(paths, pii_key, "influencer_posts")

    assert _quarantine(paths) == []
    assert _creator_posts(paths) == UK_DATES


# --- a sign that contradicts the row's currency ------------------------------------------------


def test_a_sign_naming_another_currency_than_the_row_is_quarantined_with_both(
    paths, pii_key, locales_file
):
    locales_file.write_text("sources: {paid_ads: en-US}\n", encoding="utf-8")
    data = _paid_ads(
        [
            {"spend": "$1,284.15", "revenue": "12.00", "currency": "EUR"},
            {"spend": "¥1,284", "revenue": "¥12", "currency": "jpy"},
            {"spend": "¥1,284", "revenue": "CNY 12", "currency": "CNY"},
            {"spend": "¥1,284", "revenue": "€12", "currency": "RMB"},
            {"spend": "€1,284", "revenue": "1,284 EUR", "currency": "USD"},
            {"spend": "$1,284", "revenue": "$12", "currency": ""},
        ]
    )
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), data)

    report = _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/ads.csv"
    assert _quarantine(paths) == [
        (1, "spend", f"{file}, row 2, column 'spend': '$1,284.15' is an amount in $ (USD), but "
         "the row's currency (column 'currency') is EUR: correct the sign or the currency"),
        (5, "revenue", f"{file}, row 6, column 'revenue': '1,284 EUR' is an amount in EUR, but "
         "the row's currency (column 'currency') is USD: correct the sign or the currency"),
        (5, "spend", f"{file}, row 6, column 'spend': '€1,284' is an amount in € (EUR), but "
         "the row's currency (column 'currency') is USD: correct the sign or the currency"),
    ]  # fmt: skip
    assert (report.files[0].rows_loaded, report.files[0].rows_quarantined) == (4, 2)
    # ¥ is the sign of the yuan and the yen; "RMB" is no ISO code, so nothing contradicts it;
    # an empty currency names none. The number is never converted.
    assert _spend_revenue(paths) == [
        (Decimal("1284"), Decimal("12")),
        (Decimal("1284"), Decimal("12")),
        (Decimal("1284"), Decimal("12")),
        (Decimal("1284"), Decimal("12")),
    ]
    record = query(paths, "SELECT record->>'spend' FROM ops.quarantine WHERE row_number = 1")
    assert record == [("$1,284.15",)], "the value as delivered stays inspectable"


def test_a_sign_is_only_read_on_amounts_and_as_a_sign(paths, pii_key, locales_file):
    """Impressions are no amount; a percentage is no amount; a number is still needed."""
    locales_file.write_text("sources: {paid_ads: en-US}\n", encoding="utf-8")
    data = _paid_ads(
        [
            {"impressions": "$1,200"},
            {"spend": "$12%"},
            {"spend": "USD"},
            {"spend": "-$12.50", "currency": "USD"},
        ]
    )
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), data)

    _night(paths, pii_key, "paid_ads")

    file = f"paid_ads/{DAY}/ads.csv"
    declared = f"(the file's locale, declared in {locales_file}, sources: paid_ads)"
    assert _quarantine(paths) == [
        (1, "impressions", f"{file}, row 2, column 'impressions': '$1,200' is not a whole "
         f"number as en-US writes it {declared}: write it like 1,234"),
        (2, "spend", f"{file}, row 3, column 'spend': '$12%' is not a number as en-US writes "
         f"it {declared}: write it like 1,234.56 or $1,234.56"),
        (3, "spend", f"{file}, row 4, column 'spend': 'USD' is not a number as en-US writes "
         f"it {declared}: write it like 1,234.56 or $1,234.56"),
        (4, "spend", f"{file}, row 5, column 'spend': '-$12.50' is negative; it must be 0 or "
         "more"),
    ]  # fmt: skip


def test_currency_signs_come_from_babel_for_the_locales_in_use():
    signs = dict(currency_signs(("en-US", "zh-Hans-CN", "fr-FR")).signs)
    assert signs["$"] == ("USD",)
    assert signs["US$"] == ("USD",)
    assert signs["$US"] == ("USD",)  # how French writes the dollar
    assert signs["¥"] == ("CNY", "JPY")  # the yuan in Chinese, the yen in English
    assert signs["￥"] == ("CNY", "JPY")  # typed full width: contract/locales.yaml
    assert signs["€"] == ("EUR",) and signs["EUR"] == ("EUR",)
    assert "R$" in signs  # BRL, one of the common currencies listed as data


# --- KPI targets written as percentages --------------------------------------------------------


def test_kpi_targets_read_percentages_and_amounts(paths, pii_key, locales_file):
    """复购率 35% is a target of 0.35; a GMV target may carry its currency sign."""
    locales_file.write_text(
        "files: {'kpis/*/shanghai_*.csv': zh-Hans-CN, 'kpis/*/chicago_*.csv': en-US}\n",
        encoding="utf-8",
    )
    shanghai = [
        {"campaign_id": "SH-D11", "metric": "复购率", "target_value": "35%",
         "due_date": "2026年11月30日"},
        {"campaign_id": "SH-D11", "metric": "成交额", "target_value": "¥12,000,000",
         "due_date": "2026/11/30"},
        {"campaign_id": "SH-D11", "metric": "点击率", "target_value": "2.5 %",
         "due_date": "2026-11-30"},
    ]  # fmt: skip
    chicago = [
        {"campaign_id": "LS-HOL26", "metric": "GMV", "target_value": "$1,600,000.00",
         "due_date": "12/31/2026"},
        {"campaign_id": "LS-HOL26", "metric": "bookings", "target_value": "1,400",
         "due_date": "12/31/2026"},
    ]  # fmt: skip
    write_csv(landing_path(paths, "kpis", "shanghai_kpi.csv"), shanghai)
    write_csv(landing_path(paths, "kpis", "chicago_kpis.csv"), chicago)

    _night(paths, pii_key, "kpis")

    assert _quarantine(paths) == []
    assert query(
        paths,
        "SELECT metric, target_value, due_date FROM raw.kpis ORDER BY _file_path, _row_number",
    ) == [
        ("GMV", Decimal("1600000"), dt.date(2026, 12, 31)),
        ("bookings", Decimal("1400"), dt.date(2026, 12, 31)),
        ("复购率", Decimal("0.35"), dt.date(2026, 11, 30)),
        ("成交额", Decimal("12000000"), dt.date(2026, 11, 30)),
        ("点击率", Decimal("0.025"), dt.date(2026, 11, 30)),
    ]


# --- a UK agency's creator report: the locale decides day and month ----------------------------

CREATOR_REPORT = [
    ["Campaign", "Creator ID", "Handle", "Platform", "Post ID", "Post date", "Followers",
     "Sponsored", "Disclosure", "Due date", "Delivered date", "Fee (GBP)", "Impressions",
     "Likes", "Comments"],
    ["CMP-0001", "CR-1", "@tea.with.tom", "Instagram", "C5BE371", "03/04/2026", "52,000",
     "yes", "yes", "04/04/2026", "03/04/2026", "£1,200.00", "40,000", "900", "80"],
    ["CMP-0001", "CR-2", "@run.with.ria", "TikTok", "72000001", "10/04/2026", "8,000",
     "yes", "yes", "11/04/2026", "10/04/2026", "£300.00", "9,000", "300", "20"],
]  # fmt: skip
UK_DATES = [
    ("CR-1", dt.date(2026, 4, 3), dt.date(2026, 4, 4), dt.date(2026, 4, 3), Decimal("1200")),
    ("CR-2", dt.date(2026, 4, 10), dt.date(2026, 4, 11), dt.date(2026, 4, 10), Decimal("300")),
]


def _creator_posts(paths: Paths) -> list[tuple]:
    return query(
        paths,
        "SELECT creator_id, post_date, deliverable_due_date, delivered_date, fee "
        "FROM raw.influencer_posts ORDER BY creator_id",
    )


def test_a_uk_creator_report_is_not_read_month_first(paths, pii_key, locales_file):
    """03/04/2026 is 3 April in London and 4 March in New York: undeclared it waits in
    quarantine; declared en-GB it loads as the agency meant it."""
    path = landing_path(paths, "influencer_posts", "agency_creator_report.csv")
    write_export(path, CREATOR_REPORT)

    _night(paths, pii_key, "influencer_posts")

    file = f"influencer_posts/{DAY}/agency_creator_report.csv"
    quarantined = _quarantine(paths)
    # 04/04/2026 reads the same either way; every other date could be two days.
    assert [(row, column) for row, column, _ in quarantined] == [
        (1, "delivered_date"), (1, "post_date"),
        (2, "deliverable_due_date"), (2, "delivered_date"), (2, "post_date"),
    ]  # fmt: skip
    assert quarantined[0][2].startswith(
        f"{file}, row 2, column 'Delivered date' (delivered_date): '03/04/2026' could be "
        "4 March 2026 (en-US) or 3 April 2026 (en-GB"
    )
    assert query(paths, "SELECT count(*) FROM raw.influencer_posts") == [(0,)]

    locales_file.write_text("sources: {influencer_posts: en-GB}\n", encoding="utf-8")
    path.write_bytes(path.read_bytes() + b"\n")  # delivered again: new content, same path
    _night(paths, pii_key, "influencer_posts")
    assert _quarantine(paths) == []
    assert _creator_posts(paths) == UK_DATES


def test_a_creator_report_with_a_day_after_the_12th_is_recognised_day_first(paths, pii_key):
    """13/04/2026 can only be 13 April: the file is day first, and so is its 03/04/2026."""
    report = [list(r) for r in CREATOR_REPORT]
    report[2][5:11] = ["13/04/2026", "8,000", "yes", "yes", "14/04/2026", "13/04/2026"]
    write_export(landing_path(paths, "influencer_posts", "agency_creator_report.csv"), report)

    _night(paths, pii_key, "influencer_posts")

    assert _quarantine(paths) == []
    assert _creator_posts(paths) == [
        UK_DATES[0],
        ("CR-2", dt.date(2026, 4, 13), dt.date(2026, 4, 14), dt.date(2026, 4, 13), Decimal("300")),
    ]


# --- the contract ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "words"),
    [
        ({"a": {"type": "text", "money": True, "doc": "x"}}, "money: true applies to decimal"),
        ({"a": {"type": "decimal", "currency_code": True, "doc": "x"}}, "applies to text"),
        (
            {
                "a": {"type": "text", "currency_code": True, "doc": "x"},
                "b": {"type": "text", "currency_code": True, "doc": "x"},
            },
            "currency_code: true is on a, b",
        ),
    ],
)
def test_a_wrong_money_field_in_the_contract_names_the_column(columns, words):
    source = {
        "title": "T",
        "channel": "plan",
        "kind": "snapshot",
        "quiet_days": "no_file",
        "doc": "d",
        "key": ["a"],
    }
    with pytest.raises(ContractDefinitionError, match=words):
        parse_contract({"sources": {"s": {**source, "columns": columns}}})


def test_the_landing_contract_page_says_which_columns_take_signs_and_percentages():
    contract = load_contract()
    page = render_landing_contract_md(contract)
    amounts = [c for s in contract for c in s.columns if c.money]
    assert {c.name for c in amounts} >= {
        "budget", "reserve_budget", "spend", "revenue", "fee", "committed_amount",
        "attributed_revenue", "cost", "target_value",
    }  # fmt: skip
    assert page.count("**An amount**") == len(amounts)
    (target,) = [line for line in page.splitlines() if line.startswith("| `target_value` |")]
    assert "Also written as a percentage (`35%` = 0.35" in target
    assert "**An amount**" in target
    for words in ("**Amounts.**", "'$1,284.15' is an amount in $ (USD)", "`¥` (CNY or JPY)"):
        assert words in page
