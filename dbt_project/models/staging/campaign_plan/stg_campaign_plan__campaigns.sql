with

source as (

    select * from {{ source('campaign_plan', 'campaigns') }}

),

latest_delivery as (

    select * from source
    where _delivery_day = (select max(_delivery_day) from source)

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
        list_sort(list_distinct(
            [lower(trim(channel)) for channel in string_split(planned_channels, '|')
                if trim(channel) <> '']
        )) as planned_channels_listed,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        nullif(trim(storyline), '') as storyline,
        nullif(trim(hashtag), '') as hashtag,
        nullif(trim(target_audience), '') as target_audience,
        _delivery_day as delivery_day,
        _file_path as file_path,
        _row_number as file_row_number,

    from latest_delivery
    -- a campaign listed twice in one delivery: the last row written wins
    qualify row_number() over (
        partition by trim(campaign_id)
        order by _file_path desc, _row_number desc
    ) = 1

),

final as (

    select
        * exclude (planned_channels_listed),
        list_filter(
            planned_channels_listed,
            lambda channel: channel in {{ channel_names_sql() }}
        ) as planned_channels,
        list_filter(
            planned_channels_listed,
            lambda channel: channel not in {{ channel_names_sql() }}
        ) as other_planned_channels,

    from renamed

)

select * from final
