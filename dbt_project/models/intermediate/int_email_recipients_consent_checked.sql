{#-
    Each e-mail recipient row with its send's campaign and the two consent checks:
    mailed without consent, mailed after opting out. Opting out after the send is fine.
-#}
with

recipients as (

    select * from {{ ref('stg_email__recipients') }}

),

sends as (

    select * from {{ ref('stg_email__sends') }}

),

campaigns as (

    select * from {{ ref('stg_campaign_plan__campaigns') }}

),

send_campaigns as (

    -- both variants of a send belong to the same campaign
    select
        sends.send_id,
        min(sends.campaign_id) as campaign_id

    from sends
    group by sends.send_id

),

checked as (

    select
        send_campaigns.campaign_id,
        recipients.send_id,
        recipients.email_hash,
        recipients.sent_date,
        recipients.consent_status,
        recipients.consent_at,
        recipients.opted_out_at,
        recipients.consent_status = 'unknown'
        or (
            recipients.consent_status = 'opted_in'
            and (
                recipients.consent_at is null
                or recipients.consent_at::date > recipients.sent_date
            )
        ) as is_sent_without_consent,
        coalesce(recipients.opted_out_at::date < recipients.sent_date, false)
        or (
            recipients.consent_status = 'opted_out'
            and recipients.opted_out_at is null
        ) as is_sent_after_opt_out

    from recipients
    inner join send_campaigns
        on recipients.send_id = send_campaigns.send_id

),

final as (

    select checked.*
    from checked
    inner join campaigns
        on checked.campaign_id = campaigns.campaign_id
    where checked.sent_date <= {{ as_of_date() }}

)

select * from final
