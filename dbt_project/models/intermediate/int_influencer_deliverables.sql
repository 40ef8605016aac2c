{#-
    Creator deliverables of known campaigns as last reported, with where each one stands:
    published (and from which day), pending (listed, scheduled, in review: judged for lateness
    only) or cancelled (neither late nor a post). The tracker's status is read through the
    deliverable statuses vocabulary in any language it knows; without a status the dates tell.
    A deliverable is live on a night once its live_date is reached, so a post scheduled after
    the night is not published yet that night.
-#}
with

influencer_posts as (

    select * from {{ ref('stg_influencer__posts') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

statuses as (

    select * from {{ source('vocab', 'deliverable_statuses') }}

),

classified as (

    select
        influencer_posts.*,
        {{ vocab_term('influencer_posts.post_status') }} as post_status_term,
        case
            when influencer_posts.post_status is null
                then case
                    when influencer_posts.delivered_date is not null then 'published'
                    else 'pending'
                end
            -- a status no vocabulary knows is not read as published (listed as unknown)
            else coalesce(statuses.status, 'unknown')
        end as deliverable_status

    from influencer_posts
    inner join campaigns
        on influencer_posts.campaign_id = campaigns.campaign_id
    left join statuses
        on {{ vocab_term('influencer_posts.post_status') }} = statuses.term

),

final as (

    select
        classified.*,
        classified.deliverable_status = 'cancelled' as is_cancelled,
        -- live from the later of its post and delivered dates; a deliverable without either,
        -- or not published, never is
        case
            when classified.deliverable_status = 'published'
                then greatest(
                    coalesce(classified.delivered_date, classified.post_date),
                    coalesce(classified.post_date, classified.delivered_date)
                )
        end as live_date,
        classified.platform || ' post ' || classified.post_id
        || ' by ' || classified.creator_handle as post_label

    from classified

)

select * from final
