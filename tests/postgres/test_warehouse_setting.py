"""MH_WAREHOUSE_URL switches the warehouse; the connection it opens answers like DuckDB's."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from marketing_health.settings import Paths, mask_url
from marketing_health.transform.dbt import PASSWORD_ENV, profile_environment
from marketing_health.warehouse import connect, engine_of

URL = "postgresql://mh_user:s3cret-Pa55@db.example.internal:6543/marketing"

#: One query both dialects read alike, covering the types the guards and reports read.
TYPED_QUERY = """
select cast(? as bigint) as whole, cast(null as bigint) as missing_whole,
       cast(1.25 as decimal(18, 4)) as money, cast(0.5 as double precision) as share,
       cast(? as date) as day, true as flag, 'x' as label, count(*) as n
from (select 1 as one) as t
"""


def test_the_url_selects_postgres_and_unset_keeps_the_duckdb_file(monkeypatch, tmp_path):
    monkeypatch.setenv("MH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MH_WAREHOUSE_URL", URL)
    server = Paths.from_env()
    monkeypatch.setenv("MH_WAREHOUSE_URL", "")
    local = Paths.from_env()

    assert (server.engine, server.warehouse_url) == ("postgres", URL)
    assert (local.engine, local.warehouse_url) == ("duckdb", None)
    assert local.warehouse == tmp_path / "warehouse" / "marketing_health.duckdb"


def test_the_password_is_masked_wherever_the_url_is_shown(monkeypatch):
    paths = Paths.under(Path("/data"), URL)

    assert mask_url(URL) == "postgresql://mh_user:***@db.example.internal:6543/marketing"
    assert "s3cret" not in repr(paths) and "s3cret" not in paths.warehouse_label
    monkeypatch.setenv("MH_WAREHOUSE_URL", "mysql://mh_user:s3cret-Pa55@db/marketing")
    with pytest.raises(ValueError, match="postgresql://") as wrong:
        Paths.from_env()
    assert "s3cret" not in str(wrong.value)


def test_dbt_gets_the_server_from_the_url_and_the_password_only_as_a_secret(tmp_path):
    env = profile_environment(Paths.under(tmp_path, URL))

    assert env["MH_DBT_TARGET"] == "postgres"
    assert (env["MH_PG_HOST"], env["MH_PG_PORT"]) == ("db.example.internal", "6543")
    assert (env["MH_PG_USER"], env["MH_PG_DATABASE"]) == ("mh_user", "marketing")
    assert PASSWORD_ENV.startswith("DBT_ENV_SECRET_") and env[PASSWORD_ENV] == "s3cret-Pa55"
    assert [k for k, v in env.items() if "s3cret" in v] == [PASSWORD_ENV]
    assert profile_environment(Paths.under(tmp_path))["MH_DBT_TARGET"] == "warehouse"


def test_a_postgres_connection_returns_what_duckdb_returns(tmp_path, warehouse_url):
    params = [7, "2026-11-20"]
    with duckdb.connect() as local:
        expected = local.execute(TYPED_QUERY, params).df()
        expected_rows = local.execute(TYPED_QUERY, params).fetchall()
    with connect(Paths.under(tmp_path, warehouse_url), read_only=True) as con:
        assert engine_of(con) == "postgres"
        frame = con.execute(TYPED_QUERY, params).df()
        rows = con.execute(TYPED_QUERY, params).fetchall()
        assert con.execute("select '50%' like ?", ["50%"]).fetchone() == (True,)

    assert dict(frame.dtypes.astype(str)) == dict(expected.dtypes.astype(str))
    pd.testing.assert_frame_equal(frame, expected)
    assert [tuple(map(str, r)) for r in rows] == [tuple(map(str, r)) for r in expected_rows]


def test_a_read_only_connection_refuses_to_write(tmp_path, warehouse_url):
    import psycopg2

    paths = Paths.under(tmp_path, warehouse_url)
    with (
        connect(paths, read_only=True) as con,
        pytest.raises(psycopg2.errors.ReadOnlySqlTransaction),
    ):
        con.execute("create table nope (x int)")
