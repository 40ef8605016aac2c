{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P16: is the campaign testing anything, two experiments or more over the last window_days
    (30 by default)? An experiment counts with min_variants (2 by default) or more, and a
    campaign is judged from campaign day min_campaign_days (14 by default) on: the catalogue's
    P16 parameters, per campaign (guard_param).
-#}
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
        -- a real test: enough variants, actually run, live at some point in the window
        count(*) filter (
            where experiments.variants
            >= {{ guard_param('P16', 'min_variants', 'campaign_days.campaign_id') }}
            and experiments.status in ('running', 'completed', 'stopped')
            and coalesce(experiments.end_date, campaign_days.date_day)
            > campaign_days.date_day
            - {{ guard_param('P16', 'window_days', 'campaign_days.campaign_id', integer=true) }}
        ) as experiments_live_30d,
        -- one variant (or none): nothing to compare, whatever the campaign's min_variants
        count(*) filter (where experiments.variants <= 1) as single_variant_experiments

    from campaign_days
    inner join experiments
        on campaign_days.campaign_id = experiments.campaign_id
        and experiments.start_date <= campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

final as (

    -- a campaign younger than min_campaign_days has not had time to run experiments
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        case
            when campaign_days.campaign_day_number
                >= {{ guard_param('P16', 'min_campaign_days', 'campaign_days.campaign_id') }}
                then coalesce(experiment_totals.experiments_live_30d, 0)
        end as experiments_live_30d,
        coalesce(experiment_totals.experiments_started, 0) as experiments_started,
        coalesce(experiment_totals.single_variant_experiments, 0) as single_variant_experiments,
        cast(campaign_days.campaign_day_number as bigint) as campaign_day_number,
        -- the campaign's window and variants, so the alert says what it counted
        cast(
            {{ guard_param('P16', 'window_days', 'campaign_days.campaign_id', integer=true) }}
            as bigint
        ) as window_days,
        cast(
            {{ guard_param('P16', 'min_variants', 'campaign_days.campaign_id', integer=true) }}
            as bigint
        ) as min_variants

    from campaign_days
    left join experiment_totals
        on campaign_days.campaign_id = experiment_totals.campaign_id
        and campaign_days.date_day = experiment_totals.as_of_date

)

select * from final
