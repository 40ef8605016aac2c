{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    The KPI coverage measure per campaign and live day, campaign to date.
    Formulas and weights: _marts__docs.md.
-#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

kpis as (

    select * from {{ ref('int_kpis_classified') }}

),

channel_metrics as (

    select * from {{ ref('int_campaign_channel_metrics_to_date') }}

),

kpi_counts as (

    select
        kpis.campaign_id,
        count(*) as declared_kpis,
        count(*) filter (where kpis.has_target_and_due_date) as kpis_with_target,
        count(*) filter (where kpis.is_outcome) as outcome_kpis

    from kpis
    group by kpis.campaign_id

),

kpi_days as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        campaign_days.start_date,
        kpis.kpi_id,
        kpis.observed_by,
        kpis.is_outcome,
        kpis.has_target_and_due_date,
        kpis.target_value,
        kpis.due_date

    from campaign_days
    inner join kpis
        on campaign_days.campaign_id = kpis.campaign_id

),

kpi_actuals as (

    select
        kpi_days.campaign_id,
        kpi_days.as_of_date,
        kpi_days.start_date,
        kpi_days.kpi_id,
        kpi_days.observed_by,
        kpi_days.is_outcome,
        kpi_days.has_target_and_due_date,
        kpi_days.target_value,
        kpi_days.due_date,
        coalesce(sum(channel_metrics.metric_value_to_date), 0) as actual_to_date

    from kpi_days
    left join channel_metrics
        on kpi_days.campaign_id = channel_metrics.campaign_id
        and kpi_days.as_of_date = channel_metrics.as_of_date
        and kpi_days.observed_by = channel_metrics.metric_column
    group by
        kpi_days.campaign_id,
        kpi_days.as_of_date,
        kpi_days.start_date,
        kpi_days.kpi_id,
        kpi_days.observed_by,
        kpi_days.is_outcome,
        kpi_days.has_target_and_due_date,
        kpi_days.target_value,
        kpi_days.due_date

),

kpi_elapsed as (

    select
        kpi_actuals.*,
        -- share of the way from the start to the due date, counted in days
        least(1.0, greatest(0.01,
            cast(kpi_actuals.as_of_date - kpi_actuals.start_date + 1 as double precision)
            / greatest(kpi_actuals.due_date - kpi_actuals.start_date + 1, 1)
        )) as elapsed_share

    from kpi_actuals

),

kpi_pacing as (

    select
        kpi_elapsed.*,
        case
            when not (kpi_elapsed.is_outcome and kpi_elapsed.has_target_and_due_date) then null
            -- a target of zero is met from the first day
            when kpi_elapsed.target_value = 0 then 1.0
            else least(
                1.0,
                kpi_elapsed.actual_to_date
                / (kpi_elapsed.target_value * kpi_elapsed.elapsed_share)
            )
        end as pace

    from kpi_elapsed

),

kpi_day_totals as (

    select
        kpi_pacing.campaign_id,
        kpi_pacing.as_of_date,
        count(*) filter (where kpi_pacing.actual_to_date > 0) as observed_kpis,
        count(kpi_pacing.pace) as paced_kpis,
        avg(kpi_pacing.pace) as mean_pace

    from kpi_pacing
    group by
        kpi_pacing.campaign_id,
        kpi_pacing.as_of_date

),

channel_feeds as (

    select
        channel_metrics.campaign_id,
        channel_metrics.as_of_date,
        channel_metrics.channel,
        bool_or(
            channel_metrics.metric_column = 'activities'
            and channel_metrics.metric_value_to_date > 0
        ) as is_active,
        bool_or(
            kpis.kpi_id is not null and channel_metrics.metric_value_to_date > 0
        ) as is_feeding_kpi

    from channel_metrics
    left join kpis
        on channel_metrics.campaign_id = kpis.campaign_id
        and channel_metrics.metric_column = kpis.observed_by
    group by
        channel_metrics.campaign_id,
        channel_metrics.as_of_date,
        channel_metrics.channel

),

channel_feed_totals as (

    select
        channel_feeds.campaign_id,
        channel_feeds.as_of_date,
        count(*) filter (where channel_feeds.is_active) as active_channels,
        count(*) filter (
            where channel_feeds.is_active and channel_feeds.is_feeding_kpi
        ) as kpi_feeding_channels

    from channel_feeds
    group by
        channel_feeds.campaign_id,
        channel_feeds.as_of_date

),

counts as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        coalesce(kpi_counts.declared_kpis, 0) as declared_kpis,
        coalesce(kpi_counts.kpis_with_target, 0) as kpis_with_target,
        coalesce(kpi_counts.outcome_kpis, 0) as outcome_kpis,
        coalesce(kpi_day_totals.observed_kpis, 0) as observed_kpis,
        coalesce(channel_feed_totals.active_channels, 0) as active_channels,
        coalesce(channel_feed_totals.kpi_feeding_channels, 0) as kpi_feeding_channels,
        coalesce(kpi_day_totals.paced_kpis, 0) as paced_outcome_kpis,
        kpi_day_totals.mean_pace

    from campaign_days
    left join kpi_counts
        on campaign_days.campaign_id = kpi_counts.campaign_id
    left join kpi_day_totals
        on campaign_days.campaign_id = kpi_day_totals.campaign_id
        and campaign_days.date_day = kpi_day_totals.as_of_date
    left join channel_feed_totals
        on campaign_days.campaign_id = channel_feed_totals.campaign_id
        and campaign_days.date_day = channel_feed_totals.as_of_date

),

components as (

    select
        *,
        case
            when declared_kpis > 0 then cast(kpis_with_target as double precision) / declared_kpis
            else 0.0
        end as declared_share,
        case
            when declared_kpis > 0 then cast(outcome_kpis as double precision) / declared_kpis
            else 0.0
        end as outcome_share,
        case
            when declared_kpis > 0 then cast(observed_kpis as double precision) / declared_kpis
            else 0.0
        end as observed_share,
        case
            when active_channels > 0 then cast(kpi_feeding_channels as double precision) / active_channels
            else 0.0
        end as channel_feed_share,
        coalesce(mean_pace, 0.0) as pacing

    from counts

),

final as (

    select
        campaign_id,
        as_of_date,
        declared_kpis,
        kpis_with_target,
        outcome_kpis,
        observed_kpis,
        active_channels,
        kpi_feeding_channels,
        paced_outcome_kpis,
        cast(declared_share as double precision) as declared_share,
        cast(outcome_share as double precision) as outcome_share,
        cast(observed_share as double precision) as observed_share,
        cast(channel_feed_share as double precision) as channel_feed_share,
        cast(pacing as double precision) as pacing,
        cast(
            {{ measure_weight('kpi_coverage', 'declared_share') }} * declared_share
            + {{ measure_weight('kpi_coverage', 'outcome_share') }} * outcome_share
            + {{ measure_weight('kpi_coverage', 'observed_share') }} * observed_share
            + {{ measure_weight('kpi_coverage', 'channel_feed_share') }} * channel_feed_share
            + {{ measure_weight('kpi_coverage', 'pacing') }} * pacing
            as double precision
        ) as kpi_coverage

    from components

)

select * from final
