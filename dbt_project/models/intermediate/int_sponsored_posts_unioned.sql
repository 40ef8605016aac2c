{#-
    Sponsored posts from both sides, one row per post and report day: the brand's own
    sponsored social posts and creators' sponsored posts, each with a label marketers
    recognise ("instagram post 123 by @mia").
-#}
with

social_posts as (

    select * from {{ ref('stg_social__posts') }}

),

influencer_posts as (

    select * from {{ ref('stg_influencer__posts') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

sponsored_social as (

    select
        social_posts.campaign_id,
        'social' as channel,
        social_posts.post_date,
        'social|' || social_posts.platform || '|' || social_posts.post_id as post_key,
        social_posts.platform || ' post ' || social_posts.post_id
        || ' on the brand account' as post_label,
        social_posts.has_disclosure

    from social_posts
    where social_posts.is_sponsored

),

sponsored_influencer as (

    select
        influencer_posts.campaign_id,
        'influencer' as channel,
        influencer_posts.post_date,
        'influencer|' || influencer_posts.creator_id || '|' || influencer_posts.post_id
        as post_key,
        influencer_posts.platform || ' post ' || influencer_posts.post_id
        || ' by ' || influencer_posts.creator_handle as post_label,
        influencer_posts.has_disclosure

    from influencer_posts
    where influencer_posts.is_sponsored

),

unioned as (

    select * from sponsored_social
    union all
    select * from sponsored_influencer

),

final as (

    select unioned.*
    from unioned
    inner join campaigns
        on unioned.campaign_id = campaigns.campaign_id
    where unioned.post_date <= {{ as_of_date() }}

)

select * from final
