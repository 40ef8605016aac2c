{{ config(materialized='incremental', incremental_strategy='restate', unique_key='as_of_date') }}

{#-
    P12: personalised e-mails on sensitive attributes or too many details; unsubscribes after.
    A send using a token the sensitive attributes vocabulary does not know (and no sensitive
    one) might be on a sensitive attribute: such sends are counted apart, and their tokens
    named, so the guard can say it cannot tell rather than pass them. The windows (28 days of
    personalised sends, the unsubscribes of the last 7 days against the 4 weeks before) and the
    fewest delivered e-mails a rate needs are the catalogue's P12 parameters, per campaign
    (guard_param).
-#}
with

campaign_days as (

    select
        campaign_days.*,
        {{ guard_param('P12', 'window_days', 'campaign_days.campaign_id', integer=true) }}
        as personalised_window_days,
        {{ guard_param('P12', 'recent_days', 'campaign_days.campaign_id', integer=true) }}
        as unsub_recent_days,
        {{ guard_param('P12', 'baseline_days', 'campaign_days.campaign_id', integer=true) }}
        as unsub_baseline_days

    from {{ ref('int_campaign_days') }} as campaign_days
    {{ restated_days('campaign_days.date_day') }}

),

sends as (

    select * from {{ ref('int_email_sends_tokens_checked') }}

),

personalised_28d as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        count(*) as personalised_sends_28d,
        count(*) filter (where sends.uses_sensitive_token) as sensitive_token_sends,
        count(*) filter (
            where sends.uses_unknown_token and not sends.uses_sensitive_token
        ) as unknown_token_sends,
        max(sends.token_count) as max_tokens,
        array_agg(
            {{ example_object('sensitive_send', [
                ('send_id', 'sends.send_id'),
                ('tokens', 'sends.sensitive_tokens'),
            ]) }}
            order by sends.send_date desc, sends.send_id
        ) filter (where sends.uses_sensitive_token) as sensitive_labels

    from campaign_days
    inner join sends
        on campaign_days.campaign_id = sends.campaign_id
        and sends.is_personalised
        and sends.send_date between campaign_days.date_day
        - campaign_days.personalised_window_days + 1
        and campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

unknown_tokens_28d as (

    -- few sends use unknown tokens: their tokens are listed per live day
    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        array_agg(distinct unknown_send_tokens.token order by unknown_send_tokens.token)
        as unknown_tokens

    from campaign_days
    inner join (
        select
            sends.campaign_id,
            sends.send_date,
            unnest(sends.unknown_tokens) as token
        from sends
        where sends.is_personalised and sends.uses_unknown_token
    ) as unknown_send_tokens
        on campaign_days.campaign_id = unknown_send_tokens.campaign_id
        and unknown_send_tokens.send_date
        between campaign_days.date_day - campaign_days.personalised_window_days + 1
        and campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

personalised_7d as (

    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        sum(sends.delivered) as delivered,
        sum(sends.unsubscribes) as unsubscribes

    from campaign_days
    inner join sends
        on campaign_days.campaign_id = sends.campaign_id
        and sends.is_personalised
        and sends.send_date between campaign_days.date_day - campaign_days.unsub_recent_days + 1
        and campaign_days.date_day
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

baseline as (

    -- every send of the campaign, generic and personalised, in the baseline days before
    select
        campaign_days.campaign_id,
        campaign_days.date_day as as_of_date,
        sum(sends.delivered) as delivered,
        sum(sends.unsubscribes) as unsubscribes

    from campaign_days
    inner join sends
        on campaign_days.campaign_id = sends.campaign_id
        and sends.send_date between campaign_days.date_day - campaign_days.unsub_recent_days
        - campaign_days.unsub_baseline_days + 1
        and campaign_days.date_day - campaign_days.unsub_recent_days
    group by
        campaign_days.campaign_id,
        campaign_days.date_day

),

rates as (

    select
        campaign_days.date_day as as_of_date,
        campaign_days.campaign_id,
        campaign_days.personalised_window_days as window_days,
        campaign_days.unsub_recent_days as recent_days,
        personalised_28d.personalised_sends_28d,
        personalised_28d.sensitive_token_sends,
        personalised_28d.unknown_token_sends,
        personalised_28d.max_tokens,
        personalised_28d.sensitive_labels,
        unknown_tokens_28d.unknown_tokens,
        coalesce(personalised_7d.delivered, 0) as personalised_delivered_7d,
        coalesce(baseline.delivered, 0) as baseline_delivered,
        case
            when personalised_7d.delivered > 0
                then cast(personalised_7d.unsubscribes as double precision)
                / personalised_7d.delivered
        end as unsub_rate_7d,
        case
            when baseline.delivered > 0
                then cast(baseline.unsubscribes as double precision) / baseline.delivered
        end as unsub_rate_baseline

    from campaign_days
    left join personalised_28d
        on campaign_days.campaign_id = personalised_28d.campaign_id
        and campaign_days.date_day = personalised_28d.as_of_date
    left join unknown_tokens_28d
        on campaign_days.campaign_id = unknown_tokens_28d.campaign_id
        and campaign_days.date_day = unknown_tokens_28d.as_of_date
    left join personalised_7d
        on campaign_days.campaign_id = personalised_7d.campaign_id
        and campaign_days.date_day = personalised_7d.as_of_date
    left join baseline
        on campaign_days.campaign_id = baseline.campaign_id
        and campaign_days.date_day = baseline.as_of_date

),

final as (

    -- no personalised send in the window: nothing to judge, every signal stays empty
    select
        as_of_date,
        campaign_id,
        sensitive_token_sends,
        unknown_token_sends,
        cast(max_tokens as bigint) as max_tokens,
        cast(
            case
                when personalised_sends_28d is not null
                    and personalised_delivered_7d
                    >= {{ guard_param('P12', 'min_recent_delivered', 'rates.campaign_id') }}
                    and baseline_delivered
                    >= {{ guard_param('P12', 'min_baseline_delivered', 'rates.campaign_id') }}
                    and unsub_rate_baseline > 0
                    then unsub_rate_7d / unsub_rate_baseline
            end as double precision
        ) as unsub_rate_ratio,
        coalesce(personalised_sends_28d, 0) as personalised_sends_28d,
        -- not a parameter: the alert names up to three sends as examples
        {{ example_list('sensitive_labels[1:3]') }} as sensitive_examples,
        coalesce(array_to_string(unknown_tokens, ', '), '') as unknown_tokens,
        cast(
            case when personalised_sends_28d is not null then unsub_rate_7d end as double precision
        ) as unsub_rate_7d,
        cast(
            case when personalised_sends_28d is not null then unsub_rate_baseline end
            as double precision
        ) as unsub_rate_baseline,
        cast(personalised_delivered_7d as bigint) as personalised_delivered_7d,
        cast(baseline_delivered as bigint) as baseline_delivered,
        -- the campaign's windows, so the alert says which days it counted
        cast(window_days as bigint) as window_days,
        cast(recent_days as bigint) as recent_days

    from rates

)

select * from final
