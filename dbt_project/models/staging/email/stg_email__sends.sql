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
        [
            lower(trim(token)) for token in string_split(coalesce(personalisation_tokens, ''), '|')
            if trim(token) <> ''
        ] as personalisation_tokens,
        delivered,
        opens,
        clicks,
        conversions,
        unsubscribes,
        complaints,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        _delivery_day as delivery_day,
        _loaded_at as loaded_at,
        _file_path as file_path,
        _row_number as file_row_number,

    from source

),

final as (

    select * from renamed
    {{ delivered_since_last_build('renamed') }}
    qualify row_number() over (
        partition by send_id, variant
        order by delivery_day desc, loaded_at desc, file_path desc, file_row_number desc
    ) = 1

)

select * from final
