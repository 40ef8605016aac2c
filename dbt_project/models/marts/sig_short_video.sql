{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P15: does the social plan use short video, on more than one platform, over the last
    window_days (28 by default, the catalogue's P15 parameter, per campaign through guard_param)?
    Platforms and formats are read through the platforms vocabulary (int_social_posts_classified).
    What it does not know is counted apart: posts of an unknown format might be short videos,
    and a platform it does not know (or a known one whose only candidates are of an unknown
    format) might add a short-video platform; the guard cannot tell when they could decide.
-#}
{#-
    A post is reported once per day it has metrics, so "distinct posts in the window" is
    counted without joining every live day to every report: each post's report days become
    the stretches of days it falls inside a window of W days (a report on day r counts on days
    r..r+W-1; overlapping stretches merge), and a running sum of stretch starts and ends gives
    the count on any day.
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

social_posts as (

    select * from {{ ref('int_social_posts_classified') }}

),

campaign_windows as (

    select
        campaigns.campaign_id,
        {{ guard_param('P15', 'window_days', 'campaigns.campaign_id', integer=true) }}
        as window_days

    from campaigns

),

post_reports as (

    -- what each report day counts towards: any post, a short video, a known platform with
    -- one, a post of unknown format, a platform that has or might have one, an unknown name
    select distinct
        social_posts.campaign_id,
        'social_posts' as measure,
        social_posts.platform_key || '|' || social_posts.post_id as counted_key,
        social_posts.post_date

    from social_posts

    union

    select distinct
        social_posts.campaign_id,
        'short_video_posts' as measure,
        social_posts.platform_key || '|' || social_posts.post_id as counted_key,
        social_posts.post_date

    from social_posts
    where social_posts.is_short_video

    union

    select distinct
        social_posts.campaign_id,
        'short_video_platforms' as measure,
        social_posts.platform_key as counted_key,
        social_posts.post_date

    from social_posts
    where social_posts.is_short_video
        and not social_posts.is_unknown_platform

    union

    select distinct
        social_posts.campaign_id,
        'unknown_format_posts' as measure,
        social_posts.platform_key || '|' || social_posts.post_id as counted_key,
        social_posts.post_date

    from social_posts
    where social_posts.is_unknown_format

    union

    select distinct
        social_posts.campaign_id,
        'possible_short_video_platforms' as measure,
        social_posts.platform_key as counted_key,
        social_posts.post_date

    from social_posts
    where social_posts.is_short_video
        or social_posts.is_unknown_format

    union

    select distinct
        social_posts.campaign_id,
        'unknown_terms' as measure,
        social_posts.platform_key as counted_key,
        social_posts.post_date

    from social_posts
    where social_posts.is_unknown_platform
        and (social_posts.is_short_video or social_posts.is_unknown_format)

    union

    select distinct
        social_posts.campaign_id,
        'unknown_terms' as measure,
        social_posts.post_format_key as counted_key,
        social_posts.post_date

    from social_posts
    where social_posts.is_unknown_format

),

report_gaps as (

    select
        post_reports.*,
        campaign_windows.window_days,
        -- a report more than window_days after the previous one starts a new stretch
        coalesce(
            post_reports.post_date - lag(post_reports.post_date) over (
                partition by post_reports.campaign_id, post_reports.measure,
                post_reports.counted_key
                order by post_reports.post_date
            ) > campaign_windows.window_days,
            true
        ) as starts_stretch

    from post_reports
    inner join campaign_windows
        on post_reports.campaign_id = campaign_windows.campaign_id

),

report_stretches as (

    select
        report_gaps.*,
        sum(case when report_gaps.starts_stretch then 1 else 0 end) over (
            partition by report_gaps.campaign_id, report_gaps.measure, report_gaps.counted_key
            order by report_gaps.post_date
            rows between unbounded preceding and current row
        ) as stretch_number

    from report_gaps

),

stretches as (

    -- the days on which the key falls inside the window (one window_days per campaign)
    select
        report_stretches.campaign_id,
        report_stretches.measure,
        report_stretches.counted_key,
        min(report_stretches.post_date) as first_day,
        max(report_stretches.post_date) + max(report_stretches.window_days) - 1 as last_day

    from report_stretches
    group by
        report_stretches.campaign_id,
        report_stretches.measure,
        report_stretches.counted_key,
        report_stretches.stretch_number

),

count_changes as (

    select
        changes.campaign_id,
        changes.measure,
        changes.change_day,
        sum(changes.change) as change

    from (
        select campaign_id, measure, first_day as change_day, 1 as change from stretches
        union all
        select campaign_id, measure, last_day + 1 as change_day, -1 as change from stretches
    ) as changes
    group by
        changes.campaign_id,
        changes.measure,
        changes.change_day

),

day_measures as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day,
        measures.measure

    from campaign_days
    cross join (
        values
        ('social_posts'),
        ('short_video_posts'),
        ('short_video_platforms'),
        ('unknown_format_posts'),
        ('possible_short_video_platforms')
    ) as measures (measure)

),

changes_and_days as (

    select
        count_changes.campaign_id,
        count_changes.measure,
        count_changes.change_day as date_day,
        count_changes.change,
        false as is_live_day

    from count_changes

    union all

    select
        day_measures.campaign_id,
        day_measures.measure,
        day_measures.date_day,
        0 as change,
        true as is_live_day

    from day_measures

),

running_counts as (

    -- the changes of a day come before the day itself (false sorts first), so the running
    -- sum on a live day counts every stretch that has begun and not yet ended
    select
        changes_and_days.campaign_id,
        changes_and_days.measure,
        changes_and_days.date_day,
        changes_and_days.is_live_day,
        sum(changes_and_days.change) over (
            partition by changes_and_days.campaign_id, changes_and_days.measure
            order by changes_and_days.date_day, changes_and_days.is_live_day
            rows between unbounded preceding and current row
        ) as counted

    from changes_and_days

),

window_counts as (

    select
        running_counts.campaign_id,
        running_counts.date_day as as_of_date,
        cast(
            max(running_counts.counted) filter (
                where running_counts.measure = 'social_posts'
            ) as bigint
        ) as social_posts_28d,
        cast(
            max(running_counts.counted) filter (
                where running_counts.measure = 'short_video_posts'
            ) as bigint
        ) as short_video_posts,
        cast(
            max(running_counts.counted) filter (
                where running_counts.measure = 'short_video_platforms'
            ) as bigint
        ) as short_video_platforms,
        cast(
            max(running_counts.counted) filter (
                where running_counts.measure = 'unknown_format_posts'
            ) as bigint
        ) as unknown_format_posts,
        cast(
            max(running_counts.counted) filter (
                where running_counts.measure = 'possible_short_video_platforms'
            ) as bigint
        ) as possible_short_video_platforms

    from running_counts
    where running_counts.is_live_day
    group by
        running_counts.campaign_id,
        running_counts.date_day

),

window_platforms as (

    -- few platforms and unknown names per campaign: their stretches can be joined to every
    -- live day
    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        array_agg(distinct stretches.counted_key order by stretches.counted_key) filter (
            where stretches.measure = 'short_video_platforms'
        ) as platform_list,
        array_agg(distinct stretches.counted_key order by stretches.counted_key) filter (
            where stretches.measure = 'unknown_terms'
        ) as unknown_term_list

    from campaign_days
    inner join stretches
        on campaign_days.campaign_id = stretches.campaign_id
        and stretches.measure in ('short_video_platforms', 'unknown_terms')
        and campaign_days.date_day between stretches.first_day and stretches.last_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

platform_examples as (

    -- the platforms of platform_list as examples, named by their vocabulary labels
    select
        listed.campaign_id,
        listed.as_of_date,
        array_agg(
            {{ example_object('platform', [('platform', 'listed.platform_key')]) }}
            order by listed.platform_key
        ) as platform_list

    from (
        select
            window_platforms.campaign_id,
            window_platforms.as_of_date,
            unnest(window_platforms.platform_list) as platform_key
        from window_platforms
    ) as listed
    group by
        listed.campaign_id,
        listed.as_of_date

),

final as (

    -- campaigns that plan no social channel have no social mix to judge
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        case
            when 'social' = any(campaigns.planned_channels)
                then window_counts.short_video_posts
        end as short_video_posts,
        case
            when 'social' = any(campaigns.planned_channels)
                then window_counts.short_video_platforms
        end as short_video_platforms,
        case
            when 'social' = any(campaigns.planned_channels)
                then window_counts.unknown_format_posts
        end as unknown_format_posts,
        case
            when 'social' = any(campaigns.planned_channels)
                then window_counts.possible_short_video_platforms
                - window_counts.short_video_platforms
        end as unknown_short_video_platforms,
        window_counts.social_posts_28d,
        {{ example_list('platform_examples.platform_list') }} as short_video_platform_names,
        coalesce(array_to_string(window_platforms.unknown_term_list, ', '), '')
        as unknown_social_terms,
        -- the campaign's window, so the alert says which days it counted
        cast(campaign_windows.window_days as bigint) as window_days

    from campaign_days
    inner join campaigns
        on campaign_days.campaign_id = campaigns.campaign_id
    inner join window_counts
        on campaign_days.campaign_id = window_counts.campaign_id
        and campaign_days.date_day = window_counts.as_of_date
    inner join campaign_windows
        on campaign_days.campaign_id = campaign_windows.campaign_id
    left join window_platforms
        on campaign_days.campaign_id = window_platforms.campaign_id
        and campaign_days.date_day = window_platforms.as_of_date
    left join platform_examples
        on campaign_days.campaign_id = platform_examples.campaign_id
        and campaign_days.date_day = platform_examples.as_of_date

)

select * from final
