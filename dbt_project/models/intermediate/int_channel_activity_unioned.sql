{#-
    Every activity of a known campaign in one shape: one row per social post and day, e-mail
    send variant, paid-ads row and published influencer post (on the day it went live; a
    pending or cancelled deliverable is no activity), up to the night being reported on.

    Tracking: is_tracked reads the utm_campaign case-insensitively, as the integration measure
    always has; utm_campaign_as_written keeps the spelling the link carries, from which
    int_campaign_utm_spelling_days tells the spellings that split the campaign in analytics.
    platform is as the export writes it (NULL for e-mail): int_campaign_link_activity_days
    reads it through the platforms vocabulary to tell whether the activity could carry a link.
-#}
with

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

social_posts as (

    select * from {{ ref('stg_social__posts') }}

),

email_sends as (

    select * from {{ ref('stg_email__sends') }}

),

paid_ads as (

    select * from {{ ref('stg_paid_ads__ad_performance') }}

),

influencer_posts as (

    select * from {{ ref('int_influencer_deliverables') }}
    where live_date is not null

),

social_activity as (

    select
        'social' as channel,
        social_posts.campaign_id,
        social_posts.post_date as activity_date,
        social_posts.platform || ' post ' || social_posts.post_id as activity_name,
        social_posts.platform,
        social_posts.utm_campaign,
        social_posts.utm_campaign_as_written,
        social_posts.post_text as message_text,
        social_posts.impressions,
        social_posts.likes + social_posts.comments + social_posts.shares as engagements,
        social_posts.likes,
        social_posts.comments,
        social_posts.shares,
        0 as clicks,
        0 as conversions,
        0 as revenue,
        0 as spend,
        0 as influencer_fee,
        0 as email_delivered,
        0 as email_opens

    from social_posts

),

email_activity as (

    select
        'email' as channel,
        email_sends.campaign_id,
        email_sends.send_date as activity_date,
        'send ' || email_sends.send_id || ' (' || email_sends.variant || ')' as activity_name,
        cast(null as varchar) as platform,
        email_sends.utm_campaign,
        email_sends.utm_campaign_as_written,
        null as message_text,
        0 as impressions,
        0 as engagements,
        0 as likes,
        0 as comments,
        0 as shares,
        email_sends.clicks,
        email_sends.conversions,
        0 as revenue,
        0 as spend,
        0 as influencer_fee,
        email_sends.delivered as email_delivered,
        email_sends.opens as email_opens

    from email_sends

),

paid_activity as (

    select
        'paid' as channel,
        paid_ads.campaign_id,
        paid_ads.ad_date as activity_date,
        paid_ads.platform || ' ad group ' || paid_ads.ad_group_id as activity_name,
        paid_ads.platform,
        paid_ads.utm_campaign,
        paid_ads.utm_campaign_as_written,
        null as message_text,
        paid_ads.impressions,
        0 as engagements,
        0 as likes,
        0 as comments,
        0 as shares,
        paid_ads.clicks,
        paid_ads.conversions,
        paid_ads.revenue,
        paid_ads.spend,
        0 as influencer_fee,
        0 as email_delivered,
        0 as email_opens

    from paid_ads

),

influencer_activity as (

    select
        'influencer' as channel,
        influencer_posts.campaign_id,
        influencer_posts.live_date as activity_date,
        influencer_posts.post_label as activity_name,
        influencer_posts.platform,
        influencer_posts.utm_campaign,
        influencer_posts.utm_campaign_as_written,
        influencer_posts.caption as message_text,
        influencer_posts.impressions,
        influencer_posts.engagements,
        0 as likes,
        0 as comments,
        0 as shares,
        0 as clicks,
        0 as conversions,
        0 as revenue,
        0 as spend,
        influencer_posts.fee as influencer_fee,
        0 as email_delivered,
        0 as email_opens

    from influencer_posts

),

unioned as (

    select * from social_activity
    union all
    select * from email_activity
    union all
    select * from paid_activity
    union all
    select * from influencer_activity

),

final as (

    select
        unioned.channel,
        unioned.campaign_id,
        unioned.activity_date,
        unioned.activity_name,
        unioned.platform,
        unioned.utm_campaign,
        unioned.utm_campaign_as_written,
        coalesce(unioned.utm_campaign = campaigns.utm_campaign, false) as is_tracked,
        unioned.message_text,
        case
            when unioned.message_text is null then null
            when campaigns.hashtag is null then false
            else strpos(lower(unioned.message_text), lower(campaigns.hashtag)) > 0
        end as has_campaign_hashtag,
        cast(unioned.impressions as bigint) as impressions,
        cast(unioned.engagements as bigint) as engagements,
        cast(unioned.likes as bigint) as likes,
        cast(unioned.comments as bigint) as comments,
        cast(unioned.shares as bigint) as shares,
        cast(unioned.clicks as bigint) as clicks,
        cast(unioned.conversions as double precision) as conversions,
        cast(unioned.revenue as decimal(18, 4)) as revenue,
        cast(unioned.spend as decimal(18, 4)) as spend,
        cast(unioned.influencer_fee as decimal(18, 4)) as influencer_fee,
        cast(unioned.email_delivered as bigint) as email_delivered,
        cast(unioned.email_opens as bigint) as email_opens

    from unioned
    inner join campaigns
        on unioned.campaign_id = campaigns.campaign_id
    where unioned.activity_date <= {{ as_of_date() }}

)

select * from final
