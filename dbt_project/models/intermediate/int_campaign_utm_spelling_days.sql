{{ config(materialized='incremental', incremental_strategy='restate', unique_key='date_day') }}

{#-
    How each campaign's activity was tagged, per channel and day: one row per utm_campaign
    spelling found (as the link carries it; NULL for activity without one), with whether the
    spelling is the campaign's utm_campaign or a near variant of it. Analytics tools count
    "Spring-Sale-26" and "spring_sale_26" as two campaigns, so a near variant is tracked, but
    not consistently.

    A spelling matches the campaign when, after lower-casing and reading spaces, hyphens, dots,
    plus signs and underscores alike, it equals the plan's utm_campaign or is a small typo of
    it (at most max_typo_edits edits, 2 by default, and at most one per letters_per_typo_edit
    letters of the plan's value, 4 by default: the catalogue's P09 parameters, per campaign).
    Another campaign's utm_campaign is that campaign's, never a typo of this one.
-#}
with

activities as (

    select * from {{ ref('int_channel_activity_unioned') }}
    {{ restated_days('activity_date') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

spelling_days as (

    select
        activities.campaign_id,
        activities.channel,
        activities.activity_date as date_day,
        activities.utm_campaign_as_written as utm_spelling,
        count(*) as activities

    from activities
    group by
        activities.campaign_id,
        activities.channel,
        activities.activity_date,
        activities.utm_campaign_as_written

),

planned_spellings as (

    select distinct {{ utm_spelling('campaigns.utm_campaign') }} as normalised_utm
    from campaigns
    where campaigns.utm_campaign is not null

),

spellings as (

    select distinct
        spelling_days.campaign_id,
        spelling_days.utm_spelling,
        {{ utm_spelling('spelling_days.utm_spelling') }} as normalised_spelling

    from spelling_days
    where spelling_days.utm_spelling is not null

),

classified as (

    select
        spellings.campaign_id,
        spellings.utm_spelling,
        case
            when campaigns.utm_campaign is null then false
            when spellings.normalised_spelling = {{ utm_spelling('campaigns.utm_campaign') }}
                then true
            when other_campaigns.normalised_utm is not null then false
            else
                {{ edit_distance(
                    'spellings.normalised_spelling',
                    utm_spelling('campaigns.utm_campaign')
                ) }}
                <= {{ guard_param('P09', 'max_typo_edits', 'spellings.campaign_id') }}
                and {{ guard_param('P09', 'letters_per_typo_edit', 'spellings.campaign_id') }}
                * {{ edit_distance(
                    'spellings.normalised_spelling',
                    utm_spelling('campaigns.utm_campaign')
                ) }} <= length({{ utm_spelling('campaigns.utm_campaign') }})
        end as matches_campaign_utm

    from spellings
    inner join campaigns
        on spellings.campaign_id = campaigns.campaign_id
    left join planned_spellings as other_campaigns
        on spellings.normalised_spelling = other_campaigns.normalised_utm

),

final as (

    select
        spelling_days.campaign_id,
        spelling_days.channel,
        spelling_days.date_day,
        spelling_days.utm_spelling,
        coalesce(classified.matches_campaign_utm, false) as matches_campaign_utm,
        cast(spelling_days.activities as bigint) as activities

    from spelling_days
    left join classified
        on spelling_days.campaign_id = classified.campaign_id
        and spelling_days.utm_spelling = classified.utm_spelling

)

select * from final
