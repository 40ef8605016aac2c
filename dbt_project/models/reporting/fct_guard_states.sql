{#-
    Every guard result with where it stands against the run before: did the campaign start
    failing tonight, keep failing, recover, or stay fine? Runs are compared with runs, not
    with days: a night that was never run is simply not there.

    A cannot_tell night (the guard depended on a word no vocabulary knows) was not judged:
    its state is cannot_tell, never recovered, and it is skipped when the nights around it
    are compared, so fail, cannot_tell, fail is one failing streak and fail, cannot_tell,
    pass recovers on the pass night. The previous_* columns describe the run before that
    judged the campaign.
-#}
with

guard_results as (

    select * from {{ source('guards', 'guard_results') }}

),

severity_weights as (

    select * from {{ source('guards', 'severity_weights') }}

),

judged_runs as (

    -- numbers the runs that judged the campaign; a cannot_tell run shares the number of the
    -- judged run before it
    select
        guard_results.*,
        count(*) filter (where outcome <> 'cannot_tell') over (
            partition by guard_id, campaign_id
            order by run_date
            rows between unbounded preceding and current row
        ) as judged_number

    from guard_results

),

last_judged as (

    -- the latest judged run at or before each run (empty before the first one)
    select
        judged_runs.*,
        case when judged_number > 0 then first_value(run_date) over judged_group end
        as judged_run_date,
        case when judged_number > 0 then first_value(outcome) over judged_group end
        as judged_outcome,
        case when judged_number > 0 then first_value(severity) over judged_group end
        as judged_severity,
        case when judged_number > 0 then first_value(observed_value) over judged_group end
        as judged_observed_value

    from judged_runs
    window judged_group as (
        partition by guard_id, campaign_id, judged_number
        order by run_date
        rows between unbounded preceding and current row
    )

),

with_previous as (

    select
        run_date,
        guard_id,
        campaign_id,
        outcome,
        severity,
        observed_value,
        threshold,
        must_be,
        summary,
        run_id,
        lag(judged_run_date) over runs as previous_run_date,
        lag(judged_outcome) over runs as previous_outcome,
        lag(judged_severity) over runs as previous_severity,
        lag(judged_observed_value) over runs as previous_observed_value

    from last_judged
    window runs as (partition by guard_id, campaign_id order by run_date)

),

with_state as (

    select
        *,
        case
            when outcome = 'fail' and previous_outcome is distinct from 'fail' then 'entered'
            when outcome = 'fail' then 'persisting'
            when outcome in ('pass', 'not_applicable') and previous_outcome = 'fail'
                then 'recovered'
            when outcome = 'pass' then 'ok'
            when outcome = 'not_applicable' then 'not_applicable'
            when outcome = 'cannot_tell' then 'cannot_tell'
            else 'error'
        end as state,
        -- numbers the failing streaks of a guard and campaign: each entry starts a new one
        sum(
            case when outcome = 'fail' and previous_outcome is distinct from 'fail' then 1 else 0 end
        ) over (
            partition by guard_id, campaign_id
            order by run_date
            rows between unbounded preceding and current row
        ) as streak_number

    from with_previous

),

with_streak as (

    select
        *,
        case when outcome = 'fail' then
            min(run_date) over (partition by guard_id, campaign_id, streak_number)
        end as failing_since,
        case when outcome = 'fail' then
            cast(count(*) filter (where outcome = 'fail') over (
                partition by guard_id, campaign_id, streak_number
                order by run_date
                rows between unbounded preceding and current row
            ) as bigint)
        else 0 end as nights_failing

    from with_state

),

final as (

    select
        with_streak.run_date,
        with_streak.guard_id,
        with_streak.campaign_id,
        with_streak.outcome,
        with_streak.state,
        with_streak.previous_run_date,
        with_streak.previous_outcome,
        with_streak.failing_since,
        with_streak.nights_failing,
        with_streak.severity,
        with_streak.previous_severity,
        cast(severity_weights.weight as double precision) as severity_weight,
        with_streak.observed_value,
        with_streak.previous_observed_value,
        with_streak.threshold,
        with_streak.must_be,
        with_streak.summary,
        with_streak.run_id

    from with_streak
    left join severity_weights
        on with_streak.severity = severity_weights.severity

)

select * from final
