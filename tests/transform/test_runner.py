"""The in-process dbt runner: failures by name, docs page, warehouse lock and environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from marketing_health.settings import Paths
from marketing_health.transform import DbtBuildError, generate_docs, run_dbt_build
from marketing_health.transform.dbt import WAREHOUSE_ENV, dbt_log_dir

from .warehouse_case import AS_OF_DATE, BuiltWarehouse, build_raw_warehouse

#: A social post without a campaign: staging's not_null test on campaign_id fails, which the
#: nightly build runs within the model's column_tests_on_new_rows. (A platform no vocabulary
#: knows is no failure: it is listed in marts.fct_unknown_terms.)
BROKEN_ROWS = """
insert into raw.social_posts (post_date, platform, post_id, campaign_id, post_format,
    impressions, likes, comments, shares, brand_replies, is_sponsored, has_disclosure) values
('2024-05-02', 'myspace', 'X1', null, 'image', 1, 0, 0, 0, 0, false, false);
"""
BROKEN_TEST = "not_null_stg_social__posts_campaign_id"
NIGHTLY_TEST = "column_tests_on_new_rows_stg_social__posts_"


def test_rejects_a_night_that_is_not_a_day(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        run_dbt_build(Paths.under(tmp_path), "10/05/2024")


def test_failed_test_is_named_and_downstream_is_skipped(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    build_raw_warehouse(paths, BROKEN_ROWS)
    with pytest.raises(DbtBuildError) as caught:
        run_dbt_build(paths, AS_OF_DATE, select="stg_social__posts+1")
    summary = caught.value.summary
    assert summary is not None and not summary.success
    failed = {f.name: f for f in summary.failures}
    assert failed[NIGHTLY_TEST].failed_checks == (f"{BROKEN_TEST}: 1 row(s)",)
    assert failed[NIGHTLY_TEST].model == "stg_social__posts"
    assert "int_channel_activity_unioned" in summary.skipped
    message = str(caught.value)
    assert "failed" in message and f"{BROKEN_TEST}: 1 row(s)" in message


def test_a_new_night_reuses_the_parsed_project(
    built_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    """The night is read from transform.night, not passed as a var: two builds in one process
    for two nights, and the second does not parse the project again."""
    paths = Paths.under(tmp_path)
    paths.warehouse.parent.mkdir(parents=True)
    shutil.copyfile(built_warehouse.paths.warehouse, paths.warehouse)
    log = dbt_log_dir(paths) / "dbt.log"
    run_dbt_build(paths, AS_OF_DATE)
    first = log.read_text(encoding="utf-8")
    assert "Unable to do partial parsing because saved manifest not found" in first
    run_dbt_build(paths, "2024-05-11")
    second = log.read_text(encoding="utf-8")[len(first) :]
    assert "Partial parsing enabled, no changes found, skipping parsing" in second
    assert "Unable to do partial parsing" not in second
    compiled = paths.dbt_target_dir / "run" / "marketing_health" / "models" / "marts"
    assert "cast('2024-05-11' as date)" in (compiled / "sig_story.sql").read_text()


def test_generate_docs_writes_one_static_page(built_warehouse: BuiltWarehouse) -> None:
    page = generate_docs(built_warehouse.paths, as_of_date=AS_OF_DATE)
    assert page == built_warehouse.paths.data_dir / "dbt_docs" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Integration score" in html and "sig_privacy" in html


def test_waits_for_the_warehouse_lock_and_restores_environment(
    built_warehouse: BuiltWarehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(WAREHOUSE_ENV, "/somewhere/else.duckdb")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time, duckdb
                con = duckdb.connect({str(built_warehouse.paths.warehouse)!r})
                print("locked", flush=True)
                time.sleep(2)
                con.close()
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        summary = run_dbt_build(built_warehouse.paths, AS_OF_DATE, select="dim_campaigns")
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert summary.success and summary.status_counts.get("success") == 1
    assert waited >= 1.0
    assert os.environ[WAREHOUSE_ENV] == "/somewhere/else.duckdb"
