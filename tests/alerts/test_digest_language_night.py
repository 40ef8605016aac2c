# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""A whole real night of the demo's sample with the shipped alerting file, in which the
Shanghai team reads Chinese: the sample's teams deliver their own files, every stage runs
(ingest, dbt, Great Expectations, alerts) and, with no Slack connection, the outbox writes each
channel's digest to the night's files, which the demo prints. The Shanghai channel's digest is
Chinese from its title to its evidence; the Berlin team's digest of the same night stays
English."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from marketing_health.alerts.digest import build_digests
from marketing_health.alerts.policy import load_policy
from marketing_health.catalogue import load_catalogue
from marketing_health.demo import digests_to_show
from marketing_health.generate import generate_landing
from marketing_health.guards.examples import parse_examples, render_example
from marketing_health.guards.results import CHECKS_EVIDENCE_KEY, UNKNOWN_TERMS_EVIDENCE_KEY
from marketing_health.i18n import translator
from marketing_health.night import Night, run_night
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

pytestmark = pytest.mark.integration

END = date(2026, 11, 20)
SHANGHAI, BERLIN = "#growth-shanghai", "#growth-dach"
#: Keys of a result's evidence that are not evidence columns.
NOT_EXAMPLES = (CHECKS_EVIDENCE_KEY, UNKNOWN_TERMS_EVIDENCE_KEY)


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The demo's generation (seed 11, teams delivering their own files) judged on its last
    day with the repository's config (config/alerting.yaml, config/locales.yaml)."""
    paths = Paths.under(tmp_path_factory.mktemp("language-night") / "data")
    manifest = generate_landing(
        paths.landing_dir, seed=11, end_date=END, export_style="mixed", team_style="localised"
    )
    with pytest.MonkeyPatch.context() as env:
        for key in (
            "MH_SLACK_CONN_ID",
            "AIRFLOW_CONN_SLACK_MARKETING_HEALTH",
            "AIRFLOW__API__BASE_URL",
            "MH_ALERTING_CONFIG",
            "MH_LOCALES_CONFIG",
        ):
            env.delenv(key, raising=False)
        env.setenv("MH_PII_HASH_KEY", "language-night-tests-key")
        run_night(paths, Night.for_date(END))
    with connect(paths.warehouse, read_only=True) as con:
        failing = con.execute(
            "select g.guard_id, c.owner_slack_channel from guards.guard_results as g "
            "join marts.dim_campaigns as c using (campaign_id) "
            "where g.run_date = ? and g.outcome = 'fail'",
            [END.isoformat()],
        ).fetchall()
        outbox = dict(
            con.execute(
                "select channel, min(status) from alerts.outbox where run_date = ? "
                "group by channel",
                [END.isoformat()],
            ).fetchall()
        )
    alerts = paths.run_dir(END.isoformat()) / "alerts"
    yield {
        "alerts": alerts,
        "failing": failing,
        "outbox": outbox,
        "manifest": manifest,
        "paths": paths,
    }


def _digest(night: dict[str, Any], channel: str) -> str:
    """Everything the channel's digest says: each message's notification text and blocks, as
    the outbox wrote them (the Block Kit payloads Slack would get)."""
    path = night["alerts"] / f"{channel.lstrip('#')}.json"
    assert path.is_file(), f"no digest was written for {channel}"
    messages = json.loads(path.read_text("utf-8"))["messages"]
    return "\n".join(m["text"] + json.dumps(m["blocks"], ensure_ascii=False) for m in messages)


def test_the_shanghai_team_reads_the_night_in_chinese(night) -> None:
    digest = _digest(night, SHANGHAI)
    t = translator("zh-Hans")
    # the title, with the night's date as Chinese write it, and the framing words
    assert "营销健康（2026年11月20日）：" in digest and "个营销活动需要关注" in digest
    for words in (
        "*发现：*",
        "*处理建议：*",
        "*为何重要：*",
        "今晚新出现",
        "负责团队：上海增长团队",
    ):
        assert words in digest, words
    assert "打开健康报告" in digest and "?lang=zh-Hans" in digest
    # every pitfall failing for the team, under its Chinese title from catalogue.po
    catalogue = load_catalogue()
    guards = sorted({g for g, channel in night["failing"] if channel == SHANGHAI})
    assert guards
    for guard_id in guards:
        title = catalogue[guard_id].title
        assert t.translate(title) != title, f"{guard_id}'s title is translated in catalogue.po"
        assert f"{guard_id} {t.translate(title)}" in digest
    for english in ("Marketing health", "Seen:", "What to do:", "new tonight", "Owner team"):
        assert english not in digest, english


def test_the_berlin_team_reads_the_same_night_in_english(night) -> None:
    digest = _digest(night, BERLIN)
    assert "Marketing health \u2013 Nov 20, 2026:" in digest
    for words in ("*Seen:*", "*What to do:*", "new tonight", "Open the health report"):
        assert words in digest, words
    assert "?lang=en" in digest
    for chinese in ("营销健康", "发现：", "处理建议", "负责团队", "2026年11月20日"):
        assert chinese not in digest, chinese


def test_the_outbox_wrote_both_and_the_demo_prints_the_chinese_one(night) -> None:
    assert night["outbox"][SHANGHAI] == "written" and night["outbox"][BERLIN] == "written"
    shown = digests_to_show(night["alerts"], night["manifest"])
    assert {p.name for p in shown} >= {"growth-shanghai.txt", "growth-dach.txt"}
    printed = (night["alerts"] / "growth-shanghai.txt").read_text("utf-8")
    assert printed.startswith("营销健康（2026年11月20日）：")
    assert "发现：" in printed and "处理建议：" in printed
    assert any(name in printed for name in ("双十一", "年货节", "开学季", "春日"))


def _examples_for(night: dict[str, Any], channel: str) -> list[tuple[str, str, list[dict]]]:
    """(guard, column, example objects) of every failing result of the channel's campaigns
    whose evidence names examples (a column holding a list of objects with a kind)."""
    with connect(night["paths"].warehouse, read_only=True) as con:
        rows = con.execute(
            "select g.guard_id, g.evidence::varchar from guards.guard_results as g "
            "join marts.dim_campaigns as c using (campaign_id) "
            "where g.run_date = ? and g.outcome = 'fail' and c.owner_slack_channel = ?",
            [END.isoformat(), channel],
        ).fetchall()
    found = []
    for guard_id, evidence in rows:
        for column, value in json.loads(evidence or "{}").items():
            examples = parse_examples(value) if column not in NOT_EXAMPLES else None
            if examples:
                found.append((guard_id, column, examples))
    return found


def _built_digest(night: dict[str, Any], channel: str, language: str) -> str:
    """The night's digest for ``channel`` as its team would get it with ``language`` set for
    the channel in the alerting file: built again from the night's real results."""
    policy = load_policy()
    policy = replace(policy, channel_languages={**policy.channel_languages, channel: language})
    with connect(night["paths"].warehouse, read_only=True) as con:
        digests = build_digests(con, END.isoformat(), policy=policy, interactive=False)
    return "\n".join(
        m.text + json.dumps(m.blocks, ensure_ascii=False)
        for d in digests
        if d.channel == channel
        for m in d.messages
    )


#: English words of the examples as the signal marts used to write them: P01, P04, P06, P08
#: and P09's silent channels, P05's "instagram post 123 by @mia", P09's "28 social post-days
#: on facebook" and spellings, P12's "send E7 (health)", P19's "price tier luxury vs mass",
#: P20's "promotion PR-2 by our brand", P21's "SKU-1 (3 days)", P22's "no signed contract".
ENGLISH_EXAMPLE_WORDS = (
    "silent since",
    "never ran",
    "(due ",
    "% vs ",
    "creators on",
    "overlap ",
    "flags:",
    "short_video",
    " post ",
    "on the brand account",
    " by ",
    " vs ",
    " day",
    "post-day",
    "send ",
    " sends",
    "promotion ",
    "price tier",
    "target segment",
    "conflicting value",
    "signed contract",
    "success metrics",
    "exit conditions",
)


def test_the_shanghai_digest_has_no_english_example_words(night) -> None:
    digest = _digest(night, SHANGHAI)
    for english in ENGLISH_EXAMPLE_WORDS:
        assert english not in digest, english


def test_a_chinese_digest_writes_the_nights_examples_in_chinese(night) -> None:
    """Silent channels, creators to review, late deliverables: stored as data by the signal
    marts and written in Chinese, dates and percentages the Chinese way, for a channel whose
    team reads Chinese (the EMEA channel has this night's failing examples)."""
    channel = "#growth-emea"
    examples = _examples_for(night, channel)
    kinds = {e["kind"] for _, _, listed in examples for e in listed}
    assert {"silent_channel", "misfit_creator", "underperforming_creator"} <= kinds, kinds
    chinese = _built_digest(night, channel, "zh-Hans")
    t = translator("zh-Hans")
    for english in ENGLISH_EXAMPLE_WORDS:
        assert english not in chinese, english
    for _, _, listed in examples:
        for example in listed:
            assert render_example(example, t) in chinese, render_example(example, t)
    assert "截至当晚" in chinese and "天）" in chinese and "年10月" in chinese
    assert "受众重合度 0.33" in chinese and "互动率 1.1%" in chinese
    english = _built_digest(night, channel, "en")
    assert "silent since Oct" in english and " vs " in english and "(overlap 0.33)" in english
    assert "截至" not in english
