{#-
    Every guard result with where it stands against the run before: did the campaign start
    failing tonight, keep failing, recover, or stay fine? Runs are compared with runs, not
    with days: a night that was never run is simply not there.
-#}
with

guard_results as (

    select * from {{ source('guards', 'guard_results') }}

),

severity_weights as (

    select * from {{ source('guards', 'severity_weights') }}

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
        lag(run_date) over runs as previous_run_date,
        lag(outcome) over runs as previous_outcome,
        lag(severity) over runs as previous_severity,
        lag(observed_value) over runs as previous_observed_value

    from guard_results
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
