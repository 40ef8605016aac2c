{#-
    Declared KPIs of known campaigns with their class, read through the KPI vocabulary
    (vocab.kpi_terms: every name a team may write for a metric, in several languages). A name
    the vocabulary does not know is `unknown`: it might be an outcome, so it is never read as
    "not an outcome" (the goal guard says it cannot tell).
-#}
with

kpis as (

    select * from {{ ref('stg_campaign_plan__kpis') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

kpi_terms as (

    select * from {{ source('vocab', 'kpi_terms') }}

),

kpi_metrics as (

    select * from {{ source('vocab', 'kpi_metrics') }}

),

final as (

    select
        kpis.kpi_id,
        kpis.campaign_id,
        kpis.metric,
        kpi_metrics.metric as vocabulary_metric,
        coalesce(kpi_metrics.kpi_class, 'unknown') as kpi_class,
        nullif(kpi_metrics.observed_by, '') as observed_by,
        kpis.target_value,
        kpis.due_date,
        coalesce(kpi_metrics.kpi_class = 'outcome', false) as is_outcome,
        kpi_metrics.metric is null as is_unknown,
        kpis.target_value is not null and kpis.due_date is not null as has_target_and_due_date,
        coalesce(kpis.target_value > 0, false)
        and kpis.due_date is not null as has_positive_target_and_due_date

    from kpis
    inner join campaigns
        on kpis.campaign_id = campaigns.campaign_id
    left join kpi_terms
        on {{ vocab_term('kpis.metric') }} = kpi_terms.term
    left join kpi_metrics
        on kpi_terms.metric = kpi_metrics.metric

)

select * from final
