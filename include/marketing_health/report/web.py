"""The report pages the Airflow web server serves: the latest night, any night, and a list.

The pages only read the HTML files the nightly run wrote (``runs/<night>/health_report.html``):
no warehouse connection is opened while someone browses, so the UI never holds a lock the
nightly run waits for. A night is addressed by its date only; anything that is not a real
``YYYY-MM-DD`` date is refused before a path is built, and the resolved path must stay inside
the runs folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from marketing_health.alerts.render import human_date
from marketing_health.report.html import NIGHTS_SLOT, REPORT_FILE, page
from marketing_health.settings import Paths

_NIGHT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HEADERS = {"Cache-Control": "no-cache"}


def parse_night(value: str) -> str | None:
    """The night as an ISO date, or None when the value is not a calendar date."""
    if not _NIGHT.match(value):
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def report_file(runs_dir: Path, night: str) -> Path | None:
    """The report of a night if it exists inside ``runs_dir``; None otherwise."""
    day = parse_night(night)
    if day is None:
        return None
    root = runs_dir.resolve()
    candidate = (root / day / REPORT_FILE).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def available_nights(runs_dir: Path) -> list[str]:
    """Nights with a report, newest first."""
    if not runs_dir.is_dir():
        return []
    nights = [d.name for d in runs_dir.iterdir() if parse_night(d.name) == d.name]
    return sorted((n for n in nights if report_file(runs_dir, n)), reverse=True)


def _nav(nights: Sequence[str], current: str, to_nights: str) -> str:
    """Links to the neighbouring nights; ``to_nights`` is the relative path to the night pages."""
    i = nights.index(current)
    links = []
    if i + 1 < len(nights):
        older = nights[i + 1]
        links.append(f'<a href="{to_nights}{older}">\u2190 {human_date(older)}</a>')
    if i > 0:
        newer = nights[i - 1]
        links.append(f'<a href="{to_nights}{newer}">{human_date(newer)} \u2192</a>')
    if i > 1:
        links.append(f'<a href="{to_nights}{nights[0]}">latest night</a>')
    links.append(f'<a href="{to_nights or "./"}">all nights</a>')
    return f'<nav class="nights-nav" aria-label="Other nights">{"".join(links)}</nav>'


def _report_response(runs_dir: Path, night: str, to_nights: str) -> HTMLResponse:
    path = report_file(runs_dir, night)
    if path is None:
        return _not_found(night)
    text = path.read_text(encoding="utf-8")
    nav = _nav(available_nights(runs_dir), night, to_nights)
    return HTMLResponse(text.replace(NIGHTS_SLOT, nav, 1), headers=_HEADERS)


def _no_report_yet() -> HTMLResponse:
    body = (
        "<header><h1>Marketing health</h1></header>"
        '<section class="notice" role="note"><h2>No health report yet</h2>'
        "<p>The report is written at the end of each nightly run. Unpause and run the DAG "
        "<code>marketing_health</code> (or run <code>marketing-health run-night --as-of "
        "YYYY-MM-DD</code>), then reload this page.</p></section>"
    )
    return HTMLResponse(page("Marketing health: no report yet", body), headers=_HEADERS)


def _not_found(night: str) -> HTMLResponse:
    text = night if parse_night(night) else "that date"
    body = (
        "<header><h1>Marketing health</h1></header>"
        '<section class="notice" role="note"><h2>No report for this night</h2>'
        f"<p>There is no health report for {escape(text)}. "
        '<a href="./">See the nights that have one</a>.</p></section>'
    )
    status = 404 if parse_night(night) else 400
    return HTMLResponse(page("Marketing health: no report", body), status, headers=_HEADERS)


def _index(runs_dir: Path) -> HTMLResponse:
    nights = available_nights(runs_dir)
    if not nights:
        return _no_report_yet()
    items = "".join(f'<li><a href="{n}">{human_date(n)}</a> ({n})</li>' for n in nights)
    body = (
        "<header><h1>Marketing health: every night</h1>"
        '<p class="sub">Newest first; each page is the report the nightly run wrote.</p>'
        f'</header><ul class="nights-list">{items}</ul>'
    )
    return HTMLResponse(page("Marketing health: every night", body), headers=_HEADERS)


def create_app(
    paths: Callable[[], Paths] = Paths.from_env, dependencies: Sequence[Any] = ()
) -> FastAPI:
    """The report pages as an app; ``dependencies`` guard every page (the host's sign-in)."""
    app = FastAPI(
        title="Marketing health report",
        dependencies=list(dependencies),
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )

    @app.get("/", response_class=HTMLResponse)
    def latest() -> HTMLResponse:
        runs_dir = paths().runs_dir
        nights = available_nights(runs_dir)
        if not nights:
            return _no_report_yet()
        return _report_response(runs_dir, nights[0], "nights/")

    @app.get("/nights/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        return _index(paths().runs_dir)

    @app.get("/nights/{night}", response_class=HTMLResponse)
    def night(night: str) -> HTMLResponse:
        return _report_response(paths().runs_dir, night, "")

    return app
