"""Inner numbers of P11 and P16, tuned for one campaign each, change that campaign's verdict only.

The commerce warehouse (test_commerce_signals.py) is built and judged twice for the night
2024-06-30 through the real transform (dbt) and guards (Great Expectations): once with the
catalogue's parameters, once with two overrides.

- P16 ``min_variants`` 3 for CMP-GOOD: of its two experiments live in the 30 days, E-G1 has 2
  variants and E-G2 3, so only one still counts and the campaign falls below the 2 it needs.
- P11 ``window_days`` 15 for CMP-OTHER: its social and paid channels last ran on 06-16, outside
  the catalogue's 14 days (06-17..06-30), inside 15 (06-16..06-30); neither has an owner.
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
        {"guard": "P16", "campaign": "CMP-GOOD", "parameter": "min_variants", "value": 3},
        {"guard": "P11", "campaign": "CMP-OTHER", "parameter": "window_days", "value": 15},
    ]
}

_SIGNALS = {
    "sig_experiments": "experiments_live_30d",
    "sig_channel_ownership": "ownerless_active_channels",
}


def _judge(paths: Paths, run_id: str) -> dict[tuple[str, str], str]:
    run_dbt_build(paths, AS_OF_DATE)
    run_guards(paths, AS_OF_DATE, run_id, overrides=load_overrides())
    with connect(paths, read_only=True) as con:
        rows = con.execute(
            "select guard_id, campaign_id, outcome from guards.guard_results where run_date = ?",
            [AS_OF_DATE],
        ).fetchall()
    return {(g, c): o for g, c, o in rows}


def _signals(paths: Paths) -> dict[tuple[str, str], Any]:
    """(mart, campaign) -> the judged column of the night, for both tuned signals."""
    found: dict[tuple[str, str], Any] = {}
    with connect(paths, read_only=True) as con:
        for mart, column in _SIGNALS.items():
            rows = con.execute(
                f"select campaign_id, {column} from marts.{mart} where as_of_date = ?",
                [AS_OF_DATE],
            ).fetchall()
            found.update({(mart, c): v for c, v in rows})
    return found


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = Path(tmp_path_factory.mktemp("ownership_parameters"))
    paths = Paths.under(root)
    build_raw_warehouse(paths, COMMERCE_ROWS)
    overrides_file = root / "guard_overrides.yaml"
    with pytest.MonkeyPatch.context() as env:
        env.setenv(GUARD_OVERRIDES_ENV, str(overrides_file))  # absent: the catalogue applies
        default = _judge(paths, "run-default")
        default_signals = _signals(paths)
        overrides_file.write_text(yaml.safe_dump(OVERRIDES), encoding="utf-8")
        tuned = _judge(paths, "run-tuned")
        tuned_signals = _signals(paths)
        yield {
            "default": default,
            "tuned": tuned,
            "default_signals": default_signals,
            "tuned_signals": tuned_signals,
        }


def test_each_tuned_parameter_changes_its_campaigns_verdict_and_no_other(judged) -> None:
    default, tuned = judged["default"], judged["tuned"]
    assert default[("P16", "CMP-GOOD")] == "pass"
    assert tuned[("P16", "CMP-GOOD")] == "fail"
    assert default[("P11", "CMP-OTHER")] != "fail"
    assert tuned[("P11", "CMP-OTHER")] == "fail"
    changed = {key for key in default if tuned.get(key) != default[key]}
    assert changed == {("P16", "CMP-GOOD"), ("P11", "CMP-OTHER")}
    assert set(tuned) == set(default)


def test_the_signals_read_each_campaigns_own_values(judged) -> None:
    before, after = judged["default_signals"], judged["tuned_signals"]
    # CMP-GOOD: E-G1 (2 variants) and E-G2 (3) at the catalogue's 2, only E-G2 at 3
    assert before[("sig_experiments", "CMP-GOOD")] == 2
    assert after[("sig_experiments", "CMP-GOOD")] == 1
    # CMP-OTHER: nothing active in 14 days, social and paid without owners in 15
    assert before[("sig_channel_ownership", "CMP-OTHER")] is None
    assert after[("sig_channel_ownership", "CMP-OTHER")] == 2
    tuned_keys = {("sig_experiments", "CMP-GOOD"), ("sig_channel_ownership", "CMP-OTHER")}
    assert {k: v for k, v in after.items() if k not in tuned_keys} == {
        k: v for k, v in before.items() if k not in tuned_keys
    }
