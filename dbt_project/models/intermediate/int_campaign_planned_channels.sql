{#- One row per campaign and channel its plan activates (followed channels only). -#}
with

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

final as (

    select
        campaigns.campaign_id,
        unnest(campaigns.planned_channels) as channel

    from campaigns

)

select * from final
