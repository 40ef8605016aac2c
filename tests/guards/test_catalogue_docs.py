"""docs/pitfalls.md is generated from the catalogue and every guard has its signal model."""

from __future__ import annotations

import pytest

from marketing_health.catalogue.docs import PITFALLS_DOC, render_pitfalls_md
from marketing_health.catalogue.model import load_catalogue
from marketing_health.settings import REPO_ROOT

DBT_MODELS = REPO_ROOT / "dbt_project" / "models"


def test_docs_page_is_current():
    expected = render_pitfalls_md(load_catalogue())
    current = PITFALLS_DOC.read_text(encoding="utf-8") if PITFALLS_DOC.exists() else ""
    assert current == expected, (
        f"{PITFALLS_DOC.relative_to(REPO_ROOT)} is stale: run `marketing-health docs` and commit it"
    )


def test_docs_page_covers_every_pitfall():
    catalogue = load_catalogue()
    page = render_pitfalls_md(catalogue)
    for p in catalogue:
        assert f"### {p.id}: {p.title}" in page
        assert p.remediation in page and p.explanation in page
    for p in catalogue.guarded:
        assert f"`marts.{p.guard.model}`" in page
        assert all(f"`{c.column}`" in page for c in p.guard.checks)
        assert p.guard.describe_rule() in page
        for label in p.guard.evidence.values():
            assert f"- {label} (`" in page
    rows = [line for line in page.splitlines() if line.startswith("| [P")]
    assert len(rows) == len(catalogue.pitfalls) == 23
    assert sum("| guarded |" in r for r in rows) == len(catalogue.guarded)


def test_every_guard_reads_a_dbt_model():
    if not DBT_MODELS.is_dir():
        pytest.skip("dbt_project/models does not exist yet, so the signal marts cannot be checked")
    models = {path.stem for path in DBT_MODELS.rglob("*.sql")}
    missing = sorted(
        f"{p.id}: {p.guard.model}" for p in load_catalogue().guarded if p.guard.model not in models
    )
    assert not missing, f"guards name signal marts that have no dbt model: {missing}"
