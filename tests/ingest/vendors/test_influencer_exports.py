"""Creator reports: the pipeline's own template (CSV or workbook) and GRIN's content breakdown,
loaded through the real pipeline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from export_files import landing_file, load, query, write_export, write_workbook

TEMPLATE = [
    ["Campaign", "Creator ID", "Handle", "Platform", "Post URL", "Post date", "Followers",
     "Audience", "Sponsored", "Disclosure", "Due date", "Delivered date", "Fee (EUR)",
     "Product cost", "Impressions", "Likes", "Comments", "Shares", "Saves", "Caption",
     "Tracking link", "Promo code"],
    ["CMP-0001", "CR-025345", "@uma.coffeebreak", "Instagram",
     "https://www.instagram.com/p/C5BE3717432/", "2026-11-18", "365,280", "country=PL", "yes",
     "yes", "2026-11-19", "2026-11-18", "6,653.00", "40", "83,920", "3,100", "312", "60", "40",
     "Trying something new #ad", "https://shop.example/?utm_campaign=cold_brew_pl_0001",
     "UMA10"],
    ["CMP-0001", "CR-069963", "@maria.athome", "TikTok",
     "https://www.tiktok.com/@maria.athome/video/7200000000792351383", "2026-11-19", "8,400",
     "", "no", "no", "2026-11-20", "", "0", "0", "2,000", "90", "10", "", "", "Weekend reset",
     "", ""],
]  # fmt: skip
EXPECTED = [
    ("C5BE3717432", "CMP-0001", "instagram", "mid", 365280, True, True, "2026-11-18",
     Decimal("6653"), 83920, 3512, "cold_brew_pl_0001"),
    ("7200000000792351383", "CMP-0001", "tiktok", "nano", 8400, False, False, None,
     Decimal("0"), 2000, 100, None),
]  # fmt: skip


def _posts(paths):
    return query(
        paths,
        "SELECT post_id, campaign_id, platform, tier, followers, is_sponsored, has_disclosure, "
        "delivered_date::VARCHAR, fee, impressions, engagements, utm_campaign "
        "FROM raw.influencer_posts ORDER BY creator_id",
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_creator_report_template_loads_with_tier_and_engagements_worked_out(paths, kind):
    path = landing_file(paths, "influencer_posts", f"creators.{kind}")
    if kind == "xlsx":
        write_workbook(path, TEMPLATE, "Posts")
    else:
        write_export(path, TEMPLATE)

    (staged,) = load(paths, "influencer_posts")["influencer_posts"]

    assert staged.export_format == "Creator report (the template of this pipeline)"
    assert _posts(paths) == EXPECTED


def test_grin_content_breakdown_maps_to_the_creator_report(paths):
    rows = [
        ["Campaign", "Creator ID", "Social Handle", "Network", "Content URL", "Content Posted",
         "Followers", "Likes", "Comments", "Shares", "Saves", "Views", "Spend (USD)", "Caption"],
        ["CMP-0002 | Glow", "884211", "@greta.skin", "Instagram",
         "https://www.instagram.com/reel/C9A03BACF2F/", "11/19/2026", "17,220", "120", "30", "",
         "10", "3,343", "314.00", "My go-to lately #ad"],
        ["CMP-0002 | Glow", "884212", "@xavier.glow", "YouTube",
         "https://www.youtube.com/watch/ed02957391a", "11/18/2026", "1,206,490", "1,000", "200",
         "50", "", "150,000", "9,000.00", "Weekend reset"],
    ]  # fmt: skip
    write_export(landing_file(paths, "influencer_posts", "grin.csv"), rows)

    (staged,) = load(paths, "influencer_posts")["influencer_posts"]

    assert staged.export_format == "GRIN campaign report, content breakdown"
    assert _posts(paths) == [
        ("C9A03BACF2F", "CMP-0002", "instagram", "micro", 17220, True, True, "2026-11-19",
         Decimal("314"), 3343, 160, None),
        ("ed02957391a", "CMP-0002", "youtube", "celebrity", 1206490, True, False, "2026-11-18",
         Decimal("9000"), 150000, 1250, None),
    ]  # fmt: skip
