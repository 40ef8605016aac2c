with

source as (

    select * from {{ source('partners', 'promotions') }}

),

latest_delivery as (

    select * from source
    where _delivery_day = (select max(_delivery_day) from source)

),

renamed as (

    select
        trim(promotion_id) as promotion_id,
        trim(campaign_id) as campaign_id,
        trim(partner_id) as partner_id,
        lower(trim(partner_id)) = 'self' as is_own_brand,
        lower(trim(promo_channel)) as promo_channel,
        start_date,
        end_date,
        nullif(trim(key_message), '') as key_message,
        _delivery_day as delivery_day,
        _file_path as file_path,
        _row_number as file_row_number

    from latest_delivery

),

final as (

    -- a promotion listed twice in one delivery: the last row written wins
    {{ deduplicate(
        'renamed',
        partition_by='promotion_id',
        order_by='file_path desc, file_row_number desc'
    ) }}

)

select * from final
