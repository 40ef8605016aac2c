# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation: it is what is asserted)
"""Who may see the Marketing health pages and who may act on an alert, through a real Airflow.

A real Airflow 3 API server loads this repository's plugin with Airflow's simple auth manager
(the one the embedded mode configures) in multi-team mode, so that one viewer can read the
``marketing_health`` DAG's runs and another cannot: the DAG's bundle belongs to the team
``marketing``, the DAG is parsed into the metadata database as the DAG processor parses it.
Every request is real HTTP with a token Airflow issued for the user:

- nobody signed in: every page, the report files, the Data Docs and the action endpoint are
  refused (401) and nothing of the report is in the answer;
- ``fin``, a viewer of another team, cannot read the DAG's runs in Airflow's own API (403) and
  gets the same 403 from every page of the plugin;
- ``vic``, a viewer of the marketing team, reads every page but cannot acknowledge an alert, even
  with the form Airflow showed them: the action endpoint needs the right to change the DAG's
  runs, nothing is recorded, and the page says why in the reader's language;
- ``mei``, a user (Airflow's role allowed to trigger and clear runs) of the marketing team, acts
  on an alert and the action records her.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import httpx
import pytest

from marketing_health.airflow_env import airflow_environ, airflow_executable, run_airflow
from marketing_health.demo import DAG_ID
from marketing_health.guards.gx_project import data_docs_index
from marketing_health.report.html import write_health_report
from marketing_health.report.links import URL_PREFIX
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

from .synthetic import NIGHT, build_warehouse

pytestmark = pytest.mark.integration

SIMPLE_AUTH_MANAGER = (
    "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
)
#: user -> (role, team); the password is generated per test run.
USERS = {
    "admin": ("admin", None),
    "mei": ("user", "marketing"),
    "vic": ("viewer", "marketing"),
    "fin": ("viewer", "finance"),
}
DOCS_MARKER = "Data Docs of the night"
_FORM = re.compile(
    r'<form class="alert-actions" method="post" action="([^"]+)" id="([^"]+)">(.*?)</form>', re.S
)
_HIDDEN = re.compile(r'<input type="hidden" name="([a-z]+)" value="([^"]*)">')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class SignedAirflow:
    """The API server's address, the report's folders and a token per user."""

    base: str
    paths: Paths
    tokens: dict[str, str]

    def get(self, path: str, user: str | None = None, **kw: object) -> httpx.Response:
        return httpx.get(f"{self.base}{URL_PREFIX}{path}", headers=self._auth(user), **kw)

    def post(self, path: str, user: str | None, data: dict[str, str]) -> httpx.Response:
        return httpx.post(
            f"{self.base}{URL_PREFIX}{path}", data=data, headers=self._auth(user), timeout=30
        )

    def _auth(self, user: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}


@pytest.fixture(scope="module")
def signed_airflow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignedAirflow]:
    root = tmp_path_factory.mktemp("access")
    paths = Paths.under(root / "data")
    paths.data_dir.mkdir(parents=True)
    build_warehouse(paths, campaigns=4, guards=True)
    write_health_report(paths, NIGHT)
    docs = data_docs_index(paths.run_dir(NIGHT))
    docs.parent.mkdir(parents=True, exist_ok=True)
    docs.write_text(f"<html><body>{DOCS_MARKER}</body></html>", encoding="utf-8")

    home = root / "airflow"
    home.mkdir()
    passwords = {name: f"pw-{name}-{os.urandom(6).hex()}" for name in USERS}
    (home / "passwords.json").write_text(json.dumps(passwords), encoding="utf-8")
    port = _free_port()
    extra = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": ",".join(
            f"{name}:{role}" + (f":{team}" if team else "") for name, (role, team) in USERS.items()
        ),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
        "AIRFLOW__CORE__MULTI_TEAM": "True",
        "AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST": json.dumps(
            [
                {
                    "name": "dags-folder",
                    "classpath": "airflow.dag_processing.bundles.local.LocalDagBundle",
                    "kwargs": {},
                    "team_name": "marketing",
                }
            ]
        ),
        "AIRFLOW__CORE__LAZY_LOAD_PLUGINS": "False",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__API__PORT": str(port),
    }
    run_airflow(["db", "migrate"], paths, extra_env=extra, capture=True)
    for team in ("marketing", "finance"):
        run_airflow(["teams", "create", team], paths, extra_env=extra, capture=True)
    # the DAG in the metadata database with its bundle, as the DAG processor records it
    run_airflow(["dags", "reserialize"], paths, extra_env=extra, capture=True)

    log_path = home / "api-server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [airflow_executable(), "api-server", "--host", "127.0.0.1", "--port", str(port), "-w1"],
            env=airflow_environ(paths, extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, log_path.read_text()[-3000:]
            try:
                if httpx.get(f"{base}/api/v2/monitor/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the Airflow API server did not start"
            time.sleep(1)
        tokens = {}
        for name, password in passwords.items():
            answer = httpx.post(
                f"{base}/auth/token", json={"username": name, "password": password}, timeout=30
            )
            assert answer.status_code in (200, 201), answer.text
            tokens[name] = answer.json()["access_token"]
        yield SignedAirflow(base, paths, tokens)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


#: Every page and file the plugin serves behind Airflow's sign-in.
PAGES = (
    "/",
    "/nights/",
    f"/nights/{NIGHT}",
    f"/nights/{NIGHT}?lang=zh-Hans",
    f"/nights/{NIGHT}/data-docs/",
    f"/nights/{NIGHT}/data-docs/index.html",
)


def _forms(html: str) -> list[tuple[str, dict[str, str]]]:
    return [
        (unescape(action), {k: unescape(v) for k, v in _HIDDEN.findall(body)})
        for action, _, body in _FORM.findall(html)
    ]


def _actions(paths: Paths) -> list[tuple]:
    with connect(paths, read_only=True) as con:
        tables = con.execute(
            "select count(*) from information_schema.tables where table_name = 'alert_actions'"
        ).fetchone()[0]
        if not tables:
            return []
        return con.execute(
            "select campaign_id, pitfall_id, action, user_id, source from alerts.alert_actions"
        ).fetchall()


def _inbox(paths: Paths) -> list[Path]:
    inbox = paths.actions_dir / "inbox"
    return sorted(inbox.iterdir()) if inbox.is_dir() else []


def test_nobody_signed_in_sees_nothing(signed_airflow: SignedAirflow) -> None:
    for page in PAGES:
        answer = signed_airflow.get(page, timeout=30)
        assert answer.status_code == 401, (page, answer.status_code)
        assert "Marketing health" not in answer.text and DOCS_MARKER not in answer.text
    forged = httpx.get(
        f"{signed_airflow.base}{URL_PREFIX}/", headers={"Authorization": "Bearer x.y.z"}, timeout=30
    )
    # Airflow answers a token it did not sign with 403 ("Invalid JWT token")
    assert forged.status_code in (401, 403) and "Marketing health" not in forged.text
    before = _inbox(signed_airflow.paths)
    posted = signed_airflow.post(f"/nights/{NIGHT}/actions", None, {"action": "acknowledge"})
    assert posted.status_code == 401
    assert _inbox(signed_airflow.paths) == before


def test_a_user_who_cannot_read_the_runs_sees_nothing(signed_airflow: SignedAirflow) -> None:
    airflow_api = httpx.get(
        f"{signed_airflow.base}/api/v2/dags/{DAG_ID}/dagRuns",
        headers={"Authorization": f"Bearer {signed_airflow.tokens['fin']}"},
        timeout=30,
    )
    assert airflow_api.status_code == 403  # Airflow itself keeps this DAG's runs from fin
    for page in PAGES:
        answer = signed_airflow.get(page, "fin", timeout=30)
        assert answer.status_code == 403, (page, answer.status_code)
        assert "Marketing health" not in answer.text and DOCS_MARKER not in answer.text
    # the UI sends the token as a cookie: the same refusal
    cookie = httpx.get(
        f"{signed_airflow.base}{URL_PREFIX}/",
        cookies={"_token": signed_airflow.tokens["fin"]},
        timeout=30,
    )
    assert cookie.status_code == 403
    before = _inbox(signed_airflow.paths)
    posted = signed_airflow.post(f"/nights/{NIGHT}/actions", "fin", {"action": "acknowledge"})
    assert posted.status_code == 403
    assert "Marketing health" not in posted.text and "can read this report" not in posted.text
    assert _inbox(signed_airflow.paths) == before


def test_a_viewer_reads_every_page_but_cannot_act(signed_airflow: SignedAirflow) -> None:
    for page in PAGES:
        answer = signed_airflow.get(page, "vic", timeout=30, follow_redirects=True)
        assert answer.status_code == 200, (page, answer.status_code)
    report = signed_airflow.get(f"/nights/{NIGHT}", "vic", timeout=30).text
    assert "Marketing health" in report
    docs = signed_airflow.get(f"/nights/{NIGHT}/data-docs/index.html", "vic", timeout=30)
    assert DOCS_MARKER in docs.text
    cookie = httpx.get(
        f"{signed_airflow.base}{URL_PREFIX}/nights/{NIGHT}",
        cookies={"_token": signed_airflow.tokens["vic"]},
        timeout=30,
    )
    assert cookie.status_code == 200 and "Marketing health" in cookie.text

    # even the form the page carries, with its token for vic, does not act
    forms = _forms(report)
    assert forms, "the report of the night has open alerts"
    action, hidden = forms[0]
    before = _actions(signed_airflow.paths), _inbox(signed_airflow.paths)
    posted = signed_airflow.post(f"/nights/{action}", "vic", {**hidden, "action": "acknowledge"})
    assert posted.status_code == 403
    assert "You can read this report but not act on its alerts" in posted.text
    assert "right to change the runs of the marketing_health DAG" in posted.text
    chinese = httpx.post(
        f"{signed_airflow.base}{URL_PREFIX}/nights/{action}",
        data={**hidden, "action": "snooze", "days": "7"},
        headers={
            "Authorization": f"Bearer {signed_airflow.tokens['vic']}",
            "Accept-Language": "zh-CN",
        },
        timeout=30,
    )
    assert chinese.status_code == 403
    assert "你可以查看这份报告，但不能处理其中的预警" in chinese.text
    assert (_actions(signed_airflow.paths), _inbox(signed_airflow.paths)) == before


def test_a_user_of_the_team_acts_and_is_recorded(signed_airflow: SignedAirflow) -> None:
    report = signed_airflow.get(f"/nights/{NIGHT}", "mei", timeout=30).text
    action, hidden = _forms(report)[-1]
    posted = signed_airflow.post(f"/nights/{action}", "mei", {**hidden, "action": "acknowledge"})
    assert posted.status_code == 303, posted.text
    assert (hidden["campaign"], hidden["pitfall"], "acknowledge", "mei", "ui") in _actions(
        signed_airflow.paths
    )
