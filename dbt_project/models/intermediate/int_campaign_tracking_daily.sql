{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    Is the campaign tracked consistently? Per campaign and live day, over the integration
    window (P09's window_days, 14 campaign days by default, never before the start): the
    spellings of its
    utm_campaign its activity carried (int_campaign_utm_spelling_days: the plan's and its near
    variants, which analytics tools count as other campaigns), and the share of its tagged
    activity (links carrying any utm_campaign) that carried the plan's spelling exactly; a
    link tagged with another utm_campaign counts against it.

    And is the activity tracked at all? Of the activity that could carry a link
    (int_campaign_link_activity_days: tagged activity, e-mail, and posts, ads and creator posts
    on platforms whose links name their channel), the share carrying no utm_campaign at all.
    Posts on platforms that allow no links (Douyin, Xiaohongshu, Instagram and TikTok posts)
    and ads that land in a platform shop cannot carry one and are not counted. Untagged
    activity on a platform the vocabulary does not know (or whose links it does not declare)
    might have carried a link: counted apart, it can only raise the share, up to
    link_untracked_share + link_untracked_share_unknown.

    Counts are activity rows of int_channel_activity_unioned, as in the integration measure.
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

spelling_days as (

    select * from {{ ref('int_campaign_utm_spelling_days') }}

),

link_days as (

    select * from {{ ref('int_campaign_link_activity_days') }}

),

window_channel_spellings as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        spelling_days.utm_spelling,
        spelling_days.matches_campaign_utm,
        spelling_days.channel,
        cast(sum(spelling_days.activities) as bigint) as activities

    from campaign_days
    inner join spelling_days
        on campaign_days.campaign_id = spelling_days.campaign_id
        and spelling_days.date_day between campaign_days.integration_window_start
        and campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day,
        spelling_days.utm_spelling,
        spelling_days.matches_campaign_utm,
        spelling_days.channel

),

window_spellings as (

    -- one row per spelling that matches the campaign, its activity counted per channel
    select
        window_channel_spellings.campaign_id,
        window_channel_spellings.as_of_date,
        window_channel_spellings.utm_spelling,
        cast(sum(window_channel_spellings.activities) as bigint) as activities,
        array_agg(
            {{ example_object('channel_activities', [
                ('channel', 'window_channel_spellings.channel'),
                ('activities', 'window_channel_spellings.activities'),
            ]) }}
            order by window_channel_spellings.activities desc,
            window_channel_spellings.channel
        ) as channel_activities

    from window_channel_spellings
    where window_channel_spellings.matches_campaign_utm
    group by
        window_channel_spellings.campaign_id,
        window_channel_spellings.as_of_date,
        window_channel_spellings.utm_spelling

),

ranked_spellings as (

    -- the plan's own spelling first, then the most used
    select
        window_spellings.*,
        coalesce(
            window_spellings.utm_spelling = campaigns.utm_campaign_as_written, false
        ) as is_planned_spelling,
        row_number() over (
            partition by window_spellings.campaign_id, window_spellings.as_of_date
            order by
                case
                    when window_spellings.utm_spelling = campaigns.utm_campaign_as_written
                        then 0
                    else 1
                end,
                window_spellings.activities desc,
                window_spellings.utm_spelling
        ) as spelling_rank

    from window_spellings
    inner join campaigns
        on window_spellings.campaign_id = campaigns.campaign_id

),

spelling_totals as (

    select
        ranked_spellings.campaign_id,
        ranked_spellings.as_of_date,
        count(*) as spellings,
        cast(coalesce(sum(
            case when ranked_spellings.is_planned_spelling then ranked_spellings.activities end
        ), 0) as bigint) as planned_spelling_activities,
        cast(sum(ranked_spellings.activities) as bigint) as matching_activities,
        array_agg(
            {{ example_object('utm_spelling', [
                ('spelling', 'ranked_spellings.utm_spelling'),
                ('activities', example_list('ranked_spellings.channel_activities')),
            ]) }}
            order by ranked_spellings.spelling_rank
        ) as spelling_labels

    from ranked_spellings
    group by
        ranked_spellings.campaign_id,
        ranked_spellings.as_of_date

),

activity_totals as (

    select
        window_channel_spellings.campaign_id,
        window_channel_spellings.as_of_date,
        cast(sum(window_channel_spellings.activities) as bigint) as activities,
        cast(coalesce(sum(window_channel_spellings.activities) filter (
            where window_channel_spellings.utm_spelling is not null
        ), 0) as bigint) as tagged_activities

    from window_channel_spellings
    group by
        window_channel_spellings.campaign_id,
        window_channel_spellings.as_of_date

),

window_link_activity as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        link_days.channel,
        link_days.platform_key,
        link_days.is_tagged,
        link_days.can_carry_link,
        cast(sum(link_days.activities) as bigint) as activities

    from campaign_days
    inner join link_days
        on campaign_days.campaign_id = link_days.campaign_id
        and link_days.date_day between campaign_days.integration_window_start
        and campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day,
        link_days.channel,
        link_days.platform_key,
        link_days.is_tagged,
        link_days.can_carry_link

),

link_totals as (

    select
        window_link_activity.campaign_id,
        window_link_activity.as_of_date,
        cast(coalesce(sum(window_link_activity.activities) filter (
            where window_link_activity.can_carry_link
        ), 0) as bigint) as link_capable_activities,
        cast(coalesce(sum(window_link_activity.activities) filter (
            where window_link_activity.can_carry_link and not window_link_activity.is_tagged
        ), 0) as bigint) as link_untracked_activities,
        cast(coalesce(sum(window_link_activity.activities) filter (
            where not window_link_activity.can_carry_link
        ), 0) as bigint) as no_link_activities,
        cast(coalesce(sum(window_link_activity.activities) filter (
            where window_link_activity.can_carry_link is null
        ), 0) as bigint) as unknown_link_activities,
        -- where the untagged links are, most first: activity counted per channel and platform
        array_agg(
            {{ example_object('channel_activities', [
                ('channel', 'window_link_activity.channel'),
                ('platform', 'window_link_activity.platform_key'),
                ('activities', 'window_link_activity.activities'),
            ]) }}
            order by window_link_activity.activities desc, window_link_activity.channel,
            window_link_activity.platform_key
        ) filter (
            where window_link_activity.can_carry_link and not window_link_activity.is_tagged
        ) as untracked_labels,
        array_agg(
            distinct window_link_activity.platform_key
            order by window_link_activity.platform_key
        ) filter (
            where window_link_activity.can_carry_link is null
        ) as unknown_platform_list

    from window_link_activity
    group by
        window_link_activity.campaign_id,
        window_link_activity.as_of_date

),

link_shares as (

    select
        link_totals.*,
        -- only activity on unknown platforms: nothing known went untracked
        case
            when link_totals.link_capable_activities > 0
                then cast(link_totals.link_untracked_activities as double precision)
                / link_totals.link_capable_activities
            when link_totals.unknown_link_activities > 0 then 0.0
        end as link_untracked_share,
        -- the share had every unknown untagged activity been able to carry a link
        case
            when link_totals.link_capable_activities + link_totals.unknown_link_activities > 0
                then cast(
                    link_totals.link_untracked_activities + link_totals.unknown_link_activities
                    as double precision
                )
                / (link_totals.link_capable_activities + link_totals.unknown_link_activities)
        end as link_untracked_share_at_most

    from link_totals

),

final as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        coalesce(activity_totals.activities, 0) as activities,
        coalesce(activity_totals.tagged_activities, 0) as tagged_activities,
        coalesce(spelling_totals.matching_activities, 0) as matching_activities,
        coalesce(spelling_totals.planned_spelling_activities, 0) as planned_spelling_activities,
        coalesce(spelling_totals.matching_activities, 0)
        - coalesce(spelling_totals.planned_spelling_activities, 0) as variant_activities,
        coalesce(activity_totals.tagged_activities, 0)
        - coalesce(spelling_totals.matching_activities, 0) as other_utm_activities,
        coalesce(activity_totals.activities, 0)
        - coalesce(activity_totals.tagged_activities, 0) as untagged_activities,
        coalesce(spelling_totals.spellings, 0) as utm_spellings_found,
        campaigns.utm_campaign_as_written as planned_utm_spelling,
        -- no tagged activity in the window: nothing to judge
        case
            when activity_totals.tagged_activities > 0
                then cast(
                    coalesce(spelling_totals.planned_spelling_activities, 0) as double precision
                )
                / activity_totals.tagged_activities
        end as consistently_tracked_share,
        -- not a parameter: the alert names up to five spellings
        {{ example_list('spelling_totals.spelling_labels[1:5]') }} as utm_spellings,
        coalesce(link_shares.link_capable_activities, 0) as link_capable_activities,
        coalesce(link_shares.link_untracked_activities, 0) as link_untracked_activities,
        coalesce(link_shares.no_link_activities, 0) as no_link_activities,
        coalesce(link_shares.unknown_link_activities, 0) as unknown_link_activities,
        -- no activity that could carry a link in the window: nothing to judge
        link_shares.link_untracked_share,
        coalesce(
            greatest(
                0.0, link_shares.link_untracked_share_at_most - link_shares.link_untracked_share
            ),
            0.0
        ) as link_untracked_share_unknown,
        -- not a parameter: the alert names up to five places of untagged links
        {{ example_list('link_shares.untracked_labels[1:5]') }} as untracked_links,
        coalesce(array_to_string(link_shares.unknown_platform_list, ', '), '')
        as unknown_link_platforms

    from campaign_days
    inner join campaigns
        on campaign_days.campaign_id = campaigns.campaign_id
    left join activity_totals
        on campaign_days.campaign_id = activity_totals.campaign_id
        and campaign_days.date_day = activity_totals.as_of_date
    left join spelling_totals
        on campaign_days.campaign_id = spelling_totals.campaign_id
        and campaign_days.date_day = spelling_totals.as_of_date
    left join link_shares
        on campaign_days.campaign_id = link_shares.campaign_id
        and campaign_days.date_day = link_shares.as_of_date

)

select * from final
