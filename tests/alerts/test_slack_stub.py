"""The Slack stand-in behaves like Slack for Airflow's own Slack hooks."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from support.slack_stub import conn_env_var


def _post(url: str, body: dict, headers: dict | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def test_airflow_slack_hook_tests_its_connection_against_the_stand_in(slack, monkeypatch) -> None:
    from airflow.providers.slack.hooks.slack import SlackHook

    monkeypatch.setenv(conn_env_var("stub_bot"), slack.bot_connection())
    ok, message = SlackHook(slack_conn_id="stub_bot").test_connection()

    assert ok, message
    assert slack.requests[-1].path == "/api/auth.test"
    assert slack.requests[-1].headers["Authorization"] == f"Bearer {slack.token}"


def test_scripted_failures_then_normal_answers(slack) -> None:
    slack.fail_next(1, status=429, retry_after=7)
    slack.fail_next(1, status=500)

    status, body, headers = _post(slack.webhook_url(), {"text": "a"})
    assert (status, body, headers["Retry-After"]) == (429, "rate_limited", "7")
    assert _post(slack.webhook_url(), {"text": "b"})[0] == 500
    assert _post(slack.webhook_url(), {"text": "c"})[:2] == (200, "ok")
    auth = {"Authorization": f"Bearer {slack.token}"}
    status, body, _ = _post(f"{slack.api_base_url}chat.postMessage", {"channel": "#x"}, auth)
    assert status == 200 and json.loads(body)["channel"] == "#x"
    _, body, _ = _post(f"{slack.api_base_url}chat.postMessage", {"channel": "#x"})
    assert json.loads(body)["error"] == "invalid_auth"
    assert [r.json.get("text") for r in slack.posts()] == ["c", None]
    assert slack.posts()[1].channel == "#x"


def test_stopped_means_unreachable_and_start_comes_back_on_the_same_port(slack) -> None:
    url = slack.webhook_url()
    slack.stop()
    with pytest.raises(urllib.error.URLError):
        _post(url, {"text": "down"})
    slack.start()
    assert slack.webhook_url() == url
    assert _post(url, {"text": "up"})[:2] == (200, "ok")
