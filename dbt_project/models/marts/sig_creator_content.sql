{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P08: creators whose posts for the campaign engage far less than is normal on their
    platform. A creator's engagement rate over the last window_days (engagements / impressions
    of all their posts for the campaign) is compared with the median post of all campaigns on
    the platform they posted on most in those days: with min_creator_posts posts or more, a
    rate below min_rate_vs_norm times that median underperforms. The numbers are P08's
    catalogue parameters, per campaign (28 days, 2 posts and 0.5 by default).
-#}
with

campaign_days as (

    select
        int_campaign_days.*,
        -- the first day of the window_days (P08's parameter) up to the night
        int_campaign_days.date_day
        - {{ guard_param('P08', 'window_days', 'int_campaign_days.campaign_id', integer=true) }}
        + 1 as window_start

    from {{ ref('int_campaign_days') }} as int_campaign_days
    {{ restated_days('int_campaign_days.date_day') }}

),

influencer_posts as (

    select * from {{ ref('stg_influencer__posts') }}

),

platform_norms as (

    select * from {{ ref('int_influencer_engagement_norms') }}
    where norm_dimension = 'platform'

),

creator_day_handles as (

    -- a creator renamed on a day they posted twice: that day goes under the handle last in
    -- the alphabet, so the latest handle is one and the same on either warehouse
    select
        influencer_posts.*,
        max(influencer_posts.creator_handle) over (
            partition by
                influencer_posts.campaign_id,
                influencer_posts.creator_id,
                influencer_posts.post_date
        ) as day_handle

    from influencer_posts

),

window_posts as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        creator_day_handles.creator_id,
        creator_day_handles.day_handle as creator_handle,
        creator_day_handles.post_date,
        creator_day_handles.platform,
        creator_day_handles.impressions,
        creator_day_handles.engagements

    from campaign_days
    inner join creator_day_handles
        on campaign_days.campaign_id = creator_day_handles.campaign_id
        and creator_day_handles.post_date between campaign_days.window_start
        and campaign_days.date_day

),

creator_platform_posts as (

    select
        window_posts.campaign_id,
        window_posts.as_of_date,
        window_posts.creator_id,
        window_posts.platform,
        count(*) as platform_posts

    from window_posts
    group by
        window_posts.campaign_id,
        window_posts.as_of_date,
        window_posts.creator_id,
        window_posts.platform

),

creator_platforms as (

    -- the platform a creator posted on most; a tie goes to the platform first in the alphabet
    select * from (
        select
            creator_platform_posts.*,
            row_number() over (
                partition by
                    creator_platform_posts.campaign_id,
                    creator_platform_posts.as_of_date,
                    creator_platform_posts.creator_id
                order by creator_platform_posts.platform_posts desc, creator_platform_posts.platform
            ) as platform_rank
        from creator_platform_posts
    ) as ranked_platforms
    where platform_rank = 1

),

creator_rates as (

    select
        window_posts.campaign_id,
        window_posts.as_of_date,
        window_posts.creator_id,
        -- the handle of the latest post (a creator may rename their account)
        {{ value_at_max('window_posts.creator_handle', 'window_posts.post_date') }}
        as creator_handle,
        count(*) as posts,
        case
            when sum(window_posts.impressions) > 0
                then cast(sum(window_posts.engagements) as double precision)
                / sum(window_posts.impressions)
        end as engagement_rate

    from window_posts
    group by
        window_posts.campaign_id,
        window_posts.as_of_date,
        window_posts.creator_id

),

rated_creators as (

    select
        creator_rates.*,
        creator_platforms.platform as main_platform,
        platform_norms.median_engagement_rate as platform_baseline,
        creator_rates.posts
        >= {{ guard_param('P08', 'min_creator_posts', 'creator_rates.campaign_id') }}
        as has_enough_posts,
        coalesce(
            creator_rates.posts
            >= {{ guard_param('P08', 'min_creator_posts', 'creator_rates.campaign_id') }}
            and creator_rates.engagement_rate
            < {{ guard_param('P08', 'min_rate_vs_norm', 'creator_rates.campaign_id') }}
            * platform_norms.median_engagement_rate,
            false
        ) as is_underperforming

    from creator_rates
    inner join creator_platforms
        on creator_rates.campaign_id = creator_platforms.campaign_id
        and creator_rates.as_of_date = creator_platforms.as_of_date
        and creator_rates.creator_id = creator_platforms.creator_id
    left join platform_norms
        on creator_rates.as_of_date = platform_norms.as_of_date
        and creator_platforms.platform = platform_norms.norm_group

),

window_totals as (

    select
        rated_creators.campaign_id,
        rated_creators.as_of_date,
        count(*) as active_creators,
        count(*) filter (
            where rated_creators.has_enough_posts
            and rated_creators.engagement_rate is not null
            and rated_creators.platform_baseline is not null
        ) as judged_creators,
        count(*) filter (where rated_creators.is_underperforming) as underperforming_creators,
        array_agg(
            {{ example_object('underperforming_creator', [
                ('handle', 'rated_creators.creator_handle'),
                ('rate', 'cast(rated_creators.engagement_rate as double precision)'),
                ('baseline', 'cast(rated_creators.platform_baseline as double precision)'),
                ('platform', 'rated_creators.main_platform'),
            ]) }}
            order by rated_creators.engagement_rate / rated_creators.platform_baseline,
            rated_creators.creator_handle
        ) filter (where rated_creators.is_underperforming) as underperforming_labels

    from rated_creators
    group by
        rated_creators.campaign_id,
        rated_creators.as_of_date

),

final as (

    -- no creator post in the window: nothing to judge
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        window_totals.underperforming_creators,
        coalesce(window_totals.active_creators, 0) as active_creators,
        coalesce(window_totals.judged_creators, 0) as judged_creators,
        {{ example_list('window_totals.underperforming_labels[1:3]') }}
        as underperforming_examples,
        -- the campaign's parameters, quoted by the alert (a tuned window or share reads right)
        cast(
            {{ guard_param('P08', 'window_days', 'campaign_days.campaign_id', integer=true) }}
            as bigint
        ) as window_days,
        cast(
            {{ guard_param('P08', 'min_creator_posts', 'campaign_days.campaign_id', integer=true) }}
            as bigint
        ) as min_creator_posts,
        cast(
            {{ guard_param('P08', 'min_rate_vs_norm', 'campaign_days.campaign_id') }}
            as double precision
        ) as min_rate_vs_norm

    from campaign_days
    left join window_totals
        on campaign_days.campaign_id = window_totals.campaign_id
        and campaign_days.date_day = window_totals.as_of_date

)

select * from final
