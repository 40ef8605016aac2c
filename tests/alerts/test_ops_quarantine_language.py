# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""Quarantine reasons in the ops digest in the ops channel's language, with file, row and column.

Bad landing files go through the real ingest into a real DuckDB file; ``ops.quarantine`` keeps
the English reason, and the ops digest of a Chinese-speaking ops channel says each one in
Chinese, naming the same file, row, column and value. The English digest shows the stored
sentence unchanged.
"""

from __future__ import annotations

import re

import pytest
from tests.ingest.ingest_support import landing_path, rows, run_ingest, write_csv

from marketing_health.alerts import build_ops_digest
from marketing_health.alerts.blocks import unescape
from marketing_health.alerts.ops_quarantine import (
    PROBLEMS,
    parse,
    quarantine_reason,
    rejection_reason,
)
from marketing_health.i18n import translator
from marketing_health.ingest.validate import MONEY_PROBLEM, TYPE_PROBLEMS
from marketing_health.warehouse import connect

NIGHT = "2026-11-22"
RUN_URL = "http://airflow.example/dags/marketing_health/runs/scheduled__2026-11-23"
BAD = "paid_ads/2026-11-22/广告_ads.csv"
TWICE = "paid_ads/2026-11-22/ads_twice.csv"


def _text(digest) -> str:
    parts = []
    for message in digest.messages:
        for block in message.blocks:
            if "text" in block:
                parts.append(block["text"]["text"])
            parts.extend(e["text"] for e in block.get("elements", []))
    return unescape("\n".join(parts))


def _bad_night(paths, pii_key) -> None:
    """One file with five kinds of bad cell, one repeating a row."""
    ads = rows("paid_ads", 6, day=NIGHT)
    ads[1]["spend"] = "-12.50"
    ads[2]["campaign_id"] = ""
    ads[3]["clicks"] = "many"
    ads[4]["ad_date"] = "next week"
    ads[5]["conversions"] = "1,5x"
    write_csv(landing_path(paths, "paid_ads", "广告_ads.csv", day=NIGHT), ads)
    twice = rows("paid_ads", 2, day=NIGHT, start=20)
    write_csv(landing_path(paths, "paid_ads", "ads_twice.csv", day=NIGHT), [*twice, twice[0]])
    run_ingest(paths, pii_key, run_id="night-22")


def _digest(paths):
    with connect(paths.warehouse, read_only=True) as con:
        return build_ops_digest(con, NIGHT, "night-22", RUN_URL)


def _stored(paths) -> list[str]:
    with connect(paths.warehouse, read_only=True) as con:
        return [r[0] for r in con.execute("select reason from ops.quarantine").fetchall()]


def test_quarantine_reasons_in_chinese_name_file_row_and_column(
    paths, pii_key, alerting_policy, monkeypatch
) -> None:
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    alerting_policy.write_text("freshness: {}\nops: {language: zh-Hans}\n", encoding="utf-8")
    _bad_night(paths, pii_key)
    digest = _digest(paths)
    assert digest is not None
    text = _text(digest)
    assert "*今晚被拒收的文件和被隔离的行*" in text
    for said in (
        f"{BAD} 第 3 行，列“spend”：'-12.50' 为负数；必须大于或等于 0（1 行）",
        f"{BAD} 第 4 行，列“campaign_id”：为空；每一行都必须填写此项（1 行）",
        f"{BAD} 第 5 行，列“clicks”：'many' 不是整数（1 行）",
        f"{BAD} 第 6 行，列“ad_date”：'next week' 不是 YYYY-MM-DD 格式的日期（1 行）",
        f"{BAD} 第 7 行，列“conversions”：'1,5x' 不是数字（请写成 1234.56 的形式",
        f"{TWICE} 第 4 行，列 'ad_date', 'platform', 'account_id', 'platform_campaign_id', "
        "'ad_group_id'：与第 2 行重复（ad_date 2026-11-22, platform ",
        "）；只加载了其中第一行（1 行）",
    ):
        assert said in text, said
    # nothing of the English sentences is left around the file, row and column
    for english in (", row ", "column '", "is negative", "is empty", "is not a", "repeats row"):
        assert english not in text, english
    # the table people query keeps its English reason
    assert f"{BAD}, row 3, column 'spend': '-12.50' is negative; it must be 0 or more" in (
        _stored(paths)
    )


def test_the_english_digest_shows_the_stored_reasons_unchanged(
    paths, pii_key, alerting_policy, monkeypatch
) -> None:
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    alerting_policy.write_text("freshness: {}\nops: {language: en}\n", encoding="utf-8")
    _bad_night(paths, pii_key)
    text = _text(_digest(paths))
    stored = _stored(paths)
    assert len(stored) == 6
    for reason in stored:
        assert f"{reason} (1 row)" in text
        assert quarantine_reason(reason, translator("en")) == reason


def test_every_reason_of_the_night_has_a_message(paths, pii_key) -> None:
    """Each reason ingest wrote is matched to a message, not passed on in English."""
    _bad_night(paths, pii_key)
    for reason in _stored(paths):
        parsed = parse(reason)
        assert parsed is not None and parsed.message is not None, reason


@pytest.mark.parametrize("problem", [*TYPE_PROBLEMS.values(), MONEY_PROBLEM])
def test_the_checks_wording_is_a_message(problem: str) -> None:
    """A type check's wording changed in ingest without its message here fails this test."""
    assert "{value} " + problem in PROBLEMS


def test_a_tool_exports_column_heading_and_an_unknown_problem() -> None:
    t = translator("zh-Hans")
    exported = (
        "ads/巨量引擎.xlsx, row 12, column '消耗(元)' (spend): "
        "'-3' is negative; it must be 0 or more"
    )
    assert quarantine_reason(exported, t) == (
        "ads/巨量引擎.xlsx 第 12 行，列 '消耗(元)'（spend）：'-3' 为负数；必须大于或等于 0"
    )
    # a wording this module does not know keeps its location in Chinese and the rest as seen
    unknown = "a.csv, row 2, column 'spend': '€3' is an amount in EUR"
    assert quarantine_reason(unknown, t) == "a.csv 第 2 行，列“spend”：'€3' is an amount in EUR"
    assert quarantine_reason("not a reason of ingest", t) == "not a reason of ingest"


def test_files_rejected_as_a_whole_in_chinese(paths, pii_key, alerting_policy, monkeypatch) -> None:
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    alerting_policy.write_text("freshness: {}\nops: {language: zh-Hans}\n", encoding="utf-8")
    ads = rows("paid_ads", 2, day=NIGHT)
    for row in ads:
        del row["campaign_id"], row["spend"]
    write_csv(landing_path(paths, "paid_ads", "no_ids.csv", day=NIGHT), ads)
    landing_path(paths, "paid_ads", "empty.csv", day=NIGHT).write_bytes(b"")
    run_ingest(paths, pii_key, run_id="night-22")
    text = _text(_digest(paths))
    assert "`paid_ads/2026-11-22/no_ids.csv`：整个文件被拒收" in text
    assert (
        "paid_ads/2026-11-22/no_ids.csv 第 1 行，列“campaign_id”：表头缺少必填列 "
        "'campaign_id', 'spend'；现有的列为：ad_date, platform, " in text
    )
    assert "。请添加该列（位置不限）后重新交付文件。" in text
    assert "paid_ads/2026-11-22/empty.csv：文件为空；请重新导出" in text
    for english in ("required column", "is missing", ", row ", "export it again"):
        assert english not in text, english


@pytest.mark.parametrize(
    "message",
    [
        "a.csv, row 1, column 'x': required column 'x' is missing from the header; it has: y. "
        "Add the column (in any position) and deliver the file again.",
        "a.jsonl: required columns 'x', 'y' are missing from the records; it has: z. "
        "Add the column (in any position) and deliver the file again.",
        "a.csv, row 1, column 'x': the column 'x' appears twice; keep one of them",
        "paid_ads/a.txt: this file type is not accepted; export the data as CSV (.csv, "
        "comma-separated, UTF-8), TSV (.tsv), gzip CSV (.csv.gz), Parquet (.parquet), JSON lines "
        "(.jsonl / .ndjson), or a tool export as the tool writes it (.csv, .tsv, .xlsx)",
        "a.xlsx: the workbook could not be opened (BadZipFile); export it again",
    ],
)
def test_rejections_keep_nothing_english_but_names(message: str) -> None:
    said = rejection_reason(message, translator("zh-Hans"))
    assert not re.search(r"\b(row|column|the|is|are|export)\b", said), said
    assert rejection_reason(message, translator("en")) == message


#: Reasons the locale checks write, as tests/ingest asserts them (locales.yaml, a sign).
LOCALE_REASONS = {
    "paid_ads/2026-12-06/agency.csv, row 2, column 'ad_date': '03/04/2026' could be 4 March "
    "2026 (en-US) or 3 April 2026 (en-GB, es-ES, it-IT): write it as YYYY-MM-DD or declare the "
    "file's locale in config/locales.yaml": (
        "paid_ads/2026-12-06/agency.csv 第 2 行，列“ad_date”：'03/04/2026' 可能是 4 March 2026 "
        "(en-US)或3 April 2026 (en-GB, es-ES, it-IT)：请写成 YYYY-MM-DD，或在 config/locales.yaml "
        "中声明文件的地区设置"
    ),
    "paid_ads/2026-12-06/agency.csv, row 2, column 'spend': '1.234' could be 1.234 (en-US, "
    "en-GB) or 1234 (es-ES, it-IT): declare the file's locale in config/locales.yaml": (
        "paid_ads/2026-12-06/agency.csv 第 2 行，列“spend”：'1.234' 可能是 1.234 (en-US, en-GB)或"
        "1234 (es-ES, it-IT)：请在 config/locales.yaml 中声明文件的地区设置"
    ),
    "paid_ads/2026-12-06/us.csv, row 4, column 'spend': '1.234,56' is not a number as en-US "
    "writes it (the file's locale, declared in config/locales.yaml, sources: paid_ads): write "
    "it like 1,234.56 or $1,234.56": (
        "paid_ads/2026-12-06/us.csv 第 4 行，列“spend”：'1.234,56' 不是按 en-US 写法书写的数字"
        "（文件的地区设置，在 config/locales.yaml 的 sources: paid_ads 中声明）：请写成 "
        "1,234.56或$1,234.56"
    ),
    "paid_ads/2026-12-06/ads.csv, row 2, column 'spend': '$1,284.15' is an amount in $ (USD), "
    "but the row's currency (column 'currency') is EUR: correct the sign or the currency": (
        "paid_ads/2026-12-06/ads.csv 第 2 行，列“spend”：'$1,284.15' 是以 $ (USD) 计的金额，"
        "但该行的币种（列“currency”）是 EUR：请更正货币符号或币种"
    ),
}


@pytest.mark.parametrize("reason", list(LOCALE_REASONS))
def test_locale_and_currency_reasons_in_chinese(reason: str) -> None:
    assert quarantine_reason(reason, translator("zh-Hans")) == LOCALE_REASONS[reason]
    assert quarantine_reason(reason, translator("en")) == reason
