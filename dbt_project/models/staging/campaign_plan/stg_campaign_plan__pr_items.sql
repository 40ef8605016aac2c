with

source as (

    select * from {{ source('campaign_plan', 'pr_items') }}

),

renamed as (

    select
        published_date,
        trim(campaign_id) as campaign_id,
        trim(item_id) as item_id,
        lower(trim(item_type)) as item_type,
        trim(outlet) as outlet,
        lower(trim(sentiment)) as sentiment,
        estimated_reach,
        _delivery_day as delivery_day,
        _loaded_at as loaded_at,
        _file_path as file_path,
        _row_number as file_row_number

    from source

),

final as (

    -- an item logged again later (new reach estimate, corrected tone) carries its newer state
    {{ deduplicate(
        'renamed',
        partition_by='item_id',
        order_by='delivery_day desc, loaded_at desc, file_path desc, file_row_number desc'
    ) }}

)

select * from final
