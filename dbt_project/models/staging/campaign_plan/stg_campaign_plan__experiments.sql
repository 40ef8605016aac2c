with

source as (

    select * from {{ source('campaign_plan', 'experiments') }}

),

latest_delivery as (

    select * from source
    where _delivery_day = (select max(_delivery_day) from source)

),

renamed as (

    select
        trim(experiment_id) as experiment_id,
        trim(campaign_id) as campaign_id,
        lower(trim(channel)) as channel,
        nullif(trim(hypothesis), '') as hypothesis,
        variants,
        start_date,
        end_date,
        lower(trim(status)) as status,
        _delivery_day as delivery_day,
        _file_path as file_path,
        _row_number as file_row_number

    from latest_delivery

),

final as (

    -- an experiment listed twice in one delivery: the last row written wins
    {{ deduplicate(
        'renamed',
        partition_by='experiment_id',
        order_by='file_path desc, file_row_number desc'
    ) }}

)

select * from final
