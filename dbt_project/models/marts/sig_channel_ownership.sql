{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P11: has every channel live in the last window_days (14 by default) an owner, and not one
    owner for all of them when overload_min_channels (4 by default) or more are live? Both are
    the catalogue's P11 parameters, per campaign (guard_param).
-#}
with

campaign_days as (

    -- each day with its campaign's P11 window_days: a column the window join bounds on
    {{ campaign_days_with_params('P11', ['window_days'], integer_names=['window_days']) }}

),

channel_days as (

    select * from {{ ref('int_campaign_channel_days') }}

),

channel_owners as (

    select
        owners.*,
        -- "Anna" and "anna" are the same person: one spelling per campaign, from the plan
        min(owners.owner) over (
            partition by owners.campaign_id, lower(owners.owner)
        ) as owner_name

    from {{ ref('stg_campaign_plan__channel_owners') }} as owners

),

window_channels as (

    -- channels with at least one activity in the window_days up to as_of_date
    select distinct
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        channel_days.channel

    from campaign_days
    inner join channel_days
        on campaign_days.campaign_id = channel_days.campaign_id
        and channel_days.date_day between campaign_days.date_day
        - campaign_days.window_days + 1
        and campaign_days.date_day

),

window_channel_owners as (

    select
        window_channels.*,
        channel_owners.owner,
        channel_owners.owner_name

    from window_channels
    left join channel_owners
        on window_channels.campaign_id = channel_owners.campaign_id
        and window_channels.channel = channel_owners.channel

),

window_totals as (

    select
        window_channel_owners.campaign_id,
        window_channel_owners.as_of_date,
        count(*) as active_channels,
        count(*) filter (where window_channel_owners.owner is null) as ownerless_active_channels,
        count(distinct window_channel_owners.owner_name) as owners,
        array_agg(
            {{ example_object('channel', [('channel', 'window_channel_owners.channel')]) }}
            order by array_position(array{{ channel_names() }}, window_channel_owners.channel)
        ) filter (where window_channel_owners.owner is null) as ownerless_channels,
        array_agg(
            distinct window_channel_owners.owner_name order by window_channel_owners.owner_name
        ) filter (where window_channel_owners.owner_name is not null) as owner_names

    from window_channel_owners
    group by
        window_channel_owners.campaign_id,
        window_channel_owners.as_of_date

),

final as (

    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        -- no channel active in the window: there is nothing to own yet
        window_totals.ownerless_active_channels,
        cast(
            case
                when window_totals.active_channels is null then null
                when window_totals.active_channels
                    >= {{ guard_param('P11', 'overload_min_channels', 'campaign_days.campaign_id') }}
                    and window_totals.owners = 1
                    then 1
                else 0
            end as bigint
        ) as single_owner_overload,
        coalesce(window_totals.active_channels, 0) as active_channels,
        coalesce(window_totals.owners, 0) as owners,
        {{ example_list('window_totals.ownerless_channels') }} as ownerless_examples,
        coalesce(array_to_string(window_totals.owner_names, ', '), '') as owner_names,
        -- the campaign's window, so the alert says which days it counted
        cast(
            {{ guard_param('P11', 'window_days', 'campaign_days.campaign_id', integer=true) }}
            as bigint
        ) as window_days

    from campaign_days
    left join window_totals
        on campaign_days.campaign_id = window_totals.campaign_id
        and campaign_days.date_day = window_totals.as_of_date

)

select * from final
