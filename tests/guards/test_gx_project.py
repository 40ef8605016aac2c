"""The Great Expectations projects: gx/ in the repository, kept in step with the catalogue, and
the project each night writes to its run folder, which GE alone can run again."""

from __future__ import annotations

import json
import re
import shutil
import webbrowser
from pathlib import Path
from typing import Any

import pytest

from marketing_health.catalogue.model import load_catalogue
from marketing_health.guards.gx_project import (
    CHECKPOINT_NAME,
    GX_DIR,
    data_docs_index,
    open_context,
    repository_project_root,
    write_project,
)
from marketing_health.guards.runner import build_night_data_docs
from marketing_health.settings import REPO_ROOT, Paths

from .guard_case import NEXT_NIGHT, NIGHT, build_warehouse, guard_rows, judge

README = REPO_ROOT / "README.md"
#: Marks the README's snippet that re-runs a night's checkpoint (the test runs it).
SNIPPET_MARK = "<!-- rerun-a-night -->"


def _files(root: Path) -> dict[str, bytes]:
    """Every file under a project's gx/ but what runs write (git ignores uncommitted/)."""
    gx_dir = root / GX_DIR
    return {
        p.relative_to(gx_dir).as_posix(): p.read_bytes()
        for p in sorted(gx_dir.rglob("*"))
        if p.is_file() and "uncommitted" not in p.relative_to(gx_dir).parts
    }


def test_the_repository_suites_are_what_the_catalogue_generates(tmp_path: Path):
    write_project(tmp_path, load_catalogue().guarded)
    expected, kept = _files(tmp_path), _files(repository_project_root())
    stale = sorted(
        name for name in expected.keys() | kept.keys() if expected.get(name) != kept.get(name)
    )
    assert not stale, (
        f"gx/ is out of step with the catalogue ({', '.join(stale)}): "
        "run `.venv/bin/marketing-health docs` and commit gx/"
    )


def test_regenerating_writes_the_same_bytes(tmp_path: Path):
    write_project(tmp_path / "a", load_catalogue().guarded)
    write_project(tmp_path / "b", load_catalogue().guarded)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_a_suite_of_a_pitfall_no_longer_guarded_is_removed(tmp_path: Path):
    catalogue = load_catalogue()
    write_project(tmp_path, catalogue.guarded)
    write_project(tmp_path, catalogue.guarded[1:])
    names = {p.stem for p in (tmp_path / GX_DIR / "expectations").glob("*.json")}
    assert names == {f"pitfall_{p.id}" for p in catalogue.guarded[1:]}


def test_the_repository_project_opens_in_great_expectations():
    context = open_context(repository_project_root())
    suites = {s.name: s for s in context.suites.all()}
    assert set(suites) == {f"pitfall_{p.id}" for p in load_catalogue().guarded}
    [share] = suites["pitfall_P03"].expectations
    assert share.description.startswith("Spend share in nano/micro tiers")
    assert not (repository_project_root() / GX_DIR / "uncommitted").exists() or (
        "uncommitted/" in (repository_project_root() / GX_DIR / ".gitignore").read_text()
    )


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """A judged night (per-campaign thresholds on P03) with its Data Docs built."""
    paths = build_warehouse(Paths.under(tmp_path_factory.mktemp("gx_night")), [NIGHT, NEXT_NIGHT])
    judge(paths, NIGHT, "run-1", thresholds={"P03": {"C-MIX-BAD": 0.99}})
    build_night_data_docs(paths, NIGHT)
    return paths


def test_a_night_keeps_its_suites_rows_and_checkpoint(night: Paths):
    gx_dir = night.run_dir(NIGHT) / GX_DIR
    context = open_context(night.run_dir(NIGHT))
    checkpoint = context.checkpoints.get(CHECKPOINT_NAME)
    assert [d.name for d in checkpoint.validation_definitions] == [
        f"pitfall_{p}" for p in ("P02", "P03", "P05", "P09", "P13")
    ]
    assert [type(a).__name__ for a in checkpoint.actions] == ["UpdateDataDocsAction"]
    assert sorted(p.name for p in (gx_dir / "signals").iterdir()) == [
        f"pitfall_{p}.pkl" for p in ("P02", "P03", "P05", "P09", "P13")
    ]
    # P03's campaigns carry different thresholds tonight: that check compares each row with
    # its own; the other suites are the repository's
    [pair] = context.suites.get("pitfall_P03").expectations
    assert type(pair).__name__ == "ExpectColumnPairValuesAToBeGreaterThanB"
    assert pair.column_A == "threshold__nano_micro_spend_share"
    kept = json.loads((gx_dir / "expectations" / "pitfall_P02.json").read_text())
    assert kept["expectations"][0]["type"] == "expect_column_values_to_be_between"


def test_the_overridden_campaign_passes_and_the_others_are_judged_as_before(night: Paths):
    rows = {r["campaign_id"]: r for r in guard_rows(night, "guard_id = 'P03'")}
    assert rows["C-MIX-BAD"]["outcome"] == "pass" and rows["C-MIX-BAD"]["threshold"] == 0.99
    assert rows["C-MIX-OK"]["outcome"] == "pass" and rows["C-MIX-OK"]["threshold"] == 0.8


def test_the_data_docs_show_every_suite_and_its_result(night: Paths):
    index = data_docs_index(night.run_dir(NIGHT))
    assert index.is_file()
    home = index.read_text(encoding="utf-8")
    for guard_id in ("P02", "P03", "P05", "P09", "P13"):
        assert f"pitfall_{guard_id}" in home
    site = index.parent
    pages = [p.read_text(encoding="utf-8") for p in (site / "validations").rglob("*.html")]
    assert len(pages) == 5  # one result per suite of the night
    privacy = next(p for p in pages if "pitfall_P13" in p)
    assert "privacy_violations must be 0." in privacy  # the expectation's description
    assert "C-PRIV-BAD" in privacy


def _snippet() -> str:
    text = README.read_text(encoding="utf-8")
    assert SNIPPET_MARK in text, f"README.md lost the marked snippet {SNIPPET_MARK}"
    found = re.search(r"```python\n(.*?)```", text[text.index(SNIPPET_MARK) :], re.DOTALL)
    assert found, "no python block after the README's snippet mark"
    return found.group(1)


def test_the_readme_snippet_reruns_the_night_with_great_expectations(
    night: Paths,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    """What the README shows a newcomer works: the night's checkpoint, GE's API only."""
    code = _snippet()
    run_dir = tmp_path / NIGHT  # a copy: the run adds its results to the night's store
    shutil.copytree(night.run_dir(NIGHT), run_dir)
    assert re.search(r'project_root_dir="var/runs/\d{4}-\d{2}-\d{2}"', code)
    code = re.sub(r'"var/runs/\d{4}-\d{2}-\d{2}"', repr(str(run_dir)), code)
    opened: list[Any] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    exec(compile(code, "README.md", "exec"), {})
    said = capsys.readouterr().out
    assert "pitfall_P13: failing" in said and "C-PRIV-BAD" in said
    assert "pitfall_P03: passing" in said  # the override holds in GE's own run too
    assert opened and str(data_docs_index(run_dir).resolve()) in str(opened[0]).replace(
        "file://", ""
    )
