"""A window of the commerce signals, tuned for one campaign, changes that campaign's verdict only.

The commerce warehouse (test_commerce_signals.py) is built and judged twice for the night
2024-06-30 through the real transform (dbt) and guards (Great Expectations): once with the
catalogue's parameters, once with P21's stock window widened to 14 days for CMP-GOOD. Its
SKU-G2 was out of stock on 06-20: outside the 7 days of the catalogue (06-24..06-30), inside
14 (06-17..06-30). CMP-BAD, whose stock-outs fall in the last 7 days anyway, keeps 7 days.
Each alert quotes its campaign's own window.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from marketing_health.guards import run_guards
from marketing_health.guards.overrides import load_overrides
from marketing_health.settings import GUARD_OVERRIDES_ENV, Paths
from marketing_health.transform import run_dbt_build
from marketing_health.warehouse import connect

from .test_commerce_signals import AS_OF_DATE, COMMERCE_ROWS
from .warehouse_case import build_raw_warehouse

OVERRIDES = {
    "overrides": [
        {"guard": "P21", "campaign": "CMP-GOOD", "parameter": "window_days", "value": 14},
    ]
}


def _judge(paths: Paths, run_id: str) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """Every guard's outcome per campaign, and P21's summary per campaign, of one run."""
    run_dbt_build(paths, AS_OF_DATE)
    run_guards(paths, AS_OF_DATE, run_id, overrides=load_overrides())
    with connect(paths, read_only=True) as con:
        rows = con.execute(
            "select guard_id, campaign_id, outcome, summary from guards.guard_results"
            " where run_date = ? and run_id = ?",
            [AS_OF_DATE, run_id],
        ).fetchall()
    outcomes = {(g, c): o for g, c, o, _ in rows}
    return outcomes, {c: s for g, c, _, s in rows if g == "P21"}


def _stockout_days(paths: Paths) -> dict[str, int | None]:
    with connect(paths, read_only=True) as con:
        rows = con.execute(
            "select campaign_id, stockout_days_7d from marts.sig_supply where as_of_date = ?",
            [AS_OF_DATE],
        ).fetchall()
    return dict(rows)


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = Path(tmp_path_factory.mktemp("commerce_parameters"))
    paths = Paths.under(root)
    build_raw_warehouse(paths, COMMERCE_ROWS)
    overrides_file = root / "guard_overrides.yaml"
    with pytest.MonkeyPatch.context() as env:
        env.setenv(GUARD_OVERRIDES_ENV, str(overrides_file))  # absent: the catalogue applies
        default, default_summaries = _judge(paths, "run-default")
        default_stockouts = _stockout_days(paths)
        overrides_file.write_text(yaml.safe_dump(OVERRIDES), encoding="utf-8")
        tuned, tuned_summaries = _judge(paths, "run-tuned")
        tuned_stockouts = _stockout_days(paths)
        yield {
            "default": default,
            "tuned": tuned,
            "default_summaries": default_summaries,
            "tuned_summaries": tuned_summaries,
            "default_stockouts": default_stockouts,
            "tuned_stockouts": tuned_stockouts,
        }


def test_a_wider_stock_window_for_one_campaign_changes_its_verdict_and_no_other(judged) -> None:
    default, tuned = judged["default"], judged["tuned"]
    assert default[("P21", "CMP-GOOD")] == "pass"
    assert tuned[("P21", "CMP-GOOD")] == "fail"
    assert default[("P21", "CMP-BAD")] == tuned[("P21", "CMP-BAD")] == "fail"
    changed = {key for key in default if tuned.get(key) != default[key]}
    assert changed == {("P21", "CMP-GOOD")}
    assert set(tuned) == set(default)


def test_the_supply_signal_counts_the_campaigns_own_window(judged) -> None:
    # CMP-GOOD's 06-20 stock-out counts in its 14 days only; CMP-BAD's 4 product days (06-25,
    # 06-28, 06-29, 06-30 backordered) lie in the 7 days; CMP-NEW has no stock count
    assert judged["default_stockouts"]["CMP-GOOD"] == 0
    assert judged["tuned_stockouts"]["CMP-GOOD"] == 1
    others = {c: v for c, v in judged["tuned_stockouts"].items() if c != "CMP-GOOD"}
    assert others == {c: v for c, v in judged["default_stockouts"].items() if c != "CMP-GOOD"}


def test_each_alert_quotes_its_campaigns_window(judged) -> None:
    assert "in the last 7 days" in judged["default_summaries"]["CMP-GOOD"]
    assert "in the last 14 days" in judged["tuned_summaries"]["CMP-GOOD"]
    assert "in the last 7 days" in judged["tuned_summaries"]["CMP-BAD"]
