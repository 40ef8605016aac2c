{#- P02: does the campaign have an outcome KPI with a target and a due date? -#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}

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
        count(*) filter (where kpis.kpi_class = 'unclassified') as unclassified_kpis

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
        coalesce(kpi_counts.unclassified_kpis, 0) as unclassified_kpis

    from campaign_days
    left join kpi_counts
        on campaign_days.campaign_id = kpi_counts.campaign_id

)

select * from final
