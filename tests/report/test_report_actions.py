"""Acting on alerts from the Marketing health pages: forms under each open alert, posts that
record an action with source ui, behind the host's write permission and safe against
cross-site posts. Served by the real app over ASGI."""

from __future__ import annotations

import fcntl
import os
import re
import time
from html import unescape

import pytest
from fastapi import Depends, HTTPException
from fastapi.testclient import TestClient

from marketing_health.alerts.actions import ActionInbox
from marketing_health.report.actions_page import UiUser
from marketing_health.report.html import write_health_report
from marketing_health.report.web import create_app
from marketing_health.settings import Paths
from marketing_health.warehouse import connect, lock_path

from .synthetic import NIGHT, build_warehouse

MEI = UiUser("u-7", "Mei Chen")
_FORM = re.compile(
    r'<form class="alert-actions" method="post" action="([^"]+)" id="([^"]+)">(.*?)</form>', re.S
)
_HIDDEN = re.compile(r'<input type="hidden" name="([a-z]+)" value="([^"]*)">')


@pytest.fixture
def night_report(paths: Paths) -> Paths:
    build_warehouse(paths, campaigns=4, guards=True)
    write_health_report(paths, NIGHT)
    return paths


@pytest.fixture
def client(night_report: Paths) -> TestClient:
    return TestClient(create_app(lambda: night_report, user=lambda: MEI))


def _forms(html: str) -> list[tuple[str, str, dict[str, str]]]:
    return [
        (unescape(action), anchor, {k: unescape(v) for k, v in _HIDDEN.findall(body)})
        for action, anchor, body in _FORM.findall(html)
    ]


def _open_alerts(paths: Paths) -> int:
    with connect(paths.warehouse, read_only=True) as con:
        return con.execute(
            "select count(*) from guards.guard_results where run_date = ? and outcome = 'fail'",
            [NIGHT],
        ).fetchone()[0]


def _rows(paths: Paths) -> list[tuple]:
    with connect(paths, read_only=True) as con:
        return con.execute(
            "select campaign_id, pitfall_id, night::varchar, action, user_id, user_name, source, "
            "until_date::varchar, note from alerts.alert_actions order by acted_at"
        ).fetchall()


def test_each_open_alert_has_a_form_and_the_file_has_none(night_report: Paths, client) -> None:
    page = client.get(f"/nights/{NIGHT}")
    forms = _forms(page.text)
    assert len(forms) == _open_alerts(night_report) > 0
    action, anchor, hidden = forms[0]
    assert action == f"{NIGHT}/actions" and anchor.startswith("alert-")
    assert set(hidden) == {"csrf", "key", "campaign", "pitfall"}
    assert len({h["key"] for _, _, h in forms}) == len(forms)  # one-time keys
    assert client.get("/").text.count('<form class="alert-actions"') == len(forms)
    assert _forms(client.get("/").text)[0][0] == f"nights/{NIGHT}/actions"
    report = (night_report.run_dir(NIGHT) / "health_report.html").read_text("utf-8")
    assert "<form" not in report and "<!--mh-alert " in report


def test_acknowledge_from_the_page(night_report: Paths, client) -> None:
    action, anchor, hidden = _forms(client.get(f"/nights/{NIGHT}").text)[0]
    answer = client.post(
        f"/nights/{action}", data={**hidden, "action": "acknowledge"}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"../{NIGHT}?saved=recorded#{anchor}"
    assert _rows(night_report) == [
        (
            hidden["campaign"],
            hidden["pitfall"],
            NIGHT,
            "acknowledge",
            "u-7",
            "Mei Chen",
            "ui",
            None,
            None,
        )
    ]
    # the same form sent again (a reload, a double click) records nothing more
    again = client.post(
        f"/nights/{action}", data={**hidden, "action": "acknowledge"}, follow_redirects=False
    )
    assert again.status_code == 303 and len(_rows(night_report)) == 1

    page = client.get(f"/nights/{NIGHT}?saved=recorded").text
    assert "Saved. The next digests take it into account." in page
    form = next(body for _, a, body in _FORM.findall(page) if a == anchor)
    assert "Acknowledged by Mei Chen on " in form and 'value="reopen"' in form


def test_snooze_and_labels_with_a_note(night_report: Paths, client) -> None:
    forms = _forms(client.get(f"/nights/{NIGHT}").text)
    (a1, _, h1), (a2, _, h2), (a3, _, h3) = forms[:3]
    client.post(f"/nights/{a1}", data={**h1, "action": "snooze", "days": "7"})
    client.post(
        f"/nights/{a2}",
        data={**h2, "action": "snooze", "days": "until", "until": "2026-04-15"},
    )
    client.post(
        f"/nights/{a3}",
        data={**h3, "action": "not_a_problem", "note": "Brand 3 runs micro-creators on purpose"},
    )
    assert [(r[3], r[7], r[8]) for r in _rows(night_report)] == [
        ("snooze", "2026-04-07", None),
        ("snooze", "2026-04-15", None),
        ("not_a_problem", None, "Brand 3 runs micro-creators on purpose"),
    ]
    page = client.get(f"/nights/{NIGHT}").text
    assert "Snoozed by Mei Chen until Apr 15, 2026." in page
    assert "Marked not a problem by Mei Chen: Brand 3 runs micro-creators on purpose" in page


def test_a_snooze_without_a_usable_date_is_refused(night_report: Paths, client) -> None:
    action, _, hidden = _forms(client.get(f"/nights/{NIGHT}").text)[0]
    for until in ("", "2026-03-01"):
        answer = client.post(
            f"/nights/{action}",
            data={**hidden, "action": "snooze", "days": "until", "until": until},
        )
        assert answer.status_code == 400
        assert "Pick 1 day, 1 week, or a date after Mar 31, 2026" in answer.text
    assert not (night_report.warehouse.parent / "x").exists()
    with connect(night_report, read_only=True) as con:
        tables = con.execute(
            "select count(*) from information_schema.tables where table_name = 'alert_actions'"
        ).fetchone()[0]
    assert tables == 0


def test_posts_from_elsewhere_are_refused(night_report: Paths, client) -> None:
    action, _, hidden = _forms(client.get(f"/nights/{NIGHT}").text)[0]
    url = f"/nights/{action}"
    forged = client.post(url, data={**hidden, "csrf": "1.deadbeef", "action": "acknowledge"})
    missing = client.post(
        url, data={k: v for k, v in hidden.items() if k != "csrf"} | {"action": "acknowledge"}
    )
    cross = client.post(
        url,
        data={**hidden, "action": "acknowledge"},
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    other_night = client.post(
        "/nights/2026-03-30/actions", data={**hidden, "action": "acknowledge"}
    )
    assert [r.status_code for r in (forged, missing, cross, other_night)] == [403] * 4
    assert "Reload the page and try again" in forged.text
    # a token is bound to the person it was given to
    ben = TestClient(create_app(lambda: night_report, user=lambda: UiUser("u-8", "Ben")))
    assert ben.post(url, data={**hidden, "action": "acknowledge"}).status_code == 403


def test_posting_needs_the_write_permission(night_report: Paths) -> None:
    def read_only_user() -> None:
        raise HTTPException(status_code=403, detail="Forbidden")

    app = create_app(
        lambda: night_report, write_dependencies=[Depends(read_only_user)], user=lambda: MEI
    )
    client = TestClient(app)
    page = client.get(f"/nights/{NIGHT}")
    assert page.status_code == 200
    action, _, hidden = _forms(page.text)[0]
    answer = client.post(f"/nights/{action}", data={**hidden, "action": "acknowledge"})
    assert answer.status_code == 403
    assert not (night_report.actions_dir / "inbox").exists()


def test_while_the_night_holds_the_warehouse(night_report: Paths, client) -> None:
    handle = os.open(lock_path(night_report.warehouse), os.O_RDWR | os.O_CREAT)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        started = time.monotonic()
        page = client.get(f"/nights/{NIGHT}")
        assert time.monotonic() - started < 5
        assert "The nightly run is using the warehouse" in page.text
        action, anchor, hidden = _forms(page.text)[0]
        answer = client.post(
            f"/nights/{action}",
            data={**hidden, "action": "expected", "note": "Launch pause"},
            follow_redirects=False,
        )
        assert answer.headers["location"] == f"../{NIGHT}?saved=queued#{anchor}"
        assert len(ActionInbox(night_report)) == 1
        waiting = client.get(f"/nights/{NIGHT}?saved=queued").text
        assert "the action is kept and recorded before the next digests" in waiting
        assert "Marked expected by Mei Chen: Launch pause" in waiting
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)


def test_forms_in_the_readers_language(night_report: Paths) -> None:
    write_health_report(night_report, NIGHT, languages=["en", "zh-Hans"])
    client = TestClient(create_app(lambda: night_report, user=lambda: MEI))
    page = client.get(f"/nights/{NIGHT}?lang=zh-Hans").text
    action, _, hidden = _forms(page)[0]
    assert action == f"{NIGHT}/actions?lang=zh-Hans"
    assert "认领" in page and "不是问题" in page
    answer = client.post(
        f"/nights/{action}", data={**hidden, "action": "acknowledge"}, follow_redirects=False
    )
    assert "lang=zh-Hans" in answer.headers["location"]
