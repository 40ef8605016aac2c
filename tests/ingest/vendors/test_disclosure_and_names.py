"""Every export that reads a caption accepts the same disclosure markers, from the disclosure
markers vocabulary; platform names and yes/no in an export are read through the vocabularies
too. Real exports, staged and published into a real warehouse."""

from __future__ import annotations

import pytest
from export_files import landing_file, load, query, write_export, write_plan

PLAN = [("CMP-0001", "spring_run_de_0001", "#RunTheCity")]
#: The same captions in every export, and whether each discloses an ad on any platform.
CAPTIONS = {
    "新品上市 #广告 #RunTheCity": True,
    "Neue Laufschuhe #Werbung #RunTheCity": True,
    "限时优惠 \uff03合作 #RunTheCity": True,  # the full-width number sign of Chinese keyboards
    "Bezahlte Partnerschaft mit @nike #RunTheCity": True,
    "Unser Lauftreff, Anzeige: siehe Profil #RunTheCity": True,
    "#RunTheCity ad? #adidas #ad_campaign": False,
    "Werbungskosten sparen beim Laufen #RunTheCity": False,
    "Weekend reset #RunTheCity": False,
}
SPROUT_HEADER = [
    "Date", "Post ID", "Network", "Post Type", "Content Type", "Profile", "Post", "Link", "Tags",
    "Impressions", "Organic Impressions", "Paid Impressions", "Reach",
    "Engagement Rate (per Impression)", "Engagements", "Reactions", "Likes", "Comments",
    "Shares", "Saves", "Post Link Clicks",
]  # fmt: skip
GRIN_HEADER = [
    "Campaign", "Creator ID", "Social Handle", "Network", "Content URL", "Content Posted",
    "Followers", "Likes", "Comments", "Shares", "Saves", "Views", "Spend (USD)", "Caption",
]  # fmt: skip
MBS_HEADER = [
    "Post ID", "Account ID", "Description", "Publish time", "Permalink", "Post type", "Views",
    "Reach", "Likes", "Shares", "Comments",
]  # fmt: skip


def _tiktok(captions: list[tuple[str, str]]) -> list[list[str]]:
    header = ["Video title", "Video link", "Post time", "Total likes", "Total comments",
              "Total shares", "Total views"]  # fmt: skip
    return [header] + [
        [caption, f"https://www.tiktok.com/@nw/video/73111111111111111{i:02d}", "November 18",
         "10", "1", "1", "100"]
        for i, (_, caption) in enumerate(captions)
    ]  # fmt: skip


def _mbs(captions: list[tuple[str, str]]) -> list[list[str]]:
    return [MBS_HEADER] + [
        [f"180451234567890{i:02d}", "17841400000000001", caption, "11/18/2026 18:05",
         f"https://www.instagram.com/reel/C5BE37174{i:02d}/", "IG reel", "100", "90", "10", "1",
         "1"]
        for i, (_, caption) in enumerate(captions)
    ]  # fmt: skip


def _sprout(captions: list[tuple[str, str]]) -> list[list[str]]:
    return [SPROUT_HEADER] + [
        ["11/18/2026 9:05 am", f"72000000007923513{i:02d}", network, "Post", "Photo",
         "northwind", caption, "", "CMP-0001", "100", "100", "0", "90", "1%", "1", "", "1", "0",
         "0", "0", "0"]
        for i, (network, caption) in enumerate(captions)
    ]  # fmt: skip


def _grin(captions: list[tuple[str, str]]) -> list[list[str]]:
    return [GRIN_HEADER] + [
        ["CMP-0001 | Spring run", f"8842{i:02d}", f"@creator{i}", network,
         f"https://www.instagram.com/reel/C9A03BA{i:02d}/", "11/18/2026", "17,220", "120", "30",
         "", "10", "3,343", "314.00", caption]
        for i, (network, caption) in enumerate(captions)
    ]  # fmt: skip


#: export -> (folder, rows writer, caption column, network the test names)
EXPORTS = {
    "TikTok Studio": ("social_posts", _tiktok, "post_text", "TikTok"),
    "Meta Business Suite": ("social_posts", _mbs, "post_text", "Instagram"),
    "Sprout Social": ("social_posts", _sprout, "post_text", "Instagram"),
    "GRIN": ("influencer_posts", _grin, "caption", "Instagram"),
}


def _disclosures(paths, source: str, text: str) -> dict[str, bool]:
    return dict(query(paths, f"SELECT {text}, has_disclosure FROM raw.{source}"))


@pytest.mark.parametrize("export", list(EXPORTS))
def test_the_same_caption_is_disclosed_in_every_export_that_reads_captions(paths, export):
    source, rows, text, network = EXPORTS[export]
    write_plan(paths, PLAN)
    write_export(landing_file(paths, source, "export.csv"), rows([(network, c) for c in CAPTIONS]))

    (staged,) = load(paths, source)[source]

    assert staged.export_format and export in staged.export_format
    assert staged.rows_quarantined == 0
    assert _disclosures(paths, source, text) == CAPTIONS


@pytest.mark.parametrize(
    ("export", "caption", "disclosed_on", "not_on"),
    [
        ("GRIN", "蒲公英 好物分享 #RunTheCity", "小红书", "Instagram"),
        ("Sprout Social", "Promotional content: new shoes #RunTheCity", "TikTok", "LinkedIn"),
    ],
)
def test_a_platforms_own_label_counts_on_that_platform_only(
    paths, export, caption, disclosed_on, not_on
):
    source, rows, _, _ = EXPORTS[export]
    write_plan(paths, PLAN)
    write_export(
        landing_file(paths, source, "export.csv"),
        rows([(disclosed_on, caption), (not_on, caption)]),
    )

    load(paths, source)

    platforms = {"小红书": "xiaohongshu", "Instagram": "instagram", "TikTok": "tiktok",
                 "LinkedIn": "linkedin"}  # fmt: skip
    assert sorted(query(paths, f"SELECT platform, has_disclosure FROM raw.{source}")) == sorted(
        [(platforms[disclosed_on], True), (platforms[not_on], False)]
    )


def test_networks_are_read_through_the_platforms_vocabulary(paths):
    write_plan(paths, PLAN)
    networks = ["Instagram Business", "Twitter", "YouTube Shorts", "抖音", "Dewu App"]
    write_export(
        landing_file(paths, "influencer_posts", "grin.csv"),
        _grin([(n, "Weekend reset") for n in networks]),
    )

    (staged,) = load(paths, "influencer_posts")["influencer_posts"]

    assert staged.rows_quarantined == 0
    assert query(paths, "SELECT platform FROM raw.influencer_posts ORDER BY creator_id") == [
        ("instagram",),
        ("x",),
        ("youtube_shorts",),
        ("douyin",),
        ("dewu_app",),  # unknown: loaded as written, listed as unknown by the night
    ]


def test_meta_business_suite_post_types_are_read_through_the_formats_vocabulary(paths):
    write_plan(paths, PLAN)
    types = ["IG reel", "IG carousel", "Photos", "Videos", "Links", "Status", "快拍", "照片"]
    rows = _mbs([("", "Weekend reset #RunTheCity")] * len(types))
    for row, post_type in zip(rows[1:], types, strict=True):
        row[5] = post_type
    write_export(landing_file(paths, "social_posts", "mbs.csv"), rows)

    load(paths, "social_posts")

    assert query(paths, "SELECT platform, post_format FROM raw.social_posts ORDER BY post_id") == [
        ("instagram", "short_video"),
        ("instagram", "carousel"),
        ("facebook", "image"),
        ("facebook", "video"),
        ("facebook", "link"),
        ("facebook", "text"),
        ("facebook", "story"),
        ("facebook", "image"),
    ]


def test_creator_report_in_chinese_reads_platform_and_yes_no(paths):
    rows = [
        ["活动", "达人编号", "账号", "平台", "帖子链接", "发布日期", "粉丝数", "付费合作",
         "已标注广告", "截止日期", "费用 (CNY)", "曝光量", "点赞", "评论"],
        ["CMP-0001", "CR-1", "@lin.pao", "小红书", "https://www.xiaohongshu.com/explore/65a1",
         "2026-11-18", "52,000", "是", "否", "2026-11-19", "3,000", "40,000", "900", "80"],
        ["CMP-0001", "CR-2", "@wen.run", "抖音", "https://www.douyin.com/video/7311111111",
         "2026-11-18", "8,000", "是", "已标注", "2026-11-19", "800", "9,000", "300", "20"],
        ["CMP-0001", "CR-3", "@max.laeuft", "IG", "https://www.instagram.com/p/C5BE371/",
         "2026-11-18", "12,000", "ja", "nein", "2026-11-19", "500", "7,000", "250", "9"],
    ]  # fmt: skip
    write_export(landing_file(paths, "influencer_posts", "达人报告.csv"), rows)

    (staged,) = load(paths, "influencer_posts")["influencer_posts"]

    assert staged.export_format == "Creator report (the template of this pipeline)"
    assert staged.rows_quarantined == 0
    assert query(
        paths,
        "SELECT creator_id, platform, is_sponsored, has_disclosure FROM raw.influencer_posts "
        "ORDER BY creator_id",
    ) == [
        ("CR-1", "xiaohongshu", True, False),
        ("CR-2", "douyin", True, True),
        ("CR-3", "instagram", True, False),
    ]
