"""The real nightly DAG end to end: landing zone -> Airflow -> DuckDB -> dbt -> GE -> Slack.

Airflow runs as users run it (``airflow dags test`` in a subprocess, SQLite metadata in a private
AIRFLOW_HOME); Slack is a real HTTP server on 127.0.0.1 that records every message. The
generator's scenario manifest is the ground truth.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from marketing_health.airflow_env import dag_run_states, run_airflow
from marketing_health.catalogue import load_catalogue
from marketing_health.demo import logical_date_for
from marketing_health.generate import generate_landing
from marketing_health.settings import Paths
from marketing_health.warehouse import connect
from support.slack_stub import SlackStub, conn_env_var

pytestmark = pytest.mark.integration

AS_OF = date(2026, 11, 20)
GUARDED = {p.id for p in load_catalogue().guarded}
OPS_CHANNEL = "#mh-ops-test"
SIGNING_SECRET = "e2e-signing-secret-not-a-secret"
ALERTING = """
digest: {repeat_every_nights: 3, escalate_after_nights: 7}
freshness:
  paid_ads: {max_age_days: 1}
  pr_items: {max_age_days: 1}
"""


def _env(slack: SlackStub, airflow_home: Path, **extra: str) -> dict[str, str]:
    return {
        "AIRFLOW_HOME": str(airflow_home),
        conn_env_var("slack_marketing_health"): slack.bot_connection(),
        conn_env_var("slack_marketing_health_ops"): slack.bot_connection(),
        "MH_OPS_SLACK_CHANNEL": OPS_CHANNEL,
        "MH_PII_HASH_KEY": "e2e-test-key-not-a-secret",
        "MH_TASK_RETRIES": "0",
        "MH_SCHEDULE_TIMEZONE": "Europe/Berlin",
        conn_env_var("marketing_health_slack_signing"): json.dumps(
            {"conn_type": "generic", "password": SIGNING_SECRET}
        ),
        **extra,
    }


def _run_night(paths: Paths, env: dict[str, str]) -> str:
    """One nightly run through the Airflow CLI; returns the DAG run's final state."""
    logical = logical_date_for(AS_OF, env["MH_SCHEDULE_TIMEZONE"])
    run = run_airflow(
        ["dags", "test", "marketing_health", logical],
        paths,
        extra_env=env,
        capture=True,
        check=False,
    )
    (paths.data_dir / "dags_test.log").write_text(run.stdout + run.stderr, encoding="utf-8")
    states = list(dag_run_states("marketing_health", paths, extra_env=env).values())
    assert states, (run.stdout + run.stderr)[-4000:]
    return states[0]


# Logs of what ran, one row per run by design (a re-run is a run): not data a night produces.
RUN_LOGS = {"transform.builds"}


def _row_counts(paths: Paths) -> dict[str, int]:
    """Rows per warehouse table, run logs left out."""
    with connect(paths.warehouse, read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by 1, 2"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0]
            for s, t in tables
            if f"{s}.{t}" not in RUN_LOGS
        }


def _message_text(post) -> str:
    """Everything a person would read in a posted message: fallback text and all blocks."""
    body = post.json if isinstance(post.json, dict) else {}
    blocks = body.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return (body.get("text") or "") + json.dumps(blocks or [], ensure_ascii=False)


def _mentions(text: str, campaign_id: str, name: str) -> bool:
    """The digest names a campaign as a bold title and by its id (not as part of a longer name)."""
    return f"*{name}*" in text or re.search(rf"\b{re.escape(campaign_id)}\b", text) is not None


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("e2e")
    paths = Paths.under(root / "data")
    manifest = generate_landing(paths.landing_dir, seed=7, end_date=AS_OF)
    # PR items arrive every few days: watched daily here, they are late on the night judged
    alerting = root / "alerting.yaml"
    alerting.write_text(ALERTING, encoding="utf-8")
    with SlackStub() as slack:
        env = _env(slack, root / "airflow", MH_ALERTING_CONFIG=str(alerting))
        run_airflow(["db", "migrate"], paths, extra_env=env, capture=True)
        first_state = _run_night(paths, env)
        first_posts = slack.posts()
        first_counts = _row_counts(paths)
        second_state = _run_night(paths, env)
        yield {
            "paths": paths,
            "manifest": json.loads((paths.landing_dir / "scenarios.json").read_text()),
            "generated": manifest,
            "first_state": first_state,
            "second_state": second_state,
            "first_posts": first_posts,
            "all_posts": slack.posts(),
            "first_counts": first_counts,
            "second_counts": _row_counts(paths),
            "slack": slack,
        }


def _campaign_names(paths: Paths) -> dict[str, str]:
    with connect(paths.warehouse, read_only=True) as con:
        return dict(
            con.execute("select campaign_id, campaign_name from marts.dim_campaigns").fetchall()
        )


def test_the_nightly_run_succeeds(night) -> None:
    assert night["first_state"] == "success", (
        night["paths"].data_dir / "dags_test.log"
    ).read_text()[-4000:]
    assert night["second_state"] == "success"


def test_every_injected_pitfall_reaches_its_owner_channel(night) -> None:
    names = _campaign_names(night["paths"])
    scenarios = [s for s in night["manifest"]["scenarios"] if s["pitfall"] in GUARDED]
    assert {s["pitfall"] for s in scenarios} == GUARDED
    posts = [p for p in night["first_posts"] if p.channel != OPS_CHANNEL]
    assert posts, "no digest reached Slack"
    for s in scenarios:
        name = names[s["campaign_id"]]
        hits = [
            p
            for p in posts
            if _mentions(_message_text(p), s["campaign_id"], name)
            and s["pitfall"] in _message_text(p)
        ]
        assert hits, f"{s['pitfall']} on {name} was not announced"
        assert {p.channel for p in hits} == {s["owner_slack_channel"]}, (
            f"{s['pitfall']} on {name} went to {[p.channel for p in hits]}"
        )
        assert all(p.accepted for p in hits)


def test_clean_twins_and_clean_campaigns_stay_silent(night) -> None:
    names = _campaign_names(night["paths"])
    manifest = night["manifest"]
    clean = set(manifest["clean_campaigns"]) | {
        s["twin_campaign_id"] for s in manifest["scenarios"]
    }
    scenario_ids = {s["campaign_id"] for s in manifest["scenarios"]}
    assert clean and not clean & scenario_ids
    text = "\n".join(_message_text(p) for p in night["first_posts"])
    for campaign_id in clean:
        assert not _mentions(text, campaign_id, names[campaign_id]), (
            f"clean campaign {names[campaign_id]} ({campaign_id}) was alerted"
        )
    with connect(night["paths"].warehouse, read_only=True) as con:
        failed = {
            r[0]
            for r in con.execute(
                "select distinct campaign_id from guards.guard_results "
                "where run_date = ? and outcome <> 'pass' and outcome <> 'not_applicable'",
                [AS_OF],
            ).fetchall()
        }
    assert failed == scenario_ids


def test_one_digest_per_owner_channel(night) -> None:
    posts = [p for p in night["first_posts"] if p.channel != OPS_CHANNEL]
    channels = [p.channel for p in posts]
    owners = {s["owner_slack_channel"] for s in night["manifest"]["scenarios"]}
    assert set(channels) == owners
    assert len(channels) == len(set(channels)), "a channel got more than one message for the night"


def test_running_the_same_night_again_changes_nothing(night) -> None:
    assert night["second_counts"] == night["first_counts"]
    assert len(night["all_posts"]) == len(night["first_posts"]), "a digest was sent twice"


def test_guard_results_hold_every_outcome(night) -> None:
    with connect(night["paths"].warehouse, read_only=True) as con:
        rows = con.execute(
            "select guard_id, outcome, count(*) from guards.guard_results where run_date = ? "
            "group by all",
            [AS_OF],
        ).fetchall()
    by_guard: dict[str, dict[str, int]] = {}
    for guard, outcome, n in rows:
        by_guard.setdefault(guard, {})[outcome] = n
    assert set(by_guard) == GUARDED
    for guard, outcomes in by_guard.items():
        assert outcomes.get("fail", 0) >= 1 and outcomes.get("pass", 0) >= 1, (guard, outcomes)


def test_digests_link_to_the_nights_health_report(night) -> None:
    report = night["paths"].run_dir(AS_OF.isoformat()) / "health_report.html"
    assert report.exists() and "<svg" in report.read_text(encoding="utf-8")
    # the report in the digest's language (the alerting file here names none: English)
    link = f"/marketing-health/nights/{AS_OF.isoformat()}?lang=en|Open the health report>"
    digests = [p for p in night["first_posts"] if p.channel != OPS_CHANNEL]
    assert digests and all(link in _message_text(p) for p in digests)


def test_ops_hears_about_late_sources_with_a_link_to_the_airflow_run(night) -> None:
    ops = [p for p in night["first_posts"] if p.channel == OPS_CHANNEL]
    assert len(ops) == 1, [_message_text(p)[:200] for p in ops]
    text = _message_text(ops[0])
    assert "Pipeline health" in text and "*pr_items*: newest delivery is for" in text
    assert "paid_ads" not in text  # delivered every day
    assert re.search(
        r"<http://localhost:8080/dags/marketing_health/runs/[^|]+\|Open the Airflow run>", text
    )
    # re-running the night does not repeat it
    assert len([p for p in night["all_posts"] if p.channel == OPS_CHANNEL]) == 1


EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
PHONE = r"\+\d{1,3}[\s\d().\-]{7,}\d"


def test_no_raw_email_or_phone_anywhere_in_the_warehouse(night) -> None:
    """Every text and JSON column of every table and view, scanned for addresses and numbers.

    The sample's recipients all have e-mail addresses and a third have phone numbers (written
    +<country code> ...), and two social posts leak both in their text: none may survive.
    """
    landing_has_pii = False
    for path in night["paths"].landing_dir.rglob("*.csv"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(EMAIL, text) and re.search(PHONE, text):
            landing_has_pii = True
            break
    assert landing_has_pii, "the sample landing zone should hold raw personal data to protect"
    leaks = []
    with connect(night["paths"].warehouse, read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type in ('VARCHAR', 'JSON') order by 1, 2, 3"
        ).fetchall()
        assert len(columns) > 100
        for schema, table, column in columns:
            value = f'cast("{column}" as varchar)'
            found = con.execute(
                f"select count(*) filter (where regexp_matches({value}, ?)), "
                f'count(*) filter (where regexp_matches({value}, ?)) from "{schema}"."{table}"',
                [EMAIL, PHONE],
            ).fetchone()
            if any(found):
                leaks.append(f"{schema}.{table}.{column}: {found[0]} e-mail, {found[1]} phone")
    assert leaks == []


def test_a_button_on_a_digest_records_the_action_in_the_nights_warehouse(night) -> None:
    """The DAG's digests carry the action buttons; a click, signed as Slack signs it, goes
    through the plugin app's endpoint into the warehouse the night wrote and shows on the
    message."""
    from fastapi.testclient import TestClient

    from marketing_health.report.web import create_app

    slack, paths = night["slack"], night["paths"]
    post = next(p for p in night["first_posts"] if p.channel != OPS_CHANNEL and p.ts)
    message = slack.message(post.ts)
    actions = [b for b in message.blocks if b["type"] == "actions"]
    assert actions, "a digest without buttons"
    pitfall = json.loads(actions[0]["block_id"])["p"]
    client = TestClient(create_app(lambda: paths))
    body, headers = SlackStub.interaction_request(
        slack.click(post.ts, "mh_acknowledge", pitfall=pitfall), SIGNING_SECRET
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv(
            conn_env_var("marketing_health_slack_signing"),
            json.dumps({"conn_type": "generic", "password": SIGNING_SECRET}),
        )
        assert client.post("/slack/interactions", content=body, headers=headers).status_code == 200
    with connect(paths.warehouse, read_only=True) as con:
        rows = con.execute(
            "select pitfall_id, night::varchar, action, source from alerts.alert_actions"
        ).fetchall()
    assert rows == [(pitfall, AS_OF.isoformat(), "acknowledge", "slack")]
    assert "Acknowledged by <@" in json.dumps(slack.message(post.ts).blocks)


def test_secrets_never_reach_the_logs(night) -> None:
    """The hashing key and the Slack token are in the environment of the run, never in a log."""
    secrets = ("e2e-test-key-not-a-secret", "xoxb-stub-0000-secret", SIGNING_SECRET)
    root = night["paths"].data_dir
    logs = [root / "dags_test.log", *(root.parent / "airflow").rglob("*.log")]
    logs += list((root / "runs").rglob("*.json")) + list((root / "runs").rglob("*.txt"))
    assert len(logs) > 3
    for path in logs:
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text, f"{secret[:8]}... found in {path}"
