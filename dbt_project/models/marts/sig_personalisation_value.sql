{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P14: does the personalised e-mail variant convert better than the generic one over the
    last window_days (28 by default)? The window and the fewest delivered e-mails each variant
    needs are the catalogue's P14 parameters, per campaign (guard_param).
-#}
with

campaign_days as (

    -- each day with its campaign's P14 window_days: a column the window join bounds on
    {{ campaign_days_with_params('P14', ['window_days'], integer_names=['window_days']) }}

),

sends as (

    select * from {{ ref('int_email_sends_tokens_checked') }}

),

window_totals as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        coalesce(sum(sends.delivered) filter (where sends.variant = 'generic'), 0)
        as generic_delivered,
        coalesce(sum(sends.conversions) filter (where sends.variant = 'generic'), 0)
        as generic_conversions,
        coalesce(sum(sends.delivered) filter (where sends.variant = 'personalised'), 0)
        as personalised_delivered,
        coalesce(sum(sends.conversions) filter (where sends.variant = 'personalised'), 0)
        as personalised_conversions

    from campaign_days
    inner join sends
        on campaign_days.campaign_id = sends.campaign_id
        and sends.send_date between campaign_days.date_day
        - campaign_days.window_days + 1
        and campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

rates as (

    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        coalesce(window_totals.generic_delivered, 0) as generic_delivered,
        coalesce(window_totals.generic_conversions, 0) as generic_conversions,
        coalesce(window_totals.personalised_delivered, 0) as personalised_delivered,
        coalesce(window_totals.personalised_conversions, 0) as personalised_conversions,
        case
            when window_totals.generic_delivered > 0
                then cast(window_totals.generic_conversions as double precision)
                / window_totals.generic_delivered
        end as cvr_generic,
        case
            when window_totals.personalised_delivered > 0
                then cast(window_totals.personalised_conversions as double precision)
                / window_totals.personalised_delivered
        end as cvr_personalised

    from campaign_days
    left join window_totals
        on campaign_days.campaign_id = window_totals.campaign_id
        and campaign_days.date_day = window_totals.as_of_date

),

final as (

    select
        as_of_date,
        campaign_id,
        -- fewer than min_delivered on either side is too few to compare conversion rates
        cast(
            case
                when generic_delivered
                    >= {{ guard_param('P14', 'min_delivered', 'rates.campaign_id') }}
                    and personalised_delivered
                    >= {{ guard_param('P14', 'min_delivered', 'rates.campaign_id') }}
                    and cvr_generic > 0
                    then cvr_personalised / cvr_generic - 1
            end as double precision
        ) as personalisation_uplift,
        cast(cvr_generic as double precision) as cvr_generic,
        cast(cvr_personalised as double precision) as cvr_personalised,
        cast(generic_delivered as bigint) as generic_delivered,
        cast(personalised_delivered as bigint) as personalised_delivered,
        cast(generic_conversions as bigint) as generic_conversions,
        cast(personalised_conversions as bigint) as personalised_conversions,
        -- the campaign's window, so the alert says which days it counted
        cast(
            {{ guard_param('P14', 'window_days', 'rates.campaign_id', integer=true) }} as bigint
        ) as window_days

    from rates

)

select * from final
