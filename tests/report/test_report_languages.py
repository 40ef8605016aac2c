# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""The health report and the report pages in the team's language.

Warehouses are written with SQL into real DuckDB files shaped like the marts (``synthetic.py``);
the pages are served by the real app over ASGI. The Chinese texts asserted are the ones a
Shanghai team reads: each is looked up in the catalogues at test time, so a missing
translation fails here instead of shipping English inside a Chinese page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marketing_health.catalogue import load_catalogue
from marketing_health.i18n import translator
from marketing_health.report.html import REPORT_FILE, report_file_name, write_health_report
from marketing_health.report.languages import accepted_languages, choose_language, negotiate
from marketing_health.report.web import create_app
from marketing_health.settings import ALERTING_CONFIG_ENV, Paths

from .synthetic import NIGHT, add_unknown_words, build_warehouse

EARLIER = "2026-03-30"
ZH = "zh-Hans"
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}">')
    return html[start : html.index("</section>", start)]


def _texts(html: str, tag: str) -> list[str]:
    """The text of every ``tag`` element (markup inside removed)."""
    found = re.findall(rf"<{tag}(?:\s[^>]*)?>(.*?)</{tag}>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", m) for m in found]


@pytest.fixture
def two_languages(paths: Paths) -> Paths:
    build_warehouse(paths, campaigns=6, guards=True)
    add_unknown_words(paths, ["CMP-0001", "CMP-0002"])
    for night in (EARLIER, NIGHT):
        write_health_report(paths, night, languages=["en", ZH])
    return paths


@pytest.fixture
def client(two_languages: Paths) -> TestClient:
    return TestClient(create_app(lambda: two_languages))


# ---------------------------------------------------------------- negotiation


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", ZH),
        ("zh", ZH),
        ("zh-Hans-CN", ZH),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR, zh-CN;q=0.7", ZH),  # no French report: the next language the reader reads
        ("zh-TW", None),  # Traditional Chinese readers are not served Simplified
        ("de;q=1, zh-CN;q=0", None),  # q=0 means "not this one"
        ("", None),
        ("tlh, zh-CN;q=0.5", ZH),  # a tag Babel does not know is passed over
        ("en;q=abc, *", None),  # malformed entries are ignored
    ],
)
def test_accept_language_is_negotiated_against_the_languages_there_are(
    header: str, expected: str | None
) -> None:
    assert negotiate(accepted_languages(header), ["en", ZH]) == expected


def test_an_explicit_choice_beats_the_browser() -> None:
    assert choose_language("en", "zh-CN", ["en", ZH], "en") == ("en", True)
    assert choose_language("zh_hans", None, ["en", ZH], "en") == (ZH, True)
    assert choose_language("fr", "zh-CN", ["en", ZH], "en") == (ZH, False)
    assert choose_language(None, "de-DE", ["en", ZH], ZH) == (ZH, False)


# ---------------------------------------------------------------- the files


def test_one_file_per_language_in_use_linking_each_other(two_languages: Paths) -> None:
    folder = two_languages.run_dir(NIGHT)
    assert sorted(p.name for p in folder.iterdir()) == [REPORT_FILE, report_file_name(ZH)]
    english = (folder / REPORT_FILE).read_text(encoding="utf-8")
    chinese = (folder / report_file_name(ZH)).read_text(encoding="utf-8")
    assert english.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert chinese.startswith(f'<!DOCTYPE html>\n<html lang="{ZH}">')
    assert (
        f'<a href="{report_file_name(ZH)}" hreflang="{ZH}" lang="{ZH}">中文 (简体)</a>' in english
    )
    assert f'<a href="{REPORT_FILE}" hreflang="en" lang="en">English</a>' in chinese

    # a night written again in fewer languages leaves no stale translation behind
    write_health_report(two_languages, NIGHT, languages=["en"])
    assert [p.name for p in folder.iterdir()] == [REPORT_FILE]
    assert 'class="languages"' not in (folder / REPORT_FILE).read_text(encoding="utf-8")


def test_the_languages_come_from_the_alerting_file(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "alerting.yaml"
    config.write_text(
        "language: zh-Hans\nteams:\n  Growth EMEA:\n    language: en\n", encoding="utf-8"
    )
    monkeypatch.setenv(ALERTING_CONFIG_ENV, str(config))
    build_warehouse(paths, campaigns=3, guards=True)
    default = write_health_report(paths, NIGHT)
    assert default.name == REPORT_FILE
    assert default.read_text(encoding="utf-8").startswith(f'<!DOCTYPE html>\n<html lang="{ZH}">')
    english = default.with_name(report_file_name("en")).read_text(encoding="utf-8")
    assert english.startswith('<!DOCTYPE html>\n<html lang="en">')


def test_the_chinese_report_speaks_chinese(two_languages: Paths) -> None:
    html = (two_languages.run_dir(NIGHT) / report_file_name(ZH)).read_text(encoding="utf-8")
    t = translator(ZH)
    # the page's own words: title, every heading and table header, legend, tiles
    assert "<title>营销健康报告 2026年3月31日</title>" in html
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html)
    headings = _texts(html, "h1") + _texts(html, "h2") + headers + _texts(html, "figcaption")
    assert len(headers) > 20
    for text in headings:
        if re.fullmatch(r"P\d+", text):  # the grid's pitfall ids
            continue
        assert _HAN.search(text), f"heading not in Chinese: {text!r}"
    for english in ("Health over time", "Open alerts", "Pitfalls by campaign", "Legend",
                    "campaigns judged", "What to do", "Why it matters", "failing since",
                    "cannot tell", "n/a"):  # fmt: skip
        assert english not in html, english
    assert "<h2>健康分趋势</h2>" in html and "<h2>未关闭的预警</h2>" in html
    assert "2026年3月31日 各活动的营销陷阱" in html  # a day as Chinese readers write it
    assert "自 2026年3月28日 起未通过（已连续 4 晚）" in html  # plural rule of Chinese: one form
    assert re.search(r'class="num">\d+</span>个活动已评估', html)
    assert "未通过，严重" in html and "无法判断：所依赖的某个词未知" in html
    assert '<span class="badge s-warning">警告</span>' in html
    # catalogue texts through the catalogue's translations, where it has them
    catalogue = load_catalogue()
    failing = {p.id for p in catalogue.guarded if f"<strong>{p.id} " in _section(html, "alerts")}
    translated = [
        catalogue[pid]
        for pid in failing
        if t.translate(catalogue[pid].title) != catalogue[pid].title
    ]
    assert translated, "no failing pitfall's title is translated in catalogue.po"
    for pitfall in translated:
        assert f"<strong>{pitfall.id} {t.translate(pitfall.title)}</strong>" in html
        assert pitfall.title not in html
    # unknown words: what the word is meant as, the file counts and how to add it, in Chinese
    words = _section(html, "unknown-terms")
    assert "<td>KPI名称</td>" in words or "KPI 名称" in words
    assert "kpis/2026-03-31/export.csv（3 行）" in words
    assert "Campaign 1 春季、Campaign 2 春季" in words  # names joined as Chinese lists are
    assert "种草指数" in words


# ---------------------------------------------------------------- the pages


def test_the_browser_language_picks_the_report(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert page.status_code == 200
    assert page.headers["content-language"] == ZH and "Accept-Language" in page.headers["vary"]
    assert page.text.startswith(f'<!DOCTYPE html>\n<html lang="{ZH}">')
    assert "<h2>健康分趋势</h2>" in page.text
    # the other nights, named in Chinese; no explicit choice, so the links carry none
    assert '<a href="nights/2026-03-30">← 2026年3月30日</a>' in page.text
    assert '<a href="nights/">全部日期</a>' in page.text
    # the switcher links to this page in English
    assert '<a href="?lang=en" hreflang="en" lang="en">English</a>' in page.text


def test_lang_overrides_the_browser_and_the_choice_is_kept(client: TestClient) -> None:
    page = client.get("/nights/2026-03-31?lang=en", headers={"Accept-Language": "zh-CN"})
    assert page.headers["content-language"] == "en"
    assert page.text.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<h2>Health over time</h2>" in page.text and "健康分趋势" not in page.text
    assert '<a href="2026-03-30?lang=en">← Mar 30, 2026</a>' in page.text
    assert '<a href="./?lang=en">all nights</a>' in page.text
    chinese = client.get("/nights/2026-03-30?lang=zh-Hans")
    assert chinese.headers["content-language"] == ZH
    assert '<a href="2026-03-31?lang=zh-Hans">2026年3月31日 →</a>' in chinese.text


def test_a_night_written_in_one_language_is_served_in_it(
    client: TestClient, two_languages: Paths
) -> None:
    write_health_report(two_languages, EARLIER, languages=["en"])
    page = client.get("/nights/2026-03-30", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and page.headers["content-language"] == "en"
    assert 'class="languages"' not in page.text


def test_the_pages_around_the_reports_in_chinese(client: TestClient) -> None:
    index = client.get("/nights/", headers={"Accept-Language": "zh-CN"})
    assert f'<html lang="{ZH}">' in index.text
    assert "<h1>营销健康：全部日期</h1>" in index.text
    assert '<a href="2026-03-31">2026年3月31日星期二</a>' in index.text
    missing = client.get("/nights/2026-03-29", headers={"Accept-Language": "zh-CN"})
    assert missing.status_code == 404
    assert (
        "<h2>这一晚没有报告</h2>" in missing.text
        and "没有 2026年3月29日 的健康报告。" in missing.text
    )
    wrong = client.get("/nights/latest?lang=zh-Hans")
    assert wrong.status_code == 400 and "没有该日期的健康报告。" in wrong.text
    assert '<a href="./?lang=zh-Hans">' in wrong.text
    english = client.get("/nights/2026-03-29")
    assert "No report for this night" in english.text


def test_before_any_report_the_page_says_so_in_chinese(paths: Paths) -> None:
    page = TestClient(create_app(lambda: paths)).get("/", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and "<h2>还没有健康报告</h2>" in page.text
    assert "<code>marketing_health</code>" in page.text
