{{ config(materialized='incremental', incremental_strategy='restate', unique_key='date_day') }}

{#-
    Could each activity carry a tracked link, and did it? Per campaign, day, channel and
    platform: activity rows (int_channel_activity_unioned) tagged with a utm_campaign, and the
    untagged ones split by what the platforms vocabulary says of the platform (links: the
    channels whose activity there can carry a link).

    - Tagged activity carried a link, wherever it ran.
    - An untagged e-mail send could have carried one: every mail can link.
    - An untagged post, ad or creator post could have carried one when its platform's links
      name its channel (a Facebook post, a Weibo post, a Google ad), and could not when they do
      not (a Douyin video, an Instagram or TikTok post, a Xiaohongshu note): leaving those
      untagged is no mistake.
    - On a platform no vocabulary knows, or one whose links no file declares, nobody can say:
      can_carry_link is NULL, and P09 cannot tell when that activity could decide.
-#}
with

activities as (

    select * from {{ ref('int_channel_activity_unioned') }}
    {{ restated_days('activity_date') }}

),

platform_terms as (

    select * from {{ source('vocab', 'platform_terms') }}

),

platforms as (

    select * from {{ source('vocab', 'platforms') }}

),

classified as (

    select
        activities.campaign_id,
        activities.activity_date as date_day,
        activities.channel,
        -- the vocabulary's id, else the name as written (normalised); none for e-mail
        case
            when activities.channel <> 'email'
                then coalesce(platform_terms.platform, {{ vocab_term('activities.platform') }})
        end as platform_key,
        activities.utm_campaign_as_written is not null as is_tagged,
        case
            when activities.utm_campaign_as_written is not null then true
            when activities.channel = 'email' then true
            -- unknown platform, or links not declared: nobody can say
            when platforms.links is null then null
            else strpos('|' || platforms.links || '|', '|' || activities.channel || '|') > 0
        end as can_carry_link

    from activities
    left join platform_terms
        on {{ vocab_term('activities.platform') }} = platform_terms.term
    left join platforms
        on platform_terms.platform = platforms.platform

),

final as (

    select
        classified.campaign_id,
        classified.date_day,
        classified.channel,
        classified.platform_key,
        classified.is_tagged,
        classified.can_carry_link,
        cast(count(*) as bigint) as activities

    from classified
    group by
        classified.campaign_id,
        classified.date_day,
        classified.channel,
        classified.platform_key,
        classified.is_tagged,
        classified.can_carry_link

)

select * from final
