{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#- P22: has every co-marketing partner signed terms with success metrics and exit conditions? -#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

partners as (

    select * from {{ ref('stg_partners__partners') }}

),

partner_terms as (

    select
        partners.campaign_id,
        partners.partner_brand,
        not partners.contract_signed as has_no_contract,
        partners.success_metrics is null as has_no_success_metrics,
        partners.exit_conditions is null as has_no_exit_conditions

    from partners
    inner join campaigns
        on partners.campaign_id = campaigns.campaign_id
    where not partners.is_own_brand

),

campaign_totals as (

    select
        partner_terms.campaign_id,
        count(*) as partners,
        count(*) filter (
            where partner_terms.has_no_contract
            or partner_terms.has_no_success_metrics
            or partner_terms.has_no_exit_conditions
        ) as partners_missing_terms,
        count(*) filter (where partner_terms.has_no_contract) as unsigned_contracts,
        count(*) filter (where partner_terms.has_no_success_metrics) as missing_success_metrics,
        count(*) filter (where partner_terms.has_no_exit_conditions) as missing_exit_conditions,
        array_agg(
            {{ example_object('missing_terms', [
                ('partner', 'partner_terms.partner_brand'),
                ('no_contract', 'partner_terms.has_no_contract'),
                ('no_success_metrics', 'partner_terms.has_no_success_metrics'),
                ('no_exit_conditions', 'partner_terms.has_no_exit_conditions'),
            ]) }}
            order by partner_terms.partner_brand
        ) filter (
            where partner_terms.has_no_contract
            or partner_terms.has_no_success_metrics
            or partner_terms.has_no_exit_conditions
        ) as missing_terms_labels

    from partner_terms
    group by partner_terms.campaign_id

),

final as (

    -- campaigns without a partner brand have no terms to agree
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        campaign_totals.partners_missing_terms,
        coalesce(campaign_totals.partners, 0) as partners,
        -- not a parameter: the alert names up to three partners as examples
        {{ example_list('campaign_totals.missing_terms_labels[1:3]') }} as missing_terms_examples,
        coalesce(campaign_totals.unsigned_contracts, 0) as unsigned_contracts,
        coalesce(campaign_totals.missing_success_metrics, 0) as missing_success_metrics,
        coalesce(campaign_totals.missing_exit_conditions, 0) as missing_exit_conditions

    from campaign_days
    left join campaign_totals
        on campaign_days.campaign_id = campaign_totals.campaign_id

)

select * from final
