with

source as (

    select * from {{ source('ops', 'pii_findings') }}

),

renamed as (

    select
        source as source_name,
        file_path,
        row_number as file_row_number,
        column_name,
        lower(kind) as pii_kind,
        nullif(trim(campaign_id), '') as campaign_id,
        data_day,
        found_at,
        run_id

    from source

),

final as (

    -- a file loaded twice reports its findings once
    {{ deduplicate(
        'renamed',
        partition_by='source_name, file_path, file_row_number, column_name, pii_kind',
        order_by='found_at desc'
    ) }}

)

select * from final
