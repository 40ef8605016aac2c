"""The harness itself: team.yaml mistakes stop the corpus, and the scorecard counts right.

A typo in a verdict file must not quietly weaken what the corpus asserts, so each mistake is
an error naming the file and the key.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from .corpus_team import (
    CANNOT_TELL,
    FAIL,
    NO_RESULT,
    TeamFileError,
    load_team,
    render_grid,
    render_scorecard,
    score,
    team_folders,
)

GUARDS = ("P02", "P05", "P12")
TITLES = {"P02": "Vanity metrics", "P05": "Undisclosed", "P12": "Creepy"}


def _team(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "demo_team"
    folder.mkdir()
    (folder / "team.yaml").write_text(text, encoding="utf-8")
    return folder


GOOD = """
description: a demo team
as_of: 2026-11-30
campaigns:
  A:
    verdict: failing
    expect_fail: [p05]
    expect_cannot_tell: [P02]
    why: an undisclosed sponsored post
  B:
    verdict: healthy
    why: well run
"""


def test_a_valid_team_file_loads(tmp_path: Path) -> None:
    team = load_team(_team(tmp_path, GOOD), GUARDS)
    assert team.as_of == date(2026, 11, 30)
    assert team.campaigns["A"].expect_fail == {"P05"}
    assert team.campaigns["A"].expected("P02") == CANNOT_TELL
    assert team.campaigns["B"].expected("P05") == "not fail"
    assert [c.campaign_id for c in team.failing] == ["A"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("expect_fail: [p05]", "expect_fails: [P05]"), "unknown key(s) expect_fails"),
        (("expect_fail: [p05]", "expect_fail: [P99]"), "P99 is not a guarded pitfall"),
        (("verdict: healthy", "verdict: fine"), "verdict must be one of healthy, failing"),
        (("    why: well run\n", ""), "campaigns.B.why"),
        (
            ("  B:\n    verdict: healthy", "  B:\n    verdict: healthy\n    expect_fail: [P12]"),
            "a healthy campaign expects no failure",
        ),
        (("expect_fail: [p05]", "expect_fail: []"), "names the guard(s) it fails"),
        (
            ("expect_cannot_tell: [P02]", "expect_cannot_tell: [P05]"),
            "cannot be expected to fail and to be cannot_tell",
        ),
        (("as_of: 2026-11-30", "as_of: 30.11.2026"), "as_of must be a date"),
        (("description:", "descripton:"), "unknown key(s) descripton"),
    ],
)
def test_mistakes_name_file_and_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in GOOD
    with pytest.raises(TeamFileError, match=r"demo_team/team\.yaml") as raised:
        load_team(_team(tmp_path, GOOD.replace(old, new)), GUARDS)
    assert message in str(raised.value)


def test_scorecard_counts_recall_false_alerts_and_cannot_tell(tmp_path: Path) -> None:
    team = load_team(_team(tmp_path, GOOD), GUARDS)
    outcomes = {
        ("P05", "A"): FAIL,
        ("P02", "A"): CANNOT_TELL,
        ("P12", "A"): "pass",
        ("P05", "B"): "pass",
        ("P02", "B"): FAIL,
    }
    scores = {s.guard_id: s for s in score(team, TITLES, outcomes)}
    assert (scores["P05"].expected_fails, scores["P05"].found, scores["P05"].recall) == (1, 1, 1.0)
    assert (scores["P02"].false_alerts, scores["P02"].false_alerts_on_healthy) == (1, 1)
    assert (scores["P02"].cannot_tell_expected, scores["P02"].cannot_tell_matched) == (1, 1)
    assert scores["P12"].outcomes == {"pass": 1, NO_RESULT: 1}
    assert scores["P12"].recall is None
    grid = render_grid(team, list(TITLES), outcomes)
    assert grid[-2].split() == ["A", "?", "F", ".", "failing"]
    assert grid[-1].split() == ["B", "F*", ".", "healthy"]
    text = render_scorecard(
        team, list(scores.values()), ["B P02: expected not fail -> fail"], [], grid
    )
    assert "demo_team, night 2026-11-30: 2 campaign(s), 1 healthy, 1 failing" in text
    assert "B P02: expected not fail -> fail" in text


def test_every_corpus_team_file_is_valid() -> None:
    from .conftest import guard_titles

    folders = team_folders()
    assert folders, "tests/corpus holds no team (a folder with team.yaml)"
    for folder in folders:
        team = load_team(folder, guard_titles())
        assert team.landing_dir.is_dir(), f"{folder.name}: no landing/ folder"
