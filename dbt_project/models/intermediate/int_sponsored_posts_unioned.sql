{{ config(materialized='incremental', incremental_strategy='restate', unique_key='post_date') }}

{#-
    Sponsored posts from both sides, one row per post and report day: the brand's own
    sponsored social posts (one row per day the social tool reports them) and creators'
    published sponsored deliverables (one row, on the day they went live; pending and
    cancelled deliverables are no posts). Each with a label marketers recognise ("instagram
    post 123 by @mia") and whether it is disclosed: by the export's disclosure flag or by a
    marker of the disclosure vocabulary in its text (#ad, #Werbung, #广告, "paid partnership",
    in any language it knows) valid on its platform.
-#}
with

social_posts as (

    select * from {{ ref('stg_social__posts') }}

),

deliverables as (

    select * from {{ ref('int_influencer_deliverables') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

platform_terms as (

    select * from {{ source('vocab', 'platform_terms') }}

),

markers as (

    select * from {{ source('vocab', 'disclosure_markers') }}

),

sponsored_social as (

    select
        social_posts.campaign_id,
        'social' as channel,
        social_posts.platform,
        social_posts.post_date,
        'social|' || social_posts.platform || '|' || social_posts.post_id as post_key,
        social_posts.post_id,
        -- posted on the brand's own account
        cast(null as varchar) as creator_handle,
        social_posts.post_text as post_text,
        coalesce(social_posts.has_disclosure, false) as has_disclosure_flag

    from social_posts
    where social_posts.is_sponsored

),

sponsored_influencer as (

    select
        deliverables.campaign_id,
        'influencer' as channel,
        deliverables.platform,
        deliverables.live_date as post_date,
        'influencer|' || deliverables.creator_id || '|' || deliverables.post_id as post_key,
        deliverables.post_id,
        deliverables.creator_handle,
        deliverables.caption as post_text,
        coalesce(deliverables.has_disclosure, false) as has_disclosure_flag

    from deliverables
    where deliverables.is_sponsored
        and deliverables.live_date is not null

),

unioned as (

    select * from sponsored_social
    union all
    select * from sponsored_influencer

),

restated as (

    select * from unioned
    {{ restated_days('post_date') }}

),

known as (

    select
        unioned.*,
        -- the platform as the vocabulary names it (its aliases read), else as written
        coalesce(platform_terms.platform, {{ vocab_term('unioned.platform') }})
        as vocab_platform,
        lower(unioned.post_text) as text_lower,
        {{ hashtags_in('lower(unioned.post_text)') }} as hashtags

    from restated as unioned
    inner join campaigns
        on unioned.campaign_id = campaigns.campaign_id
    left join platform_terms
        on {{ vocab_term('unioned.platform') }} = platform_terms.term
    where unioned.post_date <= {{ as_of_date() }}

),

post_hashtags as (

    -- each post's hashtags once, so markers are matched by equality (a plain hash join)
    select
        known.campaign_id,
        known.post_key,
        known.post_date,
        known.vocab_platform,
        unnest(known.hashtags) as hashtag

    from known
    where known.text_lower is not null

),

hashtag_markers as (

    select
        markers.platform,
        rtrim(markers.marker, '#＃') as hashtag

    from markers
    where markers.kind = 'hashtag'

),

label_markers as (

    select
        markers.platform,
        markers.marker

    from markers
    where markers.kind = 'label'

),

disclosed_in_text as (

    -- hashtags match whole tags (#ad is no tag of #adidas; Weibo's closing # is dropped),
    -- labels match anywhere in the text
    select
        post_hashtags.campaign_id,
        post_hashtags.post_key,
        post_hashtags.post_date

    from post_hashtags
    inner join hashtag_markers
        on post_hashtags.hashtag = hashtag_markers.hashtag
        and hashtag_markers.platform in (post_hashtags.vocab_platform, '*')

    union

    select
        known.campaign_id,
        known.post_key,
        known.post_date

    from known
    inner join label_markers
        on label_markers.platform in (known.vocab_platform, '*')
        and strpos(known.text_lower, label_markers.marker) > 0
    where known.text_lower is not null

),

final as (

    select
        known.campaign_id,
        known.channel,
        known.platform,
        known.post_date,
        known.post_key,
        known.post_id,
        known.creator_handle,
        known.vocab_platform,
        known.has_disclosure_flag,
        disclosed_in_text.post_key is not null as has_disclosure_in_text,
        known.has_disclosure_flag or disclosed_in_text.post_key is not null as has_disclosure

    from known
    left join disclosed_in_text
        on known.campaign_id = disclosed_in_text.campaign_id
        and known.post_key = disclosed_in_text.post_key
        and known.post_date = disclosed_in_text.post_date

)

select * from final
