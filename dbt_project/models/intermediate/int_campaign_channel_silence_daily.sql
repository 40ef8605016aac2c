{#-
    How long each planned channel of a campaign has been silent, per live day: the days since
    its last activity in the campaign, the night included (0 when it ran that day). A planned
    channel that has not run yet is silent from the campaign's start: a channel that never
    started is dark too. Days before the first activity the warehouse holds at all (before
    the pipeline was installed, say) are not counted: nothing is known about them.
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}

),

planned_channels as (

    select * from {{ ref('int_campaign_planned_channels') }}

),

channel_days as (

    select * from {{ ref('int_campaign_channel_days') }}
    where activities > 0

),

warehouse_first_day as (

    select min(channel_days.date_day) as first_day
    from channel_days

),

planned_channel_days as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day,
        campaign_days.start_date,
        planned_channels.channel,
        channel_days.activities is not null as is_active,
        greatest(
            campaign_days.start_date,
            coalesce(warehouse_first_day.first_day, campaign_days.start_date)
        ) as counted_from

    from campaign_days
    inner join planned_channels
        on campaign_days.campaign_id = planned_channels.campaign_id
    cross join warehouse_first_day
    left join channel_days
        on campaign_days.campaign_id = channel_days.campaign_id
        and planned_channels.channel = channel_days.channel
        and campaign_days.date_day = channel_days.date_day

),

last_activity as (

    select
        planned_channel_days.*,
        max(case when planned_channel_days.is_active then planned_channel_days.date_day end)
            over (
                partition by planned_channel_days.campaign_id, planned_channel_days.channel
                order by planned_channel_days.date_day
                rows between unbounded preceding and current row
            ) as last_active_date

    from planned_channel_days

),

final as (

    select
        campaign_id,
        date_day as as_of_date,
        channel,
        start_date,
        counted_from,
        last_active_date,
        case
            when date_day >= counted_from
                then coalesce(last_active_date + 1, counted_from)
        end as silent_since,
        -- before the first day counted nothing is known: no silence to judge
        case
            when date_day >= counted_from
                then cast(date_day - coalesce(last_active_date + 1, counted_from) + 1 as bigint)
        end as silent_days

    from last_activity

)

select * from final
