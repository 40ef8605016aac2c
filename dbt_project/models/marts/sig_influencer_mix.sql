{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#- P03: how concentrated is the campaign's creator money in nano and micro creators, to date? -#}
with

campaign_days as (

    select * from {{ ref('int_campaign_days') }}
    {{ restated_days('date_day') }}

),

influencer_posts as (

    select * from {{ ref('stg_influencer__posts') }}

),

daily_fees as (

    select
        influencer_posts.campaign_id,
        influencer_posts.post_date,
        sum(influencer_posts.fee) as fee,
        coalesce(sum(influencer_posts.fee) filter (
            where influencer_posts.tier in ('nano', 'micro')
        ), 0) as nano_micro_fee

    from influencer_posts
    group by
        influencer_posts.campaign_id,
        influencer_posts.post_date

),

creator_first_days as (

    select
        influencer_posts.campaign_id,
        influencer_posts.creator_id,
        min(influencer_posts.post_date) as first_post_date,
        min(influencer_posts.post_date) filter (
            where influencer_posts.tier in ('mid', 'macro', 'celebrity')
        ) as first_mid_plus_post_date

    from influencer_posts
    group by
        influencer_posts.campaign_id,
        influencer_posts.creator_id

),

fees_to_date as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        sum(daily_fees.fee) as influencer_spend,
        sum(daily_fees.nano_micro_fee) as nano_micro_spend

    from campaign_days
    inner join daily_fees
        on campaign_days.campaign_id = daily_fees.campaign_id
        and daily_fees.post_date <= campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

creators_to_date as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        count(*) as creators,
        count(*) filter (
            where creator_first_days.first_mid_plus_post_date <= campaign_days.date_day
        ) as mid_plus_creators

    from campaign_days
    inner join creator_first_days
        on campaign_days.campaign_id = creator_first_days.campaign_id
        and creator_first_days.first_post_date <= campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

final as (

    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        cast(coalesce(fees_to_date.influencer_spend, 0) as decimal(18, 4)) as influencer_spend,
        cast(
            case
                when fees_to_date.influencer_spend > 0
                    then fees_to_date.nano_micro_spend / fees_to_date.influencer_spend
            end as double precision
        ) as nano_micro_spend_share,
        coalesce(creators_to_date.creators, 0) as creators,
        coalesce(creators_to_date.mid_plus_creators, 0) as mid_plus_creators,
        cast(coalesce(fees_to_date.nano_micro_spend, 0) as decimal(18, 4)) as nano_micro_spend

    from campaign_days
    left join fees_to_date
        on campaign_days.campaign_id = fees_to_date.campaign_id
        and campaign_days.date_day = fees_to_date.as_of_date
    left join creators_to_date
        on campaign_days.campaign_id = creators_to_date.campaign_id
        and campaign_days.date_day = creators_to_date.as_of_date

)

select * from final
