{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#- P18: does the campaign give people a story to share: a storyline and a hashtag? -#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

elements as (

    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        -- staging turns blank cells into NULL
        case when campaigns.storyline is not null then 1 else 0 end as has_storyline,
        case when campaigns.hashtag is not null then 1 else 0 end as has_hashtag,
        campaigns.hashtag

    from campaign_days
    inner join campaigns
        on campaign_days.campaign_id = campaigns.campaign_id

),

final as (

    select
        as_of_date,
        campaign_id,
        cast(has_storyline + has_hashtag as bigint) as story_elements,
        cast(has_storyline as bigint) as has_storyline,
        cast(has_hashtag as bigint) as has_hashtag,
        -- each missing element as an example the alert names in the team's language
        case
            when has_storyline = 0 and has_hashtag = 0
                then cast(
                    '[{"kind": "story_element", "element": "storyline"},'
                    || ' {"kind": "story_element", "element": "hashtag"}]' as json
                )
            when has_storyline = 0
                then cast('[{"kind": "story_element", "element": "storyline"}]' as json)
            when has_hashtag = 0
                then cast('[{"kind": "story_element", "element": "hashtag"}]' as json)
            else cast('[]' as json)
        end as missing_elements,
        coalesce(hashtag, '') as hashtag

    from elements

)

select * from final
