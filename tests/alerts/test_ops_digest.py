"""The ops digest: late or missing sources, rejected files, quarantined rows, unevaluated guards.

Freshness and quarantine come from the real ingest (landing files -> stage -> publish into a
real DuckDB file); delivery goes through the ops connection to a local Slack stand-in.
"""

from __future__ import annotations

import json

from tests.ingest.ingest_support import landing_path, rows, run_ingest, write_csv

from marketing_health.alerts import build_ops_digest, deliver_pending, queue_digests
from marketing_health.warehouse import connect
from support.alert_warehouse import WarehouseBuilder

NIGHT = "2026-11-22"
RUN_URL = "http://airflow.example/dags/marketing_health/runs/scheduled__2026-11-23T01%3A00%3A00"
POLICY = """
freshness:
  paid_ads: {max_age_days: 1}
  social_posts: {max_age_days: 1}
  email_sends: {max_age_days: 3}
  campaigns: {max_age_days: 30}
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
        "Pipeline health \u2013 22 Nov 2026: 2 source(s) late or missing · 1 row(s) quarantined"
        " · 1 file(s) rejected · 2 guard check(s) not evaluated"
    )
    assert f"<{RUN_URL}|Open the Airflow run>" in text
    # freshness: paid_ads is 4 days behind, e-mail never came; social and the plan are fine
    assert "*paid_ads*: newest delivery is for 18 Nov 2026, 4 day(s) behind (at most 1" in text
    assert "*email_sends*: no file has ever been delivered." in text
    assert "social_posts" not in text and "*campaigns*" not in text
    # the bad row and the rejected file, by file, with the reasons from the quarantine
    assert "`paid_ads/2026-11-18/ads.csv`: 1 row(s) quarantined" in text
    assert "spend" in text
    assert "`kpis/2026-11-22/kpis.csv`: rejected as a whole" in text and "campaign_id" in text
    # unevaluated guards, campaign names escaped
    assert "could not be evaluated for 1 campaign(s): Autumn &lt;Launch&gt; (Acme)" in text
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
    assert late is not None and "2 day(s) behind" in _text(late)


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
