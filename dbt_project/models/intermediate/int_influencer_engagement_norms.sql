{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    What engagement per impression is normal for creator posts, per night and per tier, per
    platform, and per tier on a platform (engagement differs by platform: a Bilibili video
    collects coins and favourites an Instagram post does not): median and median absolute
    deviation (MAD) of the post engagement rate over the posts of all campaigns in the
    norm_window_days (28 by default) up to that night. Fewer than min_norm_posts (8 by default)
    make no norm: the median and MAD are left empty. Both are the catalogue's P08 parameters
    with one value for every campaign (scope global): the norm is shared by all campaigns.
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

influencer_posts as (

    select * from {{ ref('stg_influencer__posts') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

nights as (

    select distinct campaign_days.date_day as as_of_date
    from campaign_days

),

rated_posts as (

    select
        influencer_posts.post_date,
        influencer_posts.tier,
        influencer_posts.platform,
        cast(influencer_posts.engagements as double precision) / influencer_posts.impressions
        as engagement_rate

    from influencer_posts
    inner join campaigns
        on influencer_posts.campaign_id = campaigns.campaign_id
    where influencer_posts.impressions > 0

),

window_posts as (

    select
        nights.as_of_date,
        rated_posts.tier,
        rated_posts.platform,
        rated_posts.engagement_rate

    from nights
    inner join rated_posts
        on rated_posts.post_date between nights.as_of_date
        - {{ guard_global_param('P08', 'norm_window_days', integer=true) }} + 1
        and nights.as_of_date

),

grouped_posts as (

    select
        as_of_date,
        'tier' as norm_dimension,
        tier as norm_group,
        engagement_rate
    from window_posts
    union all
    select
        as_of_date,
        'platform' as norm_dimension,
        platform as norm_group,
        engagement_rate
    from window_posts
    union all
    select
        as_of_date,
        'tier_on_platform' as norm_dimension,
        {{ tier_on_platform('platform', 'tier') }} as norm_group,
        engagement_rate
    from window_posts

),

medians as (

    select
        grouped_posts.as_of_date,
        grouped_posts.norm_dimension,
        grouped_posts.norm_group,
        count(*) as posts,
        {{ median('grouped_posts.engagement_rate') }} as median_engagement_rate

    from grouped_posts
    group by grouped_posts.as_of_date, grouped_posts.norm_dimension, grouped_posts.norm_group

),

deviations as (

    select
        medians.as_of_date,
        medians.norm_dimension,
        medians.norm_group,
        {{ median('abs(grouped_posts.engagement_rate - medians.median_engagement_rate)') }}
        as mad_engagement_rate

    from medians
    inner join grouped_posts
        on medians.as_of_date = grouped_posts.as_of_date
        and medians.norm_dimension = grouped_posts.norm_dimension
        and medians.norm_group = grouped_posts.norm_group
    group by medians.as_of_date, medians.norm_dimension, medians.norm_group

),

final as (

    select
        medians.as_of_date,
        medians.norm_dimension,
        medians.norm_group,
        medians.posts,
        -- too few posts to call anything normal
        case
            when medians.posts >= {{ guard_global_param('P08', 'min_norm_posts') }}
                then medians.median_engagement_rate
        end as median_engagement_rate,
        case
            when medians.posts >= {{ guard_global_param('P08', 'min_norm_posts') }}
                then deviations.mad_engagement_rate
        end as mad_engagement_rate

    from medians
    inner join deviations
        on medians.as_of_date = deviations.as_of_date
        and medians.norm_dimension = deviations.norm_dimension
        and medians.norm_group = deviations.norm_group

)

select * from final
