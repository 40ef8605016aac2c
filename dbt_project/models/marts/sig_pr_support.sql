{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P07: is the influencer push backed by PR, and is anyone answering when comments turn
    negative? PR items to date next to creator posts of the last 28 days; negative comments
    of the last 7 days against the 4 weeks before, and how many of them are unanswered. The
    windows and the spike's limits are the catalogue's P07 parameters, per campaign
    (guard_param).
-#}
with

campaign_days as (

    -- each day with its campaign's P07 windows: columns the window joins bound on
    {{ campaign_days_with_params(
        'P07',
        ['creator_window_days', 'recent_days', 'baseline_days'],
        integer_names=['creator_window_days', 'recent_days', 'baseline_days'],
    ) }}

),

influencer_posts as (

    select * from {{ ref('stg_influencer__posts') }}

),

pr_items as (

    select * from {{ ref('stg_campaign_plan__pr_items') }}

),

social_comments as (

    select * from {{ ref('stg_social__comments') }}

),

window_influencer_posts as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        count(*) as influencer_posts_28d

    from campaign_days
    inner join influencer_posts
        on campaign_days.campaign_id = influencer_posts.campaign_id
        and influencer_posts.post_date between campaign_days.date_day
        - campaign_days.creator_window_days + 1
        and campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

pr_items_to_date as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        count(*) as pr_items_to_date

    from campaign_days
    inner join pr_items
        on campaign_days.campaign_id = pr_items.campaign_id
        and pr_items.published_date between campaign_days.start_date and campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

comment_windows as (

    -- the recent comments are those after recent_after, the baseline those after
    -- baseline_after up to recent_after: each campaign's own P07 windows
    select
        campaign_id,
        as_of_date,
        as_of_date - recent_days as recent_after,
        as_of_date - recent_days - baseline_days as baseline_after

    from (
        select
            campaign_id,
            date_day as as_of_date,
            recent_days,
            baseline_days
        from campaign_days
    ) as windows

),

window_comments as (

    -- recent_days (as_of_date and the days before) against the baseline of the
    -- baseline_days before them;
    -- a reply written after the night did not exist yet on that night
    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        count(*) filter (
            where social_comments.comment_date > comment_windows.recent_after
        ) as comments_7d,
        count(*) filter (
            where social_comments.comment_date > comment_windows.recent_after
            and social_comments.sentiment = 'negative'
        ) as negative_comments_7d,
        count(*) filter (
            where social_comments.comment_date > comment_windows.recent_after
            and social_comments.sentiment = 'negative'
            and (
                social_comments.brand_replied_at is null
                or social_comments.brand_replied_at >= campaign_days.date_day + 1
            )
        ) as unanswered_negative_7d,
        count(*) filter (
            where social_comments.comment_date <= comment_windows.recent_after
        ) as comments_baseline,
        count(*) filter (
            where social_comments.comment_date <= comment_windows.recent_after
            and social_comments.sentiment = 'negative'
        ) as negative_comments_baseline

    from campaign_days
    inner join comment_windows
        on campaign_days.campaign_id = comment_windows.campaign_id
        and campaign_days.date_day = comment_windows.as_of_date
    inner join social_comments
        on campaign_days.campaign_id = social_comments.campaign_id
        and social_comments.comment_date > comment_windows.baseline_after
        and social_comments.comment_date <= campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

counts as (

    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        coalesce(window_influencer_posts.influencer_posts_28d, 0) as influencer_posts_28d,
        coalesce(pr_items_to_date.pr_items_to_date, 0) as pr_items_to_date,
        coalesce(window_comments.comments_7d, 0) as comments_7d,
        coalesce(window_comments.negative_comments_7d, 0) as negative_comments_7d,
        coalesce(window_comments.unanswered_negative_7d, 0) as unanswered_negative_7d,
        case
            when window_comments.comments_7d > 0
                then cast(window_comments.negative_comments_7d as double precision)
                / window_comments.comments_7d
        end as negative_share_7d,
        case
            when window_comments.comments_baseline > 0
                then cast(window_comments.negative_comments_baseline as double precision)
                / window_comments.comments_baseline
        end as negative_share_baseline

    from campaign_days
    left join window_influencer_posts
        on campaign_days.campaign_id = window_influencer_posts.campaign_id
        and campaign_days.date_day = window_influencer_posts.as_of_date
    left join pr_items_to_date
        on campaign_days.campaign_id = pr_items_to_date.campaign_id
        and campaign_days.date_day = pr_items_to_date.as_of_date
    left join window_comments
        on campaign_days.campaign_id = window_comments.campaign_id
        and campaign_days.date_day = window_comments.as_of_date

),

final as (

    -- no creator post in the 28 days and no comment in the 7 days: nothing to judge
    select
        as_of_date,
        campaign_id,
        cast(case
            when influencer_posts_28d > 0 or comments_7d > 0
                then case when influencer_posts_28d > 0 and pr_items_to_date = 0 then 1 else 0 end
        end as bigint) as pr_gap,
        cast(case
            when influencer_posts_28d > 0 or comments_7d > 0
                then case
                    when comments_7d
                        >= {{ guard_param('P07', 'min_recent_comments', 'counts.campaign_id') }}
                        and negative_share_7d
                        > {{ guard_param('P07', 'min_negative_share', 'counts.campaign_id') }}
                        and negative_share_7d
                        > {{ guard_param('P07', 'negative_share_ratio', 'counts.campaign_id') }}
                        * coalesce(negative_share_baseline, 0)
                        and unanswered_negative_7d
                        > {{ guard_param('P07', 'max_unanswered_share', 'counts.campaign_id') }}
                        * negative_comments_7d
                        then 1
                    else 0
                end
        end as bigint) as unanswered_negative_spike,
        influencer_posts_28d,
        pr_items_to_date,
        comments_7d,
        negative_comments_7d,
        cast(negative_share_7d as double precision) as negative_share_7d,
        cast(negative_share_baseline as double precision) as negative_share_baseline,
        unanswered_negative_7d

    from counts

)

select * from final
