{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['send_id', 'email_hash'],
        pre_hook="{{ forget_replaced_deliveries('email_recipients') }}",
    )
}}

with

source as (

    select * from {{ source('email', 'recipients') }}

),

renamed as (

    select
        sent_date,
        trim(send_id) as send_id,
        email_hash,
        phone_hash,
        lower(trim(consent_status)) as consent_status,
        consent_at,
        opted_out_at,
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
        partition_by='send_id, email_hash',
        order_by='delivery_day desc, loaded_at desc, file_path desc, file_row_number desc'
    ) }}

)

select * from final
