{#-
    Each e-mail send variant of a known campaign with its personalisation tokens normalised
    and the sensitive ones named, up to the night being reported on.
-#}
with

sends as (

    select * from {{ ref('stg_email__sends') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

sensitive_attributes as (

    select * from {{ ref('sensitive_attributes') }}

),

known_sends as (

    select
        sends.send_date,
        sends.send_id,
        sends.variant,
        sends.campaign_id,
        -- "Credit score", "credit-score" and "credit_score" name the same token
        {{ list_sorted_distinct(list_map(
            'sends.personalisation_tokens',
            "regexp_replace(item, '[\\s\\-]+', '_', 'g')"
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

sensitive_send_tokens as (

    select
        send_tokens.send_id,
        send_tokens.variant,
        array_agg(send_tokens.token order by send_tokens.token) as sensitive_tokens

    from send_tokens
    inner join sensitive_attributes
        on send_tokens.token = lower(trim(sensitive_attributes.token))
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
        coalesce(sensitive_send_tokens.sensitive_tokens, cast(array[] as varchar[]))
        as sensitive_tokens,
        sensitive_send_tokens.send_id is not null as uses_sensitive_token,
        known_sends.delivered,
        known_sends.conversions,
        known_sends.unsubscribes

    from known_sends
    left join sensitive_send_tokens
        on known_sends.send_id = sensitive_send_tokens.send_id
        and known_sends.variant = sensitive_send_tokens.variant

)

select * from final
