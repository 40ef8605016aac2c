{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    Running totals per campaign, channel and live day, one row per metric: what each channel
    had reported for the campaign by that day. A channel appears from its first activity on.
    The KPI coverage measure reads a KPI's `observed_by` column here by name.
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

channel_days as (

    select * from {{ ref('int_campaign_channel_days') }}

),

running_totals as (

    select
        channel_days.campaign_id,
        channel_days.channel,
        channel_days.date_day,
        {%- for metric in kpi_observable_metrics() %}
        sum(channel_days.{{ metric }}) over channel_history as {{ metric }},
        {%- endfor %}
        -- these totals hold until the channel's next active day
        lead(channel_days.date_day) over (
            partition by channel_days.campaign_id, channel_days.channel
            order by channel_days.date_day
        ) as next_date_day

    from channel_days
    window channel_history as (
        partition by channel_days.campaign_id, channel_days.channel
        order by channel_days.date_day
        rows between unbounded preceding and current row
    )

),

campaign_channels as (

    select distinct
        channel_days.campaign_id,
        channel_days.channel

    from channel_days

),

campaign_day_channels as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day,
        campaign_channels.channel

    from campaign_days
    inner join campaign_channels
        on campaign_days.campaign_id = campaign_channels.campaign_id

),

to_date as (

    select
        campaign_day_channels.campaign_id,
        campaign_day_channels.date_day as as_of_date,
        campaign_day_channels.channel,
        {%- for metric in kpi_observable_metrics() %}
        cast(running_totals.{{ metric }} as double precision) as {{ metric }}
        {{- ',' if not loop.last }}
        {%- endfor %}

    from campaign_day_channels
    inner join running_totals
        on campaign_day_channels.campaign_id = running_totals.campaign_id
        and campaign_day_channels.channel = running_totals.channel
        and campaign_day_channels.date_day >= running_totals.date_day
        and (
            campaign_day_channels.date_day < running_totals.next_date_day
            or running_totals.next_date_day is null
        )

),

final as (

    -- one row per metric; a metric no activity reported stays out
    select
        to_date.campaign_id,
        to_date.as_of_date,
        to_date.channel,
        metrics.metric_column,
        metrics.metric_value_to_date

    from to_date
    cross join lateral (
        values
        {%- for metric in kpi_observable_metrics() %}
            ('{{ metric }}', to_date.{{ metric }}){{ ',' if not loop.last }}
        {%- endfor %}
    ) as metrics(metric_column, metric_value_to_date)
    where metrics.metric_value_to_date is not null

)

select * from final
