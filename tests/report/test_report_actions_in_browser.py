"""Acting on an alert from the Marketing health page, as a person does: headless chromium in the
real Airflow UI (API server with this repository's plugin), the form inside the plugin's frame,
the action recorded in the warehouse with source ui."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from marketing_health.warehouse import connect

from .conftest import LAST_NIGHT, ReportWarehouse
from .test_report_in_browser import PageProblems, airflow_ui, browser  # noqa: F401 (fixtures)

pytestmark = pytest.mark.integration


def _actions(report_warehouse: ReportWarehouse) -> list[tuple]:
    with connect(report_warehouse.paths.warehouse, read_only=True) as con:
        found = con.execute(
            "select count(*) from information_schema.tables where table_name = 'alert_actions'"
        ).fetchone()[0]
        if not found:
            return []
        return con.execute(
            "select campaign_id, pitfall_id, night::varchar, action, source, user_id, note "
            "from alerts.alert_actions order by acted_at"
        ).fetchall()


def test_acknowledge_an_alert_from_the_page_in_the_airflow_ui(
    airflow_ui: str,  # noqa: F811
    browser: Any,  # noqa: F811
    report_warehouse: ReportWarehouse,
    artifacts_dir: Path,
) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 960})
    problems = PageProblems(page)
    try:
        page.goto(f"{airflow_ui}/plugin/marketing-health")
        frame = page.frame_locator("iframe").first
        form = frame.locator("form.alert-actions").first
        form.wait_for(timeout=60_000)
        campaign = form.locator('input[name="campaign"]').get_attribute("value")
        pitfall = form.locator('input[name="pitfall"]').get_attribute("value")
        form.scroll_into_view_if_needed()
        form.locator('input[name="note"]').fill("Agency fixes the tracking links on Monday")
        form.locator('button[data-action="acknowledge"]').click()

        saved = frame.locator("p.saved")
        saved.wait_for(timeout=60_000)
        assert "Saved. The next digests take it into account." in saved.inner_text()
        acted = frame.locator(f"form.alert-actions:has(input[value='{pitfall}'])").filter(
            has=frame.locator(f"input[name='campaign'][value='{campaign}']")
        )
        assert "Acknowledged by " in acted.locator("p.acted").inner_text()
        acted.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir / "airflow_ui_alert_acknowledged.png"))

        (row,) = _actions(report_warehouse)
        assert row[:5] == (campaign, pitfall, LAST_NIGHT, "acknowledge", "ui")
        assert row[5] and row[6] == "Agency fixes the tracking links on Monday"
        assert problems.errors == [], problems.errors
        assert problems.failed == [], problems.failed
    finally:
        page.close()
        with connect(report_warehouse.paths.warehouse) as con:  # leave the shared night as it was
            con.execute("drop table if exists alerts.alert_actions")
