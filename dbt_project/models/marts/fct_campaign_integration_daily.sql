{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    The integration measure per campaign and live day, over the window of the last 14
    campaign days (never before the start). Formulas and weights: _marts__docs.md.
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

planned_channels as (

    select * from {{ ref('int_campaign_planned_channels') }}

),

channel_days as (

    select * from {{ ref('int_campaign_channel_days') }}

),

window_channel_days as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        channel_days.channel,
        channel_days.date_day as activity_date,
        channel_days.activities,
        channel_days.tracked_activities,
        channel_days.messages,
        channel_days.messages_with_hashtag

    from campaign_days
    inner join channel_days
        on campaign_days.campaign_id = channel_days.campaign_id
        and channel_days.date_day between campaign_days.integration_window_start
        and campaign_days.date_day
    where channel_days.activities > 0

),

window_totals as (

    select
        window_channel_days.campaign_id,
        window_channel_days.as_of_date,
        cast(sum(window_channel_days.activities) as bigint) as activities,
        cast(sum(window_channel_days.tracked_activities) as bigint) as tracked_activities,
        cast(sum(window_channel_days.messages) as bigint) as messages,
        cast(sum(window_channel_days.messages_with_hashtag) as bigint) as messages_with_hashtag

    from window_channel_days
    group by
        window_channel_days.campaign_id,
        window_channel_days.as_of_date

),

window_active_planned_channels as (

    select
        window_channel_days.campaign_id,
        window_channel_days.as_of_date,
        count(distinct window_channel_days.channel) as active_channels

    from window_channel_days
    inner join planned_channels
        on window_channel_days.campaign_id = planned_channels.campaign_id
        and window_channel_days.channel = planned_channels.channel
    group by
        window_channel_days.campaign_id,
        window_channel_days.as_of_date

),

window_live_days as (

    select
        window_channel_days.campaign_id,
        window_channel_days.as_of_date,
        window_channel_days.activity_date,
        count(distinct window_channel_days.channel) as live_channels

    from window_channel_days
    group by
        window_channel_days.campaign_id,
        window_channel_days.as_of_date,
        window_channel_days.activity_date

),

window_multi_channel_days as (

    select
        window_live_days.campaign_id,
        window_live_days.as_of_date,
        count(*) filter (where window_live_days.live_channels >= 2) as multi_channel_days

    from window_live_days
    group by
        window_live_days.campaign_id,
        window_live_days.as_of_date

),

planned_channel_counts as (

    select
        planned_channels.campaign_id,
        count(distinct planned_channels.channel) as planned_channels

    from planned_channels
    group by planned_channels.campaign_id

),

counts as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        campaign_days.integration_window_start as window_start_date,
        cast(
            campaign_days.date_day - campaign_days.integration_window_start + 1 as bigint
        ) as window_days,
        coalesce(planned_channel_counts.planned_channels, 0) as planned_channels,
        coalesce(window_active_planned_channels.active_channels, 0) as active_channels,
        coalesce(window_multi_channel_days.multi_channel_days, 0) as multi_channel_days,
        coalesce(window_totals.activities, 0) as activities,
        coalesce(window_totals.tracked_activities, 0) as tracked_activities,
        coalesce(window_totals.messages, 0) as messages,
        coalesce(window_totals.messages_with_hashtag, 0) as messages_with_hashtag

    from campaign_days
    left join planned_channel_counts
        on campaign_days.campaign_id = planned_channel_counts.campaign_id
    left join window_active_planned_channels
        on campaign_days.campaign_id = window_active_planned_channels.campaign_id
        and campaign_days.date_day = window_active_planned_channels.as_of_date
    left join window_multi_channel_days
        on campaign_days.campaign_id = window_multi_channel_days.campaign_id
        and campaign_days.date_day = window_multi_channel_days.as_of_date
    left join window_totals
        on campaign_days.campaign_id = window_totals.campaign_id
        and campaign_days.date_day = window_totals.as_of_date

),

components as (

    select
        *,
        case
            when planned_channels > 0
                then cast(active_channels as double precision) / planned_channels
            else 0.0
        end as channel_activation,
        cast(multi_channel_days as double precision) / window_days as multi_channel_day_share,
        case
            when activities > 0 then cast(tracked_activities as double precision) / activities
            else 0.0
        end as tracked_share,
        -- no caption or post text in the window: nothing to judge, the component drops out
        case
            when messages > 0 then cast(messages_with_hashtag as double precision) / messages
        end as message_consistency

    from counts

),

final as (

    select
        campaign_id,
        as_of_date,
        window_start_date,
        window_days,
        planned_channels,
        active_channels,
        multi_channel_days,
        activities,
        tracked_activities,
        messages,
        messages_with_hashtag,
        cast(channel_activation as double precision) as channel_activation,
        cast(multi_channel_day_share as double precision) as multi_channel_day_share,
        cast(tracked_share as double precision) as tracked_share,
        cast(message_consistency as double precision) as message_consistency,
        (
            {{ measure_weight('integration', 'channel_activation') }} * channel_activation
            + {{ measure_weight('integration', 'multi_channel_day_share') }}
            * multi_channel_day_share
            + {{ measure_weight('integration', 'tracked_share') }} * tracked_share
            + coalesce(
                {{ measure_weight('integration', 'message_consistency') }}
                * message_consistency,
                0
            )
        ) / (
            {{ measure_weight('integration', 'channel_activation') }}
            + {{ measure_weight('integration', 'multi_channel_day_share') }}
            + {{ measure_weight('integration', 'tracked_share') }}
            + case
                when message_consistency is not null
                    then {{ measure_weight('integration', 'message_consistency') }}
                else 0
            end
        ) as integration_score

    from components

)

select * from final
