{#-
    Each e-mail send variant of a known campaign with its personalisation tokens normalised,
    up to the night being reported on, and each token read through the sensitive attributes
    vocabulary: sensitive when it contains a stem of vocab.sensitive_terms (so diagnosis_type,
    Gesundheitszustand and 健康状况 are seen) and is not a known ordinary token; unknown when it
    is neither ordinary nor sensitive. An unknown token might be sensitive: the guard cannot
    tell about a send that uses one.
-#}
with

sends as (

    select * from {{ ref('stg_email__sends') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

sensitive_terms as (

    select * from {{ source('vocab', 'sensitive_terms') }}

),

ordinary_tokens as (

    select * from {{ source('vocab', 'ordinary_tokens') }}

),

known_sends as (

    select
        sends.send_date,
        sends.send_id,
        sends.variant,
        sends.campaign_id,
        -- "Credit score", "credit-score" and "credit_score" name the same token
        {{ list_sorted_distinct(list_map(
            'sends.personalisation_tokens', vocab_term('item')
        )) }} as personalisation_tokens,
        sends.delivered,
        sends.conversions,
        sends.unsubscribes

    from sends
    inner join campaigns
        on sends.campaign_id = campaigns.campaign_id
    where sends.send_date <= {{ as_of_date() }}

),

send_tokens as (

    select
        known_sends.send_id,
        known_sends.variant,
        unnest(known_sends.personalisation_tokens) as token

    from known_sends

),

tokens as (

    select distinct send_tokens.token
    from send_tokens

),

token_classes as (

    -- few distinct tokens: each is compared with every stem once
    select
        tokens.token,
        case
            when exists (
                select 1 from ordinary_tokens
                where ordinary_tokens.term = tokens.token
            ) then 'ordinary'
            when exists (
                select 1 from sensitive_terms
                where strpos(tokens.token, sensitive_terms.stem) > 0
            ) then 'sensitive'
            else 'unknown'
        end as token_class

    from tokens

),

classified_send_tokens as (

    select
        send_tokens.send_id,
        send_tokens.variant,
        array_agg(send_tokens.token order by send_tokens.token) filter (
            where token_classes.token_class = 'sensitive'
        ) as sensitive_tokens,
        array_agg(send_tokens.token order by send_tokens.token) filter (
            where token_classes.token_class = 'unknown'
        ) as unknown_tokens

    from send_tokens
    inner join token_classes
        on send_tokens.token = token_classes.token
    group by send_tokens.send_id, send_tokens.variant

),

final as (

    select
        known_sends.send_date,
        known_sends.send_id,
        known_sends.variant,
        known_sends.campaign_id,
        known_sends.variant = 'personalised' as is_personalised,
        known_sends.personalisation_tokens,
        {{ list_size('known_sends.personalisation_tokens') }} as token_count,
        coalesce(classified_send_tokens.sensitive_tokens, cast(array[] as varchar[]))
        as sensitive_tokens,
        classified_send_tokens.sensitive_tokens is not null as uses_sensitive_token,
        coalesce(classified_send_tokens.unknown_tokens, cast(array[] as varchar[]))
        as unknown_tokens,
        classified_send_tokens.unknown_tokens is not null as uses_unknown_token,
        known_sends.delivered,
        known_sends.conversions,
        known_sends.unsubscribes

    from known_sends
    left join classified_send_tokens
        on known_sends.send_id = classified_send_tokens.send_id
        and known_sends.variant = classified_send_tokens.variant

)

select * from final
