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
        unnest(string_to_array(campaigns.target_audience, ';')) as target_part

    from campaigns
    where campaigns.target_audience is not null

),

target_values as (

    -- one row per dimension and value the target names
    select
        target_parts.campaign_id,
        lower(trim(split_part(target_parts.target_part, '=', 1))) as dimension,
        unnest({{ split_list("split_part(target_parts.target_part, '=', 2)") }}) as target_value

    from target_parts

),

campaign_targets as (

    select
        target_values.campaign_id,
        {%- for dimension, column in [
            ('age', 'target_age_bands'),
            ('country', 'target_countries'),
            ('interest', 'target_interests'),
        ] %}
        array_agg(distinct target_values.target_value order by target_values.target_value)
            filter (where target_values.dimension = '{{ dimension }}') as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}

    from target_values
    group by target_values.campaign_id

),

campaign_creators as (

    select
        influencer_posts.campaign_id,
        influencer_posts.creator_id,
        {{ value_at_max(
            'influencer_posts.creator_handle',
            'influencer_posts.post_date, influencer_posts.post_id'
        ) }} as post_handle

    from influencer_posts
    inner join campaigns
        on influencer_posts.campaign_id = campaigns.campaign_id
    group by influencer_posts.campaign_id, influencer_posts.creator_id

),

dimension_scores as (

    -- a dimension the target leaves out (or lists no value for) does not count; a creator
    -- without a profile shares nothing with any target
    select
        campaign_creators.campaign_id,
        campaign_creators.creator_id,
        coalesce(creators.creator_handle, campaign_creators.post_handle) as creator_handle,
        creators.creator_id is not null as has_profile,
        {%- for score, target, profile in [
            ('age_overlap', 'target_age_bands', 'audience_age_bands'),
            ('country_overlap', 'target_countries', 'audience_countries'),
            ('interest_overlap', 'target_interests', 'audience_interests'),
        ] %}
        {%- set target = 'campaign_targets.' ~ target %}
        {%- set profile = 'coalesce(creators.' ~ profile ~ ', cast(array[] as varchar[]))' %}
        case
            when {{ list_size(target) }} > 0
                then cast({{ list_size(list_intersection(target, profile)) }} as double precision)
                / {{ list_size(target) }}
        end as {{ score }},
        {%- endfor %}
        coalesce(creators.brand_safety_flags, cast(array[] as varchar[])) as brand_safety_flags,
        coalesce(creators.is_flagged, false) as is_flagged

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
        age_overlap,
        country_overlap,
        interest_overlap,
        -- mean over the dimensions the target names; NULL when it names none
        {{ list_mean('array[age_overlap, country_overlap, interest_overlap]') }}
        as audience_overlap,
        brand_safety_flags,
        is_flagged

    from dimension_scores

)

select * from final
