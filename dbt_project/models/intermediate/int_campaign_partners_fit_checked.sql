{#-
    Each partner of a known co-marketing campaign (our own brand left out) judged against the
    positioning of the campaign's brand on three axes: price tier (misfit from P19's
    misfit_price_tier_steps apart, 2 by default, per campaign), target segments, values.
-#}
with

partners as (

    select * from {{ ref('stg_partners__partners') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

brand_positioning as (

    select * from {{ ref('stg_partners__brand_positioning') }}

),

campaign_partners as (

    select
        partners.campaign_id,
        partners.partner_id,
        partners.partner_brand,
        campaigns.brand,
        brand_positioning.brand is not null as has_positioning,
        partners.price_tier as partner_price_tier,
        brand_positioning.price_tier as our_price_tier,
        -- the price ladder: budget < mass < premium < luxury
        abs(
            array_position(array['budget', 'mass', 'premium', 'luxury'], partners.price_tier)
            - array_position(
                array['budget', 'mass', 'premium', 'luxury'], brand_positioning.price_tier
            )
        ) as price_tier_steps,
        {{ list_intersection(
            'partners.target_segments', 'brand_positioning.target_segments'
        ) }} as shared_target_segments,
        {{ list_intersection(
            'partners.brand_values', 'brand_positioning.conflicting_values'
        ) }} as conflicting_values_held

    from partners
    inner join campaigns
        on partners.campaign_id = campaigns.campaign_id
    left join brand_positioning
        on lower(campaigns.brand) = lower(brand_positioning.brand)
    where not partners.is_own_brand

),

checked as (

    select
        *,
        coalesce(
            price_tier_steps
            >= {{ guard_param('P19', 'misfit_price_tier_steps', 'campaign_partners.campaign_id') }},
            false
        ) as is_price_tier_misfit,
        {{ list_size('shared_target_segments') }} = 0 as has_no_shared_segment,
        {{ list_size('conflicting_values_held') }} > 0 as has_conflicting_value

    from campaign_partners

),

final as (

    select
        campaign_id,
        partner_id,
        partner_brand,
        brand,
        has_positioning,
        partner_price_tier,
        our_price_tier,
        price_tier_steps,
        shared_target_segments,
        conflicting_values_held,
        -- without our positioning there is nothing to judge the partner against
        case when has_positioning then is_price_tier_misfit end as is_price_tier_misfit,
        case when has_positioning then has_no_shared_segment end as has_no_shared_segment,
        case when has_positioning then has_conflicting_value end as has_conflicting_value,
        case
            when has_positioning
                then is_price_tier_misfit or has_no_shared_segment or has_conflicting_value
        end as is_misfit

    from checked

)

select * from final
