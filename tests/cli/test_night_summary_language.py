# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""The summary run-night ends with, in the ops channel's language, over a real DuckDB file.

The person at the terminal runs the pipeline: the summary follows the alerting file's ops
language, with plurals from the language's rule and numbers in its format, and stays in the
English the run-night test reads when the ops channel reads English.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.report.synthetic import NIGHT, build_warehouse

from marketing_health.night_summary import night_summary_lines
from marketing_health.settings import Paths
from marketing_health.warehouse import connect


def _result(paths: Paths, **publish: Any) -> dict[str, Any]:
    """A night's stage results as run_night returns them."""
    return {
        "as_of_date": NIGHT,
        "run_id": "night-31",
        "stage": {"paid_ads": {}, "kpis": {}, "campaigns": {}},
        "publish": {"files_new": 1, "rows_loaded": 12345, **publish},
        "queue": {"channels": ["#growth", "#shanghai"], "messages": 3},
        "deliver": {"written": 3},
        "health_report": {"path": str(paths.run_dir(NIGHT) / "health_report.html")},
    }


@pytest.fixture
def night(paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    build_warehouse(paths, campaigns=4, guards=True)
    with connect(paths.warehouse) as con:  # the mart's list of failing guards, as dbt builds it
        con.execute(
            "alter table marts.fct_campaign_health_daily add column failed_guards varchar[];"
            "update marts.fct_campaign_health_daily h set failed_guards = ("
            "  select list(g.guard_id order by g.guard_id) from guards.guard_results g"
            "  where g.campaign_id = h.campaign_id and g.run_date = h.run_date"
            "  and g.outcome = 'fail')"
        )
    monkeypatch.setenv("MH_ALERTING_CONFIG", str(tmp_path / "alerting.yaml"))
    monkeypatch.setenv("MH_OPS_SLACK_CHANNEL", "#mh-ops")
    return paths


def _language(tmp_path: Path, setting: str) -> None:
    (tmp_path / "alerting.yaml").write_text(f"freshness: {{}}\n{setting}\n", encoding="utf-8")


def test_the_summary_in_chinese(night: Paths, tmp_path: Path) -> None:
    _language(tmp_path, "ops: {language: zh-Hans}")
    result = _result(night, rows_quarantined=2, files_by_status={"rejected": 1})
    lines = night_summary_lines(night, result, 75)
    text = "\n".join(lines)
    assert lines[0] == f"{NIGHT} 当晚的检查已完成，用时 1 分 15 秒（运行 night-31）"
    assert lines[1] == (
        "  已加载：来自 3 个数据源 的 1 个新文件，共 12,345 行（2 行被隔离，1 个文件被拒收）"
    )
    assert lines[2].startswith("  检查：") and "个活动未通过，其中 " in lines[2]
    assert "最差的排在前面（健康分 0-100，未通过的检查）：" in text
    assert "  Slack：2 份预警摘要（3 条消息）：3 条写入文件，文件位于 " in text
    assert "  健康报告：" in text
    assert lines[-1] == "各阶段的完整结果：run-night --json；所有活动：见健康报告。"
    for english in ("Loaded", "Guards", "Worst first", "written to files", "Night of", "row"):
        assert english not in text, english


def test_the_summary_in_english_keeps_its_words(night: Paths, tmp_path: Path) -> None:
    _language(tmp_path, "language: zh-Hans\nops: {language: en}")
    lines = night_summary_lines(night, _result(night, files_new=1), 9)
    assert lines[0] == f"Night of {NIGHT} judged in 9 s (run night-31)"
    assert lines[1] == "  Loaded: 1 new file from 3 sources, 12,345 rows"
    assert lines[2].startswith("  Guards: ") and " failing, " in lines[2]
    assert "of them on a critical pitfall" in lines[2]
    assert "  Worst first (health 0-100, failing guards):" in lines
    assert any(
        line.startswith("  Slack: 2 digests (3 messages): 3 written to files in ") for line in lines
    )
    assert lines[-1] == "Every stage's result: run-night --json; every campaign: the health report."


def test_an_unreadable_alerting_file_gives_english(night: Paths, tmp_path: Path) -> None:
    _language(tmp_path, "ops: {language: tlh}")  # no such language: the summary still prints
    lines = night_summary_lines(night, _result(night), 5)
    assert lines[0] == f"Night of {NIGHT} judged in 5 s (run night-31)"
