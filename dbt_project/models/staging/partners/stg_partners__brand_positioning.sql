with

source as (

    select * from {{ source('partners', 'brand_positioning') }}

),

latest_delivery as (

    select * from source
    where _delivery_day = (select max(_delivery_day) from source)

),

renamed as (

    select
        trim(brand) as brand,
        lower(trim(price_tier)) as price_tier,
        {{ pipe_list('target_segments') }} as target_segments,
        {{ pipe_list('brand_values') }} as brand_values,
        {{ pipe_list('conflicting_values') }} as conflicting_values,
        _delivery_day as delivery_day,
        _file_path as file_path,
        _row_number as file_row_number

    from latest_delivery

),

final as (

    -- a brand listed twice in one delivery: the last row written wins
    {{ deduplicate(
        'renamed',
        partition_by='lower(brand)',
        order_by='file_path desc, file_row_number desc'
    ) }}

)

select * from final
