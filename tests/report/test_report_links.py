"""Where the Slack digest points people: the report pages on the Airflow web server."""

from __future__ import annotations

import pytest

from marketing_health.report.links import airflow_base_url, report_url


def test_base_url_from_airflow_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "https://airflow.example.com/tools/")
    assert airflow_base_url() == "https://airflow.example.com/tools"
    assert report_url() == "https://airflow.example.com/tools/marketing-health/"
    assert report_url("2026-11-20") == (
        "https://airflow.example.com/tools/marketing-health/nights/2026-11-20"
    )


def test_local_web_server_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("AIRFLOW__API__BASE_URL", raising=False)
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path))
    assert airflow_base_url() == "http://localhost:8080"


def test_a_report_url_needs_a_real_date() -> None:
    with pytest.raises(ValueError):
        report_url("2026-13-01")
