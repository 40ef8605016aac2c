{#-
    How well each creator's audience matches the audience the campaign targets, one row per
    campaign and creator who posted for it. The target names up to three dimensions (age,
    country, interest); each present dimension scores the share of its target values the
    creator's profile also lists, and the overlap is the mean of those scores.
-#}
with

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

influencer_posts as (

    select * from {{ ref('stg_influencer__posts') }}

),

creators as (

    select * from {{ ref('stg_influencer__creators') }}

),

target_parts as (

    -- "age=25-34|35-44;country=DE;interest=running": one row per key=value part
    select
        campaigns.campaign_id,
        unnest(string_split(campaigns.target_audience, ';')) as target_part,

    from campaigns
    where campaigns.target_audience is not null

),

target_values as (

    select
        target_parts.campaign_id,
        lower(trim(split_part(target_parts.target_part, '=', 1))) as dimension,
        [
            lower(trim(target_value))
            for target_value in string_split(split_part(target_parts.target_part, '=', 2), '|')
            if trim(target_value) <> ''
        ] as target_values,

    from target_parts

),

campaign_targets as (

    select
        target_values.campaign_id,
        list_distinct(flatten(
            list(target_values.target_values) filter (where target_values.dimension = 'age')
        )) as target_age_bands,
        list_distinct(flatten(
            list(target_values.target_values) filter (where target_values.dimension = 'country')
        )) as target_countries,
        list_distinct(flatten(
            list(target_values.target_values) filter (where target_values.dimension = 'interest')
        )) as target_interests,

    from target_values
    group by all

),

campaign_creators as (

    select
        influencer_posts.campaign_id,
        influencer_posts.creator_id,
        arg_max(influencer_posts.creator_handle, influencer_posts.post_date) as post_handle,

    from influencer_posts
    inner join campaigns
        on influencer_posts.campaign_id = campaigns.campaign_id
    group by all

),

dimension_scores as (

    -- a dimension the target leaves out (or lists no value for) does not count; a creator
    -- without a profile shares nothing with any target
    select
        campaign_creators.campaign_id,
        campaign_creators.creator_id,
        coalesce(creators.creator_handle, campaign_creators.post_handle) as creator_handle,
        creators.creator_id is not null as has_profile,
        case
            when len(campaign_targets.target_age_bands) > 0
                then len(list_intersect(
                    campaign_targets.target_age_bands,
                    coalesce(creators.audience_age_bands, []::varchar[])
                )) / len(campaign_targets.target_age_bands)
        end as age_overlap,
        case
            when len(campaign_targets.target_countries) > 0
                then len(list_intersect(
                    campaign_targets.target_countries,
                    coalesce(creators.audience_countries, []::varchar[])
                )) / len(campaign_targets.target_countries)
        end as country_overlap,
        case
            when len(campaign_targets.target_interests) > 0
                then len(list_intersect(
                    campaign_targets.target_interests,
                    coalesce(creators.audience_interests, []::varchar[])
                )) / len(campaign_targets.target_interests)
        end as interest_overlap,
        coalesce(creators.brand_safety_flags, []::varchar[]) as brand_safety_flags,
        coalesce(creators.is_flagged, false) as is_flagged,

    from campaign_creators
    left join campaign_targets
        on campaign_creators.campaign_id = campaign_targets.campaign_id
    left join creators
        on campaign_creators.creator_id = creators.creator_id

),

final as (

    select
        campaign_id,
        creator_id,
        creator_handle,
        has_profile,
        cast(age_overlap as double) as age_overlap,
        cast(country_overlap as double) as country_overlap,
        cast(interest_overlap as double) as interest_overlap,
        -- mean over the dimensions the target names; NULL when it names none
        cast(list_avg(list_filter(
            [age_overlap, country_overlap, interest_overlap],
            lambda score: score is not null
        )) as double) as audience_overlap,
        brand_safety_flags,
        is_flagged,

    from dimension_scores

)

select * from final
