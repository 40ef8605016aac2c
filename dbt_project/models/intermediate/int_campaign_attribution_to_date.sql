{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    The one attribution model each campaign's return is read from on each live day, and
    what that model credits to date (start date to that day). Models are never added up:
    they describe the same money. The model with the most rows to date wins; a tie goes to
    the more complete model (data-driven, then media mix, linear, last click, first click).
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

attribution as (

    select * from {{ ref('stg_attribution__results') }}

),

campaign_starts as (

    select distinct
        campaign_days.campaign_id,
        campaign_days.start_date

    from campaign_days

),

model_days as (

    -- rows dated before the start date do not count towards the campaign's return
    select
        attribution.campaign_id,
        attribution.attribution_model,
        attribution.attribution_date,
        count(*) as model_rows,
        sum(attribution.attributed_conversions) as attributed_conversions,
        sum(attribution.attributed_revenue) as attributed_revenue,
        sum(attribution.cost) as attributed_cost

    from attribution
    inner join campaign_starts
        on attribution.campaign_id = campaign_starts.campaign_id
        and attribution.attribution_date >= campaign_starts.start_date
    group by
        attribution.campaign_id,
        attribution.attribution_model,
        attribution.attribution_date

),

model_running_totals as (

    select
        model_days.campaign_id,
        model_days.attribution_model,
        model_days.attribution_date,
        sum(model_days.model_rows) over model_to_date as model_rows_to_date,
        sum(model_days.attributed_conversions) over model_to_date as attributed_conversions,
        sum(model_days.attributed_revenue) over model_to_date as attributed_revenue,
        sum(model_days.attributed_cost) over model_to_date as attributed_cost,
        -- these totals hold until the model's next attributed day
        lead(model_days.attribution_date) over (
            partition by model_days.campaign_id, model_days.attribution_model
            order by model_days.attribution_date
        ) as next_attribution_date

    from model_days
    window model_to_date as (
        partition by model_days.campaign_id, model_days.attribution_model
        order by model_days.attribution_date
        rows between unbounded preceding and current row
    )

),

campaign_models as (

    select distinct
        model_days.campaign_id,
        model_days.attribution_model

    from model_days

),

day_models as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day,
        campaign_models.attribution_model

    from campaign_days
    inner join campaign_models
        on campaign_days.campaign_id = campaign_models.campaign_id

),

models_to_date as (

    -- each model's running totals as of its latest attributed day up to the live day
    select
        day_models.campaign_id,
        day_models.date_day as as_of_date,
        day_models.attribution_model,
        model_running_totals.model_rows_to_date,
        model_running_totals.attributed_conversions,
        model_running_totals.attributed_revenue,
        model_running_totals.attributed_cost

    from day_models
    inner join model_running_totals
        on day_models.campaign_id = model_running_totals.campaign_id
        and day_models.attribution_model = model_running_totals.attribution_model
        and day_models.date_day >= model_running_totals.attribution_date
        and (
            day_models.date_day < model_running_totals.next_attribution_date
            or model_running_totals.next_attribution_date is null
        )

),

ranked_models as (

    select
        campaign_id,
        as_of_date,
        attribution_model,
        cast(model_rows_to_date as bigint) as model_rows_to_date,
        cast(attributed_conversions as double precision) as attributed_conversions,
        cast(attributed_revenue as double precision) as attributed_revenue,
        cast(attributed_cost as double precision) as attributed_cost,
        array_position(
            array['data_driven', 'mmm', 'linear', 'last_click', 'first_click'],
            attribution_model
        ) as completeness_rank

    from models_to_date

),

final as (

    select
        winners.campaign_id,
        winners.as_of_date,
        winners.attribution_model,
        winners.model_rows_to_date,
        winners.attributed_conversions,
        winners.attributed_revenue,
        winners.attributed_cost

    from (
        {{ deduplicate(
            'ranked_models',
            partition_by='campaign_id, as_of_date',
            order_by='model_rows_to_date desc, completeness_rank asc nulls last'
        ) }}
    ) as winners

)

select * from final
