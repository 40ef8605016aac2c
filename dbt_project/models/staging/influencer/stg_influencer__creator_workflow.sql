{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['report_date', 'campaign_id', 'creator_id', 'post_id'],
        pre_hook="{{ forget_replaced_deliveries('creator_workflow') }}",
    )
}}

with

source as (

    select * from {{ source('influencer', 'creator_workflow') }}

),

renamed as (

    select
        report_date,
        trim(campaign_id) as campaign_id,
        trim(creator_id) as creator_id,
        trim(post_id) as post_id,
        brief_sent_date,
        draft_submitted_date,
        feedback_date,
        went_live_date,
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

    -- the same day's report of a deliverable exported again later carries the newer state
    {{ deduplicate(
        'delivered',
        partition_by='report_date, campaign_id, creator_id, post_id',
        order_by='delivery_day desc, loaded_at desc, file_path desc, file_row_number desc'
    ) }}

)

select * from final
