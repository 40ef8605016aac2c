{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['campaign_id', 'creator_id', 'post_id'],
        pre_hook="{{ forget_replaced_deliveries('influencer_posts') }}",
    )
}}

with

source as (

    select * from {{ source('influencer', 'posts') }}

),

renamed as (

    select
        post_date,
        trim(campaign_id) as campaign_id,
        trim(creator_id) as creator_id,
        trim(creator_handle) as creator_handle,
        lower(trim(platform)) as platform,
        trim(post_id) as post_id,
        lower(trim(tier)) as tier,
        followers,
        nullif(trim(audience_summary), '') as audience_summary,
        is_sponsored,
        has_disclosure,
        deliverable_due_date,
        delivered_date,
        delivered_date is not null as is_delivered,
        fee,
        impressions,
        engagements,
        nullif(trim(caption), '') as caption,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        -- as the link carries it: a differently spelt tag splits the campaign in analytics
        nullif(trim(utm_campaign), '') as utm_campaign_as_written,
        -- as the tracker writes it; read through the deliverable statuses vocabulary later
        nullif(trim(post_status), '') as post_status,
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

    -- a deliverable reported again later carries its newer state
    {{ deduplicate(
        'delivered',
        partition_by='campaign_id, creator_id, post_id',
        order_by='delivery_day desc, loaded_at desc, file_path desc, file_row_number desc'
    ) }}

)

select * from final
