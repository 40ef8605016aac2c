{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['post_date', 'platform', 'post_id'],
        pre_hook="{{ forget_replaced_deliveries('social_posts') }}",
    )
}}

with

source as (

    select * from {{ source('social', 'posts') }}

),

renamed as (

    select
        post_date,
        lower(trim(platform)) as platform,
        trim(post_id) as post_id,
        trim(campaign_id) as campaign_id,
        lower(trim(post_format)) as post_format,
        nullif(trim(post_text), '') as post_text,
        impressions,
        likes,
        comments,
        shares,
        brand_replies,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        -- as the link carries it: a differently spelt tag splits the campaign in analytics
        nullif(trim(utm_campaign), '') as utm_campaign_as_written,
        is_sponsored,
        has_disclosure,
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

    -- the same post and day exported again later carries the newer metrics
    {{ deduplicate(
        'delivered',
        partition_by='post_date, platform, post_id',
        order_by='delivery_day desc, loaded_at desc, file_path desc, file_row_number desc'
    ) }}

)

select * from final
