# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""Digests in the team's language: which language a channel reads, how a wrong setting is
refused, and what a Chinese and an English digest of the same night say."""

from __future__ import annotations

import pytest

from marketing_health.alerts import build_digests
from marketing_health.alerts.digest import Finding
from marketing_health.alerts.policy import AlertingConfigError, load_policy, parse_policy
from marketing_health.alerts.render import streak_text
from marketing_health.catalogue import load_catalogue
from marketing_health.guards.evidence import summary_from_evidence
from marketing_health.i18n import supported_languages, translator
from marketing_health.settings import REPO_ROOT
from marketing_health.warehouse import connect

SHANGHAI = "上海增长团队"
#: A language Babel knows that has no translations here.
UNTRANSLATED = "sw"


def _digests(warehouse, policy) -> dict:
    with connect(warehouse.path, read_only=True) as con:
        return {d.channel: d for d in build_digests(con, warehouse.run_date, policy=policy)}


def _all_text(digest) -> str:
    parts = []
    for message in digest.messages:
        for block in message.blocks:
            if "text" in block:
                parts.append(block["text"]["text"])
            parts.extend(e["text"] for e in block.get("elements", []))
    return "\n".join(parts)


def _header(digest) -> str:
    return digest.messages[0].blocks[0]["text"]["text"]


def test_the_channel_wins_then_the_teams_when_they_agree_then_the_default() -> None:
    policy = parse_policy(
        {
            "language": "en",
            "teams": {SHANGHAI: {"language": "zh_hans"}, "Growth EMEA": {"slack_channel": "#x"}},
            "channels": {"Growth-Shanghai-Leads": {"language": "zh-Hans"}, "#emea": {}},
        }
    )
    assert policy.team(SHANGHAI).language == "zh-Hans"  # written zh_hans, read as one tag
    assert policy.channel_languages == {"#growth-shanghai-leads": "zh-Hans"}
    assert policy.languages == ("en", "zh-Hans")
    assert policy.language_for("#growth-shanghai", [SHANGHAI, SHANGHAI]) == "zh-Hans"
    assert policy.language_for("#growth-shanghai-leads", ["Growth EMEA"]) == "zh-Hans"
    # teams that disagree, or a team the file does not list next to a Chinese one: default
    assert policy.language_for("#shared", [SHANGHAI, "Growth EMEA"]) == "en"
    assert policy.language_for("#shared", [SHANGHAI, None]) == "en"
    assert policy.language_for("#nobody", []) == "en"
    chinese_default = parse_policy({"language": "zh-Hans", "teams": {"Berlin": {"language": "en"}}})
    assert chinese_default.language_for("#growth-dach", ["Berlin"]) == "en"
    assert chinese_default.language_for("#growth-dach", ["Unlisted team"]) == "zh-Hans"
    assert chinese_default.languages == ("zh-Hans", "en")


def test_the_shipped_file_gives_the_sample_shanghai_team_chinese() -> None:
    policy = load_policy(REPO_ROOT / "config" / "alerting.yaml")
    assert policy.language == "en"
    assert policy.language_for("#growth-shanghai", [SHANGHAI]) == "zh-Hans"
    assert policy.language_for("#growth-dach", ["Growth DACH"]) == "en"
    assert set(policy.languages) == {"en", "zh-Hans"}


def test_a_language_without_translations_is_refused_naming_the_key_and_the_supported(
    tmp_path,
) -> None:
    assert UNTRANSLATED not in supported_languages()
    path = tmp_path / "alerting.yaml"
    path.write_text(
        f"""
language: {UNTRANSLATED}
teams:
  {SHANGHAI}: {{language: klingon-nonsense}}
  Growth EMEA: {{language: 5}}
channels:
  "#growth-shanghai": {{language: zh-Hans, colour: red}}
  "#Growth-Shanghai": {{language: en}}
""",
        encoding="utf-8",
    )
    with pytest.raises(AlertingConfigError) as err:
        load_policy(path)
    message = str(err.value)
    supported = ", ".join(supported_languages())
    assert str(path) in message and "5 problem(s)" in message
    for expected in (
        f"language is '{UNTRANSLATED}', a language the digests cannot be written in "
        f"(supported: {supported})",
        f"marketing-health i18n update --add {UNTRANSLATED}",
        f"teams.{SHANGHAI}.language is 'klingon-nonsense', a language the digests cannot be",
        f"teams.Growth EMEA.language must be a language tag such as en or zh-Hans "
        f"(supported: {supported})",
        "channels.#growth-shanghai.colour is not a setting (known: language)",
        "channels.#Growth-Shanghai names #growth-shanghai again with another language",
    ):
        assert expected in message
    assert "zh-Hans" in supported


def _night_of_two_languages(warehouse) -> None:
    """#growth-shanghai: two campaigns of the Shanghai team; #cn-one: one campaign, Chinese by
    its channel; #growth-emea: one English campaign; #retail-us: two English campaigns."""
    (
        warehouse.campaign(
            "S1", "双十一 焕新季", brand="小红书", team=SHANGHAI, channel="#growth-shanghai"
        )
        .campaign("S2", "年货节 好物清单", brand=None, team=SHANGHAI, channel="#growth-shanghai")
        .campaign("S3", "春日 轻运动", team="Growth EMEA", channel="#cn-one")
        .campaign("E1", "Autumn Launch", channel="#growth-emea")
        .campaign("R1", "Spring Deals", team="Retail", channel="#retail-us")
        .campaign("R2", "Summer Deals", team="Retail", channel="#retail-us")
        .result("P05", "S1", "2 of 2 sponsored posts undisclosed", evidence=P05_EVIDENCE)
        .result("P02", "S2", None, evidence={"declared_kpis": 2, "vanity_kpis": 2})
        .result("P13", "S2", "1 recipient mailed without consent.")
        .result("P09", "S3", "Integration 0.2")
        .result("P05", "E1", "2 of 2 sponsored posts undisclosed", evidence=P05_EVIDENCE)
        .result("P09", "R1", "Integration 0.2")
        .result("P09", "R2", "Integration 0.1")
    )


#: Every evidence column P05 lists, so a Chinese digest can rebuild the sentence in Chinese.
P05_EVIDENCE = {
    column: 2 if "posts" in column else ("小红书 post 7 by @李娜" if "examples" in column else 1.5)
    for column in load_catalogue()["P05"].guard.evidence
}

POLICY = {
    "teams": {SHANGHAI: {"language": "zh-Hans"}},
    "channels": {"#cn-one": {"language": "zh-Hans"}},
}


def test_a_chinese_team_reads_its_digest_in_chinese_and_an_english_team_in_english(
    warehouse,
) -> None:
    _night_of_two_languages(warehouse)
    digests = _digests(warehouse, parse_policy(POLICY))
    assert {c: d.language for c, d in digests.items()} == {
        "#growth-shanghai": "zh-Hans",
        "#cn-one": "zh-Hans",
        "#growth-emea": "en",
        "#retail-us": "en",
    }
    # plural forms of both languages, one and two campaigns
    assert _header(digests["#growth-shanghai"]) == (
        "营销健康（2026年11月22日）：2 个营销活动需要关注 · 新增 3 项"
    )
    assert (
        _header(digests["#cn-one"])
        == "营销健康（2026年11月22日）：1 个营销活动需要关注 · 新增 1 项"
    )
    assert _header(digests["#growth-emea"]) == (
        "Marketing health \u2013 Nov 22, 2026: 1 campaign needs attention · 1 new"
    )
    assert _header(digests["#retail-us"]) == (
        "Marketing health \u2013 Nov 22, 2026: 2 campaigns need attention · 2 new"
    )

    zh = _all_text(digests["#growth-shanghai"])
    t = translator("zh-Hans")
    catalogue = load_catalogue()
    title = catalogue["P05"].title
    assert t.translate(title) != title, "P05's title is translated in catalogue.po"
    for words in (
        f"P05 {t.translate(title)}",
        "*发现：*",
        "*处理建议：*",
        "*为何重要：*",
        t.translate(catalogue["P13"].remediation),
        "今晚新出现",
        "负责团队：上海增长团队",
        "2 个未解决的营销陷阱（严重 2 项）",
        "活动 ID S2",
        "*双十一 焕新季* （小红书）",
        "*年货节 好物清单*",
        "打开健康报告",
        "2026年11月22日 的图表与证据",
        "?lang=zh-Hans|",
    ):
        assert words in zh, words
    # the evidence sentence rebuilt in Chinese from the stored values, not the English one
    rebuilt = summary_from_evidence(catalogue["P05"].guard, P05_EVIDENCE, t)
    assert rebuilt in zh.replace("&amp;", "&")
    assert "2 of 2 sponsored posts undisclosed" not in zh
    # a night without a sentence: the evidence under the catalogue's Chinese labels
    labels = catalogue["P02"].guard.evidence
    assert (
        f"{t.translate(labels['declared_kpis'])}：2；{t.translate(labels['vanity_kpis'])}：2" in zh
    )
    for english in ("Seen:", "What to do:", "new tonight", "Owner team", "campaign needs"):
        assert english not in zh
    notification = digests["#growth-shanghai"].messages[0].text
    assert notification.startswith("营销健康（2026年11月22日）：2 个营销活动需要关注")
    assert (
        "打开健康报告：http://localhost:8080/marketing-health/nights/2026-11-22?lang=zh-Hans"
        in (notification)
    )

    en = _all_text(digests["#growth-emea"])
    assert "2 of 2 sponsored posts undisclosed" in en and f"P05 {title}" in en
    assert "*Seen:*" in en and "Owner team: Growth EMEA" in en and "?lang=en|" in en
    for chinese in ("营销健康", "发现", "处理建议", "负责团队", "今晚", "营销陷阱", "2026年"):
        assert chinese not in en, chinese


def _finding(nights: int, **kwargs) -> Finding:
    kwargs.setdefault("failing_since", "2026-11-20" if nights > 1 else None)
    return Finding(
        guard_id="P13",
        title=load_catalogue()["P13"].title,
        severity="critical",
        rank=3,
        seen="seen",
        explanation="why",
        remediation="what",
        nights_failing=nights,
        **kwargs,
    )


def test_nights_and_dates_read_in_each_language() -> None:
    en, zh = translator("en"), translator("zh-Hans")
    assert streak_text(_finding(1), en) == "new tonight"
    assert streak_text(_finding(2), en) == "failing since Nov 20, 2026 (2 nights)"
    assert streak_text(_finding(2, worse=True, escalated=True), en) == (
        "worse than last night · failing since Nov 20, 2026 (2 nights) · escalated"
    )
    # a streak of one night that is not new (failing since tonight, read from the states)
    one = _finding(1, failing_since="2026-11-22")
    assert streak_text(one, en) == "new tonight"
    assert streak_text(_finding(2), zh) == "自 2026年11月20日 起未通过（已连续 2 晚）"
    assert streak_text(_finding(2, worse=True, escalated=True), zh) == (
        "比昨晚更严重 · 自 2026年11月20日 起未通过（已连续 2 晚） · 已升级"
    )
    assert en.ngettext("{n} campaign needs attention", "{n} campaigns need attention", 1) == (
        "1 campaign needs attention"
    )
    assert zh.ngettext("{n} campaign needs attention", "{n} campaigns need attention", 1) == (
        "1 个营销活动需要关注"
    )
