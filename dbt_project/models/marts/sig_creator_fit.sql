{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P01: do the creators posting for the campaign in the last window_days (28 by default) reach
    its target audience, and is any of them flagged for brand safety? Both numbers are the
    catalogue's P01 parameters, per campaign (guard_param).
-#}
with

campaign_days as (

    -- each day with its campaign's P01 window_days: a column the window join bounds on
    {{ campaign_days_with_params('P01', ['window_days'], integer_names=['window_days']) }}

),

influencer_posts as (

    select * from {{ ref('stg_influencer__posts') }}

),

creator_overlap as (

    select * from {{ ref('int_campaign_creator_audience_overlap') }}

),

window_creators as (

    select distinct
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        influencer_posts.creator_id

    from campaign_days
    inner join influencer_posts
        on campaign_days.campaign_id = influencer_posts.campaign_id
        and influencer_posts.post_date between campaign_days.date_day
        - campaign_days.window_days + 1
        and campaign_days.date_day

),

judged_creators as (

    select
        window_creators.campaign_id,
        window_creators.as_of_date,
        window_creators.creator_id,
        creator_overlap.creator_handle,
        creator_overlap.audience_overlap,
        creator_overlap.brand_safety_flags,
        creator_overlap.is_flagged,
        -- no target audience in the plan: the overlap is unknown and judges nobody
        coalesce(
            creator_overlap.audience_overlap
            < {{ guard_param('P01', 'min_audience_overlap', 'window_creators.campaign_id') }},
            false
        ) as is_misaligned

    from window_creators
    inner join creator_overlap
        on window_creators.campaign_id = creator_overlap.campaign_id
        and window_creators.creator_id = creator_overlap.creator_id

),

labelled_creators as (

    select
        *,
        {{ example_object('misfit_creator', [
            ('handle', 'creator_handle'),
            ('overlap', 'case when is_misaligned then cast(audience_overlap as double precision) end'),
            ('flags', 'case when is_flagged then brand_safety_flags end'),
        ]) }} as misfit_label

    from judged_creators

),

window_totals as (

    select
        labelled_creators.campaign_id,
        labelled_creators.as_of_date,
        count(*) as active_creators,
        count(*) filter (where labelled_creators.is_misaligned) as misaligned_creators,
        count(*) filter (where labelled_creators.is_flagged) as flagged_creators,
        min(labelled_creators.audience_overlap) as min_audience_overlap,
        array_agg(
            labelled_creators.misfit_label
            order by labelled_creators.audience_overlap nulls last, labelled_creators.creator_handle
        ) filter (
            where labelled_creators.is_misaligned or labelled_creators.is_flagged
        ) as misfit_labels

    from labelled_creators
    group by
        labelled_creators.campaign_id,
        labelled_creators.as_of_date

),

final as (

    -- no creator posted in the window: nothing to judge, the checks are left empty
    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        coalesce(window_totals.active_creators, 0) as active_creators,
        window_totals.misaligned_creators,
        window_totals.flagged_creators,
        cast(window_totals.min_audience_overlap as double precision) as min_audience_overlap,
        -- not a parameter: the alert names up to three creators as examples
        {{ example_list('window_totals.misfit_labels[1:3]') }} as misfit_examples

    from campaign_days
    left join window_totals
        on campaign_days.campaign_id = window_totals.campaign_id
        and campaign_days.date_day = window_totals.as_of_date

)

select * from final
