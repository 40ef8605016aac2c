{#- P09: the integration measure as the guard reads it. -#}
with

integration as (

    select * from {{ ref('fct_campaign_integration_daily') }}

),

final as (

    select
        integration.as_of_date,
        integration.campaign_id,
        integration.integration_score,
        integration.channel_activation,
        integration.active_channels,
        integration.planned_channels,
        integration.multi_channel_day_share,
        integration.tracked_share,
        integration.message_consistency,

    from integration

)

select * from final
