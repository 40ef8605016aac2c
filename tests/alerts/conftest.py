"""Fixtures for the alert tests: a hand-made warehouse, a local Slack, a clean Slack environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from marketing_health.settings import Paths
from support.alert_warehouse import WarehouseBuilder
from support.slack_stub import SlackStub

_SLACK_ENV = (
    "MH_SLACK_CONN_ID",
    "MH_SLACK_OPS_CONN_ID",
    "MH_OPS_SLACK_CHANNEL",
    "MH_FALLBACK_SLACK_CHANNEL",
    "AIRFLOW__API__BASE_URL",
)


@pytest.fixture(scope="session", autouse=True)
def _airflow_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ.setdefault("AIRFLOW_HOME", str(tmp_path_factory.mktemp("airflow_home")))


@pytest.fixture(autouse=True)
def no_slack_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without Slack connections; tests add the ones they need."""
    for name in list(os.environ):
        if name.startswith("AIRFLOW_CONN_SLACK") or name in _SLACK_ENV:
            monkeypatch.delenv(name)


#: The alerting policy every alert test starts from; tests write their own when they need more.
DEFAULT_POLICY = """
digest:
  repeat_every_nights: 3
  escalate_after_nights: 7
  mention_severities: [critical]
teams: {}
freshness: {}
"""


@pytest.fixture(autouse=True)
def alerting_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private alerting file (MH_ALERTING_CONFIG): repeats, escalation, teams, freshness."""
    path = tmp_path / "alerting.yaml"
    path.write_text(DEFAULT_POLICY, encoding="utf-8")
    monkeypatch.setenv("MH_ALERTING_CONFIG", str(path))
    return path


@pytest.fixture
def slack() -> Iterator[SlackStub]:
    with SlackStub() as stub:
        yield stub


@pytest.fixture
def warehouse(paths: Paths) -> WarehouseBuilder:
    return WarehouseBuilder(paths.warehouse)
