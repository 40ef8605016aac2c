{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['platform', 'comment_id'],
        pre_hook="{{ forget_replaced_deliveries('social_comments') }}",
    )
}}

with

source as (

    select * from {{ source('social', 'comments') }}

),

renamed as (

    select
        comment_date,
        lower(trim(platform)) as platform,
        trim(post_id) as post_id,
        trim(campaign_id) as campaign_id,
        trim(comment_id) as comment_id,
        commented_at,
        lower(trim(sentiment)) as sentiment,
        brand_replied_at,
        nullif(trim(comment_text), '') as comment_text,
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

    -- a comment exported again later (reply added, sentiment re-scored) carries its newer state
    {{ deduplicate(
        'delivered',
        partition_by='platform, comment_id',
        order_by='delivery_day desc, loaded_at desc, file_path desc, file_row_number desc'
    ) }}

)

select * from final
