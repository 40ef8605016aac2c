{#- Declared KPIs of known campaigns with their class (outcome or vanity) and observing column. -#}
with

kpis as (

    select * from {{ ref('stg_campaign_plan__kpis') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

kpi_metrics as (

    select * from {{ ref('kpi_metrics') }}

),

final as (

    select
        kpis.kpi_id,
        kpis.campaign_id,
        kpis.metric,
        coalesce(kpi_metrics.kpi_class, 'unclassified') as kpi_class,
        kpi_metrics.observed_by,
        kpis.target_value,
        kpis.due_date,
        coalesce(kpi_metrics.kpi_class = 'outcome', false) as is_outcome,
        kpis.target_value is not null and kpis.due_date is not null as has_target_and_due_date,
        coalesce(kpis.target_value > 0, false)
        and kpis.due_date is not null as has_positive_target_and_due_date

    from kpis
    inner join campaigns
        on kpis.campaign_id = campaigns.campaign_id
    left join kpi_metrics
        on kpis.metric = kpi_metrics.metric

)

select * from final
