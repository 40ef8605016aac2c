with

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

final as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.brand,
        campaigns.owner_team,
        campaigns.owner_slack_channel,
        campaigns.start_date,
        campaigns.end_date,
        cast(campaigns.end_date - campaigns.start_date + 1 as bigint) as planned_days,
        campaigns.budget,
        campaigns.reserve_budget,
        campaigns.currency,
        cast(campaigns.target_roi as double precision) as target_roi,
        campaigns.planned_channels,
        cast({{ list_size('campaigns.planned_channels') }} as bigint) as planned_channel_count,
        campaigns.other_planned_channels,
        campaigns.utm_campaign,
        campaigns.hashtag,
        campaigns.storyline,
        campaigns.target_audience,
        campaigns.delivery_day as plan_delivery_day

    from campaigns

)

select * from final
