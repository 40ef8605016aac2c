"""Ad-platform reports as Meta Ads Manager, Google Ads and LinkedIn write them, loaded through
the real stage and publish steps; totals checked against sums done by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from export_files import landing_file, load, one, query, write_export, write_workbook

META_HEADER = [
    "Reporting starts", "Reporting ends", "Day", "Account ID", "Campaign name", "Campaign ID",
    "Ad set name", "Ad set ID", "Amount spent (EUR)", "Impressions", "Link clicks", "Results",
    "Result indicator", "Purchases conversion value", "URL parameters", "Frequency",
]  # fmt: skip
#: The account total comes first (blank names); then two ad sets on two days. Results mix
#: purchases with reach: only purchases are conversions.
META_ROWS = [
    ["2026-11-18", "2026-11-19", "", "", "", "", "", "", "1200.5", "95000", "", "", "", "", "", ""],
    ["2026-11-18", "2026-11-18", "2026-11-18", "120204385505670650",
     "CMP-0001 | Spring run | Prospecting", "120204385505670651", "Lookalike 1% — runners",
     "120204385505670652", "400.12345678", "30000", "300", "4",
     "actions:offsite_conversion.fb_pixel_purchase", "210.5",
     "utm_source=fb&utm_campaign=spring_run",
     "1.2345678"],
    ["2026-11-18", "2026-11-18", "2026-11-18", "120204385505670650",
     "CMP-0001 | Spring run | Prospecting", "120204385505670651", "Broad, all ages",
     "120204385505670653", "200", "20000", "", "15000", "reach", "", "", "1.1"],
    ["2026-11-19", "2026-11-19", "2026-11-19", "120204385505670650",
     "CMP-0001 | Spring run | Prospecting", "120204385505670651", "Lookalike 1% — runners",
     "120204385505670652", "350.38", "25000", "250", "3",
     "actions:offsite_conversion.fb_pixel_purchase", "99.5", "utm_campaign=spring_run", "1.3"],
    ["2026-11-19", "2026-11-19", "2026-11-19", "120204385505670650",
     "CMP-0001 | Spring run | Prospecting", "120204385505670651", "Broad, all ages",
     "120204385505670653", "250", "20000", "80", "", "", "", "", "1.0"],
]  # fmt: skip
META_SPEND = Decimal("1200.5035")  # 400.1235 (4 decimals kept) + 200 + 350.38 + 250


def _paid_totals(paths):
    return query(
        paths,
        "SELECT platform, count(*), sum(spend), sum(impressions), sum(clicks), sum(conversions), "
        "sum(revenue), min(currency), string_agg(DISTINCT campaign_id, ',') "
        "FROM raw.paid_ads GROUP BY platform ORDER BY platform",
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
def test_meta_csv_loads_without_its_total_row_and_only_purchases_as_conversions(paths, encoding):
    path = landing_file(paths, "paid_ads", "meta-ads-export.csv")
    write_export(path, [META_HEADER, *META_ROWS], encoding=encoding)

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.export_format == "Meta Ads Manager ad report"
    assert staged.rows_in_file == 4 and staged.rows_valid == 4
    assert staged.rows_skipped == {"account total (blank campaign and ad set names)": 1}
    assert _paid_totals(paths) == [
        ("meta", 4, META_SPEND, 95000, 630, Decimal("7"), Decimal("310"), "EUR", "CMP-0001")
    ]
    ids = query(paths, "SELECT DISTINCT account_id, platform_campaign_id FROM raw.paid_ads")
    assert ids == [("120204385505670650", "120204385505670651")]
    utms = query(paths, "SELECT DISTINCT utm_campaign FROM raw.paid_ads ORDER BY 1")
    assert utms == [("spring_run",), (None,)]


def test_meta_workbook_with_title_block_loads_the_same_totals(paths):
    title = [[None, "Northwind Report"], [None, "Report Period: Nov 18, 2026 - Nov 19, 2026"]]
    body = [[None, *META_HEADER]] + [[None, *row] for row in META_ROWS]
    write_workbook(
        landing_file(paths, "paid_ads", "meta-ads-export.xlsx"), title + body, "Raw Data Report"
    )

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.export_format == "Meta Ads Manager ad report" and staged.rows_valid == 4
    assert _paid_totals(paths)[0][:3] == ("meta", 4, META_SPEND)


def test_meta_export_in_simplified_chinese_loads_the_same_totals(paths):
    chinese = {
        "Reporting starts": "报告开始日期", "Reporting ends": "报告结束日期", "Day": "天",
        "Account ID": "帐户编号", "Campaign name": "广告系列名称", "Campaign ID": "广告系列编号",
        "Ad set name": "广告组名称", "Ad set ID": "广告组编号",
        "Amount spent (EUR)": "已花费金额 (EUR)",
        "Impressions": "展示次数", "Link clicks": "链接点击量", "Results": "成效",
        "Result indicator": "成效指标", "Purchases conversion value": "购物转化价值",
        "URL parameters": "网址参数", "Frequency": "频次",
    }  # fmt: skip
    header = [chinese[h] for h in META_HEADER]
    write_export(
        landing_file(paths, "paid_ads", "meta-zh.csv"), [header, *META_ROWS], encoding="utf-8-sig"
    )

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.status == "staged" and staged.rows_valid == 4
    assert _paid_totals(paths) == [
        ("meta", 4, META_SPEND, 95000, 630, Decimal("7"), Decimal("310"), "EUR", "CMP-0001")
    ]


def test_meta_ids_mangled_by_a_spreadsheet_reject_the_whole_file(paths):
    rows = [list(r) for r in META_ROWS]
    rows[2][5] = "1.20205E+17"
    write_export(landing_file(paths, "paid_ads", "meta.csv"), [META_HEADER, *rows])

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.status == "rejected"
    assert staged.error["row"] == 4 and staged.error["column"] == "Campaign ID"
    assert "1.20253E+17" in staged.message and "without opening and saving it" in staged.message
    assert one(paths, "SELECT count(*) FROM raw.paid_ads") == 0


def test_meta_export_without_day_breakdown_is_rejected(paths):
    rows = [[*r[:2], *r[3:]] for r in META_ROWS]
    rows[1][1] = "2026-11-19"
    header = [h for h in META_HEADER if h != "Day"]
    write_export(landing_file(paths, "paid_ads", "meta.csv"), [header, *rows])

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.status == "rejected" and "By time > Day" in staged.message
    assert staged.error["row"] == 3


def test_a_bad_value_is_quarantined_with_the_row_and_header_of_the_export(paths):
    rows = [list(r) for r in META_ROWS]
    rows[3][9] = "lots"
    write_export(landing_file(paths, "paid_ads", "meta.csv"), [META_HEADER, *rows])

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.rows_valid == 3 and staged.rows_quarantined == 1
    (reason,) = query(paths, "SELECT reason FROM ops.quarantine")[0]
    assert reason == (
        "paid_ads/2026-11-20/meta.csv, row 5, column 'Impressions' (impressions): "
        "'lots' is not a whole number"
    )


GOOGLE_ROWS = [
    ["Ad group report"],
    ["November 18, 2026 - November 19, 2026"],
    ["Day", "Customer ID", "Campaign", "Campaign ID", "Ad group", "Ad group ID", "Currency code",
     "Impr.", "Clicks", "CTR", "Avg. CPC", "Cost", "Conversions", "Conv. value",
     "Final URL suffix"],
    ["2026-11-18", "100-013-8824", "CMP-0002 | Brand search", "20000019946", "Brand exact",
     "140000000001", "PLN", "1,000", "60", "6.00%", "20.00", "1,200.00", "5.50", "500.00",
     "utm_source=google&utm_campaign=brand_pl"],
    ["2026-11-19", "100-013-8824", "CMP-0002 | Brand search", "20000019946", "Brand exact",
     "140000000001", "PLN", "400", "25", "--", "--", "500.00", "2.00", "200.00", ""],
    ["2026-11-19", "100-013-8824", "CMP-0002 | Brand search", "20000019946", "Brand broad",
     "140000000002", "PLN", "2,500", "0", "0.00%", " --", "0.00", "0.00", "0.00", ""],
    ["Total: Account", "", "", "", "", "", "", "3,900", "85", "2.18%", "20.00", "1,700.00",
     "7.50", "700.00", ""],
    ["Total: Campaigns", "", "", "", "", "", "", "3,900", "85", "2.18%", "20.00", "1,700.00",
     "7.50", "700.00", ""],
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("report.csv", "utf-8", ","),
        ("report-excel.csv", "utf-16", "\t"),
        ("report.tsv", "utf-8", "\t"),
    ],
)
def test_google_ads_report_skips_title_lines_and_total_rows(paths, name, encoding, delimiter):
    path = landing_file(paths, "paid_ads", name)
    write_export(path, GOOGLE_ROWS, encoding=encoding, delimiter=delimiter, newline="\r\n")

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.export_format == "Google Ads report download"
    assert staged.rows_valid == 3 and staged.rows_skipped == {"total row": 2}
    assert _paid_totals(paths) == [
        ("google", 3, Decimal("1700"), 3900, 85, Decimal("7.5"), Decimal("700"), "PLN", "CMP-0002")
    ]
    assert one(paths, "SELECT min(_row_number) FROM raw.paid_ads") == 1


def test_linkedin_report_reads_title_lines_and_us_dates(paths):
    rows = [
        ["Campaign Performance Report (in UTC)"],
        ["Report Start: 11/18/2026, Report End: 11/19/2026"],
        ["Account: Northwind"],
        [],
        ["Start Date (in UTC)", "Account Name", "Campaign Group Name", "Campaign Name",
         "Campaign ID", "Currency", "Total Spent", "Impressions", "Clicks", "Conversions"],
        ["11/18/2026", "Northwind", "CMP-0003 | Hiring", "Sponsored content", "611111111",
         "USD", "1,234.50", "10000", "80", "2"],
        ["11/19/2026", "Northwind", "CMP-0003 | Hiring", "Sponsored content", "611111111",
         "USD", "765.50", "5000", "20", "1"],
        ["Total", "", "", "", "", "", "2,000.00", "15000", "100", "3"],
    ]  # fmt: skip
    write_export(landing_file(paths, "paid_ads", "linkedin.csv"), rows)

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.rows_valid == 2 and staged.rows_skipped == {"total row": 1}
    assert _paid_totals(paths) == [
        ("linkedin", 2, Decimal("2000"), 15000, 100, Decimal("3"), Decimal("0"), "USD", "CMP-0003")
    ]
    days = query(paths, "SELECT ad_date FROM raw.paid_ads ORDER BY 1")
    assert [d.isoformat() for (d,) in days] == ["2026-11-18", "2026-11-19"]


def test_an_unknown_export_is_rejected_with_the_headers_seen_and_closest_formats(paths):
    rows = [
        ["Campaign name", "Impressions", "Spend", "Clicks"],
        ["CMP-0001 | Spring run", "1000", "10.00", "5"],
    ]
    write_export(landing_file(paths, "paid_ads", "mystery.csv"), rows)

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.status == "rejected"
    assert "Headers seen: Campaign name, Impressions, Spend, Clicks" in staged.message
    closest = staged.message.split("Closest known exports: ")[1].split(". This folder")[0]
    assert [c.split(" (")[0] for c in closest.split("; ")] == [
        "LinkedIn Campaign Manager campaign performance report",
        "Meta Ads Manager ad report",
        "Google Ads report download",
    ]
    assert "missing 'Reporting starts', 'Amount spent'" in closest
    assert "nothing of it was loaded" in staged.message
    assert one(paths, "SELECT count(*) FROM raw.paid_ads") == 0


def test_an_e_mail_export_in_the_paid_ads_folder_is_sent_where_it_belongs(paths):
    rows = [
        ["Campaign Name", "Send Time", "Successful Deliveries", "Campaign ID"],
        ["CMP-0001 | Promo", "2026-11-19 10:00:00", "100.0", "01JQYYRSHTMVBX2ZQ19RWKH2JW"],
    ]
    write_export(landing_file(paths, "paid_ads", "klaviyo.csv"), rows)

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.status == "rejected"
    assert "Klaviyo campaigns export" in staged.message
    assert f"move it to email_sends/{'2026-11-20'}/" in staged.message


def test_reloading_the_same_night_never_doubles_spend(paths):
    write_export(landing_file(paths, "paid_ads", "report.csv"), GOOGLE_ROWS)
    load(paths, "paid_ads", run_id="night-1")
    load(paths, "paid_ads", run_id="night-1-retry")

    assert one(paths, "SELECT sum(spend) FROM raw.paid_ads") == Decimal("1700")


def test_a_workbook_storing_ids_as_numbers_is_rejected_not_loaded_with_wrong_ids(paths):
    body = [[float(c) if i in (3, 5, 7) and c else c for i, c in enumerate(r)] for r in META_ROWS]
    write_workbook(landing_file(paths, "paid_ads", "meta.xlsx"), [META_HEADER, *body])

    (staged,) = load(paths, "paid_ads")["paid_ads"]

    assert staged.status == "rejected" and staged.error["column"] == "Account ID"
    assert staged.error["row"] == 3
    assert one(paths, "SELECT count(*) FROM raw.paid_ads") == 0
