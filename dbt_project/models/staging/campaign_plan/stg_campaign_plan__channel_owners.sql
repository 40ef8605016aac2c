with

source as (

    select * from {{ source('campaign_plan', 'channel_owners') }}

),

latest_delivery as (

    select * from source
    where _delivery_day = (select max(_delivery_day) from source)

),

renamed as (

    select
        trim(campaign_id) as campaign_id,
        lower(trim(channel)) as channel,
        -- an owner cell holding only spaces names nobody
        nullif(trim(owner), '') as owner,
        _delivery_day as delivery_day,
        _file_path as file_path,
        _row_number as file_row_number

    from latest_delivery

),

final as (

    -- a touch point listed twice in one delivery: the last row written wins
    {{ deduplicate(
        'renamed',
        partition_by='campaign_id, channel',
        order_by='file_path desc, file_row_number desc'
    ) }}

)

select * from final
