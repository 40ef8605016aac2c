"""Warehouses written with SQL straight into real DuckDB files, shaped like the marts.

Edge cases (missing tables, hundreds of campaigns, pages of many nights) then need no whole
pipeline run each. Outcomes are drawn with DuckDB's ``hash``, so every build is the same.
"""

from __future__ import annotations

import json

from marketing_health.catalogue import load_catalogue
from marketing_health.settings import Paths
from marketing_health.warehouse import connect

NIGHT = "2026-03-31"

_MEASURES = """
create schema if not exists marts;
create table marts.dim_campaigns as
select 'CMP-' || lpad(i::varchar, 4, '0') as campaign_id,
       'Campaign ' || i || ' 春季' as campaign_name, 'Brand ' || (i % 7) as brand,
       'Team ' || (i % 5) as owner_team, '#team-' || (i % 5) as owner_slack_channel
from range(1, $n + 1) t(i);
create table marts.fct_campaign_integration_daily as
select campaign_id, d::date as as_of_date,
       (hash(campaign_id, d) % 100) / 100.0 as integration_score
from marts.dim_campaigns, range(date '2026-01-01', date '2026-04-01', interval 1 day) r(d);
create table marts.fct_campaign_kpi_coverage_daily as
select campaign_id, as_of_date, 1 - integration_score / 2 as kpi_coverage
from marts.fct_campaign_integration_daily;
"""

_GUARDS = """
create schema if not exists guards;
create table guards.guard_results as
select n::date as run_date, g.guard_id, c.campaign_id,
       case when hash(c.campaign_id, g.guard_id, n) % 10 = 0 then 'fail'
            when hash(c.campaign_id, g.guard_id) % 9 = 0 then 'not_applicable'
            else 'pass' end as outcome,
       g.severity, 'Observed ' || (hash(c.campaign_id, g.guard_id, n) % 1000) ||
       ' units against a threshold; details for the owning team.' as summary,
       cast(null as json) as evidence
from marts.dim_campaigns c, (select unnest($guards) as guard_id, 'warning' as severity) g,
     range(date '2026-03-02', date '2026-04-01', interval 1 day) r(n);
create table marts.fct_guard_states as
select *, case when outcome = 'fail' then 'persisting' when outcome = 'pass' then 'ok'
               else 'not_applicable' end as state,
       case when outcome = 'fail' then run_date - 3 end as failing_since,
       case when outcome = 'fail' then 4 else 0 end as nights_failing,
       run_date - 1 as previous_run_date
from guards.guard_results;
create table marts.fct_campaign_health_daily as
select run_date, campaign_id,
       cast(100 - 10 * count(*) filter (where outcome = 'fail') as integer) as health_score,
       count(*) filter (where outcome = 'fail') as guards_failed, 0 as critical_failed,
       0 as guards_entered, 0 as guards_recovered, 0 as guards_error,
       any_value(i.integration_score) as integration_score,
       any_value(k.kpi_coverage) as kpi_coverage
from guards.guard_results
left join marts.fct_campaign_integration_daily i using (campaign_id)
left join marts.fct_campaign_kpi_coverage_daily k using (campaign_id)
where i.as_of_date = run_date and k.as_of_date = run_date
group by all;
"""


def build_warehouse(paths: Paths, campaigns: int, guards: bool) -> None:
    guard_ids = "[" + ", ".join(f"'{p.id}'" for p in load_catalogue().guarded) + "]"
    sql = _MEASURES + (_GUARDS if guards else "")
    with connect(paths.warehouse) as con:
        con.execute(sql.replace("$n", str(campaigns)).replace("$guards", guard_ids))


#: Words no vocabulary knows, as ``marts.fct_unknown_terms`` lists them, and the guards that
#: cannot tell because of them: P02 for the campaigns naming the KPI, P15 for the platform.
UNKNOWN_WORDS = {
    "种草指数": ("kpi_metrics", "kpis", "metric", "P02"),
    "<i>shop</i> & live": ("platforms", "social_posts", "platform", "P15"),
}


def add_unknown_words(paths: Paths, campaigns: list[str]) -> None:
    """List the unknown words for ``campaigns`` and make their guards cannot tell tonight."""
    with connect(paths.warehouse) as con:
        con.execute(
            """
            create table if not exists marts.fct_unknown_terms (
                vocabulary varchar, term varchar, source varchar, column_name varchar,
                file_path varchar, row_count bigint, campaign_ids varchar,
                first_delivery_day date, last_delivery_day date, vocabulary_file varchar)
            """
        )
        for term, (vocabulary, source, column, guard_id) in UNKNOWN_WORDS.items():
            evidence = json.dumps({"unknown_terms": f"unknown terms: {term}"})
            for day in ("2026-03-30", NIGHT):
                con.execute(
                    "insert into marts.fct_unknown_terms values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        vocabulary, term, source, column, f"{source}/{day}/export.csv", 3,
                        ", ".join(sorted(campaigns)), day, day,
                        f"config/vocabularies/{vocabulary}.yaml",
                    ],
                )  # fmt: skip
            con.execute(
                """
                update guards.guard_results
                set outcome = 'cannot_tell', evidence = ?::json,
                    summary = 'Cannot tell until the word is known.'
                where run_date = ?::date and guard_id = ? and list_contains(?, campaign_id)
                """,
                [evidence, NIGHT, guard_id, campaigns],
            )
