"""Alert summaries in the team's language: plurals by the language's rule, numbers, percentages
and money in the locale's form, and a catalogue that cannot bring back "creator(s)"."""

from __future__ import annotations

import copy
import datetime as dt
import gettext
import re
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest
from babel import Locale

from marketing_health.catalogue import CatalogueError, Sentence, Summary, load_catalogue
from marketing_health.catalogue.model import format_value, parse_catalogue
from marketing_health.guards.evidence import render_summary, summary_from_evidence
from marketing_health.guards.results import campaign_results
from marketing_health.guards.suites import KEY_COLUMN, threshold_column
from marketing_health.i18n import Translator, translator

from .guard_case import FIVE_GUARDS_FILE

EN = translator(None)
ZH = translator("zh-Hans")
CATALOGUE = load_catalogue()
CJK = re.compile(r"[\u4e00-\u9fff]")


def _privacy(n: int, window_days: int = 7) -> dict[str, Any]:
    return {
        "sends_without_consent": n,
        "sends_after_opt_out": n,
        "raw_personal_data_found": n,
        "window_days": window_days,
    }


def test_english_plural_follows_each_count() -> None:
    guard = CATALOGUE["P13"].guard
    assert render_summary(guard, _privacy(1), EN) == (
        "In the last 7 days 1 recipient was mailed without recorded consent. 1 recipient was "
        "mailed after opting out. 1 raw e-mail address or phone number was found in exports."
    )
    assert render_summary(guard, _privacy(2), EN) == (
        "In the last 7 days 2 recipients were mailed without recorded consent. 2 recipients "
        "were mailed after opting out. 2 raw e-mail addresses or phone numbers were found in "
        "exports."
    )


def test_chinese_summary_in_chinese_words_and_chinese_number_format() -> None:
    text = render_summary(CATALOGUE["P13"].guard, _privacy(12345), ZH)
    assert text == (
        "近 7 天有 12,345 位收件人在没有同意记录的情况下收到了邮件。"
        "有 12,345 位收件人在退订后仍收到了邮件。导出文件中发现 12,345 个明文邮箱地址或手机号。"
    )
    one = render_summary(CATALOGUE["P13"].guard, _privacy(1), ZH)
    assert "有 1 位收件人在退订后仍收到了邮件。" in one


def test_days_take_the_plural_of_the_language() -> None:
    assert format_value(1, "days", EN) == "1 day"
    assert format_value(2.0, "days", EN) == "2 days"
    assert format_value(2, "days", ZH) == "2 天"
    assert format_value(26.25, "hours", ZH) == "26.2 小时"
    assert format_value(None, "count", ZH) == "无数据"
    guard = CATALOGUE["P04"].guard
    row = {"late_deliverables": 0, "deliverables_28d": 5, "max_feedback_days": 1}
    assert "waited up to 1 day for feedback" in render_summary(guard, row, EN)
    assert "最长等待了 1 天才收到反馈" in render_summary(guard, row, ZH)


def test_a_tuned_window_reads_in_the_summary() -> None:
    """{window_days:days}: the campaign's own window, with the language's plural."""
    guard = CATALOGUE["P13"].guard
    assert render_summary(guard, _privacy(2, window_days=1), EN).startswith(
        "In the last 1 day 2 recipients were mailed"
    )
    assert render_summary(guard, _privacy(2, window_days=14), ZH).startswith("近 14 天有 2 位")
    with pytest.raises(CatalogueError, match="format must be one of"):
        parse_catalogue(_five_guards_with(["{declared_kpis:weeks} KPIs"]))


def _with_summary(text: str) -> Any:
    return replace(CATALOGUE["P03"].guard, summary=Summary((Sentence(text=text),)))


def test_format_specs_follow_the_locale() -> None:
    guard = _with_summary(
        "{nano_micro_spend_share:.1%} / {creators:,.0f} / {mid_plus_creators:.2f}"
    )
    row = {"nano_micro_spend_share": 0.125, "creators": 1234567.4, "mid_plus_creators": 0.5}
    assert render_summary(guard, row, EN) == "12.5% / 1,234,567 / 0.50"
    assert render_summary(guard, row, ZH) == "12.5% / 1,234,567 / 0.50"
    # a locale that writes numbers differently: German decimal comma and spaced percent sign
    german = Translator("de", Locale.parse("de"), gettext.NullTranslations())
    assert render_summary(guard, row, german) == "12,5\u00a0% / 1.234.567 / 0,50"
    signed = _with_summary("{nano_micro_spend_share:+.0%}")
    assert render_summary(signed, {"nano_micro_spend_share": 0.2}, EN) == "+20%"
    assert render_summary(signed, {"nano_micro_spend_share": -0.2}, EN) == "-20%"


def test_money_carries_the_currency_of_the_data() -> None:
    guard = CATALOGUE["P17"].guard
    row = {
        "reserve_share": 0.05,
        "committed": 380000.0,
        "budget": 400000.0,
        "reserve_budget": 0.0,
        "currency": "CNY",
    }
    assert render_summary(guard, row, ZH) == (
        "预算中仍有 5% 未锁定：总预算 ¥400,000，迄今已锁定 ¥380,000（计划中的预留：¥0）。"  # noqa: RUF001
    )
    assert render_summary(guard, {**row, "currency": "EUR"}, EN) == (
        "5% of the budget is still free: €380,000 of €400,000 committed so far "
        "(reserve in the plan: €0)."
    )
    # no currency in the row: plain numbers, never a guessed currency
    assert "380,000 of 400,000 committed" in render_summary(guard, {**row, "currency": None}, EN)


def test_a_passing_sub_check_does_not_pad_a_failing_alert() -> None:
    guard = CATALOGUE["P05"].guard
    row = {
        "undisclosed_sponsored_posts": 2,
        "sponsored_posts": 5,
        "undisclosed_examples": "instagram post 123 by @mia",
        "suspicious_posts": 0,
        "max_engagement_z": 1.2,
        "window_days": 7,
        "suspicious_engagement_z": 3.0,
    }
    text = render_summary(guard, row, EN)
    assert text == (
        "2 sponsored posts out of 5 published in the last 7 days lack a disclosure (no "
        "paid-partnership label, no #ad or similar in the text). Examples: instagram post 123 "
        "by @mia."
    )
    row["suspicious_posts"] = 1
    row["max_engagement_z"] = 4.25
    assert render_summary(guard, row, EN).endswith(
        "1 creator post engages far more than posts of its creator tier on its platform usually "
        "do (highest score 4.2; above 3 suggests bought engagement)."
    )


def test_unless_shows_what_is_missing() -> None:
    guard = CATALOGUE["P18"].guard
    row = {"story_elements": 1, "has_storyline": 1, "has_hashtag": 0}
    assert render_summary(guard, row, EN) == (
        "The plan gives the campaign 1 of the 2 story elements (a storyline and a hashtag). "
        "The hashtag is missing."
    )
    assert render_summary(guard, row, ZH).endswith("缺少话题标签。")


def _signal_row(pitfall_id: str) -> dict[str, Any]:
    """A plausible signal row for any guard: counts 3, shares 0.25, texts named."""
    guard = CATALOGUE[pitfall_id].guard
    row: dict[str, Any] = {KEY_COLUMN: "C-1"}
    numeric = {c.column for c in guard.checks} | set(guard.unknown_columns)
    for column in [*guard.signal_columns, *guard.summary.columns()]:
        if column in numeric:
            row[column] = 0.25 if "share" in column or "rate" in column else 3
        elif column == guard.currency:
            row[column] = "CNY"
        elif any(w in column for w in ("share", "rate", "cvr", "roi", "uplift", "overlap")):
            row[column] = 0.25
        elif any(w in column for w in ("examples", "names", "terms", "tokens", "spelling")):
            row[column] = "双十一预热, @小美"
        elif column in ("formats_tried", "formats_to_try", "least_synced_partner", "hashtag"):
            row[column] = "双十一预热"
        elif column in ("attribution_model", "missing_elements", "silent_channels"):
            row[column] = "linear"
        elif column == "untracked_links":
            row[column] = "email 3"
        else:
            row[column] = 3
    for check in guard.checks:
        row[threshold_column(check.column)] = check.threshold
    return row


@pytest.mark.parametrize("pitfall", CATALOGUE.guarded, ids=lambda p: p.id)
def test_every_summary_reads_in_chinese(pitfall) -> None:
    row = _signal_row(pitfall.id)
    english, chinese = (
        render_summary(pitfall.guard, row, EN),
        render_summary(pitfall.guard, row, ZH),
    )
    assert CJK.search(chinese) and chinese != english
    assert "{" not in chinese and "(s)" not in english
    assert chinese.endswith("。") and " 。" not in chinese
    # names in any script stay as written
    assert ("双十一预热" in chinese) == ("双十一预热" in english)


@pytest.mark.parametrize("pitfall", CATALOGUE.guarded, ids=lambda p: p.id)
def test_a_stored_night_re_renders_in_the_readers_language(pitfall) -> None:
    """guard_results keeps the English summary; its evidence rebuilds it in Chinese."""
    row = _signal_row(pitfall.id)
    (result,) = campaign_results(
        pitfall,
        pd.DataFrame([row]),
        {},
        run_date=dt.date(2026, 11, 11),
        run_id="run-1",
        evaluated_at=dt.datetime(2026, 11, 12, 2, 0),
    )
    assert result.summary.startswith(render_summary(pitfall.guard, row, EN))
    again = summary_from_evidence(pitfall.guard, result.evidence, ZH)
    assert again == render_summary(pitfall.guard, row, ZH)
    assert summary_from_evidence(pitfall.guard, None, ZH) is None


def _five_guards_with(summary: Any) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(FIVE_GUARDS_FILE.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["pitfalls"][0]["guard"]["summary"] = summary
    return data


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("{declared_kpis} KPI(s) declared.", r"P02\.guard\.summary\[0\].*'\(s\)'"),
        (
            [{"count": "declared_kpis", "one": "1 KPI", "other": "{declared_kpis} address(es)"}],
            r"'\(s\)'",
        ),
        (["{declared_kpis:.3g} KPIs"], r"format must be one of"),
        ([{"count": "declared_kpis", "one": "{declared_kpis} KPI"}], r"needs count, one and other"),
        ([{"text": "x", "if": "declared_kpis"}], r"unknown key\(s\) \['if'\]"),
        ([{"text": "x", "when": "budget"}], r"summary quotes \['budget'\], not in evidence"),
        (["{vanity_kpis:money}"], r"must name the evidence column holding their currency"),
        ([], r"must be a sentence or a list of sentences"),
    ],
)
def test_the_loader_refuses_english_only_plurals_and_unknown_forms(summary, message) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(_five_guards_with(summary))


def test_no_catalogue_summary_uses_an_english_only_plural() -> None:
    for pitfall in CATALOGUE.guarded:
        for message in pitfall.guard.summary.messages():
            for text in message if isinstance(message, tuple) else (message,):
                assert not re.search(r"\w\((s|es)\)", text), (pitfall.id, text)
