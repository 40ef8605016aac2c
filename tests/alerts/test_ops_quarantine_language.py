# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""Quarantine problems kept as a code and values, said in the ops channel's language.

Bad landing files go through the real ingest into a real warehouse: ``ops.quarantine`` keeps
each problem's code and values beside the file, row and column, and an English ``reason``
said from the same message. The ops digest of a Chinese-speaking ops channel says each one in
Chinese from the code and values, naming the same file, row, column and value; the English
digest shows the stored sentence unchanged. Warehouses made before the codes gain the columns,
and their old rows are shown in English, saying so.
"""

from __future__ import annotations

import json
import re
import string

import duckdb
import psycopg2
import pytest
from tests.ingest.ingest_support import landing_path, rows, run_ingest, write_csv
from tests.ingest.vendors.export_files import write_export

from marketing_health.alerts import build_ops_digest
from marketing_health.alerts.blocks import unescape
from marketing_health.alerts.ops_digest import Reason
from marketing_health.alerts.ops_quarantine import rejection_reason
from marketing_health.contract import load_contract
from marketing_health.contract.ddl import OPS_TABLES, create_warehouse_tables
from marketing_health.contract.problems import (
    ALTERNATIVES,
    PLURAL_REJECTIONS,
    PROBLEMS,
    REJECTIONS,
    placeholders,
    problem_sql,
)
from marketing_health.i18n import translator
from marketing_health.ingest import locale_sql
from marketing_health.ingest.errors import ContractViolation
from marketing_health.ingest.validate import MONEY_PROBLEM, TYPE_PROBLEMS
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

NIGHT = "2026-11-22"
RUN_URL = "http://airflow.example/dags/marketing_health/runs/scheduled__2026-11-23"
BAD = "paid_ads/2026-11-22/广告_ads.csv"
TWICE = "paid_ads/2026-11-22/ads_twice.csv"
SIGNS = "paid_ads/2026-11-22/signs.csv"
TIERS = "influencer_posts/2026-11-22/creators.csv"
UK = "influencer_posts/2026-11-22/agency_creator_report.csv"

#: A UK agency's creator report as its tool exports it: its day-first dates could be two days.
CREATOR_REPORT = [
    ["Campaign", "Creator ID", "Handle", "Platform", "Post ID", "Post date", "Followers",
     "Sponsored", "Disclosure", "Due date", "Delivered date", "Fee (GBP)", "Impressions",
     "Likes", "Comments"],
    ["CMP-0001", "CR-1", "@tea.with.tom", "Instagram", "C5BE371", "03/04/2026", "52,000",
     "yes", "yes", "04/04/2026", "04/04/2026", "£1,200.00", "40,000", "900", "80"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def _no_declared_locales(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MH_LOCALES_CONFIG", str(tmp_path / "locales.yaml"))


def _text(digest) -> str:
    parts = []
    for message in digest.messages:
        for block in message.blocks:
            if "text" in block:
                parts.append(block["text"]["text"])
            parts.extend(e["text"] for e in block.get("elements", []))
    return unescape("\n".join(parts))


def _bad_night(paths: Paths, pii_key: str) -> None:
    """Files with every kind of bad cell the contract checks find, in two sources."""
    ads = rows("paid_ads", 6, day=NIGHT)
    ads[1]["spend"] = "-12.50"
    ads[2]["campaign_id"] = ""
    ads[3]["clicks"] = "many"
    ads[4]["ad_date"] = "next week"
    ads[5]["conversions"] = "1,5x"
    write_csv(landing_path(paths, "paid_ads", "广告_ads.csv", day=NIGHT), ads)
    twice = rows("paid_ads", 2, day=NIGHT, start=20)
    write_csv(landing_path(paths, "paid_ads", "ads_twice.csv", day=NIGHT), [*twice, twice[0]])
    signs = rows("paid_ads", 1, day=NIGHT, start=30)
    signs[0].update(spend="$1,284.15", currency="EUR")
    write_csv(landing_path(paths, "paid_ads", "signs.csv", day=NIGHT), signs)
    creators = rows("influencer_posts", 2, day=NIGHT)
    creators[1]["tier"] = "Galaxy"
    write_csv(landing_path(paths, "influencer_posts", "creators.csv", day=NIGHT), creators)
    write_export(
        landing_path(paths, "influencer_posts", "agency_creator_report.csv", day=NIGHT),
        CREATOR_REPORT,
    )
    run_ingest(paths, pii_key, run_id="night-22")


def _digest(paths: Paths):
    with connect(paths, read_only=True) as con:
        return build_ops_digest(con, NIGHT, "night-22", RUN_URL)


def _stored(paths: Paths) -> list[tuple[str, str, str, str, dict]]:
    """(file, column, reason, problem, values) of every quarantined problem."""
    with connect(paths, read_only=True) as con:
        found = con.execute(
            "select file_path, column_name, reason, problem, cast(problem_values as varchar) "
            "from ops.quarantine order by file_path, row_number, column_name"
        ).fetchall()
    return [(f, c, r, p, json.loads(v) if v else {}) for f, c, r, p, v in found]


def _english(code: str, values: dict) -> str:
    """The message of ``code`` filled in English as ingest fills it (alternatives: "or")."""
    filled = {
        name: " or ".join(values[name]) if name in ALTERNATIVES else str(values[name])
        for name in placeholders(code)
    }
    return PROBLEMS[code].format_map(filled)


def _names(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name}


# ---------------------------------------------------------------- the messages


@pytest.mark.parametrize("code", list(PROBLEMS))
def test_every_problem_has_a_code_and_a_chinese_message_with_its_placeholders(code: str) -> None:
    said = translator("zh-Hans").translate(PROBLEMS[code])
    assert said != PROBLEMS[code], f"{code} has no zh-Hans translation"
    assert _names(said) == _names(PROBLEMS[code]), code


def test_every_check_names_a_problem_code() -> None:
    """The type checks and the locale checks write codes the messages define."""
    codes = {*TYPE_PROBLEMS.values(), MONEY_PROBLEM, *locale_sql._NOT_AS_WRITTEN.values()}
    assert codes <= set(PROBLEMS)


def test_a_check_giving_a_message_other_values_is_refused() -> None:
    with pytest.raises(ValueError, match="'negative' fills \\['value'\\]"):
        problem_sql("negative", minimum="0")
    with pytest.raises(KeyError, match="is_bad"):
        problem_sql("is_bad")


# ---------------------------------------------------------------- a real night


def test_ingest_stores_each_problem_as_a_code_with_its_values(paths, pii_key) -> None:
    _bad_night(paths, pii_key)
    stored = _stored(paths)
    codes = {problem for _, _, _, problem, _ in stored}
    assert codes == {
        "negative", "empty", "not_whole_number", "not_date", "not_number", "repeated_key",
        "other_currency", "not_allowed", "ambiguous_date",
    }  # fmt: skip
    by_code = {problem: values for _, _, _, problem, values in stored}
    assert by_code["negative"] == {"value": "'-12.50'", "row": 3}
    assert by_code["not_allowed"]["allowed"] == "nano, micro, mid, macro, celebrity"
    assert by_code["repeated_key"]["first"] == 2
    assert by_code["repeated_key"]["key"].startswith("ad_date 2026-11-22, platform ")
    assert by_code["other_currency"] == {
        "value": "'$1,284.15'", "currency": "$ (USD)", "column": "currency", "code": "EUR",
        "row": 2,
    }  # fmt: skip
    ambiguous = by_code["ambiguous_date"]
    assert ambiguous["heading"] == "'Post date'"
    assert ambiguous["readings"][0] == "4 March 2026 (en-US)"
    assert ambiguous["readings"][1].startswith("3 April 2026 (en-GB")
    # the English reason is the same message, filled with the same values, after its place
    for file, column, reason, code, values in stored:
        if values.get("heading"):
            place = f"column {values['heading']} ({column})"
        elif code == "repeated_key":
            place = "columns " + ", ".join(f"'{c}'" for c in column.split(", "))
        else:
            place = f"column '{column}'"
        assert reason == f"{file}, row {values['row']}, {place}: {_english(code, values)}"


def test_quarantine_problems_in_chinese_name_file_row_column_and_value(
    paths, pii_key, alerting_policy, monkeypatch
) -> None:
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    alerting_policy.write_text("freshness: {}\nops: {language: zh-Hans}\n", encoding="utf-8")
    _bad_night(paths, pii_key)
    text = _text(_digest(paths))
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
        f"{SIGNS} 第 2 行，列“spend”：'$1,284.15' 是以 $ (USD) 计的金额，但该行的币种"
        "（列“currency”）是 EUR：请更正货币符号或币种（1 行）",
        f"{TIERS} 第 3 行，列“tier”：'Galaxy' 不是允许的值；请使用以下之一："
        "nano, micro, mid, macro, celebrity（1 行）",
        f"{UK} 第 2 行，列 'Post date'（post_date）：'03/04/2026' 可能是 4 March 2026 (en-US)或"
        "3 April 2026 (en-GB",
        "：请写成 YYYY-MM-DD，或在 ",
        " 中声明文件的地区设置（1 行）",
    ):
        assert said in text, said
    # nothing of the English sentences is left around the file, row and column
    for english in (", row ", "column '", "is negative", "is empty", "is not a", "repeats row",
                    "could be", "is an amount", "recorded in English"):  # fmt: skip
        assert english not in text, english


def test_the_english_digest_shows_the_stored_reasons_unchanged(
    paths, pii_key, alerting_policy, monkeypatch
) -> None:
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    alerting_policy.write_text("freshness: {}\nops: {language: en}\n", encoding="utf-8")
    _bad_night(paths, pii_key)
    text = _text(_digest(paths))
    stored = _stored(paths)
    assert f"{BAD}, row 3, column 'spend': '-12.50' is negative; it must be 0 or more" in {
        reason for _, _, reason, _, _ in stored
    }
    for _, _, reason, _, _ in stored:
        assert f"{reason} (1 row)" in text


def test_a_row_stored_without_a_code_is_shown_in_english_and_says_so(
    paths, pii_key, alerting_policy, monkeypatch
) -> None:
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    alerting_policy.write_text("freshness: {}\nops: {language: zh-Hans}\n", encoding="utf-8")
    _bad_night(paths, pii_key)
    with connect(paths) as con:  # as a row quarantined before the warehouse kept codes
        con.execute(
            "update ops.quarantine set problem = null, problem_values = null "
            "where column_name = 'spend' and file_path = ?",
            [BAD],
        )
    text = _text(_digest(paths))
    old = f"{BAD}, row 3, column 'spend': '-12.50' is negative; it must be 0 or more"
    assert f"{old}（此条为旧记录，仅有英文说明）（1 行）" in text
    assert f"{BAD} 第 5 行，列“clicks”：'many' 不是整数（1 行）" in text


# ---------------------------------------------------------------- warehouses made before codes

_OLD_QUARANTINE = re.sub(
    r"\s*problem VARCHAR,\s*problem_values JSON,", "", OPS_TABLES["ops.quarantine"]
)


def test_a_duckdb_warehouse_made_before_codes_gains_the_columns(paths, pii_key) -> None:
    assert "problem" not in _OLD_QUARANTINE
    paths.warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create schema ops")
        con.execute(f"create table ops.quarantine ({_OLD_QUARANTINE})")
        con.execute(
            "insert into ops.quarantine (source, file_path, reason, quarantined_at) "
            "values ('paid_ads', 'old.csv', 'old.csv, row 2, column ''x'': kept', now())"
        )
    _bad_night(paths, pii_key)
    with connect(paths, read_only=True) as con:
        assert con.execute(
            "select problem, problem_values from ops.quarantine where file_path = 'old.csv'"
        ).fetchall() == [(None, None)]
        assert con.execute(
            "select count(*) from ops.quarantine where problem = 'negative'"
        ).fetchall() == [(1,)]


@pytest.mark.integration
def test_a_postgres_warehouse_made_before_codes_gains_the_columns(
    tmp_path, warehouse_url, pii_key, alerting_policy, monkeypatch
) -> None:
    with psycopg2.connect(warehouse_url) as con, con.cursor() as cur:
        cur.execute("create schema ops")
        cur.execute(
            "create table ops.quarantine ("
            + _OLD_QUARANTINE.replace("VARCHAR", "text").replace("JSON", "json")
            + ")"
        )
    paths = Paths.under(tmp_path / "server", warehouse_url)
    with connect(paths) as con:
        create_warehouse_tables(con, load_contract())
        create_warehouse_tables(con, load_contract())  # a second time: nothing to add
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    alerting_policy.write_text("freshness: {}\nops: {language: zh-Hans}\n", encoding="utf-8")
    _bad_night(paths, pii_key)
    with psycopg2.connect(warehouse_url) as con, con.cursor() as cur:
        cur.execute(
            "select problem_values::jsonb ->> 'value' from ops.quarantine "
            "where problem = 'negative'"
        )
        assert cur.fetchall() == [("'-12.50'",)]
    text = _text(_digest(paths))
    assert f"{BAD} 第 3 行，列“spend”：'-12.50' 为负数；必须大于或等于 0（1 行）" in text


# ---------------------------------------------------------------- files rejected as a whole


def test_files_rejected_as_a_whole_in_chinese(paths, pii_key, alerting_policy, monkeypatch) -> None:
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    alerting_policy.write_text("freshness: {}\nops: {language: zh-Hans}\n", encoding="utf-8")
    ads = rows("paid_ads", 2, day=NIGHT)
    for row in ads:
        del row["campaign_id"], row["spend"]
    write_csv(landing_path(paths, "paid_ads", "no_ids.csv", day=NIGHT), ads)
    landing_path(paths, "paid_ads", "empty.csv", day=NIGHT).write_bytes(b"")
    run_ingest(paths, pii_key, run_id="night-22")
    with connect(paths, read_only=True) as con:  # the ledger keeps the code and values
        found = con.execute(
            "select file_path, problem, cast(problem_values as varchar) from ops.load_ledger "
            "where status = 'rejected' order by file_path"
        ).fetchall()
    (empty, empty_code, empty_values), (no_ids, code, values) = found
    assert (empty.endswith("empty.csv"), empty_code, json.loads(empty_values)) == (
        True,
        "empty_file",
        {},
    )
    values = json.loads(values)
    assert no_ids.endswith("no_ids.csv") and code == "missing_in_header"
    assert values["seen"].startswith("ad_date, platform, ")
    assert {k: v for k, v in values.items() if k != "seen"} == {
        "names": "'campaign_id', 'spend'",
        "n": 2,
        "row": 1,
        "column": "campaign_id",
    }
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


#: A value for every placeholder a rejection names.
_VALUES = {
    "layout": "paid_ads/YYYY-MM-DD/<name>", "error": "BadZipFile", "name": "spend",
    "found": "3", "expected": "5", "export": "Meta Ads Manager report", "feeds": "Paid ads",
    "folder": "paid_ads/2026-11-22/", "source": "Campaigns", "seen": "a, b",
    "closest": "TikTok Ads Manager report", "known": "Meta Ads Manager report", "has": "3",
    "width": "5", "needed": "spend", "needs": "Amount spent", "names": "'x', 'y'",
    "download": "Columns > Customise", "n": 2,
}  # fmt: skip


@pytest.mark.parametrize("code", [*REJECTIONS, *PLURAL_REJECTIONS])
def test_every_rejection_is_said_in_chinese_keeping_only_names(code: str) -> None:
    """Each rejection a reader raises, as the ledger keeps it, in the Chinese digest."""
    names = _names(REJECTIONS.get(code, ""))
    values = {k: v for k, v in _VALUES.items() if code in PLURAL_REJECTIONS or k in names}
    violation = ContractViolation("paid_ads/2026-11-22/a.csv", 2, "spend", code, **values)
    seen = Reason(
        violation.text,
        None,
        violation.problem,
        {**violation.values, "row": 2, "column": "spend"},
        file_path=violation.file,
    )
    said = rejection_reason(seen, translator("zh-Hans"))
    assert said.startswith("paid_ads/2026-11-22/a.csv 第 2 行，列“spend”："), said
    english = re.sub(r"'x', 'y'|Meta Ads Manager report|TikTok Ads Manager report|"
                     r"Paid ads|Campaigns|Amount spent|Columns > Customise|By time > Day|"
                     r"BadZipFile|Excel or Sheets|landing-contract", "", said)  # fmt: skip
    assert not re.search(r"\b(row|column|the|is|are|export|file)\b", english), said
    assert rejection_reason(seen, translator("en")) == violation.text


def test_a_rejection_stored_without_a_code_is_shown_in_english_and_says_so() -> None:
    seen = Reason("a.csv: the file is empty; export it again", None, file_path="a.csv")
    assert rejection_reason(seen, translator("zh-Hans")) == (
        "a.csv: the file is empty; export it again（此条为旧记录，仅有英文说明）"
    )
