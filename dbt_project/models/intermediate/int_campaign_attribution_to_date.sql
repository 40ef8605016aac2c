{#-
    The one attribution model each campaign's return is read from on each live day, and
    what that model credits to date (start date to that day). Models are never added up:
    they describe the same money. The model with the most rows to date wins; a tie goes to
    the more complete model (data-driven, then media mix, linear, last click, first click).
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}

),

attribution as (

    select * from {{ ref('stg_attribution__results') }}

),

model_days as (

    select
        attribution.campaign_id,
        attribution.attribution_model,
        attribution.attribution_date,
        count(*) as model_rows,
        sum(attribution.attributed_conversions) as attributed_conversions,
        sum(attribution.attributed_revenue) as attributed_revenue,
        sum(attribution.cost) as attributed_cost,

    from attribution
    group by all

),

models_to_date as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        model_days.attribution_model,
        sum(model_days.model_rows) as model_rows_to_date,
        sum(model_days.attributed_conversions) as attributed_conversions,
        sum(model_days.attributed_revenue) as attributed_revenue,
        sum(model_days.attributed_cost) as attributed_cost,

    from campaign_days
    inner join model_days
        on campaign_days.campaign_id = model_days.campaign_id
        and model_days.attribution_date between campaign_days.start_date
        and campaign_days.date_day
    group by all

),

final as (

    select
        campaign_id,
        as_of_date,
        attribution_model,
        cast(model_rows_to_date as bigint) as model_rows_to_date,
        cast(attributed_conversions as double) as attributed_conversions,
        cast(attributed_revenue as double) as attributed_revenue,
        cast(attributed_cost as double) as attributed_cost,

    from models_to_date
    qualify row_number() over (
        partition by campaign_id, as_of_date
        order by
            model_rows_to_date desc,
            list_position(
                ['data_driven', 'mmm', 'linear', 'last_click', 'first_click'],
                attribution_model
            ) asc nulls last
    ) = 1

)

select * from final
