{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#- P19: do the co-marketing partners fit our brand's price tier, audience and values? -#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

partner_checks as (

    select * from {{ ref('int_campaign_partners_fit_checked') }}

),

campaign_totals as (

    select
        partner_checks.campaign_id,
        count(*) as partners,
        bool_and(partner_checks.has_positioning) as has_positioning,
        count(*) filter (where partner_checks.is_misfit) as misfit_partners,
        count(*) filter (where partner_checks.is_price_tier_misfit) as price_tier_misfits,
        count(*) filter (where partner_checks.has_no_shared_segment) as segment_misfits,
        count(*) filter (where partner_checks.has_conflicting_value) as value_conflicts,
        array_agg(
            {{ example_object('misfit_partner', [
                ('partner', 'partner_checks.partner_brand'),
                ('partner_price_tier', 'case when partner_checks.is_price_tier_misfit'
                    ' then partner_checks.partner_price_tier end'),
                ('our_price_tier', 'case when partner_checks.is_price_tier_misfit'
                    ' then partner_checks.our_price_tier end'),
                ('no_shared_segment', 'partner_checks.has_no_shared_segment'),
                ('conflicting_values', 'case when partner_checks.has_conflicting_value'
                    ' then partner_checks.conflicting_values_held end'),
            ]) }}
            order by partner_checks.partner_brand
        ) filter (where partner_checks.is_misfit) as misfit_labels

    from partner_checks
    group by partner_checks.campaign_id

),

final as (

    -- no partner, or no positioning of our brand to judge partners against: not applicable
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        case
            when campaign_totals.has_positioning then campaign_totals.misfit_partners
        end as misfit_partners,
        coalesce(campaign_totals.partners, 0) as partners,
        -- not a parameter: the alert names up to three partners as examples
        {{ example_list('campaign_totals.misfit_labels[1:3]') }} as misfit_examples,
        case
            when campaign_totals.has_positioning then campaign_totals.price_tier_misfits
        end as price_tier_misfits,
        case
            when campaign_totals.has_positioning then campaign_totals.segment_misfits
        end as segment_misfits,
        case
            when campaign_totals.has_positioning then campaign_totals.value_conflicts
        end as value_conflicts

    from campaign_days
    left join campaign_totals
        on campaign_days.campaign_id = campaign_totals.campaign_id

)

select * from final
