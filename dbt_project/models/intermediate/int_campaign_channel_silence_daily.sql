{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    How long each planned channel of a campaign has been silent, per live day: the days since
    its last activity in the campaign (0 when it ran that day). A planned channel that has not
    run yet is silent from the campaign's start: a channel that never started is dark too.

    Only days the warehouse knows about are counted: not before the first activity it holds
    at all (before the pipeline was installed, say), and not after the last day any export
    reported activity up to the night (exports delivered weekly, or a night judged before the
    day's files arrive, say nothing about the days they do not cover yet).
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}

),

planned_channels as (

    select * from {{ ref('int_campaign_planned_channels') }}

),

channel_days as (

    select * from {{ ref('int_campaign_channel_days') }}
    where activities > 0

),

activity_days as (

    select distinct channel_days.date_day
    from channel_days

),

nights as (

    select distinct campaign_days.date_day
    from campaign_days

),

known_days as (

    -- per night: the first and the last day any export reported activity, up to the night
    select
        nights.date_day,
        min(activity_days.date_day) as first_known_day,
        max(activity_days.date_day) as last_known_day

    from nights
    left join activity_days
        on activity_days.date_day <= nights.date_day
    group by nights.date_day

),

planned_channel_days as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day,
        campaign_days.start_date,
        planned_channels.channel,
        channel_days.activities is not null as is_active,
        case
            when known_days.first_known_day is not null
                then greatest(campaign_days.start_date, known_days.first_known_day)
        end as counted_from,
        known_days.last_known_day as known_until

    from campaign_days
    inner join planned_channels
        on campaign_days.campaign_id = planned_channels.campaign_id
    inner join known_days
        on campaign_days.date_day = known_days.date_day
    left join channel_days
        on campaign_days.campaign_id = channel_days.campaign_id
        and planned_channels.channel = channel_days.channel
        and campaign_days.date_day = channel_days.date_day

),

last_activity as (

    select
        planned_channel_days.*,
        max(case when planned_channel_days.is_active then planned_channel_days.date_day end)
            over (
                partition by planned_channel_days.campaign_id, planned_channel_days.channel
                order by planned_channel_days.date_day
                rows between unbounded preceding and current row
            ) as last_active_date

    from planned_channel_days

),

silences as (

    select
        last_activity.*,
        coalesce(last_activity.last_active_date + 1, last_activity.counted_from)
        as silent_since

    from last_activity

),

final as (

    select
        campaign_id,
        date_day as as_of_date,
        channel,
        start_date,
        counted_from,
        known_until,
        last_active_date,
        -- nothing known of the days since the start: no silence to judge
        case when known_until >= counted_from then silent_since end as silent_since,
        case
            when known_until >= counted_from
                then cast(greatest(0, known_until - silent_since + 1) as bigint)
        end as silent_days

    from silences
    -- the running maximum above needs every earlier day; only tonight's are written
    {{ restated_days('date_day') }}

)

select * from final
