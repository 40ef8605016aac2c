"""Ops hears about a source only when a file was expected.

A source whose tool exports every day (``quiet_days: header_only`` in the landing contract)
says "nothing today" with a header-only file: delivered, not late. One that sends no file when
nothing happened (``no_file``: no creator posted) is not late for a quiet day; only a silence
longer than its ``max_silent_days`` is told. Real ingest into a real DuckDB file.
"""

from __future__ import annotations

import pytest
from tests.ingest.ingest_support import CONTRACT, landing_path, ledger, rows, run_ingest, write_csv

from marketing_health.alerts import build_ops_digest
from marketing_health.alerts.policy import AlertingConfigError, load_policy
from marketing_health.warehouse import connect

NIGHT = "2026-11-22"
POLICY = """
freshness:
  paid_ads: {max_age_days: 1}
  influencer_posts: {max_silent_days: 14}
"""


def _text(digest) -> str:
    return "\n".join(
        block["text"]["text"]
        for message in digest.messages
        for block in message.blocks
        if "text" in block
    )


def _header_only(paths, source: str, day: str) -> None:
    path = write_csv(landing_path(paths, source, "export.csv", day=day), rows(source, 1, day))
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def test_the_contract_says_which_sources_send_a_file_on_quiet_days() -> None:
    assert CONTRACT["paid_ads"].quiet_days == "header_only"
    assert CONTRACT["influencer_posts"].quiet_days == "no_file"
    assert all(s.quiet_days in ("header_only", "no_file") for s in CONTRACT)


def test_a_header_only_file_and_a_quiet_week_of_creators_send_nothing(
    paths, pii_key, alerting_policy
) -> None:
    alerting_policy.write_text(POLICY, encoding="utf-8")
    _header_only(paths, "paid_ads", NIGHT)  # no ad ran today
    day = "2026-11-15"  # creators last posted a week ago
    write_csv(
        landing_path(paths, "influencer_posts", "posts.csv", day=day),
        rows("influencer_posts", 2, day),
    )

    run_ingest(paths, pii_key, run_id="night-22")

    (ads,) = [e for e in ledger(paths) if e["source"] == "paid_ads"]
    assert (ads["status"], ads["rows_in_file"], ads["rows_loaded"]) == ("loaded", 0, 0)
    with connect(paths.warehouse, read_only=True) as con:
        assert build_ops_digest(con, NIGHT, "night-22", None) is None


def test_a_missed_daily_file_and_a_long_silence_are_told(paths, pii_key, alerting_policy) -> None:
    alerting_policy.write_text(POLICY, encoding="utf-8")
    _header_only(paths, "paid_ads", "2026-11-19")
    day = "2026-11-01"
    write_csv(
        landing_path(paths, "influencer_posts", "posts.csv", day=day),
        rows("influencer_posts", 2, day),
    )
    run_ingest(paths, pii_key, run_id="night-22")

    with connect(paths.warehouse, read_only=True) as con:
        digest = build_ops_digest(con, NIGHT, "night-22", None)

    assert digest is not None
    text = _text(digest)
    assert "*paid_ads*: newest delivery is for Nov 19, 2026, 3 days behind (at most 1" in text
    assert "delivered as a file with only the header" in text
    assert (
        "*influencer_posts*: no file for 21 days since Nov 1, 2026. This source sends no file "
        "on quiet days, but a silence of more than 14 days is unusual."
    ) in text
    assert "raise max_silent_days in config/alerting.yaml" in text


def test_a_daily_limit_on_a_source_without_quiet_day_files_is_refused(alerting_policy) -> None:
    alerting_policy.write_text("freshness:\n  influencer_posts: {max_age_days: 1}\n", "utf-8")

    with pytest.raises(AlertingConfigError) as refused:
        load_policy()

    assert (
        "freshness.influencer_posts: this source sends no file on a day without activity "
        "(quiet_days: no_file in the landing contract), so a day without a file is not late; "
        "write {max_silent_days: N}"
    ) in str(refused.value)
