{#- P15: does the social plan use short video, on more than one platform, over the last 28 days? -#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

social_posts as (

    select * from {{ ref('stg_social__posts') }}

),

window_totals as (

    -- a post is reported once per day: count it once
    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        count(distinct (social_posts.platform, social_posts.post_id)) as social_posts_28d,
        count(distinct (social_posts.platform, social_posts.post_id)) filter (
            where social_posts.post_format = 'short_video'
        ) as short_video_posts,
        count(distinct social_posts.platform) filter (
            where social_posts.post_format = 'short_video'
        ) as short_video_platforms,
        list(distinct social_posts.platform) filter (
            where social_posts.post_format = 'short_video'
        ) as short_video_platform_list,

    from campaign_days
    inner join social_posts
        on campaign_days.campaign_id = social_posts.campaign_id
        and social_posts.post_date between campaign_days.date_day - 27 and campaign_days.date_day
    group by all

),

final as (

    -- campaigns that plan no social channel have no social mix to judge
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        case
            when list_contains(campaigns.planned_channels, 'social')
                then coalesce(window_totals.short_video_posts, 0)
        end as short_video_posts,
        case
            when list_contains(campaigns.planned_channels, 'social')
                then coalesce(window_totals.short_video_platforms, 0)
        end as short_video_platforms,
        coalesce(window_totals.social_posts_28d, 0) as social_posts_28d,
        coalesce(
            array_to_string(list_sort(window_totals.short_video_platform_list), ', '), ''
        ) as short_video_platform_names,

    from campaign_days
    inner join campaigns
        on campaign_days.campaign_id = campaigns.campaign_id
    left join window_totals
        on campaign_days.campaign_id = window_totals.campaign_id
        and campaign_days.date_day = window_totals.as_of_date

)

select * from final
