"""Digests: who hears about what, in which order, in what words, and within Slack's limits."""

from __future__ import annotations

import json

from marketing_health.alerts import build_digests, escape
from marketing_health.alerts.blocks import (
    HEADER_TEXT_LIMIT,
    MAX_BLOCKS,
    SECTION_TEXT_LIMIT,
    split_text,
)
from marketing_health.catalogue import load_catalogue
from marketing_health.warehouse import connect


def _digests(warehouse):
    with connect(warehouse.path, read_only=True) as con:
        return {d.channel: d for d in build_digests(con, warehouse.run_date)}


def _all_text(digest) -> str:
    """Every character a reader sees in the digest's blocks."""
    parts = []
    for message in digest.messages:
        for block in message.blocks:
            if "text" in block:
                parts.append(block["text"]["text"])
            parts.extend(e["text"] for e in block.get("elements", []))
    return "\n".join(parts)


def test_one_digest_per_owner_channel_worst_campaign_first(warehouse) -> None:
    (
        warehouse.campaign("C1", "Autumn Launch", channel="#growth-emea")
        .campaign("C2", "Back to School", channel="growth-EMEA")
        .campaign("C3", "Zeta Promo", channel="#growth-emea")
        .campaign("C4", "Spring Deals", brand="Nova", team="Retail", channel="#retail-us")
        .campaign("C5", "Healthy Campaign", channel="#growth-emea")
        .result("P09", "C1", "Integration 0.31: 1 of 3 planned channels active.")
        .result("P05", "C3", "2 of 5 sponsored posts carry no disclosure.")
        .result("P03", "C2", "95% of influencer spend went to nano/micro creators.")
        .result("P13", "C2", "3 recipient(s) mailed without recorded consent.")
        .result("P02", "C4", "4 KPI(s) declared, 4 of them vanity metrics.")
        .result("P09", "C5", "Integration 0.9", outcome="pass")
        .result("P09", "C1", "yesterday's finding", run_date="2026-11-21")
    )
    digests = _digests(warehouse)
    assert sorted(digests) == ["#growth-emea", "#retail-us"]

    growth = digests["#growth-emea"]
    # critical campaigns first (alphabetically), then the warning-only campaign
    assert [c.campaign_name for c in growth.campaigns] == [
        "Back to School",
        "Zeta Promo",
        "Autumn Launch",
    ]
    assert [f.guard_id for f in growth.campaigns[0].findings] == ["P13", "P03"]
    (message,) = growth.messages
    assert message.blocks[0]["type"] == "header"
    assert message.blocks[0]["text"]["text"] == (
        "Marketing health \u2013 Nov 22, 2026: 3 campaigns need attention · 4 new"
    )
    # every part links to the night's health report in the Airflow UI
    link = message.blocks[1]["elements"][0]["text"]
    assert link.startswith(
        ":bar_chart: <http://localhost:8080/marketing-health/nights/2026-11-22?lang=en|"
    )
    text = _all_text(growth)
    assert "yesterday's finding" not in text and "Healthy Campaign" not in text
    catalogue = load_catalogue()
    p13 = next(
        b["text"]["text"] for b in message.blocks if "P13" in b.get("text", {}).get("text", "")
    )
    assert ":red_circle:" in p13 and catalogue["P13"].title in p13
    assert "3 recipient(s) mailed without recorded consent." in p13
    assert f"*What to do:* {escape(catalogue['P13'].remediation)}" in p13
    contexts = [b for b in message.blocks[2:] if b["type"] == "context"]
    assert "Owner team: Growth EMEA" in contexts[0]["elements"][0]["text"]
    assert "2 open pitfalls (1 critical, 1 warning)" in contexts[0]["elements"][0]["text"]
    assert message.text.startswith(
        "Marketing health \u2013 Nov 22, 2026: 3 campaigns need attention · 4 new"
    )
    assert "Open the health report: http://localhost:8080/marketing-health/nights/" in message.text
    assert "Back to School (Acme)" in message.text and "What to do:" in message.text

    retail = digests["#retail-us"]
    assert (
        retail.messages[0].blocks[0]["text"]["text"].endswith("1 campaign needs attention · 1 new")
    )
    assert "*Spring Deals* (Nova)" in _all_text(retail)


def test_campaigns_without_owner_channel_go_to_their_teams_channel_else_fallback(
    warehouse, alerting_policy, monkeypatch
) -> None:
    monkeypatch.setenv("MH_FALLBACK_SLACK_CHANNEL", "#mh-fallback")
    alerting_policy.write_text(
        "teams:\n  Retail US:\n    slack_channel: retail-us\n", encoding="utf-8"
    )
    (
        warehouse.campaign("C1", "Orphan Campaign", channel=None)
        .campaign("C2", "Owned Campaign", channel="#growth-emea")
        .campaign("C3", "Blank Channel", channel="  ")
        .campaign("C4", "Team Campaign", team="retail  us", channel=None)
        .result("P02", "C1", None, evidence={"declared_kpis": 2, "vanity_kpis": 2})
        .result("P09", "C2", "Integration 0.2")
        .result("P05", "C3", "1 of 1 sponsored posts undisclosed")
        .result("P05", "C4", "2 of 2 sponsored posts undisclosed")
        .result("P13", "C2", "signal table marts.sig_privacy is missing", outcome="error")
    )
    digests = _digests(warehouse)
    assert sorted(digests) == ["#growth-emea", "#mh-fallback", "#retail-us"]
    fallback = digests["#mh-fallback"]
    assert [c.campaign_name for c in fallback.campaigns] == ["Blank Channel", "Orphan Campaign"]
    text = _all_text(fallback)
    assert "the plan names no Slack channel" in text
    # evidence values stand in when the guard wrote no sentence, under the catalogue's labels
    assert "KPIs declared: 2; vanity KPIs: 2" in text
    assert (
        fallback.messages[0]
        .blocks[0]["text"]["text"]
        .endswith("2 campaigns need attention · 2 new")
    )
    # the team's channel from the alerting file (team names match whatever the spacing and case)
    assert [c.campaign_name for c in digests["#retail-us"].campaigns] == ["Team Campaign"]
    # the owner channel hears only about its own campaign, and never about unevaluated guards:
    # those go to the ops digest
    growth = _all_text(digests["#growth-emea"])
    assert "Orphan" not in growth and "could not be evaluated" not in growth
    assert "sig_privacy" not in json.dumps(
        [m.payload() for d in digests.values() for m in d.messages]
    )


def test_hostile_names_are_escaped_and_chinese_names_kept(warehouse) -> None:
    (
        warehouse.campaign(
            "C1", "Sale <!channel> & <https://evil.example|click here>", brand="Brand @here"
        )
        .campaign("C2", "春季新品发布 品牌活动", brand="小红书 & 微博", team="增长团队 @everyone")
        .result("P05", "C1", "1 of 2 sponsored posts: instagram post 9 by @Channel <@U123>")
        .result("P05", "C2", "2 of 2 sponsored posts undisclosed: xiaohongshu post 7 by @李娜")
    )
    (digest,) = _digests(warehouse).values()
    payload = json.dumps([m.payload() for m in digest.messages], ensure_ascii=False)
    for raw in ("<!channel>", "<https://evil", "<@U123>", "@here", "@Channel", "@everyone"):
        assert raw not in payload
    assert "&lt;!channel&gt;" in payload
    assert "&lt;https://evil.example|click here&gt;" in payload
    assert "&amp;" in payload and " & " not in payload
    assert "@\u200bhere" in payload and "@\u200beveryone" in payload
    for chinese in ("春季新品发布 品牌活动", "小红书 &amp; 微博", "增长团队", "@李娜"):
        assert chinese in payload
    for message in digest.messages:
        for block in message.blocks:
            text = block.get("text") or {}
            if text.get("type") == "mrkdwn":
                assert text["verbatim"] is True


def test_a_long_night_is_split_into_parts_without_losing_evidence(warehouse) -> None:
    for i in range(60):
        cid = f"C{i:03d}"
        warehouse.campaign(cid, f"Campaign {i:03d}")
        warehouse.result("P09", cid, f"Integration 0.{i:02d} for campaign {i:03d}: evidence-{cid}")
        warehouse.result("P03", cid, f"undisclosed examples for {cid}: " + "x" * 200)
    huge = "huge-evidence " * 600  # one finding longer than a section may hold
    warehouse.campaign("BIG", "Campaign Huge").result("P13", "BIG", huge + "END-OF-EVIDENCE")

    (digest,) = _digests(warehouse).values()
    total = len(digest.messages)
    assert total > 1
    text = _all_text(digest)
    for i in range(60):
        assert f"evidence-C{i:03d}" in text
        assert f"undisclosed examples for C{i:03d}: " + "x" * 200 in text
    assert "END-OF-EVIDENCE" in text
    assert text.count("*Why it matters:*") == 3  # once per pitfall, not once per campaign
    assert text.count("huge-evidence") == 600
    for n, message in enumerate(digest.messages, start=1):
        assert (message.part, message.total_parts) == (n, total)
        assert len(message.blocks) <= MAX_BLOCKS
        header = message.blocks[0]["text"]["text"]
        assert len(header) <= HEADER_TEXT_LIMIT
        assert header.endswith(f"61 campaigns need attention · 121 new (part {n} of {total})")
        assert message.text.startswith(header)
        for block in message.blocks[1:]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= SECTION_TEXT_LIMIT
    # the critical campaign with the oversized evidence leads the first part, after the link
    assert digest.messages[0].blocks[1]["type"] == "context"
    assert digest.messages[0].blocks[2]["text"]["text"] == "*Campaign Huge* (Acme)"


def test_split_text_keeps_every_character_and_entities_whole() -> None:
    text = escape("&<>" * 2000)
    pieces = split_text(text, 3000)
    assert "".join(pieces) == text
    assert all(len(p) <= 3000 and not p.endswith("&") for p in pieces)
    assert all(p.startswith("&") for p in pieces)
    words = " ".join(f"word{i}" for i in range(2000))
    assert " ".join(split_text(words, 3000)) == words


def test_no_failures_no_digests(warehouse) -> None:
    warehouse.campaign("C1", "Fine").result("P09", "C1", "ok", outcome="pass")
    assert _digests(warehouse) == {}
