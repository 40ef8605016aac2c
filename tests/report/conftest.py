"""A small multi-night warehouse built by the real pipeline, for the health report tests.

The generated sample (48 campaigns, including a Chinese-named one) is judged on two nights by
every stage in process (real DuckDB, dbt, Great Expectations), with one campaign renamed in
the planning export to a name that is also markup, so escaping is tested on data that went
through the whole pipeline. The KPI export gains two names no vocabulary knows: one for the
campaign whose goals are vanity metrics only (its goal guard cannot tell whether the new KPI is
an outcome), one that is also markup for its clean twin.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from marketing_health.generate import generate_landing
from marketing_health.night import Night, run_night
from marketing_health.settings import REPO_ROOT, Paths
from marketing_health.warehouse import connect
from support.unknown_terms import list_unknown_kpi_names

END = date(2026, 11, 20)
FIRST_NIGHT = (END - timedelta(days=2)).isoformat()
LAST_NIGHT = END.isoformat()
HOSTILE_ID = "CMP-0001"
HOSTILE_NAME = '<script>alert("owned")</script> Layer Up & <b>Win</b>'
#: KPI names no vocabulary knows: campaign -> (name, target). The first campaign declares
#: vanity metrics only (the goal guard's scenario), the second is its clean twin.
UNKNOWN_KPIS = {
    "CMP-0034": ("种草指数", "120000"),
    "CMP-0019": ("<img src=x onerror=alert(1)> 互动指数", "5000"),
}
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class ReportWarehouse:
    paths: Paths

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with connect(self.paths.warehouse, read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


def _rename_campaign(landing: Path, campaign_id: str, name: str) -> None:
    """Rewrite the planning export so one campaign carries ``name`` (quoted CSV, via DuckDB)."""
    (plan,) = landing.glob("campaigns/*/campaigns.csv")
    con = duckdb.connect()
    con.execute(
        f"create table plan as select * from read_csv('{plan}', all_varchar = true, header = true)"
    )
    con.execute("update plan set campaign_name = ? where campaign_id = ?", [name, campaign_id])
    con.execute(f"copy plan to '{plan}' (header, quote '\"', force_quote *)")
    con.close()


def _add_unknown_kpis(landing: Path) -> None:
    """Append the unknown KPI names to the KPI export, with a target and a due date."""
    (kpis,) = landing.glob("kpis/*/kpis.csv")
    con = duckdb.connect()
    con.execute(
        f"create table kpis as select * from read_csv('{kpis}', all_varchar = true, header = true)"
    )
    for campaign, (metric, target) in UNKNOWN_KPIS.items():
        con.execute("insert into kpis values (?, ?, ?, '2026-12-31')", [campaign, metric, target])
    con.execute(f"copy kpis to '{kpis}' (header, quote '\"', force_quote *)")
    con.close()


def _ensure_unknown_terms_listed(paths: Paths) -> None:
    """Until dbt builds ``marts.fct_unknown_terms``, list the unknown KPI names the same way."""
    with connect(paths.warehouse, read_only=True) as con:
        built = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'fct_unknown_terms'"
        ).fetchone()[0]
    if not built:
        list_unknown_kpi_names(paths.warehouse)


@pytest.fixture(scope="session")
def report_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReportWarehouse]:
    mp = pytest.MonkeyPatch()
    for key in ("MH_SLACK_CONN_ID", "AIRFLOW_CONN_SLACK_MARKETING_HEALTH"):
        mp.delenv(key, raising=False)
    mp.setenv("MH_PII_HASH_KEY", "report-tests-key")
    paths = Paths.under(tmp_path_factory.mktemp("report"))
    generate_landing(paths.landing_dir, seed=11, end_date=END, days=35)
    _rename_campaign(paths.landing_dir, HOSTILE_ID, HOSTILE_NAME)
    _add_unknown_kpis(paths.landing_dir)
    for night in (FIRST_NIGHT, LAST_NIGHT):
        run_night(paths, Night.for_date(night))
    _ensure_unknown_terms_listed(paths)
    yield ReportWarehouse(paths)
    mp.undo()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Screenshots the browser tests leave for people to look at (``var/`` is git-ignored)."""
    root = Path(os.getenv("MH_TEST_ARTIFACTS") or REPO_ROOT / "var" / "test-artifacts")
    target = root / "report"
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """The Debian chromium binary; without it browser tests skip, unless CI requires them."""
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found:
        return Path(found)
    if os.getenv("MH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MH_REQUIRE_BROWSER=1 but no chromium at {CHROMIUM} or on PATH")
    pytest.skip(f"no chromium at {CHROMIUM}: install it (apt-get install chromium) to run this")
