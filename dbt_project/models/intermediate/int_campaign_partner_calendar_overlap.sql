{#-
    How much of a co-marketing campaign's window each partner (our own brand left out)
    promotes it: days of start date..end date covered by at least one of the partner's
    promotions.
-#}
with

partners as (

    select * from {{ ref('stg_partners__partners') }}

),

promotions as (

    select * from {{ ref('stg_partners__promotions') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

campaign_partners as (

    select
        partners.campaign_id,
        partners.partner_id,
        partners.partner_brand,
        campaigns.start_date,
        campaigns.end_date,
        campaigns.end_date - campaigns.start_date + 1 as campaign_window_days

    from partners
    inner join campaigns
        on partners.campaign_id = campaigns.campaign_id
    where not partners.is_own_brand

),

window_days as (

    select distinct
        campaign_partners.campaign_id,
        cast(campaign_window.date_day as date) as date_day

    from campaign_partners
    cross join lateral generate_series(
        cast(campaign_partners.start_date as timestamp),
        cast(campaign_partners.end_date as timestamp),
        interval '1 day'
    ) as campaign_window(date_day)

),

covered_days as (

    select
        campaign_partners.campaign_id,
        campaign_partners.partner_id,
        count(distinct window_days.date_day) as covered_days

    from campaign_partners
    inner join window_days
        on campaign_partners.campaign_id = window_days.campaign_id
    inner join promotions
        on campaign_partners.campaign_id = promotions.campaign_id
        and lower(campaign_partners.partner_id) = lower(promotions.partner_id)
        and window_days.date_day between promotions.start_date and promotions.end_date
    group by campaign_partners.campaign_id, campaign_partners.partner_id

),

promotion_counts as (

    select
        campaign_partners.campaign_id,
        campaign_partners.partner_id,
        count(*) as promotions

    from campaign_partners
    inner join promotions
        on campaign_partners.campaign_id = promotions.campaign_id
        and lower(campaign_partners.partner_id) = lower(promotions.partner_id)
    group by campaign_partners.campaign_id, campaign_partners.partner_id

),

final as (

    select
        campaign_partners.campaign_id,
        campaign_partners.partner_id,
        campaign_partners.partner_brand,
        campaign_partners.campaign_window_days,
        coalesce(promotion_counts.promotions, 0) as promotions,
        coalesce(covered_days.covered_days, 0) as covered_days,
        cast(coalesce(covered_days.covered_days, 0) as double precision)
        / greatest(campaign_partners.campaign_window_days, 1) as calendar_overlap

    from campaign_partners
    left join covered_days
        on campaign_partners.campaign_id = covered_days.campaign_id
        and campaign_partners.partner_id = covered_days.partner_id
    left join promotion_counts
        on campaign_partners.campaign_id = promotion_counts.campaign_id
        and campaign_partners.partner_id = promotion_counts.partner_id

)

select * from final
