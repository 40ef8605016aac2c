"""``marts.fct_unknown_terms`` and ``cannot_tell`` guard results for tests that do not run dbt.

Alert and report tests ingest real landing files into a real DuckDB file; they do not run the
dbt build that lists the words the vocabularies do not know. ``list_unknown_kpi_names`` lists
the KPI names of ``raw.kpis`` no vocabulary knows, in the mart's agreed shape, from the same
``vocab.*`` tables dbt joins (written by :func:`write_vocabularies`), comparing terms as the
``vocab_term`` macro does. ``cannot_tell_evidence`` is the evidence a guard writes for a
campaign it cannot judge.
"""

from __future__ import annotations

from typing import Any

from marketing_health.catalogue import load_catalogue
from marketing_health.catalogue.vocabularies import write_vocabularies
from marketing_health.warehouse import Target, connect

UNKNOWN_KPI_NAMES_SQL = r"""
create or replace table marts.fct_unknown_terms as
select
    'kpi_metrics' as vocabulary,
    k.metric as term,
    'kpis' as source,
    'metric' as column_name,
    k._file_path as file_path,
    count(*) as row_count,
    string_agg(distinct k.campaign_id, ', ' order by k.campaign_id) as campaign_ids,
    min(k._delivery_day) as first_delivery_day,
    max(k._delivery_day) as last_delivery_day,
    'config/vocabularies/kpi_metrics.yaml' as vocabulary_file
from raw.kpis as k
where regexp_replace(lower(trim(k.metric)), '[\s\-]+', '_', 'g')
    not in (select term from vocab.kpi_terms)
group by k.metric, k._file_path
"""


def list_unknown_kpi_names(target: Target) -> list[tuple[Any, ...]]:
    """(Re)build ``marts.fct_unknown_terms`` from the loaded KPI files; returns its rows."""
    with connect(target) as con:
        write_vocabularies(con)
        con.execute("create schema if not exists marts")
        con.execute(UNKNOWN_KPI_NAMES_SQL)
        return con.execute(
            "select term, file_path, row_count, campaign_ids from marts.fct_unknown_terms "
            "order by term, file_path"
        ).fetchall()


def cannot_tell_evidence(guard_id: str, *terms: str) -> dict[str, str]:
    """The evidence of a guard that cannot tell: the unknown words after their label."""
    guard = load_catalogue()[guard_id].guard
    column = getattr(guard, "unknown_terms", None)
    label = guard.evidence.get(column) if guard and column else None
    return {"unknown_terms": f"{label or 'unknown terms'}: {', '.join(terms)}"}
