"""Where the health report can be opened: the Airflow web server's address and the report's path.

The Slack digest links to the report, so the address must be the one people reach in their
browser: Airflow's own ``[api] base_url`` (set as ``AIRFLOW__API__BASE_URL`` in deployments),
falling back to a local web server.
"""

from __future__ import annotations

import os
from datetime import date
from urllib.parse import urlencode

#: Path under the Airflow web server where the report pages are served.
URL_PREFIX = "/marketing-health"
BASE_URL_ENV = "AIRFLOW__API__BASE_URL"
DEFAULT_BASE_URL = "http://localhost:8080"


def airflow_base_url() -> str:
    """The Airflow web server's public address, without a trailing slash."""
    url = os.getenv(BASE_URL_ENV, "").strip()
    if not url:
        try:
            from airflow.configuration import conf

            url = (conf.get("api", "base_url", fallback="") or "").strip()
        except Exception:  # Airflow not importable or not configured: use the default
            url = ""
    return (url or DEFAULT_BASE_URL).rstrip("/")


def report_path(as_of_date: str | None = None) -> str:
    """Path of a night's report page (the latest night's when no date is given)."""
    if as_of_date is None:
        return f"{URL_PREFIX}/"
    return f"{URL_PREFIX}/nights/{date.fromisoformat(as_of_date).isoformat()}"


def report_url(as_of_date: str | None = None, language: str | None = None) -> str:
    """Full address of a night's report page (the latest night's when no date is given), in
    ``language`` (a BCP 47 tag such as ``zh-Hans``) when one is given."""
    url = airflow_base_url() + report_path(as_of_date)
    return f"{url}?{urlencode({'lang': language})}" if language else url
