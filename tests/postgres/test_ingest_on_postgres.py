"""Ingestion into a PostgreSQL warehouse gives the same raw and ops tables as into DuckDB.

Real files from the generator (plus two broken ones), a real PostgreSQL server from the
session fixture, the real DuckDB file beside it; nothing is faked.
"""

from __future__ import annotations

import psycopg2
import pytest
from twin_installations import (
    BAD_DAY,
    RUN_STAMPS,
    differences,
    ingest,
    twin_installations,
    write_broken_files,
)

from marketing_health.settings import Paths


def _pg_rows(url: str, sql: str) -> list[tuple]:
    with psycopg2.connect(url) as con, con.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def _counts(url: str) -> dict[str, int]:
    tables = _pg_rows(
        url,
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ('raw', 'ops') order by 1",
    )
    return {t: _pg_rows(url, f"select count(*) from {t}")[0][0] for (t,) in tables}


@pytest.mark.integration
def test_ingestion_into_postgres_equals_duckdb_and_a_rerun_adds_nothing(
    tmp_path, warehouse_url, pii_key
):
    duck, server = twin_installations(tmp_path, warehouse_url)
    for paths in (duck, server):
        write_broken_files(paths)

    first = {p.engine: ingest(p, pii_key, "night-1") for p in (duck, server)}

    assert differences(duck, server, ["raw", "ops"], ignore_columns=RUN_STAMPS) == []
    for report in first.values():
        by_name = {f.file_path.rsplit("/", 1)[-1]: f for f in report.files}
        assert by_name["paid_ads_late.csv"].status == "rejected"
        assert by_name["paid_ads_fixes.csv"].rows_quarantined == 1
    assert first["postgres"].rows_loaded == first["duckdb"].rows_loaded > 0
    quarantined = _pg_rows(
        warehouse_url,
        "select column_name, record::jsonb ->> 'spend' from ops.quarantine "
        "where file_path like '%paid_ads_fixes.csv'",
    )
    assert quarantined == [("spend", "twelve euros")]

    before = _counts(warehouse_url)
    again = ingest(server, pii_key, "night-2")

    assert _counts(warehouse_url) == before
    assert again.rows_loaded == 0
    assert {f.status for f in again.files} <= {"rejected"}
    assert again.unchanged_files == len(first["postgres"].files) - 1

    # a corrected re-delivery replaces the earlier rows of its path, on both engines alike
    for paths in (duck, server):
        fixes = paths.landing_dir / "paid_ads" / BAD_DAY / "paid_ads_fixes.csv"
        lines = fixes.read_text("utf-8").splitlines(keepends=True)
        fixes.write_text("".join([lines[0], *lines[2:]]), encoding="utf-8")
    corrected = {p.engine: ingest(p, pii_key, "night-3") for p in (duck, server)}

    assert differences(duck, server, ["raw", "ops"], ignore_columns=RUN_STAMPS) == []
    replaced = [f for f in corrected["postgres"].files if f.status == "replaced"]
    assert [(f.rows_loaded, f.rows_quarantined) for f in replaced] == [(2, 0)]
    assert _pg_rows(warehouse_url, "select count(*) from ops.quarantine") == [(0,)]


def test_the_warehouse_url_password_stays_out_of_reprs_and_errors(tmp_path, warehouse_url):
    from marketing_health.warehouse import connect

    paths = Paths.under(tmp_path, warehouse_url)
    password = psycopg2.extensions.parse_dsn(warehouse_url)["password"]

    assert password not in repr(paths)
    assert password not in paths.warehouse_label
    wrong = warehouse_url.replace(password, password + "-wrong")
    with pytest.raises(ConnectionError) as failed, connect(Paths.under(tmp_path, wrong)):
        pass
    assert password not in str(failed.value)
    assert "***" in str(failed.value)
