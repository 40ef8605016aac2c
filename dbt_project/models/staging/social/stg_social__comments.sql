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
        _row_number as file_row_number,

    from source

),

final as (

    -- a comment exported again later (reply added, sentiment re-scored) carries its newer state
    select * from renamed
    {{ delivered_since_last_build('renamed') }}
    qualify row_number() over (
        partition by platform, comment_id
        order by delivery_day desc, loaded_at desc, file_path desc, file_row_number desc
    ) = 1

)

select * from final
