"""What the readers take from the vocabularies: yes/no words, disclosure markers as patterns a
warehouse evaluates, the documented team examples, and the sample generator's own choices."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import duckdb
import pytest

from marketing_health.catalogue.vocabularies import (
    VocabularyError,
    load_vocabularies,
    write_vocabularies,
)
from marketing_health.contract import load_contract
from marketing_health.contract.docs import render_landing_contract_md
from marketing_health.generate import vocab as sample
from marketing_health.settings import REPO_ROOT


@pytest.fixture
def no_team(tmp_path: Path) -> Path:
    return tmp_path / "no-such-folder"


@pytest.mark.parametrize(
    ("word", "answer"),
    [
        ("yes", True),
        ("是", True),
        ("有", True),
        ("已标注", True),
        ("Ja", True),
        ("oui", True),
        ("Sí", True),
        ("no", False),
        ("否", False),
        ("无", False),
        ("未标注", False),
        ("NEIN", False),
        ("non", False),
        ("vielleicht", None),
        ("待定", None),
    ],
)
def test_yes_and_no_in_five_languages(no_team: Path, word: str, answer: bool | None) -> None:
    assert load_vocabularies(no_team).boolean_for(word) is answer


def test_an_unquoted_yes_in_a_team_file_is_refused_saying_how_to_write_it(tmp_path: Path) -> None:
    team = tmp_path / "vocabularies"
    team.mkdir()
    (team / "yes_no.yaml").write_text('values:\n  "true": {en: [yes, yep]}\n', encoding="utf-8")
    with pytest.raises(VocabularyError) as err:
        load_vocabularies(team)
    assert "values.true.en" in str(err.value) and "write them in quotes" in str(err.value)
    (team / "yes_no.yaml").write_text('values:\n  "true": {en: [yep]}\n  "false": {en: [yes]}\n')
    with pytest.raises(VocabularyError, match="write them in quotes"):
        load_vocabularies(team)
    (team / "yes_no.yaml").write_text('values:\n  "false": {en: ["yes"]}\n', encoding="utf-8")
    with pytest.raises(VocabularyError, match="'yes' means 'false' here but 'true'"):
        load_vocabularies(team)


@pytest.mark.parametrize(
    ("text", "platform", "disclosed"),
    [
        ("Ready? #ad", "instagram", True),
        ("#AD, #partner", None, True),
        ("Shoes by #adidas #ad_campaign", None, False),
        ("新品 #广告 好物", "xiaohongshu", True),
        ("新品 \uff03广告", None, True),
        ("#微博广告#今日好物", "weibo", True),
        ("Neue Laufschuhe #Werbung", None, True),
        ("Anzeige | Laufschuhe", None, True),
        ("Werbungskosten sparen", None, False),
        ("Jetzt anzeigen lassen", None, False),
        ("In Kooperation mit Nike", None, True),
        ("paid\npartnership with nike", None, True),
        ("#publicité #sponsorisé", None, True),
        ("Colaboración pagada con Nike", "instagram", True),
        ("蒲公英 好物分享", "xiaohongshu", True),
        ("蒲公英 好物分享", "instagram", False),
        ("Promotional content", "tiktok", True),
        ("Promotional content", "linkedin", False),
        ("Weekend reset", None, False),
    ],
)
def test_disclosure_patterns_find_whole_tags_and_labels_per_platform(
    no_team: Path, text: str, platform: str | None, disclosed: bool
) -> None:
    patterns = load_vocabularies(no_team).disclosure_patterns()
    wanted = [patterns["*"]] + ([patterns[platform]] if platform in patterns else [])
    with duckdb.connect() as con:
        found = [
            con.execute("SELECT regexp_matches(lower(?), ?)", [text, p]).fetchone()[0]
            for p in wanted
        ]
    assert any(found) is disclosed


def test_the_yes_no_words_reach_the_warehouse(tmp_path: Path, no_team: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    write_vocabularies(con, load_vocabularies(no_team))
    rows = con.execute(
        "SELECT term, answer FROM vocab.yes_no_terms WHERE term IN ('ja', '否', 'true')"
    ).fetchall()
    assert sorted(rows) == sorted([("true", "true"), ("ja", "true"), ("否", "false")])


def _team_examples(text: str) -> dict[str, str]:
    """``# config/vocabularies/<file>`` YAML blocks of a page -> file name -> body."""
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    found = {}
    for block in blocks:
        lines = textwrap.dedent(block).splitlines()
        first = re.match(r"# config/vocabularies/(\w+\.yaml)", lines[0])
        if first:
            found[first.group(1)] = "\n".join(lines[1:]) + "\n"
    return found


def test_the_team_examples_of_the_readme_and_the_landing_page_load(tmp_path: Path) -> None:
    readme = _team_examples((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    page = render_landing_contract_md(load_contract())
    landing = _team_examples(page[page.index("## Names in your language") :])
    assert set(readme) == {"platforms.yaml", "deliverable_statuses.yaml"}
    assert set(landing) == {"platforms.yaml"}
    for n, example in enumerate((readme, landing)):
        team = tmp_path / f"team{n}"
        team.mkdir()
        for name, body in example.items():
            (team / name).write_text(body, encoding="utf-8")
        v = load_vocabularies(team)
        assert v.platform_for("得物") == v.platform_for("Poizon") == "dewu"
    assert load_vocabularies(tmp_path / "team0").deliverable_status_for("待排期") == "pending"
    v = load_vocabularies(tmp_path / "team1")
    assert v.platform_for("Little Red Book App") == "xiaohongshu"
    assert v.post_format_for("Kurzclip") == "short_video"


def test_the_sample_generator_writes_only_known_platforms_formats_and_markers(
    no_team: Path,
) -> None:
    """The generator's own lists pick sample values; each must mean to the vocabularies what
    the generator means by it, on the channel it is written for."""
    v = load_vocabularies(no_team)
    for channel, platforms in (
        ("social", sample.SOCIAL_PLATFORMS),
        ("paid", sample.PAID_PLATFORMS),
        ("influencer", sample.INFLUENCER_PLATFORMS),
    ):
        for platform in platforms:
            assert v.platform_for(platform) == platform, platform
            assert channel in v.platforms[platform].channels, (platform, channel)
    assert [v.post_format_for(f) for f in sample.SOCIAL_FORMATS] == list(sample.SOCIAL_FORMATS)
    patterns = v.disclosure_patterns()
    with duckdb.connect() as con:
        for tag in sample.DISCLOSURE_TAGS:
            text = f"Ready for the weekend {tag}"
            found = con.execute("SELECT regexp_matches(lower(?), ?)", [text, patterns["*"]])
            assert found.fetchone()[0], tag
