{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P02: does the campaign have an outcome KPI with a target and a due date? KPI names the
    vocabulary does not know might be outcomes: those with a target and a due date are counted
    apart (the guard cannot tell when they alone could make the difference) and named.
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

kpis as (

    select * from {{ ref('int_kpis_classified') }}

),

kpi_counts as (

    select
        kpis.campaign_id,
        count(*) as declared_kpis,
        count(*) filter (where kpis.kpi_class = 'vanity') as vanity_kpis,
        count(*) filter (where kpis.is_outcome) as outcome_kpis,
        count(*) filter (where kpis.is_outcome and kpis.has_positive_target_and_due_date)
        as outcome_kpis_with_target,
        count(*) filter (where kpis.kpi_class = 'diagnostic') as diagnostic_kpis,
        count(*) filter (where kpis.is_unknown) as unknown_kpis,
        count(*) filter (where kpis.is_unknown and kpis.has_positive_target_and_due_date)
        as unknown_kpis_with_target,
        array_agg(kpis.metric order by kpis.metric) filter (
            where kpis.is_unknown and kpis.has_positive_target_and_due_date
        ) as unknown_kpi_names

    from kpis
    group by kpis.campaign_id

),

final as (

    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        coalesce(kpi_counts.declared_kpis, 0) as declared_kpis,
        coalesce(kpi_counts.vanity_kpis, 0) as vanity_kpis,
        coalesce(kpi_counts.outcome_kpis, 0) as outcome_kpis,
        coalesce(kpi_counts.outcome_kpis_with_target, 0) as outcome_kpis_with_target,
        coalesce(kpi_counts.diagnostic_kpis, 0) as diagnostic_kpis,
        coalesce(kpi_counts.unknown_kpis, 0) as unknown_kpis,
        coalesce(kpi_counts.unknown_kpis_with_target, 0) as unknown_kpis_with_target,
        coalesce(array_to_string(kpi_counts.unknown_kpi_names, ', '), '') as unknown_kpi_names

    from campaign_days
    left join kpi_counts
        on campaign_days.campaign_id = kpi_counts.campaign_id

)

select * from final
