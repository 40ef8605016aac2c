{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#- P16: is the campaign testing anything, two experiments or more over the last 30 days? -#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

experiments as (

    select * from {{ ref('stg_campaign_plan__experiments') }}

),

experiment_totals as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        count(*) as experiments_started,
        -- a real test: two variants or more, actually run, live at some point in the 30 days
        count(*) filter (
            where experiments.variants >= 2
            and experiments.status in ('running', 'completed', 'stopped')
            and coalesce(experiments.end_date, campaign_days.date_day)
            >= campaign_days.date_day - 29
        ) as experiments_live_30d,
        count(*) filter (where experiments.variants < 2) as single_variant_experiments

    from campaign_days
    inner join experiments
        on campaign_days.campaign_id = experiments.campaign_id
        and experiments.start_date <= campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

final as (

    -- a campaign in its first 13 days has not had time to run experiments
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        case
            when campaign_days.campaign_day_number >= 14
                then coalesce(experiment_totals.experiments_live_30d, 0)
        end as experiments_live_30d,
        coalesce(experiment_totals.experiments_started, 0) as experiments_started,
        coalesce(experiment_totals.single_variant_experiments, 0) as single_variant_experiments,
        cast(campaign_days.campaign_day_number as bigint) as campaign_day_number

    from campaign_days
    left join experiment_totals
        on campaign_days.campaign_id = experiment_totals.campaign_id
        and campaign_days.date_day = experiment_totals.as_of_date

)

select * from final
