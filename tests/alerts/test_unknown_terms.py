"""Guards that cannot tell, as owners hear it, and the entries that teach a word to the pipeline.

A ``cannot_tell`` result is never a failure: it never sends a message on its own and never
appears as a pitfall. When the campaign is in tonight's digest anyway, one quiet line says which
guard cannot tell and which word it needs. The KPI names come from a real ingest into a real
DuckDB file; delivery goes to a local Slack stand-in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.ingest.ingest_support import landing_path, rows, run_ingest, write_csv

from marketing_health.alerts import build_digests, deliver_pending, queue_digests
from marketing_health.alerts.unknown_terms import yaml_example
from marketing_health.catalogue.vocabularies import load_vocabularies
from marketing_health.warehouse import connect
from support.alert_warehouse import WarehouseBuilder
from support.unknown_terms import cannot_tell_evidence, list_unknown_kpi_names

NIGHT = "2026-11-22"


def _kpis(paths, metrics: list[tuple[str, str]]) -> None:
    data = rows("kpis", len(metrics), NIGHT)
    for row, (campaign, metric) in zip(data, metrics, strict=True):
        row["campaign_id"], row["metric"] = campaign, metric
    write_csv(landing_path(paths, "kpis", "kpis.csv", day=NIGHT), data)


@pytest.fixture
def warehouse_with_unknown_kpis(paths, pii_key) -> WarehouseBuilder:
    """Two campaigns whose KPI export names KPIs no vocabulary knows, and P02 cannot tell."""
    _kpis(paths, [("C1", "种草指数"), ("C1", "互动指数"), ("C2", "种草指数")])
    run_ingest(paths, pii_key, run_id="night-22")
    list_unknown_kpi_names(paths.warehouse)
    builder = WarehouseBuilder(paths.warehouse)
    builder.campaign("C1", "春季 Launch", channel="#growth-emea")
    builder.campaign("C2", "Quiet Run", channel="#brand-apac")
    for campaign, words in (("C1", ("种草指数", "互动指数")), ("C2", ("种草指数",))):
        builder.result(
            "P02",
            campaign,
            "the goals could not be classified",
            outcome="cannot_tell",
            evidence=cannot_tell_evidence("P02", *words),
        )
    return builder


def test_cannot_tell_alone_sends_nothing(warehouse_with_unknown_kpis, paths) -> None:
    with connect(paths.warehouse, read_only=True) as con:
        assert build_digests(con, NIGHT) == []


def test_cannot_tell_is_a_quiet_line_beside_news_never_a_failure(
    warehouse_with_unknown_kpis, paths, slack, monkeypatch
) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_SLACK_MARKETING_HEALTH", slack.bot_connection())
    warehouse_with_unknown_kpis.result("P09", "C1", "Integration 0.1 against 0.5")
    with connect(paths.warehouse) as con:
        digests = build_digests(con, NIGHT)
        queue_digests(con, digests, NIGHT)
        deliver_pending(paths, con, wait_budget_seconds=5)
    (post,) = slack.posts()
    assert post.accepted and post.channel == "#growth-emea"  # Quiet Run's channel hears nothing
    blocks = post.json["blocks"]
    assert blocks[0]["text"]["text"].endswith(": 1 campaign needs attention · 1 new")
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert any("P09 Not integrated" in s for s in sections)
    assert not any("P02" in s for s in sections)  # never told as a pitfall
    notes = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    assert (
        ":grey_question: P02 cannot tell: the KPI names 种草指数 and 互动指数 are unknown; "
        "ops has been told"
    ) in notes
    assert "Quiet Run" not in json.dumps(post.json, ensure_ascii=False)


@pytest.mark.parametrize(
    ("vocabulary", "term", "lookup"),
    [
        ("kpi_metrics", "种草指数", "kpi_metric_for"),
        ("kpi_metrics", "Store visits: walk-ins, [all]", "kpi_metric_for"),
        ("sensitive_attributes", "会员卡号", "is_ordinary_token"),
        ("platforms", "Lemon Eight App", "platform_for"),
        ("post_formats", "竖版短片", "post_format_for"),
        ("deliverable_statuses", "yes", "deliverable_status_for"),
        ("deliverable_statuses", "ready to post", "deliverable_status_for"),
    ],
)
def test_each_example_is_a_team_file_that_teaches_the_word(
    vocabulary: str, term: str, lookup: str, tmp_path: Path
) -> None:
    """Copied as it is into the team's folder, the three lines make the word known."""
    team = tmp_path / "vocabularies"
    team.mkdir()
    assert not getattr(load_vocabularies(team), lookup)(term)
    example = yaml_example(vocabulary, term)
    assert example is not None and len(example.splitlines()) == 3
    stem = "platforms" if vocabulary == "post_formats" else vocabulary
    (team / f"{stem}.yaml").write_text(example, encoding="utf-8")
    assert getattr(load_vocabularies(team), lookup)(term), example


def test_the_platform_example_says_where_its_posts_can_carry_a_link(tmp_path: Path) -> None:
    """A copied platform entry declares links, so P09 knows its untagged posts are no mistake
    (a platform whose links no file gives is judged like an unknown one)."""
    team = tmp_path / "vocabularies"
    team.mkdir()
    example = yaml_example("platforms", "Lemon Eight App")
    assert example is not None and "links: []" in example
    (team / "platforms.yaml").write_text(example, encoding="utf-8")
    assert load_vocabularies(team).platforms["lemon_eight_app"].links == ()


def test_a_vocabulary_without_a_known_shape_gets_no_example() -> None:
    assert yaml_example("spelling_variants", "utm-Campaign") is None
