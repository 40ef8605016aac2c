{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['ad_date', 'platform', 'account_id', 'platform_campaign_id', 'ad_group_id'],
        pre_hook="{{ forget_replaced_deliveries('paid_ads') }}",
    )
}}

with

source as (

    select * from {{ source('paid_ads', 'ad_performance') }}

),

renamed as (

    select
        ad_date,
        lower(trim(platform)) as platform,
        trim(account_id) as account_id,
        trim(campaign_id) as campaign_id,
        trim(platform_campaign_id) as platform_campaign_id,
        trim(ad_group_id) as ad_group_id,
        spend,
        coalesce(upper(nullif(trim(currency), '')), 'EUR') as currency,
        impressions,
        clicks,
        conversions,
        revenue,
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
        partition_by='ad_date, platform, account_id, platform_campaign_id, ad_group_id',
        order_by='delivery_day desc, loaded_at desc, file_path desc, file_row_number desc'
    ) }}

)

select * from final
