# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""The report as people see it: in a real headless chromium, from a file and inside Airflow."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from marketing_health.airflow_env import airflow_environ, airflow_executable, run_airflow
from marketing_health.catalogue import load_catalogue
from marketing_health.i18n import translator
from marketing_health.report.html import report_file_name, write_health_report
from marketing_health.report.links import URL_PREFIX

from .conftest import CHROMIUM_ARGS, LAST_NIGHT, UNKNOWN_KPIS, ReportWarehouse

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield b
        b.close()


class PageProblems:
    """Console errors and failed or non-local requests of a page and its frames."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.urls: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("request", lambda r: self.urls.append(r.url))


def test_report_file_renders_offline(
    report_warehouse: ReportWarehouse, browser: Any, artifacts_dir: Path
) -> None:
    report = write_health_report(report_warehouse.paths, LAST_NIGHT)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    problems = PageProblems(page)
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    page.screenshot(path=str(artifacts_dir / "health_report.png"), full_page=True)

    assert problems.errors == [] and problems.failed == []
    assert all(u.startswith(("file:", "data:")) for u in problems.urls), problems.urls

    campaigns, guards = 48, len(load_catalogue().guarded)
    sparks = page.locator("svg.spark")
    assert sparks.count() == campaigns * 3
    boxes = sparks.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return r.width * r.height; })"
    )
    assert all(area > 0 for area in boxes)
    series = page.locator("svg.spark.health path.series, svg.spark.health circle.last")
    assert page.locator("svg.spark.health circle.last").count() == campaigns
    assert page.locator("svg.spark.health path.series").count() == campaigns  # two nights each
    assert series.first.bounding_box()["width"] > 0
    assert page.locator("svg.nights-chart g.night").count() == 2
    cells = page.locator("table.heatmap td")
    assert cells.count() == campaigns * guards
    assert cells.first.bounding_box()["height"] > 0

    # the filter narrows every section to the campaign typed
    page.fill("#find", "双十一")
    assert page.locator("table.trend tbody tr:not([hidden])").count() == 1
    assert page.locator("table.heatmap tbody tr:not([hidden])").count() == 1
    page.fill("#find", "")
    page.check("#attention")
    failing = report_warehouse.query(
        "select count(*) from marts.fct_campaign_health_daily"
        " where run_date = ? and guards_failed > 0",
        [LAST_NIGHT],
    )[0][0]
    assert page.locator("table.trend tbody tr:not([hidden])").count() == failing
    # a hostile name stays text: no script of its own ran
    assert page.evaluate("document.scripts.length") == 1
    page.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def airflow_ui(report_warehouse: ReportWarehouse, tmp_path_factory) -> Iterator[str]:
    """A real Airflow 3 API server with this repository's plugins, on a free loopback port."""
    paths = report_warehouse.paths
    write_health_report(paths, LAST_NIGHT)
    home = tmp_path_factory.mktemp("airflow_home")
    port = _free_port()
    extra = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__CORE__LAZY_LOAD_PLUGINS": "False",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__API__PORT": str(port),
    }
    run_airflow(["db", "migrate"], paths, extra_env=extra, capture=True)
    log = (home / "api-server.log").open("w")
    proc = subprocess.Popen(
        [
            airflow_executable(),
            "api-server",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=airflow_environ(paths, extra),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (home / "api-server.log").read_text()[-3000:]
            try:
                if httpx.get(f"{base}/api/v2/monitor/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the Airflow API server did not start"
            time.sleep(1)
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


def test_plugin_serves_the_report(airflow_ui: str) -> None:
    page = httpx.get(f"{airflow_ui}{URL_PREFIX}/", timeout=30)
    assert page.status_code == 200
    assert "Marketing health" in page.text and "November 20, 2026" in page.text
    plugins = httpx.get(f"{airflow_ui}/api/v2/plugins", timeout=30).json()["plugins"]
    (ours,) = [p for p in plugins if p["name"] == "marketing_health"]
    assert ours["external_views"][0]["url_route"] == "marketing-health"


def test_report_inside_the_airflow_ui(airflow_ui: str, browser: Any, artifacts_dir: Path) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 960})
    problems = PageProblems(page)
    page.goto(f"{airflow_ui}/plugin/marketing-health")
    nav = page.get_by_role("link", name="Marketing health")
    nav.first.wait_for(timeout=60_000)
    frame = page.frame_locator("iframe").first
    heading = frame.locator("h1")
    heading.wait_for(timeout=60_000)
    assert "November 20, 2026" in heading.inner_text()
    assert frame.locator("table.heatmap td").count() == 48 * len(load_catalogue().guarded)
    assert frame.locator("svg.spark").first.bounding_box()["width"] > 0
    page.screenshot(path=str(artifacts_dir / "airflow_ui_marketing_health.png"))
    assert problems.errors == [], problems.errors
    assert problems.failed == [], problems.failed
    page.close()


def test_unknown_words_in_the_browser(
    report_warehouse: ReportWarehouse, browser: Any, artifacts_dir: Path
) -> None:
    """The section is drawn, its examples readable, and "cannot tell" has a swatch of its own."""
    report = write_health_report(report_warehouse.paths, LAST_NIGHT)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    problems = PageProblems(page)
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    section = page.locator("section#unknown-terms")
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(artifacts_dir / "health_report_unknown_words.png"))
    words = report_warehouse.query(
        "select count(distinct vocabulary || term) from marts.fct_unknown_terms"
    )[0][0]
    assert words >= len(UNKNOWN_KPIS)
    assert section.locator("tbody.word").count() == words
    example = section.locator("pre code").first
    assert example.bounding_box()["height"] > 0 and "version: 1" in example.inner_text()
    swatches = page.locator(".legend .swatch")
    looks = swatches.evaluate_all(
        "els => els.map(e => { const s = getComputedStyle(e);"
        " return [e.className, s.backgroundColor + ' ' + s.backgroundImage]; })"
    )
    unknown = [look for css, look in looks if "k-unknown" in css]
    others = [look for css, look in looks if "k-unknown" not in css]
    assert len(unknown) == 1 and unknown[0] not in others
    assert page.locator(".legend li", has_text="cannot tell").count() == 1
    assert problems.errors == [] and page.evaluate("document.scripts.length") == 1
    page.close()


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _translated_failing_pitfall(report_warehouse: ReportWarehouse) -> tuple[str, str]:
    """A pitfall failing tonight whose title catalogue.po translates (checked here), with its
    Chinese title."""
    zh, catalogue = translator("zh-Hans"), load_catalogue()
    failing = report_warehouse.query(
        "select distinct guard_id from guards.guard_results"
        " where run_date = ? and outcome = 'fail' order by guard_id",
        [LAST_NIGHT],
    )
    for (guard_id,) in failing:
        title = catalogue[guard_id].title
        if zh.translate(title) != title and _HAN.search(zh.translate(title)):
            return guard_id, zh.translate(title)
    raise AssertionError("no pitfall failing tonight has its title translated in catalogue.po")


def test_report_in_chinese_in_the_browser(
    report_warehouse: ReportWarehouse, browser: Any, artifacts_dir: Path
) -> None:
    """The zh-Hans file as a Shanghai team sees it: Chinese words, days and numbers, and a
    switcher that opens the English one."""
    english = write_health_report(report_warehouse.paths, LAST_NIGHT, languages=["en", "zh-Hans"])
    chinese = english.with_name(report_file_name("zh-Hans"))
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    problems = PageProblems(page)
    page.goto(chinese.as_uri())
    page.wait_for_load_state("load")
    page.screenshot(path=str(artifacts_dir / "health_report_zh-Hans.png"), full_page=True)
    assert problems.errors == [] and problems.failed == []

    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.title() == "营销健康报告 2026年11月20日"
    assert page.locator("h1").inner_text() == "营销健康报告 2026年11月20日"
    headings = page.locator("h2").all_inner_texts()
    assert "健康分趋势" in headings and "未关闭的预警" in headings
    assert all(_HAN.search(h) for h in headings), headings
    columns = page.locator('th[scope="col"]:not(.guard)').all_inner_texts()
    assert columns and all(_HAN.search(c) for c in columns), columns
    # numbers and days as Chinese readers write them
    first_tile = page.locator(".tile").first.inner_text()
    assert "48" in first_tile and "个活动已评估" in first_tile
    spark = page.locator("svg.spark.health title").first.text_content()
    assert "健康分：2026年11月18日 为 " in spark and "2026年11月20日 为 " in spark
    assert page.locator("svg.nights-chart text.tick").last.text_content() == "2026年11月20日"
    assert page.locator(".legend li", has_text="无法判断").count() == 1
    # a pitfall failing tonight under its Chinese title, its cells explained in Chinese
    guard_id, title = _translated_failing_pitfall(report_warehouse)
    card = page.locator("article.alert-card strong", has_text=f"{guard_id} {title}").first
    assert card.is_visible()
    tooltip = page.locator("table.heatmap td.k-fail").first.get_attribute("title")
    assert "观察到：" in tooltip and _HAN.search(tooltip.split("观察到：", 1)[1])
    # the filter still works, the hostile name is still text
    page.fill("#find", "双十一")
    assert page.locator("table.trend tbody tr:not([hidden])").count() == 1
    assert page.evaluate("document.scripts.length") == 1
    # the switcher opens the same night in English, unchanged in meaning
    page.click('nav.languages a[hreflang="en"]')
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "November 20, 2026" in page.locator("h1").inner_text()
    assert page.locator("table.heatmap td").count() == 48 * len(load_catalogue().guarded)
    assert page.locator(f'nav.languages a[hreflang="zh-Hans"][href="{chinese.name}"]').count() == 1
    context.close()


def test_report_inside_the_airflow_ui_in_chinese(
    airflow_ui: str, report_warehouse: ReportWarehouse, browser: Any, artifacts_dir: Path
) -> None:
    """A browser set to Chinese (Accept-Language zh-CN) gets the zh-Hans report inside
    Airflow; ?lang=en overrides it, and the switcher's choice holds from night to night."""
    write_health_report(report_warehouse.paths, LAST_NIGHT, languages=["en", "zh-Hans"])
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 960})
    page = context.new_page()
    problems = PageProblems(page)
    page.goto(f"{airflow_ui}/plugin/marketing-health")
    frame = page.frame_locator("iframe").first
    heading = frame.locator("h1")
    heading.wait_for(timeout=60_000)
    assert heading.inner_text() == "营销健康报告 2026年11月20日"
    guard_id, title = _translated_failing_pitfall(report_warehouse)
    assert frame.locator("article.alert-card strong", has_text=f"{guard_id} {title}").count() >= 1
    assert frame.locator("nav.nights-nav a", has_text="2026年11月18日").count() == 1
    page.screenshot(path=str(artifacts_dir / "airflow_ui_marketing_health_zh-Hans.png"))

    # the reader's choice beats the browser's, and the links keep it
    page.goto(f"{airflow_ui}{URL_PREFIX}/?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "November 20, 2026" in page.locator("h1").inner_text()
    page.click("nav.nights-nav a >> nth=0")  # the night before
    page.wait_for_load_state("load")
    assert page.url.endswith("?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "November 18, 2026" in page.locator("h1").inner_text()
    assert problems.errors == [], problems.errors
    assert problems.failed == [], problems.failed
    context.close()
