"""What one source's checked night becomes: raw rows, quarantine records, privacy findings, and
the counts of each file, all read from ``checked`` (:mod:`~marketing_health.ingest.validate`).

The three SELECTs yield the columns of ``raw.<source>``, ``ops.quarantine`` and
``ops.pii_findings`` (without the load time and run id, which the writer adds), so the same
rows go to the warehouse directly or to staged Parquet files.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from marketing_health.contract.problems import code_sql, english_sql, values_sql
from marketing_health.contract.schema import PII_KINDS, Source
from marketing_health.ingest.batch import FILES, LABELS, SourceBatch
from marketing_health.ingest.safe import work
from marketing_health.ingest.sql import ident, literal
from marketing_health.ingest.validate import CHECKED, checked_column

#: Problems logged one by one per file; the rest are counted (all of them reach ops.quarantine).
WARNINGS_PER_FILE = 20


@dataclass(frozen=True)
class Relations:
    """SELECTs yielding one source's rows for ``raw.<source>`` (``_loaded_at`` still NULL),
    ``ops.quarantine`` and ``ops.pii_findings`` (without load time and run id)."""

    rows: str
    quarantine: str
    findings: str


def rows_sql(source: Source) -> str:
    """Rows without problems, in the shape of ``raw.<source>`` (in no particular order: every
    reader of raw tables orders by file and row when it matters)."""
    cols = [f"c.{checked_column(c)} AS {ident(c.warehouse_name)}" for c in source.columns]
    cols += [
        "f.file_path AS _file_path",
        "c._row_number",
        "f.delivery_day AS _delivery_day",
        "f.checksum AS _checksum",
        "NULL::TIMESTAMP AS _loaded_at",
    ]
    return (
        f"SELECT {', '.join(cols)} FROM {CHECKED} AS c JOIN {FILES} AS f USING (_file) "
        "WHERE c.__problems IS NULL"
    )


def _problems_sql(source: Source, extra: str = "") -> str:
    record = ", ".join(
        f"{literal(c.warehouse_name)}, {ident(c.warehouse_name)}" for c in source.columns
    )
    shown_row = "(q._row_number + f.row_offset)"
    where = f"json_object('row', {shown_row}, 'heading', l.heading)"
    return (
        f"SELECT {literal(source.name)} AS source, f.file_path, q._row_number AS row_number, "
        f"q.p.c AS column_name, f.file_path || ', row ' || {shown_row} || "
        f"', ' || coalesce(l.label, q.p.l) || ': ' || {english_sql('q.p.p')} AS reason, "
        f"{code_sql('q.p.p')} AS problem, "
        f"CAST(json_merge_patch({values_sql('q.p.p')}, {where}) AS VARCHAR) "
        f"AS problem_values, q.record{extra} "
        "FROM (SELECT _file, _row_number, unnest(__problems) AS p, "
        f"      CAST(json_object({record}) AS VARCHAR) AS record "
        f"      FROM {CHECKED} WHERE __problems IS NOT NULL) AS q "
        f"JOIN {FILES} AS f USING (_file) "
        f"LEFT JOIN {LABELS} AS l ON l._file = q._file AND l.column_name = q.p.c"
    )


def quarantine_sql(source: Source) -> str:
    """One record per problem; the row's values are those of ``safe`` (hashed, redacted).
    The problem is kept as its code and values (with the row as the file shows it and a tool
    export's column heading), and said in English from the same message."""
    return f"{_problems_sql(source)} ORDER BY q._file, q._row_number, q.p.o"


def findings_sql(source: Source) -> str:
    """One ``ops.pii_findings`` row per free-text cell where an address or number was
    redacted (in valid and quarantined rows alike)."""
    names = {c.warehouse_name for c in source.columns}
    campaign = "campaign_id" if "campaign_id" in names else "NULL::VARCHAR"
    by_name = {c.warehouse_name: c for c in source.columns}
    day = checked_column(by_name[source.day_column]) if source.day_column else "NULL::DATE"
    parts = [
        f"SELECT _file, _row_number, {literal(c.name)} AS column_name, {literal(kind)} AS kind, "
        f"{campaign} AS campaign_id, {day} AS day FROM {CHECKED} WHERE {work(kind, c)}"
        for c in source.columns
        if c.free_text and not c.pii
        for kind in PII_KINDS
    ]
    if not parts:
        return (
            "SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS file_path, "
            "NULL::BIGINT AS row_number, NULL::VARCHAR AS column_name, NULL::VARCHAR AS kind, "
            "NULL::VARCHAR AS campaign_id, NULL::DATE AS data_day WHERE false"
        )
    return (
        f"SELECT {literal(source.name)} AS source, f.file_path, x._row_number AS row_number, "
        "x.column_name, x.kind, x.campaign_id, coalesce(x.day, f.delivery_day) AS data_day "
        f"FROM ({' UNION ALL '.join(parts)}) AS x JOIN {FILES} AS f USING (_file) "
        "ORDER BY x._file, x._row_number, x.column_name, x.kind"
    )


def relations(source: Source) -> Relations:
    return Relations(rows_sql(source), quarantine_sql(source), findings_sql(source))


def count_files(con: duckdb.DuckDBPyConnection, batch: SourceBatch) -> None:
    """Each read file's rows valid and quarantined, problems and privacy findings, from
    ``checked`` (one aggregate)."""
    read = {f.index: f.staged for f in batch.read}
    if not read:
        return
    flags = [
        f"coalesce(sum({work(kind, c)}::INTEGER), 0)"
        for c in batch.source.columns
        if c.free_text and not c.pii
        for kind in PII_KINDS
    ]
    findings = " + ".join(flags) if flags else "0"
    rows = con.execute(
        "SELECT _file, count(*) FILTER (WHERE __problems IS NULL), "
        "count(*) FILTER (WHERE __problems IS NOT NULL), "
        f"coalesce(sum(len(__problems)), 0), {findings} FROM {CHECKED} GROUP BY _file"
    ).fetchall()
    for index, valid, quarantined, problems, found in rows:
        staged = read[index]
        staged.rows_valid, staged.rows_quarantined = valid, quarantined
        staged.problems, staged.pii_findings = problems, found


def first_reasons(con: duckdb.DuckDBPyConnection, source: Source) -> dict[str, list[str]]:
    """File path -> its first quarantine reasons (at most :data:`WARNINGS_PER_FILE`), for the
    log."""
    found: dict[str, list[str]] = {}
    rows = con.execute(
        f"SELECT file_path, reason FROM ({_problems_sql(source, ', q.p.o AS _order')}) "
        "QUALIFY row_number() OVER (PARTITION BY file_path ORDER BY row_number, _order) "
        f"<= {WARNINGS_PER_FILE} ORDER BY file_path, row_number, _order"
    ).fetchall()
    for path, reason in rows:
        found.setdefault(path, []).append(reason)
    return found
