{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    Published creator posts of each campaign's last disclosure_window_days (P05's window, 7
    by default; by the day they went live; pending and cancelled deliverables are no posts),
    per night, with how unusual their
    engagement is for creators of their tier on their platform: the robust z-score 0.6745 x
    (rate - median) / MAD against that norm of the night (int_influencer_engagement_norms).
    Engagement differs by platform, so a post is never judged against another platform's
    creators. Empty when the tier has no norm on the platform (fewer than P08's
    min_norm_posts) or its MAD is 0. Far above P05's suspicious_engagement_z suggests bought
    engagement.
-#}
with

campaign_days as (

    -- each day with its campaign's P05 disclosure_window_days: the window join bounds on it
    {{ campaign_days_with_params(
        'P05', ['disclosure_window_days'], integer_names=['disclosure_window_days']
    ) }}

),

influencer_posts as (

    select * from {{ ref('int_influencer_deliverables') }}
    where live_date is not null

),

norms as (

    select * from {{ ref('int_influencer_engagement_norms') }}
    where norm_dimension = 'tier_on_platform'

),

window_posts as (

    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        influencer_posts.creator_id,
        influencer_posts.post_id,
        influencer_posts.live_date as post_date,
        influencer_posts.platform,
        influencer_posts.tier,
        influencer_posts.post_label,
        influencer_posts.impressions,
        influencer_posts.engagements,
        cast(influencer_posts.engagements as double precision) / influencer_posts.impressions
        as engagement_rate

    from campaign_days
    inner join influencer_posts
        on campaign_days.campaign_id = influencer_posts.campaign_id
        and influencer_posts.live_date between campaign_days.date_day
        - campaign_days.disclosure_window_days
        + 1
        and campaign_days.date_day
    where influencer_posts.impressions > 0

),

final as (

    select
        window_posts.*,
        norms.posts as tier_posts_28d,
        norms.median_engagement_rate as tier_median_engagement_rate,
        norms.mad_engagement_rate as tier_mad_engagement_rate,
        case
            when norms.mad_engagement_rate > 0
                -- not a parameter: 0.6745 puts a MAD on a standard deviation's scale
                then 0.6745 * (window_posts.engagement_rate - norms.median_engagement_rate)
                / norms.mad_engagement_rate
        end as engagement_z

    from window_posts
    left join norms
        on window_posts.as_of_date = norms.as_of_date
        and {{ tier_on_platform('window_posts.platform', 'window_posts.tier') }}
        = norms.norm_group

)

select * from final
