{#-
    P09: the integration measure as the guard reads it, and how far it fell in two weeks (a
    campaign that was integrated and came apart is caught before it drops below 0.5).
-#}
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
        -- no score 14 days earlier (the campaign had not started): nothing to compare with
        case
            when two_weeks_earlier.integration_score is not null
                then greatest(
                    0.0,
                    two_weeks_earlier.integration_score - integration.integration_score
                )
        end as integration_drop_14d

    from integration
    left join integration as two_weeks_earlier
        on integration.campaign_id = two_weeks_earlier.campaign_id
        and two_weeks_earlier.as_of_date = integration.as_of_date - 14

)

select * from final
