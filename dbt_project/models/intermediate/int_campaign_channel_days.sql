{{ config(materialized='incremental', incremental_strategy='restate', unique_key='date_day') }}

{#- Activity of each campaign per channel and day: counts, tracking, messages and metrics. -#}
with

activities as (

    select * from {{ ref('int_channel_activity_unioned') }}
    {{ restated_days('activity_date') }}

),

final as (

    select
        activities.campaign_id,
        activities.channel,
        activities.activity_date as date_day,
        count(*) as activities,
        count(*) filter (where activities.is_tracked) as tracked_activities,
        count(activities.message_text) as messages,
        count(*) filter (where activities.has_campaign_hashtag) as messages_with_hashtag,
        cast(sum(activities.impressions) as bigint) as impressions,
        cast(sum(activities.engagements) as bigint) as engagements,
        cast(sum(activities.likes) as bigint) as likes,
        cast(sum(activities.comments) as bigint) as comments,
        cast(sum(activities.shares) as bigint) as shares,
        cast(sum(activities.clicks) as bigint) as clicks,
        cast(sum(activities.conversions) as double precision) as conversions,
        cast(sum(activities.revenue) as decimal(18, 4)) as revenue,
        cast(sum(activities.spend) as decimal(18, 4)) as spend,
        cast(sum(activities.influencer_fee) as decimal(18, 4)) as influencer_fee,
        cast(sum(activities.email_delivered) as bigint) as email_delivered,
        cast(sum(activities.email_opens) as bigint) as email_opens

    from activities
    group by activities.campaign_id, activities.channel, activities.activity_date

)

select * from final
