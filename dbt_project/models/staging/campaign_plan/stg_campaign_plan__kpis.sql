with

source as (

    select * from {{ source('campaign_plan', 'kpis') }}

),

latest_delivery as (

    select * from source
    where _delivery_day = (select max(_delivery_day) from source)

),

renamed as (

    select
        trim(campaign_id) as campaign_id,
        -- "Site visits", "site-visits" and "site_visits" name the same metric
        regexp_replace(lower(trim(metric)), '[\s\-]+', '_', 'g') as metric,
        target_value,
        due_date,
        _delivery_day as delivery_day,
        _file_path as file_path,
        _row_number as file_row_number

    from latest_delivery

),

deduplicated as (

    {{ deduplicate(
        'renamed',
        partition_by='campaign_id, metric',
        order_by='file_path desc, file_row_number desc'
    ) }}

),

final as (

    select
        campaign_id || ':' || metric as kpi_id,
        *

    from deduplicated

)

select * from final
