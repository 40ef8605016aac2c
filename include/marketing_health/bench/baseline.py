"""The hand-written baseline: one DuckDB script over the landing files, and the check that it
computes what the pipeline computes.

A speed ratio means something only when both sides produce the same numbers, so every bench
run compares the baseline's tables with the pipeline's marts (row count and the sum of each
key measure) before it prints a ratio.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

import duckdb

from marketing_health.ingest.pii import INNER_PAD_PARAMETER, OUTER_PAD_PARAMETER, key_parameters
from marketing_health.warehouse import apply_settings

#: Pipeline table and baseline table compared, and the measures summed on both sides.
COMPARED: dict[str, tuple[str, tuple[str, ...]]] = {
    "marts.fct_campaign_channel_daily": (
        "fct_campaign_channel_daily",
        (
            "activities",
            "tracked_activities",
            "messages_with_hashtag",
            "impressions",
            "engagements",
            "clicks",
            "conversions",
            "revenue",
            "spend",
            "influencer_fee",
            "email_delivered",
        ),
    ),
    "marts.fct_campaign_integration_daily": (
        "fct_campaign_integration_daily",
        ("active_channels", "multi_channel_days", "activities", "integration_score"),
    ),
    "marts.fct_campaign_kpi_coverage_daily": (
        "fct_campaign_kpi_coverage_daily",
        ("observed_kpis", "active_channels", "kpi_feeding_channels", "pacing", "kpi_coverage"),
    ),
    "marts.sig_integration": ("sig_integration", ("integration_score", "integration_drop_14d")),
    "marts.sig_conversation": ("sig_conversation", ("reply_rate", "comments_7d", "replied_7d")),
    "intermediate.int_campaign_consent_days": (
        "int_campaign_consent_days",
        ("recipients", "sent_without_consent", "sent_after_opt_out"),
    ),
}
#: Sums of doubles differ in the last digits with the order rows are added in.
RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Mismatch:
    """One figure the baseline and the pipeline disagree on."""

    table: str
    figure: str
    pipeline: float | None
    baseline: float | None

    def describe(self) -> str:
        return f"{self.table} {self.figure}: pipeline {self.pipeline}, baseline {self.baseline}"


def baseline_sql(landing_dir: Path, as_of_date: str, pii_key: str) -> str:
    """The script with the landing folder, the night and the hashing key filled in."""
    text = resources.files("marketing_health.bench").joinpath("baseline.sql").read_text("utf-8")
    pads = key_parameters(pii_key)
    return Template(text).substitute(
        landing=_sql_text(str(Path(landing_dir).resolve())),
        as_of_date=_sql_text(as_of_date),
        pii_inner_pad=pads[INNER_PAD_PARAMETER].hex(),
        pii_outer_pad=pads[OUTER_PAD_PARAMETER].hex(),
    )


def run_baseline(database: Path, landing_dir: Path, as_of_date: str, pii_key: str) -> None:
    """Compute the baseline's tables into a fresh DuckDB file ``database``."""
    database = Path(database)
    database.unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database)) as con:
        apply_settings(con)
        con.execute(baseline_sql(landing_dir, as_of_date, pii_key))


def compare(
    left: Path, right: Path, tables: dict[str, tuple[str, tuple[str, ...]]]
) -> list[Mismatch]:
    """Figures that differ between table pairs of two DuckDB files (empty: they agree).

    ``tables`` maps a table of ``left`` to its counterpart in ``right`` and the measures
    summed on both sides; the row count is always compared.
    """
    mismatches: list[Mismatch] = []
    with duckdb.connect(str(left), read_only=True) as con:
        con.execute(f"ATTACH '{_sql_text(str(right))}' AS other (READ_ONLY)")
        for left_table, (right_table, measures) in tables.items():
            figures = ", ".join(["count(*)", *(f"sum({m})::double" for m in measures)])
            ours = con.execute(f"SELECT {figures} FROM {left_table}").fetchone()
            theirs = con.execute(f"SELECT {figures} FROM other.{right_table}").fetchone()
            for name, a, b in zip(["rows", *measures], ours, theirs, strict=True):
                if not _same(a, b):
                    mismatches.append(Mismatch(left_table, name, a, b))
    return mismatches


def compare_postgres(
    url: str, right: Path, tables: dict[str, tuple[str, tuple[str, ...]]]
) -> list[Mismatch]:
    """:func:`compare` for a pipeline warehouse on PostgreSQL (``url``) against a DuckDB file:
    the same figures, each computed by its own engine."""
    import psycopg2

    mismatches: list[Mismatch] = []
    server = psycopg2.connect(url)
    try:
        with server.cursor() as cur, duckdb.connect(str(right), read_only=True) as con:
            for left_table, (right_table, measures) in tables.items():
                # double precision: a name both engines read the same way
                sums = [f"sum({m})::double precision" for m in measures]
                figures = ", ".join(["count(*)", *sums])
                cur.execute(f"SELECT {figures} FROM {left_table}")
                ours = cur.fetchone()
                theirs = con.execute(f"SELECT {figures} FROM {right_table}").fetchone()
                for name, a, b in zip(["rows", *measures], ours, theirs, strict=True):
                    if not _same(a, b):
                        mismatches.append(Mismatch(left_table, name, a, b))
    finally:
        server.close()
    return mismatches


def warehouse_tables(
    warehouse: Path, leave_out: set[str]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every intermediate and mart table but ``leave_out``, with its numeric columns: what a
    warehouse built night by night must hold exactly as one rebuilt from all files."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            """
            SELECT t.table_schema || '.' || t.table_name,
                   list(c.column_name ORDER BY c.ordinal_position) FILTER (
                       WHERE c.data_type IN ('BIGINT', 'INTEGER', 'HUGEINT', 'DOUBLE', 'FLOAT')
                          OR c.data_type LIKE 'DECIMAL%'
                   )
            FROM information_schema.tables AS t
            JOIN information_schema.columns AS c USING (table_catalog, table_schema, table_name)
            WHERE t.table_schema IN ('intermediate', 'marts') AND t.table_type = 'BASE TABLE'
              AND NOT list_contains(?, t.table_name)
            GROUP BY ALL
            ORDER BY 1
            """,
            [sorted(leave_out)],
        ).fetchall()
    return {name: (name, tuple(f'"{c}"' for c in columns or ())) for name, columns in rows}


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-6)


def _sql_text(value: str) -> str:
    """The inside of a SQL string literal (the script supplies the quotes)."""
    return value.replace("'", "''")
