"""The bench on a PostgreSQL warehouse: its own database per size, the same agreement check
with the baseline, and a clear refusal when no server is given."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import psycopg2

from marketing_health.bench.baseline import compare_postgres
from marketing_health.bench.run import bench_database, drop_bench_database
from marketing_health.local_cluster.servers import PostgresServer

TABLES = {"marts.fct_campaign_channel_daily": ("fct_campaign_channel_daily", ("clicks", "spend"))}
ROWS = [("CMP-1", 3, 10.5), ("CMP-2", 4, 0.25)]


def _bench(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "marketing_health", "bench", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_agreement_is_checked_on_the_server_and_a_changed_figure_is_named(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = bench_database(postgres_server.url("postgres"), "test 1M")
    assert url.endswith("/mh_bench_test_1m")
    baseline_db = tmp_path / "baseline.duckdb"
    with duckdb.connect(str(baseline_db)) as con:
        con.execute(
            "CREATE TABLE fct_campaign_channel_daily (c VARCHAR, clicks BIGINT, spend DOUBLE)"
        )
        con.executemany("INSERT INTO fct_campaign_channel_daily VALUES (?, ?, ?)", ROWS)
    server = psycopg2.connect(url)
    try:
        with server, server.cursor() as cur:
            cur.execute("CREATE SCHEMA marts")
            cur.execute(
                "CREATE TABLE marts.fct_campaign_channel_daily "
                "(c TEXT, clicks BIGINT, spend NUMERIC(18, 4))"
            )
            cur.executemany(
                "INSERT INTO marts.fct_campaign_channel_daily VALUES (%s, %s, %s)", ROWS
            )
        assert compare_postgres(url, baseline_db, TABLES) == []
        with server, server.cursor() as cur:
            cur.execute("UPDATE marts.fct_campaign_channel_daily SET spend = spend + 1")
    finally:
        server.close()
    found = compare_postgres(url, baseline_db, TABLES)
    assert [(m.table, m.figure, m.pipeline, m.baseline) for m in found] == [
        ("marts.fct_campaign_channel_daily", "spend", 12.75, 10.75)
    ]
    # a second bench of the same size starts from an empty database
    assert bench_database(postgres_server.url("postgres"), "test 1M") == url
    server = psycopg2.connect(url)
    try:
        with server.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'marts'")
            assert cur.fetchone() == (0,)
    finally:
        server.close()
    drop_bench_database(url)
    server = psycopg2.connect(postgres_server.url("postgres"))
    try:
        with server.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_database WHERE datname = 'mh_bench_test_1m'")
            assert cur.fetchone() == (0,)
    finally:
        server.close()


def test_the_postgres_engine_without_a_server_is_refused_with_what_to_give() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MH_WAREHOUSE_URL"}
    done = _bench("--quick", "--engines", "duckdb,postgres", env=env)
    assert done.returncode == 2
    assert "--postgres-url" in done.stderr and "docs/benchmarks.md" in done.stderr
    done = _bench("--quick", "--engines", "oracle", env=env)
    assert done.returncode == 2 and "unknown engine oracle" in done.stderr


def test_a_server_url_is_never_printed_with_its_password() -> None:
    done = _bench(
        "--quick", "--engines", "postgres", "--postgres-url", "mysql://bench:s3cret@db:3306/x"
    )
    assert done.returncode == 2
    assert "s3cret" not in done.stderr and "***" in done.stderr
