"""The whole night without a scheduler on a PostgreSQL warehouse answers as on DuckDB.

Both installations read the same generated landing zone and judge the same night; each runs
every stage in this process (``night.run_night``: stage, publish, dbt, guards, reporting,
outbox, health report, delivery) against its own engine, and both post to the same local
Slack stand-in. The marts, the guard results, the outbox and what Slack received must match.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from twin_installations import (
    AS_OF,
    RUN_STAMPS,
    differences,
    evidence_differences,
    twin_installations,
    write_broken_files,
)

from marketing_health.local_cluster.servers import PostgresServer
from marketing_health.night import Night, run_night
from marketing_health.report.console import night_summary
from marketing_health.settings import Paths
from support.slack_stub import SlackStub, conn_env_var

pytestmark = pytest.mark.integration

OPS_CHANNEL = "#mh-ops-test"
#: When a message was queued and sent: differs between any two runs.
# what Slack answered (a ts carries the time it was posted) and when we sent it
DELIVERY_STAMPS = frozenset({"created_at", "sent_at", "ts", "thread_ts"})


class _Records(logging.Handler):
    """Every log record of the night, at every level, as the formatted line."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@dataclass(frozen=True)
class TwinNights:
    duck: Paths
    server: Paths
    results: dict[str, dict]
    #: What Slack accepted during each night, by engine.
    posts: dict[str, list[tuple[str | None, str]]]
    log_lines: list[str]


def _messages(slack: SlackStub) -> list[tuple[str | None, str]]:
    return sorted(
        (p.channel, json.dumps(p.json if p.json is not None else p.form, sort_keys=True))
        for p in slack.posts()
    )


@pytest.fixture(scope="module")
def twin_nights(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer
) -> Iterator[TwinNights]:
    url = postgres_server.create_database("wh_twin_nights")
    duck, server = twin_installations(tmp_path_factory.mktemp("nights"), url)
    for paths in (duck, server):  # the ops digest reports them
        write_broken_files(paths)
    records = _Records()
    root = logging.getLogger()
    level = root.level
    root.addHandler(records)
    root.setLevel(logging.DEBUG)
    mp = pytest.MonkeyPatch()
    results: dict[str, dict] = {}
    posts: dict[str, list[tuple[str | None, str]]] = {}
    try:
        with SlackStub() as slack:
            mp.setenv("MH_PII_HASH_KEY", "postgres-night-test-key")
            mp.setenv(conn_env_var("slack_marketing_health"), slack.bot_connection())
            mp.setenv(conn_env_var("slack_marketing_health_ops"), slack.bot_connection())
            mp.setenv("MH_OPS_SLACK_CHANNEL", OPS_CHANNEL)
            for paths in (duck, server):
                slack.clear()
                results[paths.engine] = run_night(paths, Night.for_date(AS_OF))
                posts[paths.engine] = _messages(slack)
    finally:
        mp.undo()
        root.removeHandler(records)
        root.setLevel(level)
    yield TwinNights(duck, server, results, posts, records.lines)


def test_marts_are_equal_on_both_engines(twin_nights):
    assert differences(twin_nights.duck, twin_nights.server, ["marts"]) == []


def test_guard_results_and_outbox_are_equal_on_both_engines(twin_nights):
    ignored = RUN_STAMPS | DELIVERY_STAMPS | {"evidence"}
    assert (
        differences(
            twin_nights.duck, twin_nights.server, ["guards", "alerts"], ignore_columns=ignored
        )
        == []
    )
    assert evidence_differences(twin_nights.duck, twin_nights.server) == []


def test_slack_receives_the_same_messages_from_both_engines(twin_nights):
    assert twin_nights.posts["postgres"], "the night posted nothing to Slack"
    assert twin_nights.posts["postgres"] == twin_nights.posts["duckdb"]
    assert OPS_CHANNEL in {channel for channel, _ in twin_nights.posts["postgres"]}


def _report_without_its_clock(paths: Paths) -> str:
    text = (paths.run_dir(AS_OF.isoformat()) / "health_report.html").read_text("utf-8")
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "<generated>", text)


def test_health_report_and_console_summary_read_the_same_on_both_engines(twin_nights):
    duck, server = twin_nights.duck, twin_nights.server
    report = _report_without_its_clock(server)
    assert "<generated>" in report
    assert report == _report_without_its_clock(duck)
    summary = night_summary(server, AS_OF.isoformat())
    assert "Loaded from the landing zone:" in summary and "Pitfall guards on" in summary
    assert summary == night_summary(duck, AS_OF.isoformat())


def test_the_warehouse_password_appears_in_no_log_of_the_night(twin_nights):
    url = twin_nights.server.warehouse_url
    assert url is not None
    password = urlsplit(url).password
    assert password and len(password) >= 8

    leaked = [line for line in twin_nights.log_lines if password in line]
    assert twin_nights.log_lines and leaked == []
    dbt_files = [f for f in (twin_nights.server.data_dir / "dbt").rglob("*") if f.is_file()]
    assert any(f.name == "dbt.log" for f in dbt_files)
    assert [f for f in dbt_files if password in f.read_text("utf-8", errors="replace")] == []
    assert password not in json.dumps(twin_nights.results["postgres"], default=str)
