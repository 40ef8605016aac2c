"""The report pages the Airflow web server mounts, served by the real app over ASGI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from marketing_health.report.html import REPORT_FILE, write_health_report
from marketing_health.report.links import report_path
from marketing_health.report.web import available_nights, create_app
from marketing_health.settings import Paths

from .synthetic import NIGHT, build_warehouse

EARLIER = "2026-03-30"


@pytest.fixture
def client(paths: Paths) -> TestClient:
    return TestClient(create_app(lambda: paths))


@pytest.fixture
def two_nights(paths: Paths) -> Paths:
    build_warehouse(paths, campaigns=4, guards=True)
    for night in (EARLIER, NIGHT):
        write_health_report(paths, night)
    return paths


def test_without_reports_the_page_says_to_run_the_dag(client: TestClient) -> None:
    for url in ("/", "/nights/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "No health report yet" in page.text and "marketing_health" in page.text


def test_latest_night_with_links_to_the_others(two_nights: Paths, client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Mar 31, 2026" in page.text and "Campaign 1 春季" in page.text
    assert '<a href="nights/2026-03-30">' in page.text and '<a href="nights/">' in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_any_night_by_date_and_the_index(two_nights: Paths, client: TestClient) -> None:
    assert available_nights(two_nights.runs_dir) == [NIGHT, EARLIER]
    page = client.get(report_path(EARLIER).removeprefix("/marketing-health"))
    assert page.status_code == 200 and "Mar 30, 2026" in page.text
    assert '<a href="2026-03-31">Mar 31, 2026' in page.text
    index = client.get("/nights/")
    assert index.text.index(NIGHT) < index.text.index(EARLIER)


@pytest.mark.parametrize(
    ("night", "status"),
    [
        ("2026-03-29", 404),  # a real date without a report
        ("2026-02-30", 400),
        ("latest", 400),
        ("2026-03-31%00", 400),
    ],
)
def test_a_night_cannot_name_anything_else(
    two_nights: Paths, client: TestClient, night: str, status: int
) -> None:
    page = client.get(f"/nights/{night}")
    assert page.status_code == status
    assert "No report for this night" in page.text


def test_paths_outside_the_runs_folder_are_not_served(
    two_nights: Paths, client: TestClient
) -> None:
    secret = two_nights.data_dir / REPORT_FILE
    secret.write_text("not a report", encoding="utf-8")
    for url in (
        "/nights/../health_report.html",
        "/nights/%2e%2e/health_report.html",
        "/nights/..%2F..%2Fdata%2Fhealth_report.html",
    ):
        page = client.get(url)
        assert "not a report" not in page.text
        assert page.status_code in (400, 404)
