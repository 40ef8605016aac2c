{#-
    One health score per campaign and guard run, next to the two headline measures of that
    day. The worst thing wrong with the campaign tonight picks a band (a critical pitfall or a
    collapsed measure 0-49, a warning 50-79, only info 80-99, nothing failing 100), so a
    campaign never ranks above one with a milder problem; within its band, the share of what
    the guards could judge that passed places it, each guard weighted by the severity stored
    on its result (so overrides count). A guard that could not tell (cannot_tell: a word it
    depends on is unknown) judged nothing: like not_applicable, it is left out of the score.
    Formula and example: the campaign_health doc block.
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
        count(*) filter (where outcome = 'fail' and severity = 'warning') as warning_failed,
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

-- the worst thing wrong tonight picks the band: a measure below the floor (dbt var
-- health_collapsed_measure_below) has collapsed, whatever the guards' thresholds say
banded as (

    select
        per_campaign.*,
        integration.integration_score,
        kpi_coverage.kpi_coverage,
        case
            when per_campaign.critical_failed > 0
                or integration.integration_score < {{ var('health_collapsed_measure_below') }}
                or kpi_coverage.kpi_coverage < {{ var('health_collapsed_measure_below') }}
                then 0
            when per_campaign.warning_failed > 0 then 50
            when per_campaign.guards_failed > 0 then 80
            else 100
        end as band_floor,
        case
            when per_campaign.applicable_weight > 0
                then 1.0 * per_campaign.passed_weight / per_campaign.applicable_weight
            else 1.0
        end as passed_share

    from per_campaign
    left join integration
        on per_campaign.campaign_id = integration.campaign_id
        and per_campaign.run_date = integration.as_of_date
    left join kpi_coverage
        on per_campaign.campaign_id = kpi_coverage.campaign_id
        and per_campaign.run_date = kpi_coverage.as_of_date

),

final as (

    select
        run_date,
        campaign_id,
        -- the band's floor + its width (0-49, 50-79, 80-99) x the weighted share passed
        cast(
            case
                when band_floor = 100 then 100
                else {{ round_double(
                    'band_floor + (case band_floor when 0 then 49 when 50 then 29 else 19 end)'
                    ~ ' * passed_share'
                ) }}
            end as integer
        ) as health_score,
        cast(guards_applicable as bigint) as guards_applicable,
        cast(guards_passed as bigint) as guards_passed,
        cast(guards_failed as bigint) as guards_failed,
        cast(critical_failed as bigint) as critical_failed,
        cast(guards_entered as bigint) as guards_entered,
        cast(guards_recovered as bigint) as guards_recovered,
        cast(guards_not_applicable as bigint) as guards_not_applicable,
        cast(guards_cannot_tell as bigint) as guards_cannot_tell,
        cast(guards_error as bigint) as guards_error,
        failed_guards,
        cast(passed_weight as double precision) as passed_weight,
        cast(applicable_weight as double precision) as applicable_weight,
        integration_score,
        kpi_coverage

    from banded

)

select * from final
