{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#- P17: how much of the budget is still free to double down on what works? -#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

commitments as (

    select * from {{ ref('stg_campaign_plan__budget_commitments') }}

),

committed_to_date as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        count(*) as commitments,
        sum(commitments.committed_amount) as committed

    from campaign_days
    inner join commitments
        on campaign_days.campaign_id = commitments.campaign_id
        and commitments.committed_date <= campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

final as (

    -- with commitments on record the reserve is what they leave of the budget; without,
    -- the plan's own reserve_budget is all there is to go by
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        cast(
            case
                when coalesce(campaigns.budget, 0) = 0 then null
                when committed_to_date.commitments > 0
                    then (campaigns.budget - committed_to_date.committed) / campaigns.budget
                else campaigns.reserve_budget / campaigns.budget
            end as double precision
        ) as reserve_share,
        cast(campaigns.budget as double precision) as budget,
        cast(coalesce(committed_to_date.committed, 0) as double precision) as committed,
        cast(campaigns.reserve_budget as double precision) as reserve_budget,
        coalesce(committed_to_date.commitments, 0) as commitments,
        campaigns.currency

    from campaign_days
    inner join campaigns
        on campaign_days.campaign_id = campaigns.campaign_id
    left join committed_to_date
        on campaign_days.campaign_id = committed_to_date.campaign_id
        and campaign_days.date_day = committed_to_date.as_of_date

)

select * from final
