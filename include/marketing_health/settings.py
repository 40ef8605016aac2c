"""Where things live and which secrets to read: the one module that knows paths, environment
variables and Airflow connection ids.

Every path is derived from the repository root with an environment override, so the same code
runs from a clone, inside the Airflow containers and in tests (which point everything at a
temporary folder). Nothing here touches the network or Airflow's metadata database, so
importing it is always cheap and safe at DAG-parse time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = Path(os.getenv("MH_REPO_ROOT", PACKAGE_DIR.parent.parent))

CONTRACT_FILE = PACKAGE_DIR / "contract" / "sources.yaml"
CATALOGUE_FILE = PACKAGE_DIR / "catalogue" / "pitfalls.yaml"

#: Airflow connection holding the Slack webhook URL or bot token for campaign digests.
SLACK_CONN_ID_ENV = "MH_SLACK_CONN_ID"
DEFAULT_SLACK_CONN_ID = "slack_marketing_health"
#: Airflow connection (or environment variable) holding the key for hashing personal data.
PII_KEY_ENV = "MH_PII_HASH_KEY"
PII_KEY_CONN_ID = "marketing_health_pii"
#: The hashing key ``marketing-health demo`` creates for a local trial, inside the data folder.
PII_KEY_FILE = Path("secrets") / "pii_hash_key"
#: Channel that receives alerts of campaigns whose plan names no owner channel.
FALLBACK_CHANNEL_ENV = "MH_FALLBACK_SLACK_CHANNEL"
DEFAULT_FALLBACK_CHANNEL = "#marketing-ops"


#: The one setting that moves the warehouse to a PostgreSQL server:
#: ``postgresql://user:password@host:port/database``. Unset or empty: the DuckDB file at
#: ``MH_WAREHOUSE``.
WAREHOUSE_URL_ENV = "MH_WAREHOUSE_URL"

Engine = Literal["duckdb", "postgres"]


def mask_url(url: str) -> str:
    """The URL with its password replaced by ``***``: the only form that may be logged."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))


def checked_warehouse_url(url: str | None) -> str | None:
    """None for the DuckDB file; the URL when it names a PostgreSQL database.

    Raises:
        ValueError: the URL is of another kind (the message shows it masked).
    """
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.path.strip("/"):
        raise ValueError(
            f"{WAREHOUSE_URL_ENV} must look like postgresql://user:password@host:port/database, "
            f"got {mask_url(url)!r}"
        )
    return url


@dataclass(frozen=True)
class Paths:
    """The folders and files of one installation; tests build their own with ``Paths.under``."""

    data_dir: Path
    landing_dir: Path
    warehouse: Path
    runs_dir: Path
    staging_dir: Path
    dbt_project_dir: Path
    dbt_target_dir: Path
    #: PostgreSQL warehouse (``MH_WAREHOUSE_URL``); None: the DuckDB file ``warehouse``.
    #: Kept out of repr: it carries the password.
    warehouse_url: str | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        """Which engine holds the warehouse."""
        return "postgres" if self.warehouse_url else "duckdb"

    @property
    def warehouse_label(self) -> str:
        """The warehouse as logs and reports may name it (a server URL without its password)."""
        return mask_url(self.warehouse_url) if self.warehouse_url else str(self.warehouse)

    @classmethod
    def from_env(cls) -> Paths:
        data_dir = Path(os.getenv("MH_DATA_DIR", REPO_ROOT / "var"))
        return cls(
            data_dir=data_dir,
            landing_dir=Path(os.getenv("MH_LANDING_DIR", data_dir / "landing")),
            warehouse=Path(
                os.getenv("MH_WAREHOUSE", data_dir / "warehouse" / "marketing_health.duckdb")
            ),
            runs_dir=Path(os.getenv("MH_RUNS_DIR", data_dir / "runs")),
            staging_dir=Path(os.getenv("MH_STAGING_DIR", data_dir / "staging")),
            dbt_project_dir=Path(os.getenv("MH_DBT_PROJECT_DIR", REPO_ROOT / "dbt_project")),
            dbt_target_dir=Path(os.getenv("MH_DBT_TARGET_DIR", data_dir / "dbt" / "target")),
            warehouse_url=checked_warehouse_url(os.getenv(WAREHOUSE_URL_ENV)),
        )

    @classmethod
    def under(cls, data_dir: Path, warehouse_url: str | None = None) -> Paths:
        """All data folders below one directory; the dbt project stays the repository's.

        With ``warehouse_url`` the warehouse is that PostgreSQL database instead of the file.
        """
        return cls(
            data_dir=data_dir,
            landing_dir=data_dir / "landing",
            warehouse=data_dir / "warehouse" / "marketing_health.duckdb",
            runs_dir=data_dir / "runs",
            staging_dir=data_dir / "staging",
            dbt_project_dir=REPO_ROOT / "dbt_project",
            dbt_target_dir=data_dir / "dbt" / "target",
            warehouse_url=checked_warehouse_url(warehouse_url),
        )

    @property
    def pii_key_file(self) -> Path:
        """The local trial's hashing key (git-ignored, created by the demo), read when no
        environment variable or Airflow connection gives one."""
        return self.data_dir / PII_KEY_FILE

    def run_dir(self, as_of_date: str) -> Path:
        """Output folder of one night: alert digests, reports and the run summary."""
        return self.runs_dir / as_of_date

    @property
    def actions_dir(self) -> Path:
        """What people did about alerts before the warehouse recorded it (the inbox), and the
        Slack request signatures already accepted (replays are refused)."""
        return self.data_dir / "actions"


def slack_conn_id() -> str:
    return os.getenv(SLACK_CONN_ID_ENV, DEFAULT_SLACK_CONN_ID)


def fallback_channel() -> str:
    return os.getenv(FALLBACK_CHANNEL_ENV, DEFAULT_FALLBACK_CHANNEL)


#: Timezone of the nightly 02:00 schedule (IANA name).
TIMEZONE_ENV = "MH_SCHEDULE_TIMEZONE"
#: Retries of each task before the run fails (and the ops channel hears of it).
RETRIES_ENV = "MH_TASK_RETRIES"
#: Seconds before a failed task's first retry (doubled for each later one).
RETRY_DELAY_ENV = "MH_TASK_RETRY_DELAY_SECONDS"
#: Ops alerts: connection and channel for failed tasks, late files and unevaluated guards.
SLACK_OPS_CONN_ID_ENV = "MH_SLACK_OPS_CONN_ID"
DEFAULT_SLACK_OPS_CONN_ID = "slack_marketing_health_ops"
OPS_CHANNEL_ENV = "MH_OPS_SLACK_CHANNEL"


def schedule_timezone() -> str:
    return os.getenv(TIMEZONE_ENV, "UTC")


def task_retries() -> int:
    return int(os.getenv(RETRIES_ENV, "2"))


def task_retry_delay() -> timedelta:
    """Five minutes unless set: long enough for a locked file or a busy server to clear."""
    return timedelta(seconds=float(os.getenv(RETRY_DELAY_ENV, "300")))


def slack_ops_conn_id() -> str:
    return os.getenv(SLACK_OPS_CONN_ID_ENV, DEFAULT_SLACK_OPS_CONN_ID)


def ops_channel() -> str:
    """MH_OPS_SLACK_CHANNEL; unset or empty (as docker-compose.yml passes it when .env leaves
    it out): the fallback channel."""
    return os.getenv(OPS_CHANNEL_ENV) or fallback_channel()


#: Slack interactivity (buttons on alerts): the Airflow connection whose password is the Slack
#: app's signing secret. Without it the digests carry no buttons and Slack's requests are refused.
SLACK_SIGNING_CONN_ID_ENV = "MH_SLACK_SIGNING_CONN_ID"
DEFAULT_SLACK_SIGNING_CONN_ID = "marketing_health_slack_signing"


def slack_signing_conn_id() -> str:
    return os.getenv(SLACK_SIGNING_CONN_ID_ENV, DEFAULT_SLACK_SIGNING_CONN_ID)


#: YAML file of per-campaign, brand or channel guard thresholds and severities (missing: none).
GUARD_OVERRIDES_ENV = "MH_GUARD_OVERRIDES"


def guard_overrides_file() -> Path:
    return Path(os.getenv(GUARD_OVERRIDES_ENV, REPO_ROOT / "config" / "guard_overrides.yaml"))


#: YAML file of the alerting policy: repeats, escalation, team mentions, source freshness.
ALERTING_CONFIG_ENV = "MH_ALERTING_CONFIG"


def alerting_config_file() -> Path:
    return Path(os.getenv(ALERTING_CONFIG_ENV, REPO_ROOT / "config" / "alerting.yaml"))


#: Folder of a team's vocabulary extensions (``<vocabulary>.yaml``, same shape as the
#: packaged files); missing folder: the packaged vocabularies only.
VOCABULARIES_DIR_ENV = "MH_VOCABULARIES_DIR"
VOCABULARIES_PACKAGE_DIR = PACKAGE_DIR / "catalogue" / "vocabularies"


def vocabularies_dir() -> Path:
    return Path(os.getenv(VOCABULARIES_DIR_ENV, REPO_ROOT / "config" / "vocabularies"))
