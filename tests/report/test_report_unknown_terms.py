"""Words the vocabularies do not know and guards that cannot tell, in the health report.

The warehouse is written with SQL into a real DuckDB file shaped like the marts
(``synthetic.py``): two words no vocabulary knows, one a hostile-looking platform name, and the
guards that cannot tell because of them for two campaigns.
"""

from __future__ import annotations

import re
from html import escape

import pytest

from marketing_health.report.html import write_health_report
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

from .synthetic import NIGHT, UNKNOWN_WORDS, add_unknown_words, build_warehouse

BLIND = ["CMP-0001", "CMP-0002"]
_CELL = re.compile(r'<td class="(k-[^"]*)" title="([^"]*)">([^<]*)</td>')
_ROW = re.compile(r'<tr data-find="[^"]*" data-attention="(\d)" data-campaign-id="([^"]+)">')


def _section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}">')
    return html[start : html.index("</section>", start)]


def _query(paths: Paths, sql: str) -> list[tuple]:
    with connect(paths.warehouse, read_only=True) as con:
        return con.execute(sql, [NIGHT]).fetchall()


@pytest.fixture
def blind_night(paths: Paths) -> Paths:
    build_warehouse(paths, campaigns=6, guards=True)
    add_unknown_words(paths, BLIND)
    return paths


def test_cannot_tell_is_its_own_cell_and_never_counted_failing(blind_night: Paths) -> None:
    html = write_health_report(blind_night, NIGHT).read_text(encoding="utf-8")
    grid = _section(html, "grid")
    assert "cannot tell: a word it depends on is unknown" in grid  # the legend
    cells = _CELL.findall(grid)
    unknown = [(title, glyph) for css, title, glyph in cells if css == "k-unknown"]
    blind = _query(
        blind_night, "select count(*) from guards.guard_results where run_date = ? "
        "and outcome = 'cannot_tell'"
    )[0][0]  # fmt: skip
    assert len(unknown) == blind == 2 * len(BLIND)
    # one word each: the plural form follows the count (no "word(s)")
    assert all(glyph == "~" and ": cannot tell, unknown word: " in t for t, glyph in unknown)
    assert any(escape("<i>shop</i> & live") in t for t, _ in unknown)
    failing = {
        cid
        for (cid,) in _query(
            blind_night,
            "select distinct campaign_id from guards.guard_results "
            "where run_date = ? and outcome = 'fail'",
        )
    }
    # "needs attention" follows failures only, and no alert card names a guard that cannot tell
    rows = dict((cid, flag) for flag, cid in _ROW.findall(_section(html, "trends")))
    assert rows and all((flag == "1") == (cid in failing) for cid, flag in rows.items())
    cards = re.findall(r'(<article class="alert-card.*?</article>)', html, flags=re.S)
    for card in cards:
        if any(f'data-campaign-id="{c}"' in card for c in BLIND):
            assert "<strong>P02 " not in card and "<strong>P15 " not in card
    assert re.search(r'class="num">4</span>checks cannot tell', html)
    assert re.search(r'class="num">2</span>unknown words', html)


def test_unknown_words_are_listed_with_files_campaigns_guards_and_how_to_add(
    blind_night: Paths,
) -> None:
    html = write_health_report(blind_night, NIGHT).read_text(encoding="utf-8")
    section = _section(html, "unknown-terms")
    assert "<h2>Words the vocabularies do not know</h2>" in section
    rows = re.findall(r'<tbody class="word" data-vocabulary="([^"]+)">(.*?)</tbody>', section, re.S)
    assert sorted(v for v, _ in rows) == ["kpi_metrics", "platforms"]
    for vocabulary, row in rows:
        term = next(t for t, spec in UNKNOWN_WORDS.items() if spec[0] == vocabulary)
        source, guard = UNKNOWN_WORDS[term][1], UNKNOWN_WORDS[term][3]
        assert f'<th scope="row" class="term">{escape(term)}</th>' in row
        for day in ("2026-03-30", NIGHT):
            assert f"{source}/{day}/export.csv (3 rows)" in row
        assert '<td class="rows">6</td>' in row
        assert "Campaign 1 春季" in row and "Campaign 2 春季" in row
        assert f"<strong>{guard}</strong>" in row
        assert f"config/vocabularies/{vocabulary}.yaml (this team)" in row
        assert f"include/marketing_health/catalogue/vocabularies/{vocabulary}.yaml" in row
        assert re.search(r"<pre><code>version: 1\n[^<]+\n[^<]+</code></pre>", row)
    assert "<i>shop</i>" not in html and escape("<i>shop</i> & live") in section


def test_without_the_listing_the_guards_that_cannot_tell_are_still_named(
    blind_night: Paths,
) -> None:
    with connect(blind_night.warehouse) as con:
        con.execute("drop table marts.fct_unknown_terms")
    html = write_health_report(blind_night, NIGHT).read_text(encoding="utf-8")
    assert "<li><code>marts.fct_unknown_terms</code>: the words the vocabularies" in html
    section = _section(html, "unknown-terms")
    assert "not in the listing above" in section and "种草指数" in section
    assert "<strong>P02</strong>" in section and "<strong>P15</strong>" in section
    assert 'data-vocabulary="' not in section
