{#-
    P06: is the campaign still trying things? Distinct formats on the brand's social accounts
    (platform and format) and distinct creator platforms over the last 8 weeks, once the
    campaign has been live 4 weeks.
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}

),

social_posts as (

    select * from {{ ref('stg_social__posts') }}

),

influencer_posts as (

    select * from {{ ref('stg_influencer__posts') }}

),

window_formats as (

    select distinct
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        'social' as channel,
        social_posts.platform || ' ' || social_posts.post_format as format_label

    from campaign_days
    inner join social_posts
        on campaign_days.campaign_id = social_posts.campaign_id
        and social_posts.post_date between campaign_days.date_day - 55 and campaign_days.date_day

    union all

    select distinct
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        'influencer' as channel,
        'creators on ' || influencer_posts.platform as format_label

    from campaign_days
    inner join influencer_posts
        on campaign_days.campaign_id = influencer_posts.campaign_id
        and influencer_posts.post_date between campaign_days.date_day - 55
        and campaign_days.date_day

),

window_totals as (

    select
        window_formats.campaign_id,
        window_formats.as_of_date,
        count(*) filter (where window_formats.channel = 'social') as social_formats_8w,
        count(*) filter (where window_formats.channel = 'influencer') as creator_platforms_8w,
        -- the brand's own formats first, then the creator platforms
        array_agg(
            window_formats.format_label
            order by window_formats.channel desc, window_formats.format_label
        ) as format_labels

    from window_formats
    group by
        window_formats.campaign_id,
        window_formats.as_of_date

),

final as (

    -- a campaign live fewer than 28 days has had no time to get stuck in a rut
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        case
            when campaign_days.campaign_day_number >= 28
                then coalesce(window_totals.social_formats_8w, 0)
                + coalesce(window_totals.creator_platforms_8w, 0)
        end as formats_tried_8w,
        coalesce(window_totals.social_formats_8w, 0) as social_formats_8w,
        coalesce(window_totals.creator_platforms_8w, 0) as creator_platforms_8w,
        coalesce(array_to_string(window_totals.format_labels, ', '), '') as formats_tried,
        campaign_days.campaign_day_number as days_live

    from campaign_days
    left join window_totals
        on campaign_days.campaign_id = window_totals.campaign_id
        and campaign_days.date_day = window_totals.as_of_date

)

select * from final
