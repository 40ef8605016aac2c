"""The report pages the Airflow web server serves: the latest night, any night, and a list.

The pages only read the HTML files the nightly run wrote (``runs/<night>/health_report.html``):
no warehouse connection is opened while someone browses, so the UI never holds a lock the
nightly run waits for. A night is addressed by its date only; anything that is not a real
``YYYY-MM-DD`` date is refused before a path is built, and the resolved path must stay inside
the runs folder.

Each page is in its reader's language (:mod:`marketing_health.report.languages`): the report
file of that language when the night has one, the pages' own texts translated, the links
carrying ``?lang=`` when the reader chose a language so the choice holds from page to page.

Under each open alert a served report has a form to acknowledge, snooze or label it
(:mod:`marketing_health.report.actions_page`); posting one needs the write dependencies the
host puts on it. Showing the forms reads what was done already with a short wait, so a page
never waits on the nightly run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Header, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from marketing_health.alerts.actions import InvalidAction, record
from marketing_health.alerts.interactions import router as slack_router
from marketing_health.alerts.interactions import signing_secret
from marketing_health.alerts.policy import AlertingConfigError
from marketing_health.i18n import DEFAULT_LANGUAGE, Translator, UnknownLanguageError, translator
from marketing_health.i18n.translator import supported_languages
from marketing_health.report import data_docs
from marketing_health.report.actions_page import (
    UiUser,
    action_from_form,
    anchor,
    local_user,
    same_site,
    saved_notice,
    token_valid,
    with_forms,
)
from marketing_health.report.html import (
    LANGUAGES_END,
    LANGUAGES_START,
    NIGHTS_SLOT,
    REPORT_FILE,
    language_nav,
    night_report_files,
    page,
    rich,
    slot,
)
from marketing_health.report.languages import choose_language, languages_in_use
from marketing_health.settings import Paths

_NIGHT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: The page depends on the reader's language: caches must key on it.
_HEADERS = {"Cache-Control": "no-cache", "Vary": "Accept-Language"}


class ActionForbidden(StarletteHTTPException):
    """Raised by a host's write dependency for a signed-in reader who may read the report but
    not act on its alerts: the pages answer with a 403 page saying so, in the reader's
    language (any other refusal keeps the host's answer)."""

    def __init__(self) -> None:
        super().__init__(status_code=403, detail="Forbidden")


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


def _query(language: str | None) -> str:
    """The query string that keeps a reader's explicit language choice on the next page."""
    return f"?{urlencode({'lang': language})}" if language else ""


def _nav(
    nights: Sequence[str], current: str, to_nights: str, t: Translator, keep: str | None
) -> str:
    """Links to the neighbouring nights; ``to_nights`` is the relative path to the night pages,
    ``keep`` the language the reader chose, carried to the pages linked."""
    i = nights.index(current)
    query = _query(keep)
    links = []
    if i + 1 < len(nights):
        older = nights[i + 1]
        links.append(
            f'<a href="{to_nights}{older}{query}">\u2190 {escape(t.date(older, "medium"))}</a>'
        )
    if i > 0:
        newer = nights[i - 1]
        links.append(
            f'<a href="{to_nights}{newer}{query}">{escape(t.date(newer, "medium"))} \u2192</a>'
        )
    if i > 1:
        latest = escape(t.gettext("latest night"))
        links.append(f'<a href="{to_nights}{nights[0]}{query}">{latest}</a>')
    every = escape(t.gettext("all nights"))
    links.append(f'<a href="{to_nights or "./"}{query}">{every}</a>')
    label = escape(t.gettext("Other nights"))
    return f'<nav class="nights-nav" aria-label="{label}">{"".join(links)}</nav>'


@dataclass(frozen=True)
class Reader:
    """What a request says about its reader's language: ``?lang=`` and ``Accept-Language``."""

    explicit: str | None = None
    accept_language: str | None = None

    def choose(self, available: Sequence[str], default: str) -> tuple[str, bool]:
        return choose_language(self.explicit, self.accept_language, available, default)

    def page_language(self) -> tuple[str, bool]:
        """The language of a page around the reports: one with translations, else the
        default language of the alerting file."""
        return self.choose(supported_languages(), _default_language())


def _reader(
    lang: str | None = None, accept_language: Annotated[str | None, Header()] = None
) -> Reader:
    """The reader of a request (a FastAPI dependency)."""
    return Reader(lang, accept_language)


ReaderOf = Annotated[Reader, Depends(_reader)]


def _default_language() -> str:
    try:
        return languages_in_use()[0]
    except (AlertingConfigError, UnknownLanguageError):  # the night's log says what is wrong
        return DEFAULT_LANGUAGE


def _html(text: str, language: str, status: int = 200) -> HTMLResponse:
    headers = {**_HEADERS, "Content-Language": language}
    return HTMLResponse(text, status, headers=headers)


def _report_response(
    paths: Paths,
    night: str,
    to_nights: str,
    reader: Reader,
    user: UiUser | None = None,
    saved: str | None = None,
) -> HTMLResponse:
    runs_dir = paths.runs_dir
    path = report_file(runs_dir, night)
    if path is None:
        return _not_found(night, reader)
    files = night_report_files(path.parent)
    languages = list(files)
    language, chosen = reader.choose(languages, languages[0])
    t = translator(language)
    text = files[language].read_text(encoding="utf-8")
    keep = language if chosen else None
    nav = _nav(available_nights(runs_dir), night, to_nights, t, keep)
    text = text.replace(NIGHTS_SLOT, nav, 1)
    start, end = text.find(LANGUAGES_START), text.find(LANGUAGES_END)
    if 0 <= start < end:  # links to this page in the night's other languages
        switcher = language_nav(t, language, languages, _query)
        text = text[:start] + switcher + text[end + len(LANGUAGES_END) :]
    text = data_docs.served_links(text, f"{to_nights}{night}")
    if user is not None:  # a form under each open alert
        url = f"{to_nights}{night}/actions{_query(keep)}"
        text = with_forms(text, paths, night, url, user, t)
    notice = saved_notice(saved, t)
    if notice:
        text = text.replace(
            "<header>", f'<p class="saved" role="status">{escape(notice)}</p><header>', 1
        )
    return _html(text, language)


def _refused(status: int, said: str, reader: Reader) -> HTMLResponse:
    """A page saying why an action was not taken."""
    language, chosen = reader.page_language()
    t = translator(language)
    title = escape(t.gettext("Marketing health"))
    heading = escape(t.gettext("The action was not saved"))
    back = escape(t.gettext("Back to the report"))
    body = (
        f"<header><h1>{title}</h1></header>"
        f'<section class="notice" role="alert"><h2>{heading}</h2><p>{escape(said)}</p>'
        f'<p><a href="./{_query(language if chosen else None)}">{back}</a></p></section>'
    )
    return _html(
        page(t.gettext("Marketing health: action not saved"), body, language), language, status
    )


def _no_report_yet(reader: Reader) -> HTMLResponse:
    language, _ = reader.page_language()
    t = translator(language)
    title = escape(t.gettext("Marketing health"))
    heading = escape(t.gettext("No health report yet"))
    text = rich(
        t.gettext(
            "The report is written at the end of each nightly run. Unpause and run the DAG {dag} "
            "(or run {command}), then reload this page.",
            dag=slot("dag"),
            command=slot("command"),
        ),
        dag="<code>marketing_health</code>",
        command="<code>marketing-health run-night --as-of YYYY-MM-DD</code>",
    )
    body = (
        f"<header><h1>{title}</h1></header>"
        f'<section class="notice" role="note"><h2>{heading}</h2><p>{text}</p></section>'
    )
    page_title = t.gettext("Marketing health: no report yet")
    return _html(page(page_title, body, language), language)


def _not_found(night: str, reader: Reader) -> HTMLResponse:
    language, chosen = reader.page_language()
    t = translator(language)
    day = parse_night(night)
    if day:
        said = t.gettext("There is no health report for {date}.", date=t.date(day, "long"))
    else:
        said = t.gettext("There is no health report for that date.")
    see = escape(t.gettext("See the nights that have one"))
    title = escape(t.gettext("Marketing health"))
    heading = escape(t.gettext("No report for this night"))
    body = (
        f"<header><h1>{title}</h1></header>"
        f'<section class="notice" role="note"><h2>{heading}'
        f'</h2><p>{escape(said)} <a href="./{_query(language if chosen else None)}">'
        f"{see}</a>.</p></section>"
    )
    status = 404 if day else 400
    title = t.gettext("Marketing health: no report")
    return _html(page(title, body, language), language, status)


def _index(runs_dir: Path, reader: Reader) -> HTMLResponse:
    nights = available_nights(runs_dir)
    if not nights:
        return _no_report_yet(reader)
    language, chosen = reader.page_language()
    t = translator(language)
    query = _query(language if chosen else None)
    # Translators: "Great Expectations" and "Data Docs" are the names of the tool and its pages
    docs = escape(t.gettext("Great Expectations Data Docs"))
    items = "".join(
        f'<li><a href="{n}{query}">{escape(t.date(n, "full"))}</a> ({n})'
        + (
            f' · <a href="{n}/{data_docs.ROUTE}">{docs}</a>'
            if data_docs.has_docs(runs_dir, n)
            else ""
        )
        + "</li>"
        for n in nights
    )
    title = t.gettext("Marketing health: every night")
    lead = t.gettext("Newest first; each page is the report the nightly run wrote.")
    switcher = language_nav(t, language, supported_languages(), _query)
    body = (
        f"{switcher}<header><h1>{escape(title)}</h1>"
        f'<p class="sub">{escape(lead)}</p>'
        f'</header><ul class="nights-list">{items}</ul>'
    )
    return _html(page(title, body, language), language)


def create_app(
    paths: Callable[[], Paths] = Paths.from_env,
    dependencies: Sequence[Any] = (),
    *,
    write_dependencies: Sequence[Any] = (),
    user: Callable[..., UiUser] = local_user,
    slack_secret: Callable[[], str | None] = signing_secret,
) -> FastAPI:
    """The report pages as an app; ``dependencies`` guard every page (the host's sign-in).

    Every page is in the reader's language: ``?lang=`` when it names one the night was written
    in, else the browser's ``Accept-Language``, else the alerting file's default.

    Acting on an alert (``POST /nights/<night>/actions``) also needs ``write_dependencies``
    (the host's write permission); ``user`` is a dependency naming the signed-in person.

    Slack's interactivity endpoint (``POST /slack/interactions``) is served beside the pages
    without ``dependencies``: Slack cannot sign in, so Slack's signature with ``slack_secret``
    is its only gate (:mod:`marketing_health.alerts.interactions`).
    """
    app = FastAPI(
        title="Marketing health report",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.include_router(slack_router(paths, slack_secret))
    pages = APIRouter(dependencies=list(dependencies))

    signed_in = Depends(user)

    @pages.get("/", response_class=HTMLResponse)
    def latest(who: ReaderOf, person: UiUser = signed_in, saved: str | None = None) -> HTMLResponse:
        installation = paths()
        nights = available_nights(installation.runs_dir)
        if not nights:
            return _no_report_yet(who)
        return _report_response(installation, nights[0], "nights/", who, person, saved)

    @pages.get("/nights/", response_class=HTMLResponse)
    def index(who: ReaderOf) -> HTMLResponse:
        return _index(paths().runs_dir, who)

    @pages.get("/nights/{night}", response_class=HTMLResponse)
    def night(
        night: str, who: ReaderOf, person: UiUser = signed_in, saved: str | None = None
    ) -> HTMLResponse:
        return _report_response(paths(), night, "", who, person, saved)

    writes = APIRouter(dependencies=[*dependencies, *write_dependencies])

    @writes.post("/nights/{night}/actions")
    async def act(
        night: str,
        request: Request,
        who: ReaderOf,
        person: UiUser = signed_in,
        lang: str | None = None,
    ) -> Response:
        day = parse_night(night)
        language, _ = who.page_language()
        t = translator(language)
        if day is None:
            return _not_found(night, who)
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        installation = paths()
        if not same_site(request.headers, request.headers.get("host")) or not token_valid(
            installation, person, day, form.get("csrf", "")
        ):
            said = t.gettext(
                "This form has expired or was not sent from the report page. Reload the page "
                "and try again."
            )
            return _refused(403, said, who)
        try:
            action = action_from_form(form, day, person)
        except InvalidAction as exc:
            return _refused(400, _invalid(exc, form, day, t), who)
        status = await run_in_threadpool(record, installation, action)
        query = urlencode({"saved": status, **({"lang": lang} if lang else {})})
        target = f"../{day}?{query}#{anchor(action.ref.campaign_id, action.ref.pitfall_id)}"
        return RedirectResponse(target, status_code=303)

    app.include_router(pages)
    app.include_router(data_docs.router(paths), dependencies=list(dependencies))
    app.include_router(writes)

    @app.exception_handler(ActionForbidden)
    async def refused_action(request: Request, exc: ActionForbidden) -> Response:
        """A reader who may see the report but not act on it gets a page saying why, in their
        language, instead of a bare 403."""
        reader = Reader(request.query_params.get("lang"), request.headers.get("accept-language"))
        t = translator(reader.page_language()[0])
        said = t.gettext(
            "You can read this report but not act on its alerts: acknowledging, snoozing or "
            "labelling an alert needs the right to change the runs of the {dag} DAG. Ask an "
            "Airflow admin for it, or tell the alert's owner.",
            dag="marketing_health",
        )
        return _refused(403, said, reader)

    return app


def _invalid(exc: InvalidAction, form: dict[str, str], night: str, t: Translator) -> str:
    """Why a posted action cannot be saved, in the reader's words."""
    if form.get("action") == "snooze":
        return t.gettext(
            "Pick 1 day, 1 week, or a date after {date} (the night of this report) and within a "
            "year.",
            date=t.date(night, "medium"),
        )
    return t.gettext(
        "The form did not name an alert and an action this page offers ({reason}).", reason=str(exc)
    )
