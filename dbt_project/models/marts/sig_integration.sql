{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P09: the integration measure as the guard reads it, and how far it fell in the last
    drop_window_days (P09's parameter, 14 by default: a campaign that was integrated and came
    apart is caught before it drops below 0.5); with two
    signals judged on their own, whatever the channel overlap: is the activity tracked with
    the plan's spelling of the utm_campaign, does the activity that could carry a link carry
    one at all (int_campaign_tracking_daily), and has a planned channel gone dark
    (int_campaign_channel_silence_daily)?
-#}
with

integration as (

    select
        integration_daily.*,
        {{ guard_param('P09', 'drop_window_days', 'integration_daily.campaign_id', integer=true) }}
        as drop_window_days

    from {{ ref('fct_campaign_integration_daily') }} as integration_daily

),

tracking as (

    select * from {{ ref('int_campaign_tracking_daily') }}

),

silence as (

    select * from {{ ref('int_campaign_channel_silence_daily') }}

),

silence_totals as (

    select
        silence.campaign_id,
        silence.as_of_date,
        max(silence.silent_days) as silent_channel_days,
        array_agg(
            {{ example_object('silent_channel', [
                ('channel', 'silence.channel'),
                ('silent_since', 'cast(silence.silent_since as date)'),
                ('days', 'cast(silence.silent_days as bigint)'),
                ('never_ran', 'silence.last_active_date is null'),
            ]) }}
            order by silence.silent_days desc, silence.channel
        ) filter (where silence.silent_days > 0) as silent_labels

    from silence
    group by
        silence.campaign_id,
        silence.as_of_date

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
        -- no score drop_window_days earlier (the campaign had not started): nothing to compare
        case
            when two_weeks_earlier.integration_score is not null
                then greatest(
                    0.0,
                    two_weeks_earlier.integration_score - integration.integration_score
                )
        end as integration_drop_14d,
        cast(tracking.consistently_tracked_share as double precision)
        as consistently_tracked_share,
        tracking.planned_utm_spelling,
        tracking.utm_spellings,
        tracking.utm_spellings_found,
        tracking.variant_activities,
        tracking.other_utm_activities,
        tracking.untagged_activities,
        cast(tracking.link_untracked_share as double precision) as link_untracked_share,
        cast(tracking.link_untracked_share_unknown as double precision)
        as link_untracked_share_unknown,
        tracking.link_capable_activities,
        tracking.link_untracked_activities,
        tracking.no_link_activities,
        tracking.unknown_link_activities,
        tracking.untracked_links,
        tracking.unknown_link_platforms,
        cast(silence_totals.silent_channel_days as bigint) as silent_channel_days,
        {{ example_list('silence_totals.silent_labels') }} as silent_channels,
        -- the days the measure looked back (P09's window_days, fewer in the campaign's first
        -- days) and the days its fall is measured over, quoted by the alert
        cast(integration.window_days as bigint) as window_days,
        cast(integration.drop_window_days as bigint) as drop_window_days

    from integration
    left join integration as two_weeks_earlier
        on integration.campaign_id = two_weeks_earlier.campaign_id
        and two_weeks_earlier.as_of_date = integration.as_of_date - integration.drop_window_days
    left join tracking
        on integration.campaign_id = tracking.campaign_id
        and integration.as_of_date = tracking.as_of_date
    left join silence_totals
        on integration.campaign_id = silence_totals.campaign_id
        and integration.as_of_date = silence_totals.as_of_date
    {{ restated_days('integration.as_of_date') }}

)

select * from final
