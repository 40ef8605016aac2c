with

source as (

    select * from {{ source('partners', 'partners') }}

),

latest_delivery as (

    select * from source
    where _delivery_day = (select max(_delivery_day) from source)

),

renamed as (

    select
        trim(campaign_id) as campaign_id,
        trim(partner_id) as partner_id,
        trim(partner_brand) as partner_brand,
        -- our own brand appears as 'self' in the partner lists of the plan
        lower(trim(partner_id)) = 'self' as is_own_brand,
        lower(trim(price_tier)) as price_tier,
        {{ pipe_list('target_segments') }} as target_segments,
        {{ pipe_list('brand_values') }} as brand_values,
        coalesce(contract_signed, false) as contract_signed,
        nullif(trim(success_metrics), '') as success_metrics,
        nullif(trim(exit_conditions), '') as exit_conditions,
        _delivery_day as delivery_day,
        _file_path as file_path,
        _row_number as file_row_number

    from latest_delivery

),

final as (

    -- a partner listed twice for a campaign in one delivery: the last row written wins
    {{ deduplicate(
        'renamed',
        partition_by='campaign_id, partner_id',
        order_by='file_path desc, file_row_number desc'
    ) }}

)

select * from final
