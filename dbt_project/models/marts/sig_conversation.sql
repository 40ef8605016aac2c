{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P10: does the brand answer the people commenting on its posts? Comments of the last
    window_days (7 by default), how many the brand had replied to by the night, and how long
    replies took; with fewer than min_comments (5 by default) there is no reply rate. Both are
    the catalogue's P10 parameters, per campaign (guard_param).
-#}
with

campaign_days as (

    -- each day with its campaign's P10 window_days: a column the window join bounds on
    {{ campaign_days_with_params('P10', ['window_days'], integer_names=['window_days']) }}

),

social_comments as (

    select * from {{ ref('stg_social__comments') }}

),

window_comments as (

    -- a reply written after the night did not exist yet on that night
    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        social_comments.commented_at,
        social_comments.brand_replied_at,
        coalesce(
            social_comments.brand_replied_at < campaign_days.date_day + 1, false
        ) as is_replied,
        cast(
            extract(epoch from social_comments.brand_replied_at - social_comments.commented_at)
            / 3600.0  -- unit: seconds per hour
            as double precision
        ) as reply_hours

    from campaign_days
    inner join social_comments
        on campaign_days.campaign_id = social_comments.campaign_id
        and social_comments.comment_date between campaign_days.date_day
        - campaign_days.window_days + 1
        and campaign_days.date_day

),

window_totals as (

    select
        window_comments.campaign_id,
        window_comments.as_of_date,
        count(*) as comments_7d,
        count(*) filter (where window_comments.is_replied) as replied_7d,
        {{ median('window_comments.reply_hours') }} filter (
            where window_comments.is_replied
        ) as median_reply_hours

    from window_comments
    group by
        window_comments.campaign_id,
        window_comments.as_of_date

),

final as (

    -- fewer than min_comments comments say nothing about a reply rate
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        cast(
            case
                when window_totals.comments_7d
                    >= {{ guard_param('P10', 'min_comments', 'campaign_days.campaign_id') }}
                    then cast(window_totals.replied_7d as double precision)
                    / window_totals.comments_7d
            end as double precision
        ) as reply_rate,
        cast(window_totals.median_reply_hours as double precision) as median_reply_hours,
        coalesce(window_totals.comments_7d, 0) as comments_7d,
        coalesce(window_totals.replied_7d, 0) as replied_7d,
        -- the campaign's window, so the alert says which days it counted
        cast(
            {{ guard_param('P10', 'window_days', 'campaign_days.campaign_id', integer=true) }}
            as bigint
        ) as window_days

    from campaign_days
    left join window_totals
        on campaign_days.campaign_id = window_totals.campaign_id
        and campaign_days.date_day = window_totals.as_of_date

)

select * from final
