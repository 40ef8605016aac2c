# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""Slack's limits hold in every script: lengths counted as Slack counts them, text cut only
between words, at Chinese punctuation or between Chinese characters, never inside what a reader
sees as one character (an accented letter, a flag, an emoji with its skin tone or a family)."""

from __future__ import annotations

import json
import unicodedata

from marketing_health.alerts import build_digests
from marketing_health.alerts.blocks import (
    HEADER_TEXT_LIMIT,
    MAX_BLOCKS,
    SECTION_TEXT_LIMIT,
    escape,
    header_block,
    split_text,
)
from marketing_health.alerts.graphemes import graphemes, slack_length
from marketing_health.alerts.policy import parse_policy
from marketing_health.warehouse import connect

FAMILY = "👩‍👩‍👧‍👦"  # four people joined by zero-width joiners: one character on screen
CODER = "👩🏽‍💻"  # woman, skin tone, joiner, laptop
FLAG = "🇨🇳"  # two regional indicators
ACCENTED = "e\u0301"  # e and a combining acute accent
SENTENCE = "双十一前夕，陪老用户把日常好物一次焕新；达人笔记要写清合作标识。"


def _whole(pieces: list[str], unit: str) -> bool:
    """Every piece is made of whole units (the units are the only thing in the text)."""
    return all(p and len(p) % len(unit) == 0 and p == unit * (len(p) // len(unit)) for p in pieces)


def test_slack_length_counts_what_slack_counts() -> None:
    assert slack_length("营销") == 2
    assert slack_length(FLAG) == 4  # two code points outside the BMP, two UTF-16 units each
    assert slack_length(CODER) == 7
    assert [len(list(graphemes(x))) for x in (FAMILY, CODER, FLAG + FLAG, ACCENTED, "한국")] == [
        1,
        1,
        2,
        1,
        2,
    ]
    assert "".join(graphemes("a" + FAMILY + ACCENTED + "\r\n" + FLAG)) == (
        "a" + FAMILY + ACCENTED + "\r\n" + FLAG
    )


def test_chinese_without_spaces_is_cut_at_the_end_of_a_sentence() -> None:
    text = SENTENCE * 200  # about 6400 characters, no space anywhere
    pieces = split_text(text, SECTION_TEXT_LIMIT)
    assert len(pieces) == 3 and "".join(pieces) == text
    assert all(slack_length(p) <= SECTION_TEXT_LIMIT for p in pieces)
    assert all(p.endswith("。") for p in pieces)


def test_chinese_without_punctuation_is_cut_between_two_characters() -> None:
    text = "营销活动达人种草曝光转化" * 500
    pieces = split_text(text, 1000)
    assert "".join(pieces) == text and all(slack_length(p) <= 1000 for p in pieces)
    assert [slack_length(p) for p in pieces[:-1]] == [1000] * (len(pieces) - 1)


def test_a_clause_end_is_preferred_to_a_cut_between_characters() -> None:
    text = "好物" * 800 + "，" + "清单" * 1200
    first, *_ = split_text(text, SECTION_TEXT_LIMIT)
    assert first == "好物" * 800 + "，"


def test_emoji_sequences_flags_and_accents_are_never_cut() -> None:
    for unit in (FAMILY, CODER, FLAG, ACCENTED, "👍🏿"):
        text = unit * 2000
        pieces = split_text(text, SECTION_TEXT_LIMIT)
        assert len(pieces) > 1 and "".join(pieces) == text, unit
        assert _whole(pieces, unit), unit
        assert all(slack_length(p) <= SECTION_TEXT_LIMIT for p in pieces), unit
    # a flag run cut after an odd number of indicators would turn every flag after it wrong
    flags = FLAG * 1000
    assert all(len(p) % 2 == 0 for p in split_text(flags, 999))
    # no piece starts with a combining mark, a joiner or a skin tone
    for piece in split_text((ACCENTED + CODER) * 800, 1001):
        assert unicodedata.category(piece[0]) not in ("Mn", "Me", "Mc")
        assert piece[0] not in ("\u200d", "🏽")


def test_mixed_scripts_are_cut_between_words() -> None:
    words = ["Launch", "双十一焕新季", "حملة", "Kampagne", "キャンペーン", "캠페인", CODER, "Ωmega"]
    text = " ".join(words * 300)
    pieces = split_text(text, SECTION_TEXT_LIMIT)
    assert len(pieces) > 1 and " ".join(pieces) == text
    allowed = set(words)
    for piece in pieces:
        assert set(piece.split(" ")) <= allowed
        assert slack_length(piece) <= SECTION_TEXT_LIMIT


def test_a_long_header_is_shortened_on_a_character_boundary() -> None:
    text = "营销健康（2026年11月22日）：" + CODER * 40
    block = header_block(text)["text"]["text"]
    assert slack_length(block) <= HEADER_TEXT_LIMIT and block.endswith("…")
    assert block[:-1].endswith(CODER)


def test_a_long_chinese_night_stays_within_slack_limits_and_loses_nothing(warehouse) -> None:
    name = f"春节 <!here> {FAMILY} 好物 & 家人 {FLAG}"
    evidence = "".join(f"第{i}条笔记未标注广告，达人@李娜{CODER}。" for i in range(900))
    warehouse.campaign("BIG", name, brand="小红书 & 微博", team="上海增长团队", channel="#cn")
    warehouse.result("P05", "BIG", evidence)
    for i in range(40):
        warehouse.campaign(
            f"C{i:02d}", f"年货节 {i:02d} {FLAG}", team="上海增长团队", channel="#cn"
        )
        warehouse.result("P09", f"C{i:02d}", f"整合度 0.{i:02d}：" + "渠道没有同时上线。" * 30)
    policy = parse_policy({"teams": {"上海增长团队": {"language": "zh-Hans"}}})
    with connect(warehouse.path, read_only=True) as con:
        (digest,) = build_digests(con, warehouse.run_date, policy=policy)

    assert digest.language == "zh-Hans" and len(digest.messages) > 1
    sections: list[str] = []
    for n, message in enumerate(digest.messages, start=1):
        assert len(message.blocks) <= MAX_BLOCKS
        header = message.blocks[0]["text"]["text"]
        assert slack_length(header) <= HEADER_TEXT_LIMIT
        assert header.endswith(f"（第 {n}/{len(digest.messages)} 部分）")
        for block in message.blocks:
            if block["type"] == "section":
                text = block["text"]["text"]
                assert 0 < slack_length(text) <= SECTION_TEXT_LIMIT
                sections.append(text)
    joined = "".join(sections)
    # every sentence of the long evidence arrives, each whole
    for i in range(900):
        assert f"第{i}条笔记未标注广告，达人@李娜{CODER}。" in joined
    # the name is escaped and whole, emoji and all, in the heading
    assert f"*{escape(name)}*" in joined
    payload = json.dumps([m.payload() for m in digest.messages], ensure_ascii=False)
    assert "<!here>" not in payload and "&lt;!here&gt;" in payload
    assert FAMILY in payload and "小红书 &amp; 微博" in payload
    for i in range(40):
        assert f"年货节 {i:02d} {FLAG}" in joined
