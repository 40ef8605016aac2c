with

source as (

    select * from {{ source('commerce', 'inventory') }}

),

renamed as (

    select
        stock_date,
        trim(campaign_id) as campaign_id,
        trim(product_id) as product_id,
        units_in_stock,
        units_backordered,
        _delivery_day as delivery_day,
        _loaded_at as loaded_at,
        _file_path as file_path,
        _row_number as file_row_number

    from source

),

final as (

    -- a stock count reported again later carries the corrected numbers
    {{ deduplicate(
        'renamed',
        partition_by='stock_date, campaign_id, product_id',
        order_by='delivery_day desc, loaded_at desc, file_path desc, file_row_number desc'
    ) }}

)

select * from final
