with

source as (

    select * from {{ source('attribution', 'results') }}

),

renamed as (

    select
        attribution_date,
        trim(campaign_id) as campaign_id,
        lower(trim(channel)) as channel,
        lower(trim(model)) as attribution_model,
        attributed_conversions,
        attributed_revenue,
        cost,
        _delivery_day as delivery_day,
        _loaded_at as loaded_at,
        _file_path as file_path,
        _row_number as file_row_number

    from source

),

final as (

    -- a day the tool reports again later (late conversions) carries the newer numbers
    {{ deduplicate(
        'renamed',
        partition_by='attribution_date, campaign_id, channel, attribution_model',
        order_by='delivery_day desc, loaded_at desc, file_path desc, file_row_number desc'
    ) }}

)

select * from final
