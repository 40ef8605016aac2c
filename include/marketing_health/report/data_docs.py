"""A night's Great Expectations Data Docs, served beside its report in the Airflow UI.

GE writes each night's Data Docs into the night's project (``runs/<night>/gx/uncommitted/
data_docs/local_site/``, see :mod:`marketing_health.guards.gx_project`) as static pages
linking each other and their styles by relative paths. They are served as they are, at
``nights/<night>/data-docs/``, behind the same sign-in as the report pages.

A night is addressed by its date only, and the file asked for must resolve (symbolic links
followed) to a file inside that night's site: ``..``, absolute paths and links leading out are
refused with 404 before anything is read. The pages carry GE's own scripts and values from the
exports (campaign ids), so they are sent with a sandboxing Content-Security-Policy: they run
as a page of no origin and cannot act with the signed-in user's Airflow session.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from datetime import date
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse, Response

from marketing_health.guards.gx_project import DATA_DOCS_INDEX, data_docs_index
from marketing_health.report.html import DATA_DOCS_HREF
from marketing_health.settings import Paths

#: Path of a night's Data Docs under the pages, after ``nights/<night>/``.
ROUTE = "data-docs/"
#: GE's scripts run, in a page of no origin (no cookies, no same-origin requests).
_HEADERS = {
    "Content-Security-Policy": "sandbox allow-scripts allow-popups allow-downloads",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


def site_dir(runs_dir: Path, night: str) -> Path | None:
    """The folder of a night's Data Docs, when the night is a real date and has them."""
    try:
        day = date.fromisoformat(night).isoformat()
    except (TypeError, ValueError):
        return None
    if day != night:
        return None
    index = data_docs_index(runs_dir / day)
    return index.parent if index.is_file() else None


def docs_file(runs_dir: Path, night: str, path: str) -> Path | None:
    """The file of a night's Data Docs at ``path`` (its index for the folder), or None when
    there is none or the path leads outside the night's site."""
    site = site_dir(runs_dir, night)
    if site is None:
        return None
    try:
        root = site.resolve(strict=True)
        candidate = (root / (path or DATA_DOCS_INDEX)).resolve()
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a link loop
        return None
    if candidate.is_dir():
        candidate = candidate / DATA_DOCS_INDEX
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def has_docs(runs_dir: Path, night: str) -> bool:
    return site_dir(runs_dir, night) is not None


def served_links(text: str, night_path: str) -> str:
    """A served report's link to its Data Docs, pointed at the route (``night_path`` is the
    night's page relative to the page showing it: ``nights/<night>`` or ``<night>``)."""
    return text.replace(f'href="{DATA_DOCS_HREF}"', f'href="{night_path}/{ROUTE}"')


def router(paths: Callable[[], Paths]) -> APIRouter:
    """``GET nights/<night>/data-docs/<path>``: the night's Data Docs as GE wrote them."""
    pages = APIRouter()

    @pages.get("/nights/{night}/data-docs")
    def folder(night: str) -> Response:
        return RedirectResponse(ROUTE, status_code=307)  # relative: keeps any prefix

    @pages.get("/nights/{night}/data-docs/{path:path}")
    def docs(night: str, path: str) -> Response:
        found = docs_file(paths().runs_dir, night, path)
        if found is None:
            return Response("No Data Docs page here.", 404, media_type="text/plain")
        media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return FileResponse(found, media_type=media_type, headers=_HEADERS)

    return pages
