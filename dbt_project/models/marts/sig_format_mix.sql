{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P06: is the campaign still trying things? Distinct formats on the brand's social accounts
    (platform and format, e.g. instagram carousel) and distinct creator platforms over the
    last window_days (8 weeks by default), once the campaign has been live min_days_live days
    (4 weeks by default): P06's catalogue parameters, per campaign. Platforms and formats are read
    through the platforms vocabulary, so "Reels" and "short_video" are one format and 小红书
    and RED one platform. A pair or creator platform naming something the vocabulary does not
    know might be new or an old one under another name: it is counted apart (the guard cannot
    tell when it could decide). The formats the campaign's platforms offer and it has not
    used (vocab.platform_formats) are what it could try next.
-#}
with

campaign_days as (

    -- P06's parameters, per campaign: the window_days looked back over (56, 8 weeks, by
    -- default) and from which day of the campaign it is judged (min_days_live, 28)
    select
        int_campaign_days.*,
        int_campaign_days.date_day
        - {{ guard_param('P06', 'window_days', 'int_campaign_days.campaign_id', integer=true) }}
        + 1 as window_start,
        {{ guard_param('P06', 'min_days_live', 'int_campaign_days.campaign_id') }}
        as min_days_live

    from {{ ref('int_campaign_days') }} as int_campaign_days
    {{ restated_days('int_campaign_days.date_day') }}

),

social_posts as (

    select * from {{ ref('int_social_posts_classified') }}

),

influencer_posts as (

    select * from {{ ref('stg_influencer__posts') }}

),

platform_terms as (

    select * from {{ source('vocab', 'platform_terms') }}

),

platform_formats as (

    select * from {{ source('vocab', 'platform_formats') }}

),

creator_platforms as (

    select
        influencer_posts.campaign_id,
        influencer_posts.post_date,
        coalesce(platform_terms.platform, {{ vocab_term('influencer_posts.platform') }})
        as platform_key,
        platform_terms.platform is null as is_unknown_platform

    from influencer_posts
    left join platform_terms
        on {{ vocab_term('influencer_posts.platform') }} = platform_terms.term

),

campaign_windows as (

    -- each campaign's window length: P06's window_days
    select distinct
        campaign_days.campaign_id,
        cast(campaign_days.date_day - campaign_days.window_start + 1 as integer) as window_days

    from campaign_days

),

used_days as (

    -- each format (and creator platform) once per day it was used
    select distinct
        social_posts.campaign_id,
        social_posts.post_date,
        'social' as channel,
        social_posts.platform_key,
        coalesce(social_posts.post_format_id, social_posts.post_format_key) as format_key,
        social_posts.platform_key || ' '
        || coalesce(social_posts.post_format_id, social_posts.post_format_key) as format_label,
        social_posts.is_unknown_platform,
        social_posts.is_unknown_format

    from social_posts

    union all

    select distinct
        creator_platforms.campaign_id,
        creator_platforms.post_date,
        'influencer' as channel,
        creator_platforms.platform_key,
        null as format_key,
        creator_platforms.platform_key as format_label,
        creator_platforms.is_unknown_platform,
        false as is_unknown_format

    from creator_platforms

),

used_runs as (

    -- a day of use keeps a format in the window for window_days days: days of use closer
    -- than that make one run, in the window from its first day to window_days - 1 days
    -- after its last. Joining the runs (not every day of use) to the campaign days gives
    -- each format once per day without a distinct over every day in every window.
    select
        used_days.*,
        campaign_windows.window_days,
        case
            when used_days.post_date - lag(used_days.post_date) over (
                partition by
                    used_days.campaign_id,
                    used_days.channel,
                    used_days.platform_key,
                    used_days.format_key,
                    used_days.is_unknown_platform,
                    used_days.is_unknown_format
                order by used_days.post_date
            ) <= campaign_windows.window_days
                then 0
            else 1
        end as starts_run

    from used_days
    inner join campaign_windows
        on used_days.campaign_id = campaign_windows.campaign_id

),

used_runs_numbered as (

    select
        used_runs.*,
        sum(used_runs.starts_run) over (
            partition by
                used_runs.campaign_id,
                used_runs.channel,
                used_runs.platform_key,
                used_runs.format_key,
                used_runs.is_unknown_platform,
                used_runs.is_unknown_format
            order by used_runs.post_date
            rows between unbounded preceding and current row
        ) as run_number

    from used_runs

),

format_runs as (

    select
        used_runs_numbered.campaign_id,
        used_runs_numbered.channel,
        used_runs_numbered.platform_key,
        used_runs_numbered.format_key,
        used_runs_numbered.format_label,
        used_runs_numbered.is_unknown_platform,
        used_runs_numbered.is_unknown_format,
        min(used_runs_numbered.post_date) as run_start,
        max(used_runs_numbered.post_date) + (used_runs_numbered.window_days - 1) as run_end

    from used_runs_numbered
    group by
        used_runs_numbered.campaign_id,
        used_runs_numbered.channel,
        used_runs_numbered.platform_key,
        used_runs_numbered.format_key,
        used_runs_numbered.format_label,
        used_runs_numbered.is_unknown_platform,
        used_runs_numbered.is_unknown_format,
        used_runs_numbered.window_days,
        used_runs_numbered.run_number

),

window_formats as (

    -- format_label only orders the examples (platform, then format); the alert names them
    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        format_runs.channel,
        format_runs.platform_key,
        format_runs.format_key,
        format_runs.format_label,
        format_runs.is_unknown_platform,
        format_runs.is_unknown_format

    from campaign_days
    inner join format_runs
        on campaign_days.campaign_id = format_runs.campaign_id
        and campaign_days.date_day between format_runs.run_start and format_runs.run_end

),

window_totals as (

    select
        window_formats.campaign_id,
        window_formats.as_of_date,
        count(*) filter (
            where window_formats.channel = 'social'
            and not window_formats.is_unknown_platform
            and not window_formats.is_unknown_format
        ) as social_formats_8w,
        count(*) filter (
            where window_formats.channel = 'influencer'
            and not window_formats.is_unknown_platform
        ) as creator_platforms_8w,
        count(*) filter (
            where window_formats.is_unknown_platform or window_formats.is_unknown_format
        ) as unknown_formats_8w,
        -- the brand's own formats first, then the creator platforms
        array_agg(
            case
                when window_formats.channel = 'social'
                    then {{ example_object('platform_format', [
                        ('platform', 'window_formats.platform_key'),
                        ('format', 'window_formats.format_key'),
                    ]) }}
                else {{ example_object('creator_platform', [
                    ('platform', 'window_formats.platform_key'),
                ]) }}
            end
            order by window_formats.channel desc, window_formats.format_label
        ) as format_labels

    from window_formats
    group by
        window_formats.campaign_id,
        window_formats.as_of_date

),

unknown_names as (

    select
        window_formats.campaign_id,
        window_formats.as_of_date,
        window_formats.platform_key as term

    from window_formats
    where window_formats.is_unknown_platform

    union

    select
        window_formats.campaign_id,
        window_formats.as_of_date,
        window_formats.format_key as term

    from window_formats
    where window_formats.is_unknown_format

),

unknown_lists as (

    select
        unknown_names.campaign_id,
        unknown_names.as_of_date,
        array_agg(unknown_names.term order by unknown_names.term) as unknown_terms

    from unknown_names
    group by
        unknown_names.campaign_id,
        unknown_names.as_of_date

),

untried_formats as (

    -- what the known social platforms the campaign used offer and it did not use
    select distinct
        used_platforms.campaign_id,
        used_platforms.as_of_date,
        used_platforms.platform_key,
        platform_formats.post_format,
        used_platforms.platform_key || ' ' || platform_formats.post_format as format_label

    from window_formats as used_platforms
    inner join platform_formats
        on used_platforms.platform_key = platform_formats.platform
    where used_platforms.channel = 'social'
        and not used_platforms.is_unknown_platform
        and not exists (
            select 1 from window_formats as used
            where used.campaign_id = used_platforms.campaign_id
                and used.as_of_date = used_platforms.as_of_date
                and used.channel = 'social'
                and used.platform_key = used_platforms.platform_key
                and used.format_key = platform_formats.post_format
        )

),

untried_lists as (

    select
        untried_formats.campaign_id,
        untried_formats.as_of_date,
        array_agg(
            {{ example_object('platform_format', [
                ('platform', 'untried_formats.platform_key'),
                ('format', 'untried_formats.post_format'),
            ]) }}
            order by untried_formats.format_label
        ) as format_labels

    from untried_formats
    group by
        untried_formats.campaign_id,
        untried_formats.as_of_date

),

final as (

    -- a campaign live fewer than min_days_live days has had no time to get stuck in a rut
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        case
            when campaign_days.campaign_day_number >= campaign_days.min_days_live
                then coalesce(window_totals.social_formats_8w, 0)
                + coalesce(window_totals.creator_platforms_8w, 0)
        end as formats_tried_8w,
        case
            when campaign_days.campaign_day_number >= campaign_days.min_days_live
                then coalesce(window_totals.unknown_formats_8w, 0)
        end as unknown_formats_8w,
        coalesce(window_totals.social_formats_8w, 0) as social_formats_8w,
        coalesce(window_totals.creator_platforms_8w, 0) as creator_platforms_8w,
        {{ example_list('window_totals.format_labels') }} as formats_tried,
        {{ example_list('untried_lists.format_labels[1:6]') }} as formats_to_try,
        coalesce(array_to_string(unknown_lists.unknown_terms, ', '), '') as unknown_format_terms,
        campaign_days.campaign_day_number as days_live,
        -- the campaign's window, quoted by the alert ("in the last 56 days" by default)
        cast(
            {{ guard_param('P06', 'window_days', 'campaign_days.campaign_id', integer=true) }}
            as bigint
        ) as window_days

    from campaign_days
    left join window_totals
        on campaign_days.campaign_id = window_totals.campaign_id
        and campaign_days.date_day = window_totals.as_of_date
    left join unknown_lists
        on campaign_days.campaign_id = unknown_lists.campaign_id
        and campaign_days.date_day = unknown_lists.as_of_date
    left join untried_lists
        on campaign_days.campaign_id = untried_lists.campaign_id
        and campaign_days.date_day = untried_lists.as_of_date

)

select * from final
