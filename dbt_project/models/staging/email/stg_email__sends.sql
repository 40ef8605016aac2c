{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['send_id', 'variant'],
        pre_hook="{{ forget_replaced_deliveries('email_sends') }}",
    )
}}

with

source as (

    select * from {{ source('email', 'sends') }}

),

renamed as (

    select
        send_date,
        trim(send_id) as send_id,
        trim(campaign_id) as campaign_id,
        lower(trim(variant)) as variant,
        {{ split_list('personalisation_tokens') }} as personalisation_tokens,
        delivered,
        opens,
        clicks,
        conversions,
        unsubscribes,
        complaints,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        -- as the link carries it: a differently spelt tag splits the campaign in analytics
        nullif(trim(utm_campaign), '') as utm_campaign_as_written,
        _delivery_day as delivery_day,
        _loaded_at as loaded_at,
        _file_path as file_path,
        _row_number as file_row_number

    from source

),

delivered as (

    select * from renamed
    {{ delivered_since_last_build('renamed') }}

),

final as (

    {{ deduplicate(
        'delivered',
        partition_by='send_id, variant',
        order_by='delivery_day desc, loaded_at desc, file_path desc, file_row_number desc'
    ) }}

)

select * from final
