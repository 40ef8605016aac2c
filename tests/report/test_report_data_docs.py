"""Each night's Great Expectations Data Docs: linked from its health report and the nights list,
served inside the report pages behind the same sign-in, and nothing outside them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import Depends, HTTPException
from fastapi.testclient import TestClient

from marketing_health.guards.gx_project import data_docs_index
from marketing_health.i18n import translator
from marketing_health.report.data_docs import docs_file
from marketing_health.report.html import DATA_DOCS_HREF, REPORT_FILE, report_file_name
from marketing_health.report.languages import languages_in_use
from marketing_health.report.web import create_app

from .conftest import LAST_NIGHT, ReportWarehouse

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def night_dir(report_warehouse: ReportWarehouse) -> Path:
    return report_warehouse.paths.run_dir(LAST_NIGHT)


@pytest.fixture(scope="module")
def client(report_warehouse: ReportWarehouse) -> TestClient:
    return TestClient(create_app(lambda: report_warehouse.paths))


def test_the_night_built_its_data_docs_and_the_report_links_them(night_dir: Path) -> None:
    assert data_docs_index(night_dir).is_file()
    assert (night_dir / DATA_DOCS_HREF).resolve() == data_docs_index(night_dir).resolve()
    report = (night_dir / REPORT_FILE).read_text(encoding="utf-8")
    assert f'<a href="{DATA_DOCS_HREF}">Great Expectations Data Docs</a>' in report


def test_every_language_of_the_report_links_them_in_its_words(night_dir: Path) -> None:
    for index, tag in enumerate(languages_in_use()):
        t = translator(tag)
        report = (night_dir / report_file_name(None if index == 0 else tag)).read_text("utf-8")
        name = t.gettext("Great Expectations Data Docs")
        assert f'<a href="{DATA_DOCS_HREF}">{name}</a>' in report, tag


def test_a_night_without_data_docs_has_no_link(tmp_path: Path) -> None:
    from marketing_health.report.html import write_health_report
    from marketing_health.settings import Paths

    report = write_health_report(Paths.under(tmp_path), LAST_NIGHT).read_text(encoding="utf-8")
    assert "data-docs" not in report.split("<body", 1)[1].split("<style", 1)[0]
    assert DATA_DOCS_HREF not in report


def test_the_served_report_and_the_nights_list_link_the_served_pages(client: TestClient) -> None:
    night = client.get(f"/nights/{LAST_NIGHT}")
    assert f'<a href="{LAST_NIGHT}/data-docs/">' in night.text
    assert DATA_DOCS_HREF not in night.text
    latest = client.get("/")
    assert f'<a href="nights/{LAST_NIGHT}/data-docs/">' in latest.text
    listing = client.get("/nights/")
    assert f'<a href="{LAST_NIGHT}/data-docs/">Great Expectations Data Docs</a>' in listing.text


def test_the_data_docs_are_served_as_ge_wrote_them(client: TestClient, night_dir: Path) -> None:
    home = client.get(f"/nights/{LAST_NIGHT}/data-docs/")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert home.text == data_docs_index(night_dir).read_text(encoding="utf-8")
    assert "pitfall_P01" in home.text and "pitfall_P23" in home.text
    assert home.headers["content-security-policy"].startswith("sandbox")
    site = data_docs_index(night_dir).parent
    result = next((site / "validations" / "pitfall_P05").rglob("*.html"))
    page = client.get(f"/nights/{LAST_NIGHT}/data-docs/{result.relative_to(site).as_posix()}")
    assert page.status_code == 200 and "must be 0" in page.text
    css = next((site / "static").rglob("*.css"))
    style = client.get(f"/nights/{LAST_NIGHT}/data-docs/{css.relative_to(site).as_posix()}")
    assert style.status_code == 200 and style.headers["content-type"].startswith("text/css")
    folder = client.get(f"/nights/{LAST_NIGHT}/data-docs", follow_redirects=False)
    assert folder.status_code == 307 and folder.headers["location"] == "data-docs/"


@pytest.mark.parametrize(
    "url",
    [
        f"/nights/{LAST_NIGHT}/data-docs/%2e%2e/%2e%2e/%2e%2e/{REPORT_FILE}",
        f"/nights/{LAST_NIGHT}/data-docs/..%2F..%2F..%2F{REPORT_FILE}",
        f"/nights/{LAST_NIGHT}/data-docs/%2Fetc%2Fpasswd",
        f"/nights/{LAST_NIGHT}/data-docs/no-such-page.html",
        "/nights/2026-02-30/data-docs/",
        "/nights/2001-01-01/data-docs/",
        "/nights/latest/data-docs/",
    ],
)
def test_nothing_outside_a_nights_data_docs_is_served(client: TestClient, url: str) -> None:
    page = client.get(url)
    assert page.status_code == 404
    assert "<html" not in page.text


def test_links_and_dots_cannot_lead_out_of_the_site(night_dir: Path) -> None:
    runs = night_dir.parent
    site = data_docs_index(night_dir).parent
    assert docs_file(runs, LAST_NIGHT, "") == data_docs_index(night_dir).resolve()
    assert docs_file(runs, LAST_NIGHT, f"../../../../{REPORT_FILE}") is None
    assert docs_file(runs, LAST_NIGHT, str(night_dir / REPORT_FILE)) is None
    assert docs_file(runs, LAST_NIGHT, "index.html\x00.css") is None
    escape = site / "escape.html"
    escape.symlink_to(night_dir / REPORT_FILE)
    try:
        assert docs_file(runs, LAST_NIGHT, "escape.html") is None
    finally:
        escape.unlink()


def test_the_data_docs_need_the_same_sign_in_as_the_report(
    report_warehouse: ReportWarehouse,
) -> None:
    def signed_out() -> None:
        raise HTTPException(status_code=403, detail="sign in")

    guarded = TestClient(
        create_app(lambda: report_warehouse.paths, dependencies=[Depends(signed_out)])
    )
    assert guarded.get(f"/nights/{LAST_NIGHT}").status_code == 403
    assert guarded.get(f"/nights/{LAST_NIGHT}/data-docs/").status_code == 403
    assert guarded.get(f"/nights/{LAST_NIGHT}/data-docs/index.html").status_code == 403
