{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P05: sponsored posts of the last disclosure_window_days (7 by default) that carry no
    disclosure, and creator posts whose engagement is far above their tier's norm (bought likes
    and comments look authentic only until someone checks): above suspicious_engagement_z (3 by
    default). Both are the catalogue's P05 parameters, per campaign (guard_param).
-#}
with

campaign_days as (

    -- each day with its campaign's P05 disclosure_window_days: the window join bounds on it
    {{ campaign_days_with_params(
        'P05', ['disclosure_window_days'], integer_names=['disclosure_window_days']
    ) }}

),

sponsored_posts as (

    select * from {{ ref('int_sponsored_posts_unioned') }}

),

scored_posts as (

    select * from {{ ref('int_influencer_posts_engagement_scored') }}

),

window_reports as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        sponsored_posts.post_key,
        sponsored_posts.vocab_platform,
        sponsored_posts.post_id,
        sponsored_posts.creator_handle,
        sponsored_posts.post_date,
        sponsored_posts.has_disclosure,
        row_number() over (
            partition by
                campaign_days.campaign_id, campaign_days.date_day, sponsored_posts.post_key
            order by sponsored_posts.post_date desc
        ) as report_recency

    from campaign_days
    inner join sponsored_posts
        on campaign_days.campaign_id = sponsored_posts.campaign_id
        and sponsored_posts.post_date between campaign_days.date_day
        - campaign_days.disclosure_window_days
        + 1
        and campaign_days.date_day

),

window_posts as (

    -- a post reported on several days is judged by its latest report in the window
    select * from window_reports
    where report_recency = 1

),

window_totals as (

    select
        window_posts.campaign_id,
        window_posts.as_of_date,
        count(*) as sponsored_posts,
        count(*) filter (where not window_posts.has_disclosure) as undisclosed_sponsored_posts,
        array_agg(
            {{ example_object('sponsored_post', [
                ('platform', 'window_posts.vocab_platform'),
                ('post_id', 'window_posts.post_id'),
                ('handle', 'window_posts.creator_handle'),
            ]) }}
            order by
                window_posts.post_date desc, window_posts.vocab_platform, window_posts.post_id
        ) filter (where not window_posts.has_disclosure) as undisclosed_labels

    from window_posts
    group by
        window_posts.campaign_id,
        window_posts.as_of_date

),

engagement_totals as (

    select
        scored_posts.campaign_id,
        scored_posts.as_of_date,
        max(scored_posts.engagement_z) as max_engagement_z,
        count(*) filter (
            where scored_posts.engagement_z
            > {{ guard_param('P05', 'suspicious_engagement_z', 'scored_posts.campaign_id') }}
        ) as suspicious_posts

    from scored_posts
    group by
        scored_posts.campaign_id,
        scored_posts.as_of_date

),

final as (

    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        coalesce(window_totals.sponsored_posts, 0) as sponsored_posts,
        coalesce(window_totals.undisclosed_sponsored_posts, 0) as undisclosed_sponsored_posts,
        -- not a parameter: the alert names up to three posts as examples
        {{ example_list('window_totals.undisclosed_labels[1:3]') }} as undisclosed_examples,
        cast(engagement_totals.max_engagement_z as double precision) as max_engagement_z,
        coalesce(engagement_totals.suspicious_posts, 0) as suspicious_posts,
        -- the campaign's disclosure window and suspicious score, so the alert says what it used
        cast(
            {{
                guard_param(
                    'P05', 'disclosure_window_days', 'campaign_days.campaign_id', integer=true
                )
            }}
            as bigint
        ) as window_days,
        cast(
            {{ guard_param('P05', 'suspicious_engagement_z', 'campaign_days.campaign_id') }}
            as double precision
        ) as suspicious_engagement_z

    from campaign_days
    left join window_totals
        on campaign_days.campaign_id = window_totals.campaign_id
        and campaign_days.date_day = window_totals.as_of_date
    left join engagement_totals
        on campaign_days.campaign_id = engagement_totals.campaign_id
        and campaign_days.date_day = engagement_totals.as_of_date

)

select * from final
