{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#- P20: do partners promote the joint campaign in the same weeks and with the same message? -#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

partner_overlap as (

    select * from {{ ref('int_campaign_partner_calendar_overlap') }}

),

partners as (

    select * from {{ ref('stg_partners__partners') }}

),

promotions as (

    select * from {{ ref('stg_partners__promotions') }}

),

overlap_totals as (

    select
        partner_overlap.campaign_id,
        count(*) as partners,
        min(partner_overlap.calendar_overlap) as min_partner_overlap,
        -- ties: the first brand in alphabetical order
        {{ value_at_min(
            'partner_overlap.partner_brand',
            'partner_overlap.calendar_overlap, partner_overlap.partner_brand'
        ) }} as least_synced_partner

    from partner_overlap
    group by partner_overlap.campaign_id

),

promotion_messages as (

    -- every promotion counts here, our own brand's included
    select
        promotions.campaign_id,
        promotions.promotion_id,
        promotions.is_own_brand,
        -- our own brand's promotions name no partner
        case
            when not promotions.is_own_brand
                then coalesce(partners.partner_brand, promotions.partner_id)
        end as promoter,
        coalesce(
            strpos(lower(promotions.key_message), lower(campaigns.hashtag)) > 0, false
        ) as carries_hashtag

    from promotions
    inner join campaigns
        on promotions.campaign_id = campaigns.campaign_id
    left join partners
        on promotions.campaign_id = partners.campaign_id
        and lower(promotions.partner_id) = lower(partners.partner_id)

),

message_totals as (

    select
        promotion_messages.campaign_id,
        count(*) as promotions,
        count(*) filter (where not promotion_messages.carries_hashtag) as message_mismatches,
        array_agg(
            {{ example_object('unhashtagged_promotion', [
                ('promotion_id', 'promotion_messages.promotion_id'),
                ('partner', 'promotion_messages.promoter'),
                ('own_brand', 'coalesce(promotion_messages.is_own_brand, false)'),
            ]) }}
            order by promotion_messages.promotion_id
        ) filter (where not promotion_messages.carries_hashtag) as mismatch_labels

    from promotion_messages
    group by promotion_messages.campaign_id

),

final as (

    -- campaigns without a partner brand are not co-marketing campaigns
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        cast(overlap_totals.min_partner_overlap as double precision) as min_partner_overlap,
        case
            when overlap_totals.partners > 0
                then coalesce(message_totals.message_mismatches, 0)
        end as message_mismatches,
        coalesce(overlap_totals.partners, 0) as partners,
        coalesce(message_totals.promotions, 0) as promotions,
        coalesce(overlap_totals.least_synced_partner, '') as least_synced_partner,
        -- not a parameter: the alert names up to three promotions as examples
        {{ example_list(
            'case when overlap_totals.partners > 0 then message_totals.mismatch_labels[1:3] end'
        ) }} as mismatch_examples

    from campaign_days
    left join overlap_totals
        on campaign_days.campaign_id = overlap_totals.campaign_id
    left join message_totals
        on campaign_days.campaign_id = message_totals.campaign_id

)

select * from final
