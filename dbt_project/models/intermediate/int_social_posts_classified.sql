{{ config(materialized='view') }}

{#-
    Every post report of the brand's own social accounts up to the night reported on, with
    its platform and format read through the platforms vocabulary: the platform id a name
    stands for (小红书, RED and rednote are xiaohongshu) and the post format (reel and 短视频 are
    short_video). A post on a platform that offers short video only (YouTube Shorts) is a
    short video whatever its format says, and a "video" on a platform whose only video format
    is short video (TikTok, Douyin, Kuaishou, Snapchat) is a short video too. A name no vocabulary knows is kept as written and
    flagged: the short-video and format-mix guards cannot tell what it adds. A view: the
    signals read it and it adds no rows.
-#}
with

social_posts as (

    select * from {{ ref('stg_social__posts') }}

),

platform_terms as (

    select * from {{ source('vocab', 'platform_terms') }}

),

post_format_terms as (

    select * from {{ source('vocab', 'post_format_terms') }}

),

platform_formats as (

    select * from {{ source('vocab', 'platform_formats') }}

),

short_video_only_platforms as (

    select platform_formats.platform
    from platform_formats
    group by platform_formats.platform
    having count(*) = count(*) filter (where platform_formats.post_format = 'short_video')

),

short_video_platforms as (

    -- platforms where every video is a short video: they offer short_video and no long video
    select platform_formats.platform
    from platform_formats
    group by platform_formats.platform
    having count(*) filter (where platform_formats.post_format = 'short_video') > 0
    and count(*) filter (where platform_formats.post_format = 'video') = 0

),

final as (

    select
        social_posts.post_date,
        social_posts.campaign_id,
        social_posts.post_id,
        social_posts.platform,
        social_posts.post_format,
        -- the vocabulary's id, else the name as written (normalised)
        coalesce(platform_terms.platform, {{ vocab_term('social_posts.platform') }})
        as platform_key,
        coalesce(
            case
                when short_video_only_platforms.platform is not null then 'short_video'
                when short_video_platforms.platform is not null
                    and post_format_terms.post_format = 'video'
                    then 'short_video'
            end,
            post_format_terms.post_format
        ) as post_format_id,
        {{ vocab_term('social_posts.post_format') }} as post_format_key,
        platform_terms.platform is null as is_unknown_platform,
        short_video_only_platforms.platform is null
        and post_format_terms.post_format is null as is_unknown_format,
        short_video_only_platforms.platform is not null
        or coalesce(post_format_terms.post_format = 'short_video', false)
        or (
            short_video_platforms.platform is not null
            and coalesce(post_format_terms.post_format = 'video', false)
        ) as is_short_video

    from social_posts
    left join platform_terms
        on {{ vocab_term('social_posts.platform') }} = platform_terms.term
    left join post_format_terms
        on {{ vocab_term('social_posts.post_format') }} = post_format_terms.term
    left join short_video_only_platforms
        on platform_terms.platform = short_video_only_platforms.platform
    left join short_video_platforms
        on platform_terms.platform = short_video_platforms.platform
    where social_posts.post_date <= {{ as_of_date() }}

)

select * from final
