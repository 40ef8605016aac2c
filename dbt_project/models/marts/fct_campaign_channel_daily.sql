{{ config(materialized='incremental', incremental_strategy='restate', unique_key='activity_date') }}

with

channel_days as (

    select * from {{ ref('int_campaign_channel_days') }}
    {{ restated_days('date_day') }}

),

final as (

    select
        channel_days.campaign_id,
        channel_days.channel,
        channel_days.date_day as activity_date,
        channel_days.activities,
        channel_days.tracked_activities,
        channel_days.messages,
        channel_days.messages_with_hashtag,
        channel_days.impressions,
        channel_days.engagements,
        channel_days.likes,
        channel_days.comments,
        channel_days.shares,
        channel_days.clicks,
        channel_days.conversions,
        channel_days.revenue,
        channel_days.spend,
        channel_days.influencer_fee,
        channel_days.email_delivered,
        channel_days.email_opens

    from channel_days

)

select * from final
