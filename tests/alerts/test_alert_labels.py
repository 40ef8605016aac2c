"""Learning from labels: alerts called expected or not a problem over 90 days, counted per
guard and brand, and the guard override that would have avoided them, in the health report and
the ops digest."""

from __future__ import annotations

import json
from datetime import date, timedelta
from html import unescape

import yaml

from marketing_health.alerts import build_ops_digest
from marketing_health.alerts.actions import AlertAction, AlertRef, record
from marketing_health.alerts.labels import load_labels, passing_threshold
from marketing_health.catalogue import load_catalogue
from marketing_health.guards.overrides import CampaignScope, parse_overrides
from marketing_health.report.html import write_health_report
from marketing_health.settings import Paths
from marketing_health.warehouse import connect
from support.alert_warehouse import RUN_DATE, WarehouseBuilder

NIGHTS = [(date.fromisoformat(RUN_DATE) - timedelta(days=d)).isoformat() for d in (0, 1, 2, 120)]


def _p09_evidence(value: float) -> dict:
    guard = load_catalogue()["P09"].guard
    return {
        "checks": [
            {
                "column": guard.primary.column,
                "observed": value,
                "threshold": guard.threshold,
                "must_be": guard.must_be,
                "outcome": "fail",
            }
        ]
    }


def _label(
    paths: Paths, campaign: str, guard: str, night: str, action: str, note: str = ""
) -> None:
    ref = AlertRef(campaign, guard, night)
    record(
        paths, AlertAction(ref, action, user_id="U1", user_name="anna", source="slack", note=note)
    )


def _labelled_warehouse(paths: Paths, warehouse: WarehouseBuilder) -> None:
    warehouse.campaign("C1", "Autumn Launch", brand="Northwind")
    warehouse.campaign("C2", "Winter Drop", brand="Northwind")
    warehouse.campaign("C3", "Spring 春季", brand="Acme")
    warehouse.campaign("C4", "No Brand", brand=None)
    threshold = load_catalogue()["P09"].guard.threshold
    values = {"C1": threshold - 0.07, "C2": threshold - 0.12}
    for night in NIGHTS:
        for campaign, value in values.items():
            warehouse.result(
                "P09",
                campaign,
                "Integration low",
                observed=value,
                run_date=night,
                evidence=_p09_evidence(value),
            )
        warehouse.result("P13", "C3", "1 mailed without consent.", run_date=night)
        warehouse.result("P13", "C4", "1 mailed without consent.", run_date=night)
    _label(paths, "C1", "P09", NIGHTS[0], "not_a_problem", "Northwind runs channels one at a time")
    _label(paths, "C1", "P09", NIGHTS[1], "expected")
    _label(paths, "C2", "P09", NIGHTS[2], "not_a_problem")
    _label(paths, "C2", "P09", NIGHTS[3], "not_a_problem")  # 120 days ago: outside the window
    _label(paths, "C3", "P13", NIGHTS[0], "expected")
    _label(paths, "C4", "P13", NIGHTS[1], "not_a_problem")
    _label(paths, "C1", "P09", NIGHTS[2], "acknowledge")  # not a label


def test_labels_are_counted_per_guard_and_brand(paths: Paths, warehouse: WarehouseBuilder) -> None:
    _labelled_warehouse(paths, warehouse)
    with connect(paths, read_only=True) as con:
        labels = load_labels(con, RUN_DATE)
    (p09, p13) = labels.guards
    assert (p09.guard_id, p09.expected, p09.not_a_problem) == ("P09", 1, 2)
    (northwind,) = p09.scopes
    assert (northwind.brand, northwind.campaigns) == ("Northwind", ("C1", "C2"))
    assert [(s.brand, s.campaigns, s.total) for s in p13.scopes] == [
        ("Acme", ("C3",), 1),
        (None, ("C4",), 1),
    ]
    assert labels.campaign_names["C3"] == "Spring 春季"


def test_the_suggested_override_is_valid_and_lets_the_labelled_values_pass(
    paths: Paths, warehouse: WarehouseBuilder
) -> None:
    _labelled_warehouse(paths, warehouse)
    with connect(paths, read_only=True) as con:
        labels = load_labels(con, RUN_DATE)
    catalogue = load_catalogue()
    guard = catalogue["P09"].guard
    (suggestion,) = labels.guards[0].scopes[0].suggestions
    assert suggestion.kind == "threshold"
    assert suggestion.yaml.startswith("- {guard: P09, brand: Northwind, threshold: ")
    overrides = parse_overrides({"overrides": yaml.safe_load(suggestion.yaml)}, catalogue)
    settings = overrides.resolve(
        "P09", ["C1", "C2"], {c: CampaignScope(c, brand="Northwind") for c in ("C1", "C2")}
    )
    new = settings.thresholds["C1"][guard.primary.column]
    labelled = [guard.threshold - 0.07, guard.threshold - 0.12]
    assert all(guard.healthy(v, new) for v in labelled)
    assert not all(guard.healthy(v) for v in labelled)
    # a guard that measured nothing is offered the info severity; a campaign without a brand
    # gets a campaign entry
    entries = [s.yaml for s in labels.guards[1].scopes[0].suggestions]
    entries += [s.yaml for s in labels.guards[1].scopes[1].suggestions]
    assert entries == [
        "- {guard: P13, brand: Acme, severity: info}",
        "- {guard: P13, campaign: C4, severity: info}",
    ]
    for entry in entries:
        parse_overrides({"overrides": yaml.safe_load(entry)}, catalogue)


def test_round_thresholds_that_let_every_value_pass() -> None:
    assert passing_threshold([0.231, 0.18], "at_least") == 0.18
    assert passing_threshold([0.231, 0.187], "at_least") == 0.18
    assert passing_threshold([3, 7], "at_most") == 7
    assert passing_threshold([0.42], "below") == 0.43
    assert passing_threshold([12.5, 40.2], "above") == 12
    assert passing_threshold([1234.0], "at_most") == 1300


def test_the_health_report_shows_the_labels(paths: Paths, warehouse: WarehouseBuilder) -> None:
    _labelled_warehouse(paths, warehouse)
    english = write_health_report(paths, RUN_DATE, languages=["en", "zh-Hans"])
    html = unescape(english.read_text("utf-8"))
    section = html[html.index('<section id="labels">') :]
    section = section[: section.index("</section>")]
    assert "Alerts people labelled in the last 90 days" in section
    assert (
        "P09 " in section
        and "Northwind" in section
        and "- {guard: P09, brand: Northwind" in section
    )
    assert "Autumn Launch" in section and "Spring 春季" in section
    chinese = unescape(english.with_name("health_report.zh-Hans.html").read_text("utf-8"))
    assert "近 90 天被标记的预警" in chinese and "- {guard: P09, brand: Northwind" in chinese


def test_the_ops_digest_tells_new_labels(paths: Paths, warehouse: WarehouseBuilder) -> None:
    _labelled_warehouse(paths, warehouse)
    with connect(paths, read_only=True) as con:
        digest = build_ops_digest(con, RUN_DATE, "run-key")
    assert digest is not None and digest.kind == "ops"
    (message,) = digest.messages
    text = message.text + json.dumps(message.blocks, ensure_ascii=False)
    assert "alerts labelled" in message.text.splitlines()[0]
    assert "Alerts people labelled in the last 90 days" in text
    assert "Northwind: 1 expected, 2 not a problem" in text
    assert "`- {guard: P09, brand: Northwind, threshold: " in text
