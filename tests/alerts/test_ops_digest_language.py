# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""The ops digest, the unknown-word notices and the failure alert in the ops channel's language.

The alerting file says which language the ops channel reads (``ops.language``, the channel's
own ``channels`` entry, or the file's default ``language``). Landing files go through the real
ingest into a real DuckDB file; the words are checked as a Shanghai ops team reads them, and
the teaching entry of an unknown word is still a vocabulary file the pipeline loads.
"""

from __future__ import annotations

import re

import pytest
import yaml
from tests.ingest.ingest_support import landing_path, rows, run_ingest, write_csv

from marketing_health.alerts import build_ops_digest, notify_ops_failure
from marketing_health.alerts.blocks import unescape
from marketing_health.alerts.ops_digest import FileProblem, LateSource, OpsFindings, Unevaluated
from marketing_health.alerts.ops_render import header
from marketing_health.alerts.policy import AlertingConfigError, load_policy, ops_language
from marketing_health.catalogue.vocabularies import load_vocabularies
from marketing_health.i18n import translator
from marketing_health.warehouse import connect
from support.alert_warehouse import WarehouseBuilder
from support.slack_stub import conn_env_var
from support.unknown_terms import cannot_tell_evidence, list_unknown_kpi_names

NIGHT = "2026-11-22"
RUN_URL = "http://airflow.example/dags/marketing_health/runs/scheduled__2026-11-23"
WATCH = """
freshness:
  paid_ads: {max_age_days: 1}
  email_sends: {max_age_days: 3}
"""
_CODE = re.compile(r"```\n(.*?)\n```", re.S)


def _text(digest) -> str:
    parts = []
    for message in digest.messages:
        for block in message.blocks:
            if "text" in block:
                parts.append(block["text"]["text"])
            parts.extend(e["text"] for e in block.get("elements", []))
    return "\n".join(parts)


def _late_and_quarantined(paths) -> None:
    """paid_ads four days old with one negative spend; no e-mail file at all."""
    ads = rows("paid_ads", 3, day="2026-11-18")
    ads[1]["spend"] = "-12.50"
    write_csv(landing_path(paths, "paid_ads", "ads.csv", day="2026-11-18"), ads)


def _unknown_kpis(paths, metrics: dict[str, str]) -> None:
    data = rows("kpis", len(metrics), NIGHT)
    for row, (campaign, metric) in zip(data, metrics.items(), strict=True):
        row["campaign_id"], row["metric"] = campaign, metric
    write_csv(landing_path(paths, "kpis", "kpis.csv", day=NIGHT), data)


@pytest.mark.parametrize(
    "setting",
    [
        "ops: {language: zh-Hans}",
        'language: zh-Hans\nops: {language: en}\nchannels:\n  "#MH-Ops": {language: zh_hans}',
        "language: zh-Hans",
    ],
    ids=["ops-language", "channel-override-wins", "file-default"],
)
def test_the_ops_digest_speaks_chinese_with_chinese_dates(
    paths, pii_key, alerting_policy, monkeypatch, setting
) -> None:
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    alerting_policy.write_text(WATCH + setting + "\n", encoding="utf-8")
    _late_and_quarantined(paths)
    run_ingest(paths, pii_key, run_id="night-22")
    WarehouseBuilder(paths.warehouse).campaign("C1", "双十一 <预热>").result(
        "P13", "C1", "signal table marts.sig_privacy is missing", outcome="error", run_date=NIGHT
    )
    with connect(paths.warehouse, read_only=True) as con:
        digest = build_ops_digest(con, NIGHT, "night-22", RUN_URL)
    assert digest is not None and digest.channel == "#mh-ops"
    text = _text(digest)
    assert digest.messages[0].blocks[0]["text"]["text"] == (
        "数据管道健康（2026年11月22日）：2 个数据源延迟或缺失 · 1 行被隔离 · 1 项检查未能评估"
    )
    assert "*数据源文件延迟或缺失*" in text
    assert "最新一次交付的数据日期为 2026年11月18日，已落后 4 天（最多允许 1 天）" in text
    # a zero-width space keeps Slack's bold from running into the full-width colon
    assert "*email_sends*\u200b：从未收到过任何文件。" in text
    assert "*处理建议：*" in text and "*出错原因：*" in text
    assert "*今晚被拒收的文件和被隔离的行*" in text
    assert "`paid_ads/2026-11-18/ads.csv`：1 行被隔离" in text
    # the campaign's name intact and escaped, in the Chinese sentence
    assert "有 1 个活动未能评估：双十一 &lt;预热&gt; (Acme)" in text
    assert f"<{RUN_URL}|打开 Airflow 运行记录>" in text
    # no English framing left
    for english in ("Pipeline health", "What to do", "day(s)", "behind", "quarantined"):
        assert english not in text


def test_an_unknown_word_in_chinese_keeps_a_vocabulary_entry_that_loads(
    paths, pii_key, alerting_policy, tmp_path
) -> None:
    alerting_policy.write_text("freshness: {}\nops: {language: zh-Hans}\n", encoding="utf-8")
    _unknown_kpis(paths, {"C001": "种草指数", "C002": "种草指数"})
    run_ingest(paths, pii_key, run_id="night-22")
    list_unknown_kpi_names(paths.warehouse)
    builder = WarehouseBuilder(paths.warehouse).campaign("C001", "双十一 预热")
    builder.campaign("C002", "Autumn Run").result(
        "P02",
        "C001",
        outcome="cannot_tell",
        run_date=NIGHT,
        evidence=cannot_tell_evidence("P02", "种草指数"),
    )
    with connect(paths.warehouse, read_only=True) as con:
        digest = build_ops_digest(con, NIGHT, "night-22", RUN_URL)
    assert digest is not None
    text = _text(digest)
    assert digest.messages[0].blocks[0]["text"]["text"].endswith("：1 个新的未知词")
    assert "*词表中没有的词*" in text
    assert ":grey_question: *种草指数* \u2013 未知的KPI名称，2 行" in text
    assert "出现在：`kpis/2026-11-22/kpis.csv`（kpis.metric，2 行）" in text
    assert "活动（2）：Autumn Run (Acme)和双十一 预热 (Acme)" in text
    assert "*无法判断：* P02 " in text and "涉及 1 个活动：双十一 预热 (Acme)" in text
    assert "*如何添加：* 添加到 config/vocabularies/kpi_metrics.yaml（仅本团队）" in text

    (example,) = _CODE.findall(text)
    entry = unescape(example)
    assert "# class 可选 outcome" in entry  # the comment is Chinese ...
    parsed = yaml.safe_load(entry)  # ... and the entry is still the vocabulary's YAML
    assert parsed == {
        "version": 1,
        "metrics": {"种草指数": {"class": "vanity", "terms": {"zh-Hans": ["种草指数"]}}},
    }
    team = tmp_path / "team"
    team.mkdir()
    (team / "kpi_metrics.yaml").write_text(entry, encoding="utf-8")
    assert load_vocabularies(team).kpi_metric_for("种草指数") is not None


def _findings(n: int) -> OpsFindings:
    """``n`` of everything the header counts."""
    late = tuple(LateSource(f"source_{i}", "2026-11-18", 1, 4) for i in range(n))
    files = tuple(FileProblem("paid_ads", f"f{i}.csv", 1, True, ()) for i in range(n))
    unevaluated = tuple(Unevaluated(f"P0{i}", None, "", ()) for i in range(n))
    return OpsFindings(late, files, unevaluated)


def test_the_header_says_one_and_two_in_english_and_chinese() -> None:
    en, zh = translator("en"), translator("zh-Hans")
    assert header(NIGHT, _findings(1), en) == (
        "Pipeline health \u2013 Nov 22, 2026: 1 source late or missing · 1 row quarantined · "
        "1 file rejected · 1 guard check not evaluated"
    )
    assert header(NIGHT, _findings(2), en) == (
        "Pipeline health \u2013 Nov 22, 2026: 2 sources late or missing · 2 rows quarantined · "
        "2 files rejected · 2 guard checks not evaluated"
    )
    assert header(NIGHT, _findings(2), zh) == (
        "数据管道健康（2026年11月22日）：2 个数据源延迟或缺失 · 2 行被隔离 · 2 个文件被拒收 · "
        "2 项检查未能评估"
    )


def test_the_ops_language_is_checked_when_the_file_is_read(alerting_policy) -> None:
    alerting_policy.write_text("ops: {language: tlh, channel: '#x'}\n", encoding="utf-8")
    with pytest.raises(AlertingConfigError) as raised:
        load_policy()
    message = str(raised.value)
    assert str(alerting_policy) in message
    assert "ops.language is 'tlh'" in message and "zh-Hans" in message
    assert "ops.channel is not a setting (known: language)" in message

    alerting_policy.write_text("language: zh-Hans\nops: {language: en}\n", encoding="utf-8")
    policy = load_policy()
    assert ops_language(policy, "#mh-ops") == "en"
    assert "en" in policy.languages and "zh-Hans" in policy.languages


def test_the_failure_alert_reads_chinese_and_english_without_the_file(
    tmp_path, slack, monkeypatch, alerting_policy
) -> None:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    monkeypatch.setenv("MH_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv(conn_env_var("slack_marketing_health_ops"), slack.bot_connection())
    alerting_policy.write_text("ops: {language: zh-Hans}\n", encoding="utf-8")
    ti = SimpleNamespace(
        dag_id="marketing_health", task_id="transform.dbt_build", run_id="r1", try_number=2
    )
    context = {
        "ti": ti,
        "run_id": "r1",
        "logical_date": datetime(2026, 11, 23, 2, tzinfo=UTC),
        "exception": RuntimeError("dbt build failed"),
    }
    notify_ops_failure(context)
    alerting_policy.write_text("ops: [not, a, mapping]\n", encoding="utf-8")
    notify_ops_failure(context)

    chinese, english = slack.posts()
    assert chinese.json["blocks"][0]["text"]["text"] == "营销健康：任务 transform.dbt_build 失败"
    assert (
        "第 2 次尝试" in chinese.json["text"]
        and "RuntimeError: dbt build failed" in (chinese.json["text"])
    )
    assert "|打开任务日志>" in str(chinese.json["blocks"])
    # a broken alerting file never keeps the alert from going out: it goes in English
    assert english.json["blocks"][0]["text"]["text"] == (
        "Marketing health: task transform.dbt_build failed"
    )
