with

source as (

    select * from {{ source('campaign_plan', 'campaigns') }}

),

latest_delivery as (

    select * from source
    where _delivery_day = (select max(_delivery_day) from source)

),

deduplicated as (

    -- a campaign listed twice in one delivery: the last row written wins
    {{ deduplicate(
        'latest_delivery',
        partition_by='trim(campaign_id)',
        order_by='_file_path desc, _row_number desc'
    ) }}

),

renamed as (

    select
        trim(campaign_id) as campaign_id,
        trim(campaign_name) as campaign_name,
        trim(brand) as brand,
        nullif(trim(owner_team), '') as owner_team,
        nullif(trim(owner_slack_channel), '') as owner_slack_channel,
        start_date,
        end_date,
        budget,
        reserve_budget,
        coalesce(upper(nullif(trim(currency), '')), 'EUR') as currency,
        target_roi,
        {{ pipe_list('planned_channels') }} as planned_channels_listed,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        -- as the plan spells it: the one spelling every link should carry
        nullif(trim(utm_campaign), '') as utm_campaign_as_written,
        nullif(trim(storyline), '') as storyline,
        nullif(trim(hashtag), '') as hashtag,
        nullif(trim(target_audience), '') as target_audience,
        _delivery_day as delivery_day,
        _file_path as file_path,
        _row_number as file_row_number

    from deduplicated

),

final as (

    select
        campaign_id,
        campaign_name,
        brand,
        owner_team,
        owner_slack_channel,
        start_date,
        end_date,
        budget,
        reserve_budget,
        currency,
        target_roi,
        utm_campaign,
        utm_campaign_as_written,
        storyline,
        hashtag,
        target_audience,
        delivery_day,
        file_path,
        file_row_number,
        {{ list_where('planned_channels_listed', 'item in ' ~ channel_names_sql()) }}
        as planned_channels,
        {{ list_where('planned_channels_listed', 'item not in ' ~ channel_names_sql()) }}
        as other_planned_channels

    from renamed

)

select * from final
