"""Platforms, post formats and yes/no read through the vocabularies at ingest: real files staged
and published into a real DuckDB warehouse.

A known name in any language loads as the vocabulary's id; an unknown platform or format loads
as written (normalised), never quarantined, so the unknown-term listing finds it in raw.*;
yes and no in the team's language load as booleans, anything else is still a type error
naming file, row and column.
"""

from __future__ import annotations

import json

import pytest
from ingest_support import DAY, landing_path, ledger, query, rows, write_csv

from marketing_health.ingest import publish, stage_source


def _night(paths, key, *sources: str):
    for source in sources:
        stage_source(source, paths, "night-1", key)
    return publish(paths, "night-1")


def _quarantine(paths) -> list[tuple]:
    return query(paths, "SELECT row_number, column_name, reason FROM ops.quarantine ORDER BY 1")


def test_chinese_and_english_platform_and_format_names_load_as_ids(paths, pii_key):
    names = [
        ("抖音", "短视频"),
        ("小红书", "图文笔记"),
        ("RED", "多图"),
        ("YouTube Shorts", "Reel"),
        ("视频号", "直播"),
        (" Ocean-Engine ", "Kurzvideo"),
        ("微博", "长文"),
    ]
    data = rows("social_posts", len(names))
    for row, (platform, post_format) in zip(data, names, strict=True):
        row.update(platform=platform, post_format=post_format)
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)

    _night(paths, pii_key, "social_posts")

    assert query(
        paths, "SELECT platform, post_format FROM raw.social_posts ORDER BY _row_number"
    ) == [
        ("douyin", "short_video"),
        ("xiaohongshu", "image"),
        ("xiaohongshu", "carousel"),
        ("youtube_shorts", "short_video"),
        ("wechat_channels", "live"),
        ("douyin", "short_video"),
        ("weibo", "text"),
    ]
    assert _quarantine(paths) == []


def test_an_unknown_platform_or_format_is_loaded_as_written_not_quarantined(paths, pii_key):
    data = rows("social_posts", 3)
    data[1].update(platform="Dewu App", post_format="Live-Shopping Clip")
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)
    comments = rows("social_comments", 2)
    comments[0]["platform"] = "得物"
    write_csv(landing_path(paths, "social_comments", "comments.csv"), comments)

    _night(paths, pii_key, "social_posts", "social_comments")

    assert _quarantine(paths) == []
    assert query(
        paths, "SELECT platform, post_format FROM raw.social_posts WHERE _row_number = 2"
    ) == [("dewu_app", "live_shopping_clip")]
    assert query(paths, "SELECT platform FROM raw.social_comments WHERE _row_number = 1") == [
        ("得物",)
    ]
    assert {(e["rows_loaded"], e["rows_quarantined"]) for e in ledger(paths)} == {(3, 0), (2, 0)}


def test_a_team_vocabulary_makes_its_platform_known(paths, pii_key, tmp_path, monkeypatch):
    team = tmp_path / "config" / "vocabularies"
    team.mkdir(parents=True)
    (team / "platforms.yaml").write_text(
        "platforms:\n  dewu:\n    label: Dewu\n    channels: [social, influencer]\n"
        "    formats: [image, short_video]\n    names: {en: [dewu app], zh-Hans: [得物]}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("MH_VOCABULARIES_DIR", str(team))
    data = rows("social_posts", 2)
    data[0]["platform"], data[1]["platform"] = "Dewu App", "得物"
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)

    _night(paths, pii_key, "social_posts")

    assert query(paths, "SELECT DISTINCT platform FROM raw.social_posts") == [("dewu",)]


def test_an_ad_platform_in_social_posts_loads_as_that_platform(paths, pii_key):
    """A platform outside its usual channel is the file's record: loaded, documented, not
    quarantined (docs/landing-contract.md, "A platform outside its channel")."""
    posts = rows("social_posts", 1)
    posts[0]["platform"] = "百度"
    write_csv(landing_path(paths, "social_posts", "posts.csv"), posts)
    ads = rows("paid_ads", 2)
    ads[0]["platform"], ads[1]["platform"] = "巨量引擎", "Baidu"
    write_csv(landing_path(paths, "paid_ads", "ads.csv"), ads)

    _night(paths, pii_key, "social_posts", "paid_ads")

    assert query(paths, "SELECT platform FROM raw.social_posts") == [("baidu",)]
    assert query(paths, "SELECT platform FROM raw.paid_ads ORDER BY _row_number") == [
        ("douyin",),
        ("baidu",),
    ]
    assert _quarantine(paths) == []


def test_two_spellings_of_one_platform_are_one_key(paths, pii_key):
    data = rows("social_posts", 2)
    data[1] = dict(data[0], platform="douyin", likes="999")
    data[0]["platform"] = "抖音"
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)

    _night(paths, pii_key, "social_posts")

    file = f"social_posts/{DAY}/posts.csv"
    ((row, column, reason),) = _quarantine(paths)
    assert (row, column) == (2, "post_date, platform, post_id")
    assert reason.startswith(f"{file}, row 3, columns 'post_date', 'platform', 'post_id': repeats")
    assert "platform douyin" in reason
    assert query(paths, "SELECT platform, likes FROM raw.social_posts") == [("douyin", 10)]


@pytest.mark.parametrize(
    ("sponsored", "disclosed", "expected"),
    [
        ("是", "已标注", (True, True)),
        ("有", "未标注", (True, False)),
        ("否", "无", (False, False)),
        ("Ja", "Nein", (True, False)),
        ("nein", "ja", (False, True)),
        ("oui", "non", (True, False)),
        ("Sí", "no", (True, False)),
        ("TRUE", "0", (True, False)),
        ("yes", "f", (True, False)),
    ],
)
def test_yes_and_no_in_the_teams_language_load_as_booleans(
    paths, pii_key, sponsored, disclosed, expected
):
    data = rows("social_posts", 1)
    data[0].update(is_sponsored=sponsored, has_disclosure=disclosed)
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)

    _night(paths, pii_key, "social_posts")

    assert _quarantine(paths) == []
    assert query(paths, "SELECT is_sponsored, has_disclosure FROM raw.social_posts") == [expected]


def test_a_word_that_is_not_yes_or_no_is_quarantined_naming_file_row_and_column(paths, pii_key):
    partners = rows("partners", 3)
    partners[0]["contract_signed"] = "已签署"
    partners[1]["contract_signed"] = "vielleicht"
    partners[2]["contract_signed"] = "Nein"
    write_csv(landing_path(paths, "partners", "partners.csv"), partners)

    _night(paths, pii_key, "partners")

    file = f"partners/{DAY}/partners.csv"
    ((row, column, reason),) = _quarantine(paths)
    assert (row, column) == (2, "contract_signed")
    assert reason.startswith(
        f"{file}, row 3, column 'contract_signed': 'vielleicht' is not yes or no (write "
        "true/false, yes/no, 1/0 or a word of the yes/no vocabulary"
    )
    assert "config/vocabularies/yes_no.yaml" in reason
    (record,) = query(paths, "SELECT record FROM ops.quarantine")[0]
    assert json.loads(record)["contract_signed"] == "vielleicht"
    assert query(paths, "SELECT _row_number, contract_signed FROM raw.partners ORDER BY 1") == [
        (1, True),
        (3, False),
    ]


def test_a_team_adds_its_own_yes_word(paths, pii_key, tmp_path, monkeypatch):
    team = tmp_path / "vocabularies"
    team.mkdir()
    (team / "yes_no.yaml").write_text(
        'values:\n  "true": {de: [jawohl]}\n  "false": {zh-Hans: [没]}\n', encoding="utf-8"
    )
    monkeypatch.setenv("MH_VOCABULARIES_DIR", str(team))
    data = rows("social_posts", 1)
    data[0].update(is_sponsored="Jawohl", has_disclosure="没")
    write_csv(landing_path(paths, "social_posts", "posts.csv"), data)

    _night(paths, pii_key, "social_posts")

    assert query(paths, "SELECT is_sponsored, has_disclosure FROM raw.social_posts") == [
        (True, False)
    ]
