{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P04: are creators managed? Deliverables past their due date in the last window_days (P04's
    parameter, 28 by default), how long
    creator drafts waited for feedback, and content that went live without a brief.

    A deliverable is late on a night when its due date has passed, with the grace of the var
    deliverable_grace_days (1: going live the day after is a slip, not a late deliverable), and
    it was not live by then: no delivered or post date, a post date after that (scheduled
    late), or a status saying it is not published (pending, scheduled, draft, in review, or a
    status nobody knows). Cancelled deliverables are neither late nor counted.
-#}
{%- set grace = var('deliverable_grace_days', 1) | int %}
with

campaign_days as (

    select
        int_campaign_days.*,
        -- the first day of the window_days (P04's parameter) up to the night
        int_campaign_days.date_day
        - {{ guard_param('P04', 'window_days', 'int_campaign_days.campaign_id', integer=true) }}
        + 1 as window_start

    from {{ ref('int_campaign_days') }} as int_campaign_days
    {{ restated_days('int_campaign_days.date_day') }}

),

deliverables as (

    select * from {{ ref('int_influencer_deliverables') }}
    where not is_cancelled

),

workflow_reports as (

    select * from {{ ref('stg_influencer__creator_workflow') }}

),

workflow_states as (

    -- each report tells where the deliverable stood until the next report
    select
        workflow_reports.*,
        lead(workflow_reports.report_date) over (
            partition by
                workflow_reports.campaign_id,
                workflow_reports.creator_id,
                workflow_reports.post_id
            order by workflow_reports.report_date
        ) as next_report_date

    from workflow_reports

),

window_deliverables as (

    -- a deliverable counts on a night when it was due, reported or went live in the window
    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        deliverables.creator_handle,
        deliverables.post_id,
        deliverables.post_status,
        deliverables.deliverable_due_date,
        deliverables.deliverable_due_date between campaign_days.window_start
        and campaign_days.date_day - {{ 1 + grace }}
        and (
            deliverables.live_date is null
            or deliverables.live_date > deliverables.deliverable_due_date + {{ grace }}
        ) as is_late

    from campaign_days
    inner join deliverables
        on campaign_days.campaign_id = deliverables.campaign_id
        and (
            deliverables.deliverable_due_date between campaign_days.window_start
            and campaign_days.date_day
            or deliverables.post_date between campaign_days.window_start
            and campaign_days.date_day
            or deliverables.live_date between campaign_days.window_start
            and campaign_days.date_day
        )

),

window_workflow as (

    -- the latest report on or before the night, when it concerns the window
    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        case
            when workflow_states.draft_submitted_date between campaign_days.window_start
                and campaign_days.date_day
                then coalesce(workflow_states.feedback_date, campaign_days.date_day)
                - workflow_states.draft_submitted_date
        end as feedback_days,
        coalesce(
            workflow_states.went_live_date between campaign_days.window_start
            and campaign_days.date_day
            and (
                workflow_states.brief_sent_date is null
                or workflow_states.brief_sent_date > workflow_states.went_live_date
            ),
            false
        ) as is_missing_brief

    from campaign_days
    inner join workflow_states
        on campaign_days.campaign_id = workflow_states.campaign_id
        and workflow_states.report_date <= campaign_days.date_day
        and (
            workflow_states.next_report_date is null
            or workflow_states.next_report_date > campaign_days.date_day
        )
        and (
            workflow_states.report_date >= campaign_days.window_start
            or workflow_states.draft_submitted_date >= campaign_days.window_start
            or workflow_states.went_live_date >= campaign_days.window_start
        )

),

deliverable_totals as (

    select
        window_deliverables.campaign_id,
        window_deliverables.as_of_date,
        count(*) as deliverables_28d,
        count(*) filter (where window_deliverables.is_late) as late_deliverables,
        array_agg(
            {{ example_object('late_deliverable', [
                ('handle', 'window_deliverables.creator_handle'),
                ('post_id', 'window_deliverables.post_id'),
                ('due', 'cast(window_deliverables.deliverable_due_date as date)'),
                ('status', 'window_deliverables.post_status'),
            ]) }}
            order by window_deliverables.deliverable_due_date, window_deliverables.creator_handle,
            window_deliverables.post_id
        ) filter (where window_deliverables.is_late) as late_labels

    from window_deliverables
    group by
        window_deliverables.campaign_id,
        window_deliverables.as_of_date

),

workflow_totals as (

    select
        window_workflow.campaign_id,
        window_workflow.as_of_date,
        count(*) as workflow_deliverables_28d,
        max(window_workflow.feedback_days) as max_feedback_days,
        count(*) filter (where window_workflow.is_missing_brief) as missing_briefs

    from window_workflow
    group by
        window_workflow.campaign_id,
        window_workflow.as_of_date

),

final as (

    -- neither a deliverable nor a workflow report in the window: nothing to judge
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        case
            when deliverable_totals.deliverables_28d > 0
                or workflow_totals.workflow_deliverables_28d > 0
                then coalesce(deliverable_totals.late_deliverables, 0)
        end as late_deliverables,
        cast(workflow_totals.max_feedback_days as bigint) as max_feedback_days,
        case
            when deliverable_totals.deliverables_28d > 0
                or workflow_totals.workflow_deliverables_28d > 0
                then coalesce(workflow_totals.missing_briefs, 0)
        end as missing_briefs,
        coalesce(deliverable_totals.deliverables_28d, 0) as deliverables_28d,
        coalesce(workflow_totals.workflow_deliverables_28d, 0) as workflow_deliverables_28d,
        {{ example_list('deliverable_totals.late_labels[1:3]') }} as late_examples,
        -- the campaign's window, quoted by the alert ("in the last 14 days" when tuned)
        cast(
            {{ guard_param('P04', 'window_days', 'campaign_days.campaign_id', integer=true) }}
            as bigint
        ) as window_days

    from campaign_days
    left join deliverable_totals
        on campaign_days.campaign_id = deliverable_totals.campaign_id
        and campaign_days.date_day = deliverable_totals.as_of_date
    left join workflow_totals
        on campaign_days.campaign_id = workflow_totals.campaign_id
        and campaign_days.date_day = workflow_totals.as_of_date

)

select * from final
