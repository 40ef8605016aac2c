{#-
    One health score per campaign and guard run: the share of what the guards could judge
    that passed, each guard weighted by the severity stored on its result (so overrides
    count), next to the two headline measures of that day. A guard that could not tell
    (cannot_tell: a word it depends on is unknown) judged nothing: like not_applicable, it is
    left out of the score.
-#}
with

guard_states as (

    select * from {{ ref('fct_guard_states') }}

),

integration as (

    select * from {{ ref('fct_campaign_integration_daily') }}

),

kpi_coverage as (

    select * from {{ ref('fct_campaign_kpi_coverage_daily') }}

),

-- rows of a guard that could not run at all name no campaign
campaign_results as (

    select * from guard_states
    where campaign_id != '*'

),

per_campaign as (

    select
        run_date,
        campaign_id,
        count(*) filter (where outcome in ('pass', 'fail')) as guards_applicable,
        count(*) filter (where outcome = 'pass') as guards_passed,
        count(*) filter (where outcome = 'fail') as guards_failed,
        count(*) filter (where outcome = 'fail' and severity = 'critical') as critical_failed,
        count(*) filter (where state = 'entered') as guards_entered,
        count(*) filter (where state = 'recovered') as guards_recovered,
        count(*) filter (where outcome = 'not_applicable') as guards_not_applicable,
        count(*) filter (where outcome = 'cannot_tell') as guards_cannot_tell,
        count(*) filter (where outcome = 'error') as guards_error,
        coalesce(sum(severity_weight) filter (where outcome = 'pass'), 0) as passed_weight,
        coalesce(sum(severity_weight) filter (where outcome in ('pass', 'fail')), 0)
            as applicable_weight,
        coalesce(
            array_agg(guard_id order by guard_id) filter (where outcome = 'fail'),
            cast(array[] as varchar[])
        ) as failed_guards

    from campaign_results
    group by run_date, campaign_id

),

final as (

    select
        per_campaign.run_date,
        per_campaign.campaign_id,
        cast(
            case
                when per_campaign.applicable_weight > 0
                    then {{ round_double(
                        '100 * per_campaign.passed_weight / per_campaign.applicable_weight'
                    ) }}
                else 100
            end as integer
        ) as health_score,
        cast(per_campaign.guards_applicable as bigint) as guards_applicable,
        cast(per_campaign.guards_passed as bigint) as guards_passed,
        cast(per_campaign.guards_failed as bigint) as guards_failed,
        cast(per_campaign.critical_failed as bigint) as critical_failed,
        cast(per_campaign.guards_entered as bigint) as guards_entered,
        cast(per_campaign.guards_recovered as bigint) as guards_recovered,
        cast(per_campaign.guards_not_applicable as bigint) as guards_not_applicable,
        cast(per_campaign.guards_cannot_tell as bigint) as guards_cannot_tell,
        cast(per_campaign.guards_error as bigint) as guards_error,
        per_campaign.failed_guards,
        cast(per_campaign.passed_weight as double precision) as passed_weight,
        cast(per_campaign.applicable_weight as double precision) as applicable_weight,
        integration.integration_score,
        kpi_coverage.kpi_coverage

    from per_campaign
    left join integration
        on per_campaign.campaign_id = integration.campaign_id
        and per_campaign.run_date = integration.as_of_date
    left join kpi_coverage
        on per_campaign.campaign_id = kpi_coverage.campaign_id
        and per_campaign.run_date = kpi_coverage.as_of_date

)

select * from final
