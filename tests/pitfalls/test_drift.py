"""Drift over nights: a campaign enters a pitfall, stays in it, recovers, and enters it again.

The generator's intermittent scenario (stock-outs in two episodes) is judged night after night
by the whole pipeline; ``marts.fct_guard_states`` must tell each transition with the right
since-date. Nights are judged in date order, skipping days as a team that misses a night would.
"""

from __future__ import annotations

from datetime import date, timedelta

from .conftest import END


def _intermittent(manifest: dict) -> dict:
    scenarios = [s for s in manifest["scenarios"] if len(s.get("expected_fail_ranges", [])) >= 2]
    assert scenarios, "the sample needs a scenario that fails, recovers and fails again"
    return scenarios[0]


def test_enter_persist_recover_reenter(catalogue_run) -> None:
    scenario = _intermittent(catalogue_run.manifest)
    guard, campaign = scenario["pitfall"], scenario["campaign_id"]
    first, second = scenario["expected_fail_ranges"][:2]
    a, b = date.fromisoformat(first["from"]), date.fromisoformat(first["to"])
    c = date.fromisoformat(second["from"])
    nights = {
        a - timedelta(days=3): ("ok", None),
        a: ("entered", a),
        a + timedelta(days=2): ("persisting", a),
        b + timedelta(days=2): ("recovered", None),
        c: ("entered", c),
        c + timedelta(days=1): ("persisting", c),
    }
    try:
        for night in sorted(nights):
            catalogue_run.run(night)
        rows = catalogue_run.query(
            "select run_date, state, failing_since from marts.fct_guard_states "
            "where guard_id = ? and campaign_id = ? order by run_date",
            [guard, campaign],
        )
    finally:
        catalogue_run.run(END)  # leave the marts as the other tests expect them
    got = {r[0]: (r[1], r[2]) for r in rows if r[0] in nights}
    assert got == nights, f"{guard} on {campaign}: {got}"
    twin = scenario["twin_campaign_id"]
    twin_states = catalogue_run.query(
        "select distinct state from marts.fct_guard_states where guard_id = ? and campaign_id = ?",
        [guard, twin],
    )
    assert {s for (s,) in twin_states} <= {"ok", "not_applicable"}
