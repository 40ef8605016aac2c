"""The ops digest: late or missing sources, rejected files, quarantined rows, unevaluated guards
and the words the vocabularies do not know.

Freshness, quarantine and unknown KPI names come from the real ingest (landing files -> stage ->
publish into a real DuckDB file); delivery goes through the ops connection to a local Slack
stand-in.
"""

from __future__ import annotations

import json
import re

from tests.ingest.ingest_support import landing_path, rows, run_ingest, write_csv

from marketing_health.alerts import build_ops_digest, deliver_pending, queue_digests
from marketing_health.alerts.blocks import unescape
from marketing_health.catalogue.vocabularies import load_vocabularies
from marketing_health.warehouse import connect
from support.alert_warehouse import WarehouseBuilder
from support.unknown_terms import cannot_tell_evidence, list_unknown_kpi_names

NIGHT = "2026-11-22"
RUN_URL = "http://airflow.example/dags/marketing_health/runs/scheduled__2026-11-23T01%3A00%3A00"
POLICY = """
freshness:
  paid_ads: {max_age_days: 1}
  social_posts: {max_age_days: 1}
  email_sends: {max_age_days: 3}
  campaigns: {max_silent_days: 30}
"""


def _text(digest) -> str:
    parts = []
    for message in digest.messages:
        for block in message.blocks:
            if "text" in block:
                parts.append(block["text"]["text"])
            parts.extend(e["text"] for e in block.get("elements", []))
    return "\n".join(parts)


def _landing(paths) -> None:
    """paid_ads four days old with one bad row, social fresh, no e-mail at all, a bad kpis file."""
    ads = rows("paid_ads", 3, day="2026-11-18")
    ads[1]["spend"] = "-12.50"
    write_csv(landing_path(paths, "paid_ads", "ads.csv", day="2026-11-18"), ads)
    write_csv(
        landing_path(paths, "social_posts", "posts.csv", day=NIGHT), rows("social_posts", 2, NIGHT)
    )
    write_csv(
        landing_path(paths, "campaigns", "plan.csv", day="2026-11-01"),
        rows("campaigns", 2, "2026-11-01"),
    )
    kpis = [{k: v for k, v in r.items() if k != "campaign_id"} for r in rows("kpis", 2, NIGHT)]
    write_csv(landing_path(paths, "kpis", "kpis.csv", day=NIGHT), kpis)


def test_late_missing_quarantined_and_unevaluated_are_told_with_the_run_link(
    paths, pii_key, alerting_policy
) -> None:
    alerting_policy.write_text(POLICY, encoding="utf-8")
    _landing(paths)
    run_ingest(paths, pii_key, run_id="night-22")
    WarehouseBuilder(paths.warehouse).campaign("C1", "Autumn <Launch>").result(
        "P13", "C1", "signal table marts.sig_privacy is missing", outcome="error", run_date=NIGHT
    ).result("P03", "*", "the suite could not be loaded", outcome="error", run_date=NIGHT)

    with connect(paths.warehouse, read_only=True) as con:
        digest = build_ops_digest(con, NIGHT, "night-22", RUN_URL)
    assert digest is not None and digest.kind == "ops"
    text = _text(digest)
    header = digest.messages[0].blocks[0]["text"]["text"]
    assert header == (
        "Pipeline health \u2013 Nov 22, 2026: 2 sources late or missing · 1 row quarantined"
        " · 1 file rejected · 2 guard checks not evaluated"
    )
    assert f"<{RUN_URL}|Open the Airflow run>" in text
    # freshness: paid_ads is 4 days behind, e-mail never came; social and the plan are fine
    assert "*paid_ads*: newest delivery is for Nov 18, 2026, 4 days behind (at most 1" in text
    assert "*email_sends*: no file has ever been delivered." in text
    assert "social_posts" not in text and "*campaigns*" not in text
    # the bad row and the rejected file, by file, with the reasons from the quarantine
    assert "`paid_ads/2026-11-18/ads.csv`: 1 row quarantined" in text
    assert "spend" in text
    assert "`kpis/2026-11-22/kpis.csv`: rejected as a whole" in text and "campaign_id" in text
    # unevaluated guards, campaign names escaped
    assert "could not be evaluated for 1 campaign: Autumn &lt;Launch&gt; (Acme)" in text
    assert "could not be evaluated for any campaign" in text


def test_a_night_that_saw_everything_sends_no_ops_digest(paths, pii_key, alerting_policy) -> None:
    alerting_policy.write_text("freshness:\n  social_posts: {max_age_days: 1}\n", "utf-8")
    write_csv(
        landing_path(paths, "social_posts", "posts.csv", day=NIGHT), rows("social_posts", 2, NIGHT)
    )
    run_ingest(paths, pii_key, run_id="night-22")
    with connect(paths.warehouse, read_only=True) as con:
        assert build_ops_digest(con, NIGHT, "night-22", RUN_URL) is None
    # the next night, a day later with no new file, social posts are late
    with connect(paths.warehouse, read_only=True) as con:
        late = build_ops_digest(con, "2026-11-24", "night-24", None)
    assert late is not None and "2 days behind" in _text(late)


def test_the_ops_digest_goes_through_the_ops_connection_once(
    paths, pii_key, alerting_policy, slack, monkeypatch
) -> None:
    """Ops and the fallback channel may be the same channel: neither message replaces the other."""
    alerting_policy.write_text(POLICY, encoding="utf-8")
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    monkeypatch.setenv("MH_FALLBACK_SLACK_CHANNEL", "#mh-ops")
    monkeypatch.setenv("AIRFLOW_CONN_SLACK_MARKETING_HEALTH_OPS", slack.webhook_connection())
    monkeypatch.setenv("AIRFLOW_CONN_SLACK_MARKETING_HEALTH", slack.bot_connection())
    _landing(paths)
    run_ingest(paths, pii_key, run_id="night-22")
    from marketing_health.alerts import build_digests

    WarehouseBuilder(paths.warehouse).campaign("C9", "No Channel", channel=None).result(
        "P09", "C9", "Integration 0.1", run_date=NIGHT
    )
    for _ in range(2):  # the night is re-run: nothing is sent twice
        with connect(paths.warehouse) as con:
            digests = build_digests(con, NIGHT)
            digests.append(build_ops_digest(con, NIGHT, "night-22", RUN_URL))
            queue_digests(con, digests, NIGHT)
            deliver_pending(paths, con, wait_budget_seconds=5)
    posts = slack.posts()
    assert len(posts) == 2 and all(p.accepted for p in posts)
    webhook = [p for p in posts if p.path.startswith("/services/")]
    bot = [p for p in posts if p.path.endswith("chat.postMessage")]
    assert len(webhook) == 1 and "Pipeline health" in json.dumps(webhook[0].json)
    assert len(bot) == 1 and bot[0].channel == "#mh-ops" and "No Channel" in json.dumps(bot[0].json)
    with connect(paths.warehouse, read_only=True) as con:
        kinds = con.execute(
            "select kind, channel, status from alerts.outbox order by kind"
        ).fetchall()
    assert kinds == [("digest", "#mh-ops", "sent"), ("ops", "#mh-ops", "sent")]


# ------------------------------------------------------------ words the vocabularies do not know

_CODE = re.compile(r"```(.*?)```", re.S)


def _kpis(paths, day: str, name: str, metrics: dict[str, str]) -> None:
    """A KPI export: campaign id -> metric name as the team wrote it."""
    data = rows("kpis", len(metrics), day)
    for row, (campaign, metric) in zip(data, metrics.items(), strict=True):
        row["campaign_id"], row["metric"] = campaign, metric
    write_csv(landing_path(paths, "kpis", name, day=day), data)


def _entry(text: str, word: str) -> str:
    """The ops digest's entry about one word: from its line to the next entry."""
    start = text.index(f":grey_question: *{word}*")
    end = text.find(":grey_question:", start + 1)
    return text[start : end if end > 0 else len(text)]


def test_new_unknown_words_are_told_with_file_campaigns_guards_and_how_to_add(
    paths, pii_key, alerting_policy, tmp_path
) -> None:
    alerting_policy.write_text("freshness: {}\n", encoding="utf-8")
    hostile = "<!channel> Reach & @here"
    _kpis(paths, NIGHT, "kpis.csv", {"C001": "种草指数", "C002": "种草指数", "C003": hostile})
    _kpis(paths, NIGHT, "kpis_known.csv", {"C004": "Site visits"})
    run_ingest(paths, pii_key, run_id="night-22")
    listed = list_unknown_kpi_names(paths.warehouse)
    assert [r[0] for r in listed] == [hostile, "种草指数"]  # "Site visits" is known
    (
        WarehouseBuilder(paths.warehouse)
        .campaign("C001", "春季 <Launch>")
        .campaign("C002", "Autumn Run")
        .campaign("C003", "Winter")
        .result(
            "P02",
            "C001",
            outcome="cannot_tell",
            run_date=NIGHT,
            evidence=cannot_tell_evidence("P02", "种草指数"),
        )
        .result(
            "P02",
            "C002",
            outcome="cannot_tell",
            run_date=NIGHT,
            evidence=cannot_tell_evidence("P02", "种草指数"),
        )
        .result(
            "P02",
            "C003",
            outcome="cannot_tell",
            run_date=NIGHT,
            evidence=cannot_tell_evidence("P02", hostile),
        )
    )

    with connect(paths.warehouse, read_only=True) as con:
        digest = build_ops_digest(con, NIGHT, "night-22", RUN_URL)
    assert digest is not None and len(digest.messages) == 1
    text = _text(digest)
    assert digest.messages[0].blocks[0]["text"]["text"] == (
        "Pipeline health \u2013 Nov 22, 2026: 2 new unknown words"
    )
    assert "*Words the vocabularies do not know*" in text
    entry = _entry(text, "种草指数")
    assert "\u2013 unknown KPI name, 2 rows" in entry
    assert "Found in `kpis/2026-11-22/kpis.csv` (kpis.metric, 2 rows)" in entry
    assert "Campaigns (2): Autumn Run (Acme) and 春季 &lt;Launch&gt; (Acme)" in entry
    assert "*Cannot tell:* P02 No clear goals, vanity metrics only for 2 campaigns" in entry
    assert "config/vocabularies/kpi_metrics.yaml (this team)" in entry
    assert "include/marketing_health/catalogue/vocabularies/kpi_metrics.yaml (everyone)" in entry
    # a word from a file is text: no ping, no markup, and told once, in its own entry
    assert "<!channel>" not in text and "@here" not in text
    bad = _entry(text, "&lt;!channel&gt; Reach &amp; @\u200bhere")
    assert "Campaigns (1): Winter (Acme)" in bad and "P02" in bad
    assert "Still unknown" not in text  # everything was first loaded tonight

    # each entry's example, copied into the team's folder as it is, teaches the word
    examples = {
        w: _CODE.search(_entry(text, e)).group(1)
        for w, e in (
            ("种草指数", "种草指数"),
            (hostile, "&lt;!channel&gt; Reach &amp; @\u200bhere"),
        )
    }
    for word, example in examples.items():
        yaml_text = unescape(example).replace("@\u200b", "@").strip()
        assert len(yaml_text.splitlines()) == 3
        folder = tmp_path / f"team-{len(word)}"
        folder.mkdir()
        (folder / "kpi_metrics.yaml").write_text(yaml_text, encoding="utf-8")
        assert load_vocabularies(folder).kpi_metric_for(word) is not None, yaml_text
        assert load_vocabularies(tmp_path / "none").kpi_metric_for(word) is None


def test_words_told_before_are_one_line_and_never_the_reason_to_write(
    paths, pii_key, alerting_policy
) -> None:
    alerting_policy.write_text("freshness: {}\n", encoding="utf-8")
    builder = WarehouseBuilder(paths.warehouse).campaign("C001", "春季 Launch")
    builder.campaign("C002", "Autumn Run")
    _kpis(paths, NIGHT, "kpis.csv", {"C001": "种草指数"})
    run_ingest(paths, pii_key, run_id="night-22")
    list_unknown_kpi_names(paths.warehouse)
    with connect(paths.warehouse, read_only=True) as con:
        first = build_ops_digest(con, NIGHT, "night-22", RUN_URL)
    assert first is not None and ":grey_question: *种草指数*" in _text(first)

    # the next night a new file repeats the word and brings another one
    night = "2026-11-23"
    _kpis(paths, night, "kpis.csv", {"C001": "种草指数", "C002": "互动指数"})
    run_ingest(paths, pii_key, run_id="night-23")
    list_unknown_kpi_names(paths.warehouse)
    builder.result(
        "P02",
        "C001",
        outcome="cannot_tell",
        run_date=night,
        evidence=cannot_tell_evidence("P02", "种草指数"),
    )
    builder.result(
        "P02",
        "C002",
        outcome="cannot_tell",
        run_date=night,
        evidence=cannot_tell_evidence("P02", "互动指数"),
    )
    with connect(paths.warehouse, read_only=True) as con:
        second = build_ops_digest(con, night, "night-23", RUN_URL)
    assert second is not None
    text = _text(second)
    assert second.messages[0].blocks[0]["text"]["text"].endswith(": 1 new unknown word")
    assert ":grey_question: *互动指数*" in text and ":grey_question: *种草指数*" not in text
    assert text.count("种草指数") == 1
    assert (
        "*Still unknown, told before:* 1 word: 种草指数 (KPI name) · 1 guard check cannot "
        "tell because of them · every file and how to add each word: "
        "<http://localhost:8080/marketing-health/nights/2026-11-23|health report>"
    ) in text

    # a night with only words told before sends nothing ...
    with connect(paths.warehouse, read_only=True) as con:
        assert build_ops_digest(con, "2026-11-24", "night-24", RUN_URL) is None
    # ... and when it writes for another reason, they are one line
    alerting_policy.write_text("freshness:\n  paid_ads: {max_age_days: 1}\n", encoding="utf-8")
    with connect(paths.warehouse, read_only=True) as con:
        late = build_ops_digest(con, "2026-11-24", "night-24", RUN_URL)
    assert late is not None
    text = _text(late)
    assert "*paid_ads*: no file has ever been delivered." in text
    assert ":grey_question:" not in text and "new unknown" not in text
    assert (
        "*Still unknown, told before:* 2 words: 互动指数 (KPI name) and 种草指数 (KPI name) ·"
        in (text)
    )


def test_many_unknown_words_are_split_within_slack_limits_and_delivered_intact(
    paths, pii_key, alerting_policy, slack, monkeypatch
) -> None:
    alerting_policy.write_text("freshness: {}\n", encoding="utf-8")
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    monkeypatch.setenv("AIRFLOW_CONN_SLACK_MARKETING_HEALTH_OPS", slack.webhook_connection())
    words = {
        f"C{n:03d}": (f"种草指数{n}" if n % 2 else f"<@U{n}> score-{n}") for n in range(1, 161)
    }
    _kpis(paths, NIGHT, "kpis.csv", words)
    run_ingest(paths, pii_key, run_id="night-22")
    assert len(list_unknown_kpi_names(paths.warehouse)) == 160
    with connect(paths.warehouse) as con:
        digest = build_ops_digest(con, NIGHT, "night-22", RUN_URL)
        assert digest is not None and len(digest.messages) > 1
        queue_digests(con, [digest], NIGHT)
        deliver_pending(paths, con, wait_budget_seconds=5)
    posts = slack.posts()
    assert len(posts) == len(digest.messages) and all(p.accepted for p in posts)
    seen = []
    for i, post in enumerate(posts, start=1):
        blocks = post.json["blocks"]
        assert len(blocks) <= 50
        assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
        assert f"(part {i} of {len(posts)})" in blocks[0]["text"]["text"]
        for b in blocks:
            if b["type"] == "section":
                seen += re.findall(r":grey_question: \*([^*]+)\*", b["text"]["text"])
    expected = sorted(
        w if w.startswith("种") else w.replace("<", "&lt;").replace(">", "&gt;")
        for w in words.values()
    )
    assert sorted(seen) == expected  # every word once, Chinese intact, no mention left
    assert "<@U" not in json.dumps([p.json for p in posts], ensure_ascii=False)
