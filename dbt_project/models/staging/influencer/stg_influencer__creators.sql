with

source as (

    select * from {{ source('influencer', 'creators') }}

),

latest_delivery as (

    select * from source
    where _delivery_day = (select max(_delivery_day) from source)

),

renamed as (

    select
        trim(creator_id) as creator_id,
        trim(creator_handle) as creator_handle,
        lower(trim(platform)) as platform,
        lower(trim(tier)) as tier,
        followers,
        -- lists separated by |, compared case-insensitively downstream
        list_distinct([
            lower(trim(value)) for value in string_split(coalesce(audience_age_bands, ''), '|')
            if trim(value) <> ''
        ]) as audience_age_bands,
        list_distinct([
            lower(trim(value)) for value in string_split(coalesce(audience_countries, ''), '|')
            if trim(value) <> ''
        ]) as audience_countries,
        list_distinct([
            lower(trim(value)) for value in string_split(coalesce(audience_interests, ''), '|')
            if trim(value) <> ''
        ]) as audience_interests,
        list_distinct([
            lower(trim(value)) for value in string_split(coalesce(brand_safety_flags, ''), '|')
            if trim(value) <> ''
        ]) as brand_safety_flags,
        _delivery_day as delivery_day,
        _file_path as file_path,
        _row_number as file_row_number,

    from latest_delivery
    -- a creator listed twice in one delivery: the last row written wins
    qualify row_number() over (
        partition by trim(creator_id)
        order by _file_path desc, _row_number desc
    ) = 1

),

final as (

    select
        *,
        len(brand_safety_flags) > 0 as is_flagged,

    from renamed

)

select * from final
