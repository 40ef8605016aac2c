"""The vocabularies as data: packaged terms in several languages, a team's extensions, clear
errors, and the ``vocab`` tables dbt reads (written into a real DuckDB file)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from marketing_health.catalogue.vocabularies import (
    VocabularyError,
    load_vocabularies,
    normalise_term,
    write_vocabularies,
)


@pytest.fixture
def no_team(tmp_path: Path) -> Path:
    return tmp_path / "no-such-folder"


@pytest.mark.parametrize(
    ("term", "metric"),
    [
        ("GMV", "revenue"),
        ("成交额", "revenue"),
        ("Umsatz", "revenue"),
        ("chiffre d'affaires", "revenue"),
        ("Buchungen", "bookings"),
        ("MQLs", "leads"),
        ("线索", "leads"),
        ("Site visits", "site_visits"),
        ("曝光量", "impressions"),
        ("Reichweite", "reach"),
        ("me gusta", "likes"),
        ("种草指数", None),
    ],
)
def test_kpi_names_in_five_languages(no_team: Path, term: str, metric: str | None) -> None:
    assert load_vocabularies(no_team).kpi_metric_for(term) == metric


@pytest.mark.parametrize(
    ("token", "category"),
    [
        ("diagnosis_type", "health"),
        ("Gesundheitszustand", "health"),
        ("健康状况", "health"),
        ("santé_dossier", "health"),
        ("pregnancy_week", "reproductive_health"),
        ("Kinderanzahl", "children"),
        ("credit_score", "finances"),
        ("home_address", "precise_location"),
        ("religion", "beliefs"),
        ("first_name", None),
        ("person_name", None),
        ("race_day_distance", None),
        ("volkswagen_model", None),
    ],
)
def test_sensitive_stems_inside_compound_tokens(
    no_team: Path, token: str, category: str | None
) -> None:
    assert load_vocabularies(no_team).sensitive_category_for(token) == category


def test_platforms_disclosures_and_statuses(no_team: Path) -> None:
    v = load_vocabularies(no_team)
    assert v.platform_for("小红书") == v.platform_for("RED") == "xiaohongshu"
    assert v.platform_for("抖音") == "douyin"
    assert v.platform_for("视频号") == "wechat_channels"
    assert v.platform_for("YouTube Shorts") == "youtube_shorts"
    assert v.platform_for("Myspace") is None
    assert "short_video" in v.platforms["douyin"].formats
    assert v.post_format_for("短视频") == "short_video"
    markers = v.disclosure_markers("小红书")
    assert "#广告" in markers and "\uff03广告" in markers and "蒲公英" in markers
    assert "#werbung" in markers  # markers of every platform apply everywhere
    assert "蒲公英" not in v.disclosure_markers("instagram")
    assert v.deliverable_status_for("待发布") == "pending"
    assert v.deliverable_status_for("In Review") == "pending"
    assert v.deliverable_status_for("veröffentlicht") == "published"
    assert v.deliverable_status_for("sent to legal") is None


def test_a_team_extends_a_vocabulary_from_its_config_folder(tmp_path: Path) -> None:
    team = tmp_path / "vocabularies"
    team.mkdir()
    (team / "kpi_metrics.yaml").write_text(
        "metrics:\n"
        "  seeding_index:\n"
        "    class: diagnostic\n"
        "    terms: {zh-Hans: [种草指数]}\n"
        "  revenue:\n"
        "    terms: {de: [Bruttoumsatz]}\n",
        encoding="utf-8",
    )
    (team / "platforms.yaml").write_text(
        "platforms:\n  dewu:\n    label: Dewu\n    formats: [image, short_video]\n"
        "    names: {zh-Hans: [得物]}\n",
        encoding="utf-8",
    )
    v = load_vocabularies(team)
    assert v.kpi_metric_for("种草指数") == "seeding_index"
    assert v.kpi_metrics["seeding_index"].kpi_class == "diagnostic"
    assert v.kpi_metric_for("Bruttoumsatz") == "revenue"
    assert v.kpi_metrics["revenue"].kpi_class == "outcome"  # the package's class stays
    assert v.platform_for("得物") == "dewu"
    assert team / "kpi_metrics.yaml" in v.files


def test_every_packaged_platform_says_where_its_activity_can_carry_a_link(no_team: Path) -> None:
    v = load_vocabularies(no_team)
    undeclared = [p.platform for p in v.platforms.values() if p.links is None]
    assert undeclared == []
    # posts that cannot carry a link: their untagged activity is no tracking mistake
    assert v.platforms["douyin"].links == ()
    assert v.platforms["xiaohongshu"].links == ()
    assert v.platforms["wechat_channels"].links == ()
    assert v.platforms["instagram"].links == ("paid",)
    assert v.platforms["tiktok"].links == ("paid",)
    # posts with clickable links
    assert {"social", "influencer"} <= set(v.platforms["facebook"].links or ())
    assert {"social", "influencer"} <= set(v.platforms["weibo"].links or ())
    assert v.platforms["google"].links == ("paid",)


def test_a_team_sets_where_its_links_go(tmp_path: Path) -> None:
    team = tmp_path / "vocabularies"
    team.mkdir()
    (team / "platforms.yaml").write_text(
        "platforms:\n"
        "  douyin:\n    links: [paid]\n"
        "  facebook:\n    links: []\n"
        "  dewu:\n    label: Dewu\n    channels: [social]\n    names: {zh-Hans: [得物]}\n",
        encoding="utf-8",
    )
    v = load_vocabularies(team)
    # a team's links replace the package's: its Ocean Engine ads land on its own site
    assert v.platforms["douyin"].links == ("paid",)
    assert v.platforms["facebook"].links == ()
    # a platform no file gives links: nobody can say (P09 cannot tell on it)
    assert v.platforms["dewu"].links is None
    assert v.platforms["xiaohongshu"].links == ()
    rows = dict((platform, links) for platform, _, _, links in v.table_rows()["platforms"][1])
    assert rows["douyin"] == "paid"
    assert rows["facebook"] == ""
    assert rows["dewu"] is None


def test_a_term_with_two_meanings_names_both_files(tmp_path: Path) -> None:
    team = tmp_path / "vocabularies"
    team.mkdir()
    (team / "kpi_metrics.yaml").write_text(
        "metrics:\n  gmv_index:\n    class: vanity\n    terms: {en: [GMV]}\n", encoding="utf-8"
    )
    with pytest.raises(VocabularyError) as err:
        load_vocabularies(team)
    text = str(err.value)
    assert "'GMV'" in text and "gmv_index" in text and "revenue" in text
    assert str(team / "kpi_metrics.yaml") in text and "catalogue/vocabularies" in text


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("kpi_metrics.yaml", "metrics:\n  x:\n    class: glamour\n", "class must be one of"),
        ("kpi_metrics.yaml", "metrics:\n  x:\n    klass: outcome\n", "unknown key(s) klass"),
        ("platforms.yaml", "platforms:\n  p:\n    formats: [hologram]\n", "hologram"),
        ("platforms.yaml", "platforms:\n  p:\n    links: [organic]\n", "organic is not a channel"),
        ("platforms.yaml", "platforms:\n  p:\n    links: paid\n", "p.links must be a list"),
        ("disclosure_markers.yaml", "markers:\n  any:\n    en: {hashtags: [ad]}\n", "start with #"),
        ("kpis.yaml", "metrics: {}\n", "is not a vocabulary"),
        ("deliverable_statuses.yaml", "statuses:\n  lost: {en: [lost]}\n", "is not a status"),
    ],
)
def test_a_wrong_file_is_refused_naming_the_entry(
    tmp_path: Path, name: str, body: str, expected: str
) -> None:
    team = tmp_path / "vocabularies"
    team.mkdir()
    (team / name).write_text(body, encoding="utf-8")
    with pytest.raises(VocabularyError, match="vocabularies") as err:
        load_vocabularies(team)
    assert expected in str(err.value)


def test_the_warehouse_tables_dbt_reads(tmp_path: Path, no_team: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    counts = write_vocabularies(con, load_vocabularies(no_team))
    assert all(n > 0 for n in counts.values()), counts
    rows = con.execute(
        "select metric from vocab.kpi_terms where term = ?", [normalise_term("Site visits")]
    ).fetchall()
    assert rows == [("site_visits",)]
    # the SQL normalisation of the dbt macro vocab_term agrees with Python's
    sql = con.execute(
        "select regexp_replace(lower(trim(?)), '[[:space:]-]+', '_', 'g')", ["  Site - Visits "]
    ).fetchone()
    assert sql == (normalise_term("  Site - Visits "),)
    again = write_vocabularies(con, load_vocabularies(no_team))
    assert again == counts  # rewritten, not appended
    assert con.execute("select count(*) from vocab.kpi_terms").fetchone() == (counts["kpi_terms"],)
