"""Social-tool post exports (Meta Business Suite, Sprout Social, TikTok Studio) loaded through
the real pipeline. The campaign of a post is found through the campaign plan in the landing
zone: by id, utm_campaign or hashtag."""

from __future__ import annotations

import pytest
from export_files import landing_file, load, query, write_export, write_plan

PLAN = [
    ("CMP-0001", "spring_run_de_0001", "#RunTheCity"),
    ("CMP-0002", "cold_brew_pl_0002", "#ColdBrewSummer"),
]
MBS_HEADER = [
    "Post ID", "Account ID", "Account username", "Account name", "Description",
    "Duration (sec)", "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views",
    "Reach", "Likes", "Shares", "Follows", "Comments", "Saves",
]  # fmt: skip
MBS_ROWS = [
    ["18045123456789012", "17841400000000001", "northwind", "Northwind", "Ready? #RunTheCity #ad",
     "15", "11/18/2026 18:05", "https://www.instagram.com/reel/C5BE3717432/", "IG reel", "",
     "Lifetime", "12,400", "9,800", "1,020", "44", "3", "58", "91"],
    ["18045123456789013", "17841400000000001", "northwind", "Northwind",
     "Shop the brew https://shop.example/cold?utm_source=ig&utm_campaign=cold_brew_pl_0002",
     "", "11/19/2026 09:00", "https://www.instagram.com/p/C5BE3717433/", "IG image", "",
     "Lifetime", "3,000", "2,500", "210", "5", "0", "12", "20"],
    ["1045780000902766", "104578000000", "", "Northwind", "CMP-0001 kickoff at the park",
     "", "11/19/2026 12:30", "https://www.facebook.com/104578000000/posts/1045780000902766",
     "Photos", "", "Lifetime", "800", "650", "40", "2", "", "6", ""],
]  # fmt: skip


def _posts(paths):
    return query(
        paths,
        "SELECT post_date::VARCHAR, platform, post_id, campaign_id, post_format, impressions, "
        "likes, comments, shares, brand_replies, utm_campaign, is_sponsored, has_disclosure "
        "FROM raw.social_posts ORDER BY post_id",
    )


EXPECTED = [
    ("2026-11-19", "facebook", "1045780000902766", "CMP-0001", "image", 800, 40, 6, 2, 0, None,
     False, False),
    ("2026-11-18", "instagram", "18045123456789012", "CMP-0001", "short_video", 12400, 1020, 58,
     44, 0, None, False, True),
    ("2026-11-19", "instagram", "18045123456789013", "CMP-0002", "image", 3000, 210, 12, 5, 0,
     "cold_brew_pl_0002", False, False),
]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh"])
def test_meta_business_suite_posts_find_their_campaign_by_hashtag_utm_or_id(paths, language):
    write_plan(paths, PLAN)
    header = MBS_HEADER
    if language == "zh":
        chinese = {"Post ID": "帖子编号", "Account ID": "帐户编号", "Description": "说明",
                   "Publish time": "发布时间", "Permalink": "永久链接", "Post type": "帖子类型",
                   "Views": "浏览次数", "Reach": "覆盖人数", "Likes": "赞", "Shares": "分享",
                   "Comments": "评论"}  # fmt: skip
        header = [chinese.get(h, h) for h in MBS_HEADER]
    write_export(
        landing_file(paths, "social_posts", "ig.csv"), [header, *MBS_ROWS], encoding="utf-8-sig"
    )

    (staged,) = load(paths, "social_posts")["social_posts"]

    assert staged.export_format == "Meta Business Suite content export (posts)"
    assert _posts(paths) == EXPECTED


def test_a_post_whose_campaign_cannot_be_found_is_quarantined_naming_the_description(paths):
    write_plan(paths, PLAN)
    rows = [list(r) for r in MBS_ROWS]
    rows[2][4] = "Nothing to see here"
    write_export(landing_file(paths, "social_posts", "fb.csv"), [MBS_HEADER, *rows])

    (staged,) = load(paths, "social_posts")["social_posts"]

    assert staged.rows_valid == 2 and staged.rows_quarantined == 1
    (reason,) = query(paths, "SELECT reason FROM ops.quarantine")[0]
    assert reason.startswith("social_posts/2026-11-20/fb.csv, row 4, column 'Description'")


def test_sprout_post_performance_reads_am_pm_dates_tags_and_thousands(paths):
    rows = [
        ["Date", "Post ID", "Network", "Post Type", "Content Type", "Profile", "Post", "Link",
         "Tags", "Impressions", "Organic Impressions", "Paid Impressions", "Reach",
         "Engagement Rate (per Impression)", "Engagements", "Reactions", "Likes", "Comments",
         "Shares", "Saves", "Post Link Clicks"],
        ["11/19/2026 9:05 pm", "7200000000792351383", "TikTok", "Post", "Video", "northwind",
         "Cold brew in 10 seconds", "https://www.tiktok.com/@northwind/video/7200000000792351383",
         "CMP-0002", "25,310", "25,310", "0", "20,000", "4.1%", "1,040", "", "980", "40", "20",
         "15", "0"],
        ["11/18/2026 8:00 am", "", "LinkedIn", "Post", "Link", "Northwind",
         "We are hiring #sponsored", "https://www.linkedin.com/feed/update/urn:li:activity:7000001",
         "", "1,200", "1,200", "0", "900", "2%", "24", "20", "", "3", "1", "", "5"],
    ]  # fmt: skip
    write_plan(paths, [*PLAN, ("CMP-0003", "hiring_0003", "")])
    rows[2][8] = "Employer brand, CMP-0003"
    write_export(landing_file(paths, "social_posts", "sprout.csv"), rows)

    (staged,) = load(paths, "social_posts")["social_posts"]

    assert staged.export_format == "Sprout Social post performance report"
    assert _posts(paths) == [
        ("2026-11-19", "tiktok", "7200000000792351383", "CMP-0002", "video", 25310, 980, 40, 20,
         0, None, False, False),
        ("2026-11-18", "linkedin", "urn:li:activity:7000001", "CMP-0003", "link", 1200, 20, 3, 1,
         0, None, False, True),
    ]  # fmt: skip


def test_tiktok_dates_without_a_year_take_the_year_of_the_delivery(paths):
    write_plan(paths, PLAN, day="2027-01-02")
    rows = [
        ["Video title", "Video link", "Post time", "Total likes", "Total comments",
         "Total shares", "Total views"],
        ["Cold brew at dawn #ColdBrewSummer", "https://www.tiktok.com/@nw/video/7311111111111111111",
         "December 30", "1,200", "30", "12", "48,000"],
        ["New year, new brew #ColdBrewSummer", "https://www.tiktok.com/@nw/video/7311111111111111112",
         "January 1", "800", "10", "4", "20,000"],
    ]  # fmt: skip
    write_export(landing_file(paths, "social_posts", "tiktok.csv", "2027-01-02"), rows)

    (staged,) = load(paths, "social_posts")["social_posts"]

    assert staged.export_format == "TikTok Studio content export (videos)"
    days = query(paths, "SELECT post_date::VARCHAR, impressions FROM raw.social_posts ORDER BY 1")
    assert days == [("2026-12-30", 48000), ("2027-01-01", 20000)]
