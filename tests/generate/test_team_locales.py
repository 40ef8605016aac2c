"""The sample's Shanghai and Berlin teams: their campaigns in their words, their own files in
their locale, and those files loading into exactly the rows the contract rendering gives."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from marketing_health.catalogue.vocabularies import load_vocabularies, normalise_term
from marketing_health.contract import load_contract
from marketing_health.generate import Manifest, generate_landing, teams, vocab
from marketing_health.generate.injections import INJECTIONS
from marketing_health.ingest import publish, stage_source
from marketing_health.ingest.locales import glob_regex, load_locale_config
from marketing_health.settings import REPO_ROOT, Paths

END = date(2026, 11, 20)
KEY = "test-only-hash-key-0123456789abcdef"
SEED = 11
#: Sources compared row by row: every kind of value the teams write differently (dates,
#: timestamps, whole numbers, amounts, booleans, platform and format names, KPI terms) and
#: the e-mail recipients found through their sends. The whole-night test loads the rest.
COMPARED = (
    "campaigns",
    "kpis",
    "budget_commitments",
    "social_posts",
    "paid_ads",
    "email_recipients",
)


def _generate(root: Path, team_style: str, **kwargs) -> Manifest:
    return generate_landing(root, seed=SEED, end_date=END, days=28, team_style=team_style, **kwargs)


@pytest.fixture(scope="module")
def localised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    root = tmp_path_factory.mktemp("localised")
    return root, _generate(root, "localised", export_style="mixed")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _files(root: Path, pattern: str) -> list[Path]:
    found = sorted(root.glob(pattern))
    assert found, f"no file {pattern} in the landing zone"
    return found


def _column(root: Path, pattern: str, column: str) -> list[str]:
    return [r[column] for f in _files(root, pattern) for r in _rows(f)]


def test_teams_take_over_scenario_pairs_and_leave_every_scenario_where_it_was(
    tmp_path: Path, localised: tuple[Path, Manifest]
) -> None:
    _, manifest = localised
    plain = _generate(tmp_path, "none")
    assert [(s.pitfall, s.campaign_id, s.twin_campaign_id) for s in manifest.scenarios] == [
        (s.pitfall, s.campaign_id, s.twin_campaign_id) for s in plain.scenarios
    ]
    assert manifest.clean_campaigns == plain.clean_campaigns
    assert not plain.teams
    channel = {t.owner_slack_channel: t for t in manifest.teams}
    assert set(channel) == {"#growth-shanghai", "#growth-dach"}
    by_key = {t.key: t for t in teams.load_teams()}
    for team in manifest.teams:
        pairs = [s for s in manifest.scenarios if s.owner_slack_channel == team.owner_slack_channel]
        # every team campaign is a scenario or its twin, never one without the other
        assert sorted(c for s in pairs for c in (s.campaign_id, s.twin_campaign_id)) == list(
            team.campaign_ids
        )
        assert [s.pitfall for s in pairs] and {s.pitfall for s in pairs} <= set(
            by_key[team.key].pitfalls
        )


def test_shanghai_files_are_chinese_platform_exports(localised: tuple[Path, Manifest]) -> None:
    root, manifest = localised
    shanghai = manifest.team("shanghai")
    assert shanghai.locale == "zh-Hans-CN"
    douyin = _files(root, "social_posts/*/douyin_????-??-??.csv")
    assert douyin[0].read_bytes().startswith(b"\xef\xbb\xbf")  # saved by Excel on Windows
    posts = [r for f in _files(root, "social_posts/*/*_????-??-??.csv") for r in _rows(f)]
    shanghai_posts = [r for r in posts if r["campaign_id"] in shanghai.campaign_ids]
    assert {r["platform"] for r in shanghai_posts} >= {"抖音", "小红书", "微博"}
    assert {r["platform"] for r in _rows(douyin[0])} == {"抖音"}
    assert {r["post_format"] for r in shanghai_posts} >= {"短视频", "图文", "直播"}
    assert all(re.fullmatch(r"2026/1?\d/\d{1,2}", r["post_date"]) for r in shanghai_posts)
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", r["impressions"]) for r in shanghai_posts)
    assert {r["is_sponsored"] for r in shanghai_posts} == {"是", "否"}
    disclosed = [r["post_text"] for r in shanghai_posts if r["has_disclosure"] == "是"]
    assert any("#广告" in t or "赞助" in t or "品牌合作" in t for t in disclosed)
    assert all(
        re.search("[\u4e00-\u9fff]", r["post_text"]) for r in shanghai_posts if r["post_text"]
    )

    plan = _column(root, "campaigns/*/shanghai_campaigns_????-??-??.csv", "campaign_name")
    assert any(name.startswith("双十一 焕新季") for name in plan)
    [sheet] = _files(root, "campaigns/*/shanghai_campaigns_????-??-??.csv")
    for row in _rows(sheet):
        assert row["owner_team"] == "上海增长团队"
        assert row["owner_slack_channel"] == "#growth-shanghai"
        assert row["currency"] == "CNY"
        assert re.fullmatch(r"20\d\d年1?\d月\d{1,2}日", row["start_date"])
        assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", row["budget"])
    metrics = set(_column(root, "kpis/*/shanghai_kpis_????-??-??.csv", "metric"))
    assert {"成交额", "订单量"} <= metrics
    # nothing of the team is left in the contract files
    contract_posts = [r for f in _files(root, "social_posts/*/social_posts.csv") for r in _rows(f)]
    assert not {r["campaign_id"] for r in contract_posts} & set(shanghai.campaign_ids)


def test_berlin_files_write_german_numbers_dates_and_words(
    localised: tuple[Path, Manifest],
) -> None:
    root, manifest = localised
    berlin = manifest.team("berlin")
    assert berlin.locale == "de-DE"
    ads = [r for f in _files(root, "paid_ads/*/dach_paid_ads_????-??-??.csv") for r in _rows(f)]
    assert {r["campaign_id"] for r in ads} <= set(berlin.campaign_ids)
    assert all(re.fullmatch(r"\d\d\.\d\d\.2026", r["ad_date"]) for r in ads)
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*,\d\d", r["spend"]) for r in ads)
    assert any("." in r["impressions"] for r in ads)  # 4.543 impressions
    posts = [r for f in _files(root, "social_posts/*/dach_*.csv") for r in _rows(f)]
    assert {r["is_sponsored"] for r in posts} == {"ja", "nein"}
    assert {r["post_format"] for r in posts} >= {"Kurzvideo", "Bild"}
    disclosed = [r["post_text"] for r in posts if r["has_disclosure"] == "ja"]
    assert any("#Werbung" in t or "#Anzeige" in t for t in disclosed)
    metrics = set(_column(root, "kpis/*/dach_kpis_????-??-??.csv", "metric"))
    assert {"Umsatz", "Bestellungen"} <= metrics
    [sheet] = _files(root, "campaigns/*/dach_campaigns_????-??-??.csv")
    assert {r["owner_slack_channel"] for r in _rows(sheet)} == {"#growth-dach"}
    # the sheets carry every team campaign once, in the end-date delivery
    assert sorted(r["campaign_id"] for r in _rows(sheet)) == list(berlin.campaign_ids)


def test_every_word_the_teams_write_is_known_to_the_product_vocabularies() -> None:
    vocabularies = load_vocabularies()
    for team in teams.load_teams():
        for metric, term in team.kpi_terms.items():
            assert vocabularies.kpi_metric_for(normalise_term(term)) is not None, term
            known = vocabularies.kpi_metrics[vocabularies.kpi_metric_for(normalise_term(term))]
            reference = vocabularies.kpi_metrics[metric]
            # the same class and the same observing column as the sample's metric
            assert (known.kpi_class, known.observed_by) == (
                reference.kpi_class,
                reference.observed_by,
            ), term
        for platform, word in team.platform_words.items():
            assert vocabularies.platform_for(normalise_term(word)) == platform, word
        for fmt, word in team.format_words.items():
            assert vocabularies.post_format_for(normalise_term(word)) == fmt, word
        for platform, mix in team.formats.items():
            offered = set(vocabularies.platforms[platform].formats)
            assert set(mix) <= offered, f"{platform} does not offer {set(mix) - offered}"
        assert set(team.paid.values()) <= set(vocabularies.platforms)
        assert {p.pitfall for p in INJECTIONS} >= set(team.pitfalls)


def _disclosures(text: str, markers: tuple[str, ...]) -> list[str]:
    """Markers found in ``text`` the way the disclosure vocabulary matches them: hashtags as
    whole tags (#ad is no tag of #adidas), labels anywhere in the text."""
    low = text.lower()
    return [
        m
        for m in markers
        if (re.search(re.escape(m) + r"(?!\w)", low) if m[0] in "#\uff03" else m in low)
    ]


def test_team_copy_carries_a_disclosure_marker_only_where_it_discloses() -> None:
    markers = load_vocabularies().disclosure_markers(None)
    for language in ("zh", "de"):
        for tag in vocab.LOCAL_DISCLOSURE_TAGS[language]:
            assert _disclosures(tag, markers), tag
        copy = [
            *vocab.SOCIAL_HOOKS[language],
            *vocab.SOCIAL_CALLS[language],
            *vocab.CREATOR_HOOKS[language],
            *(t for texts in vocab.COMMENT_TEXTS[language].values() for t in texts),
        ]
        for team in teams.load_teams():
            if team.language == language:
                copy += [w for c in team.campaigns for w in (c.name, c.storyline, c.hashtag)]
        for text in copy:
            assert not _disclosures(text, markers), text


def test_the_demo_declares_the_locale_of_every_team_file(
    localised: tuple[Path, Manifest],
) -> None:
    """config/locales.yaml (the demo's) reads each team's files in the team's locale, and no
    other file of the sample under a declared locale."""
    root, manifest = localised
    declared = load_locale_config(REPO_ROOT / "config" / "locales.yaml")
    team_files = 0
    for path in sorted(root.rglob("*.csv")):
        rel = path.relative_to(root).as_posix()
        found = declared.declared_for(rel.split("/", 1)[0], rel)
        owner = [t for t in manifest.teams if any(glob_regex(g).fullmatch(rel) for g in t.files)]
        if not owner:
            assert found is None, f"{rel} is no team file but is read as {found.locale}"
            continue
        [team] = owner
        assert found is not None and found.locale == team.locale, rel
        ids = {r.get("campaign_id") for r in _rows(path)} - {None}
        assert ids <= set(team.campaign_ids), rel
        team_files += 1
    assert team_files > 50


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Paths, Paths]]:
    """The same sample with the teams' rows in the contract files and in their own files,
    each staged and published with the team files' locales declared."""
    root = tmp_path_factory.mktemp("loaded")
    mp = pytest.MonkeyPatch()
    out = []
    for style in ("contract", "localised"):
        paths = Paths.under(root / style)
        paths.data_dir.mkdir(parents=True)
        manifest = _generate(paths.landing_dir, style)
        declared = {"files": {g: t.locale for t in manifest.teams for g in t.files}}
        config = root / f"{style}-locales.yaml"
        config.write_text(yaml.safe_dump(declared, allow_unicode=True), encoding="utf-8")
        mp.setenv("MH_LOCALES_CONFIG", str(config))
        for source in COMPARED:
            for staged in stage_source(source, paths, "night-1", KEY).files:
                assert staged.status == "staged", staged.message
        publish(paths, "night-1")
        out.append(paths)
    yield out[0], out[1]
    mp.undo()


def test_team_files_load_into_the_same_rows_as_the_contract_rendering(loaded) -> None:
    contract, localised = loaded
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{contract.warehouse}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{localised.warehouse}' AS b (READ_ONLY)")
        team_rows = 0
        for source in (load_contract()[name] for name in COMPARED):
            cols = ", ".join(f'"{c.warehouse_name}"' for c in source.columns)
            rows = f"SELECT {cols} FROM {{}}.raw.{source.name}"
            only_a, only_b, total = con.execute(
                f"SELECT (SELECT count(*) FROM ({rows.format('a')} EXCEPT ALL {rows.format('b')})),"
                f" (SELECT count(*) FROM ({rows.format('b')} EXCEPT ALL {rows.format('a')})),"
                f" (SELECT count(*) FROM a.raw.{source.name})"
            ).fetchone()
            assert (only_a, only_b) == (0, 0), f"{source.name}: rows differ ({total} rows)"
            team_rows += con.execute(
                f"SELECT count(*) FROM b.raw.{source.name} WHERE _file_path SIMILAR TO "
                "'.*/(shanghai|dach|douyin|xiaohongshu|weibo|wechat|wechat_channels|bilibili)_.*'"
            ).fetchone()[0]
        assert team_rows > 1000
        quarantined = "SELECT count(*) FROM {}.ops.quarantine"
        assert con.execute(quarantined.format("b")).fetchone() == (0,)
        assert con.execute(quarantined.format("a")).fetchone() == (0,)
        platforms = con.execute(
            "SELECT DISTINCT platform FROM b.raw.social_posts WHERE campaign_id IN "
            "(SELECT campaign_id FROM b.raw.campaigns WHERE owner_team = '上海增长团队')"
        ).fetchall()
        assert {"douyin", "xiaohongshu", "weibo"} <= {p for (p,) in platforms}


def test_an_unknown_team_style_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="team style must be one of none, contract, localised"):
        generate_landing(tmp_path, end_date=END, days=28, team_style="chinese")
