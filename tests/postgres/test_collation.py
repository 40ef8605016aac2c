"""A warehouse database that sorts text unlike DuckDB is named in the log, with the fix."""

from __future__ import annotations

import logging

import pytest

from marketing_health.local_cluster.servers import PostgresServer
from marketing_health.settings import Paths
from marketing_health.warehouse import collation_problem, connect


def test_byte_order_database_passes(warehouse_url: str, tmp_path) -> None:
    with connect(Paths.under(tmp_path, warehouse_url=warehouse_url)) as con:
        assert collation_problem(con) is None


def test_language_collation_is_reported_with_the_fix(
    postgres_server: PostgresServer, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    import psycopg2

    admin = psycopg2.connect(postgres_server.url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("DROP DATABASE IF EXISTS wh_icu_sorted")
        cur.execute(
            "CREATE DATABASE wh_icu_sorted TEMPLATE template0 "
            "LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
        )
    admin.close()
    paths = Paths.under(tmp_path, warehouse_url=postgres_server.url("wh_icu_sorted"))
    with caplog.at_level(logging.WARNING), connect(paths, read_only=True) as con:
        problem = collation_problem(con)
    assert problem is not None and "ICU collation" in problem
    assert "LC_COLLATE 'C.UTF-8'" in problem
    assert any("ICU collation" in r.getMessage() for r in caplog.records)
    assert postgres_server.password not in caplog.text
