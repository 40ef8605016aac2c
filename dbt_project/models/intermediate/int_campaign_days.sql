{#-
    One row per campaign and day it was live, up to the night being reported on, with the start
    of the integration window (the catalogue's P09 window_days, per campaign).
-#}
with

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

spine as (

    select
        campaigns.campaign_id,
        campaigns.start_date,
        campaigns.end_date,
        cast(live_days.date_day as date) as date_day

    from campaigns
    cross join lateral generate_series(
        cast(campaigns.start_date as timestamp),
        cast(least(campaigns.end_date, {{ as_of_date() }}) as timestamp),
        interval '1 day'
    ) as live_days(date_day)
    where campaigns.start_date <= {{ as_of_date() }}

),

final as (

    select
        campaign_id,
        date_day,
        start_date,
        end_date,
        date_day - start_date + 1 as campaign_day_number,
        -- the integration measure (P09) looks back window_days campaign days (14 by default),
        -- never before the start; the other signals name their windows themselves
        greatest(
            start_date,
            date_day
            - {{ guard_param('P09', 'window_days', 'spine.campaign_id', integer=true) }}
            + 1
        ) as integration_window_start

    from spine

)

select * from final
