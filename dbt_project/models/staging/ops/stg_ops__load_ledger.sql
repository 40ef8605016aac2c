with

source as (

    select * from {{ source('ops', 'load_ledger') }}

),

final as (

    select
        source as source_name,
        file_path,
        delivery_day,
        checksum,
        file_bytes,
        rows_in_file,
        rows_loaded,
        rows_quarantined,
        lower(status) as load_status,
        message,
        loaded_at,
        run_id

    from source

)

select * from final
