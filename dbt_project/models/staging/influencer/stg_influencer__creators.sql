with

source as (

    select * from {{ source('influencer', 'creators') }}

),

latest_delivery as (

    select * from source
    where _delivery_day = (select max(_delivery_day) from source)

),

deduplicated as (

    -- a creator listed twice in one delivery: the last row written wins
    {{ deduplicate(
        'latest_delivery',
        partition_by='trim(creator_id)',
        order_by='_file_path desc, _row_number desc'
    ) }}

),

renamed as (

    select
        trim(creator_id) as creator_id,
        trim(creator_handle) as creator_handle,
        lower(trim(platform)) as platform,
        lower(trim(tier)) as tier,
        followers,
        -- lists separated by |: lower-cased, sorted, without repeats
        {{ pipe_list('audience_age_bands') }} as audience_age_bands,
        {{ pipe_list('audience_countries') }} as audience_countries,
        {{ pipe_list('audience_interests') }} as audience_interests,
        {{ pipe_list('brand_safety_flags') }} as brand_safety_flags,
        _delivery_day as delivery_day,
        _file_path as file_path,
        _row_number as file_row_number

    from deduplicated

),

final as (

    select
        *,
        {{ list_size('brand_safety_flags') }} > 0 as is_flagged

    from renamed

)

select * from final
