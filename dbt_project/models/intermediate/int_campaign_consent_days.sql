{{ config(materialized='incremental', incremental_strategy='restate', unique_key='sent_date') }}

{#- Recipients mailed per campaign and send day, with how many broke a consent rule. -#}
with

recipients as (

    select * from {{ ref('int_email_recipients_consent_checked') }}
    {{ restated_days('sent_date') }}

),

final as (

    select
        recipients.campaign_id,
        recipients.sent_date,
        count(*) as recipients,
        count(*) filter (where recipients.is_sent_without_consent) as sent_without_consent,
        count(*) filter (where recipients.is_sent_after_opt_out) as sent_after_opt_out

    from recipients
    group by recipients.campaign_id, recipients.sent_date

)

select * from final
