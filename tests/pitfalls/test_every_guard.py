"""Every pitfall in the catalogue is guarded, fires on its scenario and stays silent on its twin.

One generated sample holds a scenario campaign and a clean twin per pitfall; the whole pipeline
judges its last day, and each guard's outcome is read back from ``guards.guard_results``.
"""

from __future__ import annotations

import pytest

from marketing_health.catalogue import load_catalogue
from marketing_health.docs import rendered_docs
from marketing_health.settings import REPO_ROOT

from .conftest import END

CATALOGUE = load_catalogue()
PITFALLS = [p.id for p in CATALOGUE]


def test_every_catalogue_entry_has_a_guard_and_a_signal_model() -> None:
    unguarded = [p.id for p in CATALOGUE if p.guard is None]
    assert not unguarded, f"pitfalls without a guard: {unguarded}"
    models = {p.stem for p in (REPO_ROOT / "dbt_project" / "models").rglob("*.sql")}
    missing = [p.id for p in CATALOGUE if p.guard and p.guard.model not in models]
    assert not missing, f"guards whose signal model is missing: {missing}"


def test_every_catalogue_entry_has_a_scenario_and_a_twin(catalogue_run) -> None:
    scenarios = {s["pitfall"]: s for s in catalogue_run.manifest["scenarios"]}
    assert sorted(scenarios) == sorted(PITFALLS)
    for pid, s in scenarios.items():
        assert s["twin_campaign_id"] and s["twin_campaign_id"] != s["campaign_id"], pid
        assert s["fails_by"] <= END.isoformat(), pid


def test_docs_page_lists_every_guard() -> None:
    page = rendered_docs()["pitfalls.md"]
    for pid in PITFALLS:
        assert pid in page


@pytest.mark.parametrize("pitfall_id", PITFALLS)
def test_guard_fires_on_its_scenario(catalogue_run, pitfall_id: str) -> None:
    scenario = next(s for s in catalogue_run.manifest["scenarios"] if s["pitfall"] == pitfall_id)
    outcomes = catalogue_run.outcomes(END)
    got = outcomes.get((pitfall_id, scenario["campaign_id"]))
    assert got == "fail", (
        f"{pitfall_id} on {scenario['campaign_id']}: {got} ({scenario['description']})"
    )
    other = sorted(
        g for (g, c), o in outcomes.items() if c == scenario["campaign_id"] and o == "fail"
    )
    assert other == [pitfall_id], f"{scenario['campaign_id']} also failed {other}"


@pytest.mark.parametrize("pitfall_id", PITFALLS)
def test_guard_stays_silent_on_the_clean_twin(catalogue_run, pitfall_id: str) -> None:
    scenario = next(s for s in catalogue_run.manifest["scenarios"] if s["pitfall"] == pitfall_id)
    twin = scenario["twin_campaign_id"]
    outcomes = catalogue_run.outcomes(END)
    assert outcomes.get((pitfall_id, twin)) in {"pass", "not_applicable"}, (pitfall_id, twin)
    failing = sorted(g for (g, c), o in outcomes.items() if c == twin and o in {"fail", "error"})
    assert not failing, f"clean twin {twin} failed {failing}"


def test_no_guard_errors_on_a_normal_night(catalogue_run) -> None:
    errors = [k for k, o in catalogue_run.outcomes(END).items() if o == "error"]
    assert not errors


def test_health_score_reflects_failures(catalogue_run) -> None:
    rows = catalogue_run.query(
        "select campaign_id, health_score, guards_failed from marts.fct_campaign_health_daily "
        "where run_date = ?",
        [END.isoformat()],
    )
    by_campaign = {c: (score, failed) for c, score, failed in rows}
    scenario_ids = {s["campaign_id"] for s in catalogue_run.manifest["scenarios"]}
    for campaign, (score, failed) in by_campaign.items():
        if campaign in scenario_ids:
            assert failed >= 1 and score < 100, campaign
        else:
            assert failed == 0 and score == 100, campaign
