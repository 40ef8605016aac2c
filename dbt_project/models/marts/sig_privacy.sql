{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P13: consent breaches and raw personal data in exports over the last window_days (7 by
    default; the catalogue's P13 parameter, per campaign).
-#}
with

campaign_days as (

    -- each day with its campaign's P13 window_days: a column the window join bounds on
    {{ campaign_days_with_params('P13', ['window_days'], integer_names=['window_days']) }}

),

consent_days as (

    select * from {{ ref('int_campaign_consent_days') }}

),

pii_findings as (

    select * from {{ ref('stg_ops__pii_findings') }}

),

window_consent as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        cast(sum(consent_days.recipients) as bigint) as recipients,
        cast(sum(consent_days.sent_without_consent) as bigint) as sends_without_consent,
        cast(sum(consent_days.sent_after_opt_out) as bigint) as sends_after_opt_out

    from campaign_days
    inner join consent_days
        on campaign_days.campaign_id = consent_days.campaign_id
        and consent_days.sent_date between campaign_days.date_day
        - campaign_days.window_days + 1
        and campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

window_findings as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        count(*) as raw_personal_data_found

    from campaign_days
    inner join pii_findings
        on campaign_days.campaign_id = pii_findings.campaign_id
        and pii_findings.data_day between campaign_days.date_day
        - campaign_days.window_days + 1
        and campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

counts as (

    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        coalesce(window_consent.recipients, 0) as recipients,
        coalesce(window_consent.sends_without_consent, 0) as sends_without_consent,
        coalesce(window_consent.sends_after_opt_out, 0) as sends_after_opt_out,
        coalesce(window_findings.raw_personal_data_found, 0) as raw_personal_data_found

    from campaign_days
    left join window_consent
        on campaign_days.campaign_id = window_consent.campaign_id
        and campaign_days.date_day = window_consent.as_of_date
    left join window_findings
        on campaign_days.campaign_id = window_findings.campaign_id
        and campaign_days.date_day = window_findings.as_of_date

),

final as (

    select
        as_of_date,
        campaign_id,
        sends_without_consent,
        sends_after_opt_out,
        raw_personal_data_found,
        sends_without_consent + sends_after_opt_out + raw_personal_data_found
        as privacy_violations,
        recipients,
        -- the campaign's window, so the alert says which days it counted
        cast(
            {{ guard_param('P13', 'window_days', 'counts.campaign_id', integer=true) }}
            as bigint
        ) as window_days

    from counts

)

select * from final
