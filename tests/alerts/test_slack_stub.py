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


def test_threads_updates_dialogs_and_signed_clicks(slack) -> None:
    """What the stand-in plays for the buttons on alerts: replies in a thread of a message it
    keeps, chat.update and response_url updates, views.open, and clicks signed as Slack signs
    them."""
    from support.slack_stub import DEFAULT_SIGNING_SECRET, SlackStub, sign

    auth = {"Authorization": f"Bearer {slack.token}"}
    api = slack.api_base_url
    blocks = [
        {
            "type": "actions",
            "block_id": '{"c":"C1","p":"P13","n":"2026-11-22"}',
            "elements": [{"type": "button", "action_id": "mh_acknowledge", "value": "v"}],
        }
    ]
    _, body, _ = _post(f"{api}chat.postMessage", {"channel": "#x", "blocks": blocks}, auth)
    ts = json.loads(body)["ts"]
    _, body, _ = _post(f"{api}chat.postMessage", {"channel": "#x", "thread_ts": ts}, auth)
    assert json.loads(body)["message"]["thread_ts"] == ts
    _, body, _ = _post(f"{api}chat.postMessage", {"channel": "#x", "thread_ts": "1.2"}, auth)
    assert json.loads(body)["error"] == "thread_not_found"
    assert [m.thread_ts for m in slack.replies(ts)] == [ts]

    click = slack.click(ts, "mh_acknowledge", pitfall="P13")
    assert click["actions"][0]["value"] == "v" and click["container"]["message_ts"] == ts
    assert _post(click["response_url"], {"replace_original": True, "blocks": []})[0] == 200
    assert slack.message(ts).blocks == []
    _post(click["response_url"], {"response_type": "ephemeral", "text": "only you"})
    assert slack.ephemeral == [{"response_type": "ephemeral", "text": "only you"}]
    _, body, _ = _post(f"{api}chat.update", {"ts": ts, "text": "edited", "blocks": blocks}, auth)
    assert json.loads(body)["ok"] and slack.message(ts).text == "edited"

    view = {
        "type": "modal",
        "blocks": [
            {
                "type": "input",
                "block_id": "b",
                "element": {"type": "plain_text_input", "action_id": "a"},
            }
        ],
    }
    _, body, _ = _post(f"{api}views.open", {"trigger_id": click["trigger_id"], "view": view}, auth)
    assert json.loads(body)["ok"]
    submitted = slack.submit_view("a note")
    assert submitted["view"]["state"]["values"] == {
        "b": {"a": {"type": "plain_text_input", "value": "a note"}}
    }

    payload, headers = SlackStub.interaction_request(click, timestamp=1_800_000_000)
    assert headers["X-Slack-Request-Timestamp"] == "1800000000"
    assert headers["X-Slack-Signature"] == sign(DEFAULT_SIGNING_SECRET, "1800000000", payload)
