{#-
    Every word in the loaded exports that a vocabulary does not know, with where it was found:
    one row per vocabulary, word (as written), source, column and landing file. Words checked:
    KPI names (kpis.metric), personalisation tokens that are neither ordinary nor sensitive
    (email_sends.personalisation_tokens), platforms and post formats (social posts, paid ads,
    creator posts and profiles, social comments) and creator deliverable statuses
    (influencer_posts.post_status, where the warehouse has that column). The current state up
    to the night: snapshots (KPIs, creator profiles) in their latest delivery, event exports
    up to as_of_date. A team teaches a word by adding it to vocabulary_file.
-#}
{%- set vocabularies_dir = var('vocabularies_dir', 'config/vocabularies') -%}
{%- set has_post_status = false -%}
{%- if execute -%}
    {%- set influencer_columns = adapter.get_columns_in_relation(source('influencer', 'posts')) -%}
    {%- set has_post_status = 'post_status' in (influencer_columns | map(attribute='name') | map('lower') | list) -%}
{%- endif %}
with

kpis as (

    select * from {{ source('campaign_plan', 'kpis') }}

),

email_sends as (

    select * from {{ source('email', 'sends') }}

),

social_posts as (

    select * from {{ source('social', 'posts') }}

),

social_comments as (

    select * from {{ source('social', 'comments') }}

),

paid_ads as (

    select * from {{ source('paid_ads', 'ad_performance') }}

),

influencer_posts as (

    select * from {{ source('influencer', 'posts') }}

),

creators as (

    select * from {{ source('influencer', 'creators') }}

),

kpi_terms as (

    select * from {{ source('vocab', 'kpi_terms') }}

),

sensitive_terms as (

    select * from {{ source('vocab', 'sensitive_terms') }}

),

ordinary_tokens as (

    select * from {{ source('vocab', 'ordinary_tokens') }}

),

platform_terms as (

    select * from {{ source('vocab', 'platform_terms') }}

),

post_format_terms as (

    select * from {{ source('vocab', 'post_format_terms') }}

),

deliverable_statuses as (

    select * from {{ source('vocab', 'deliverable_statuses') }}

),

send_tokens as (

    select
        email_sends.campaign_id,
        email_sends._file_path,
        email_sends._delivery_day,
        unnest(string_to_array(coalesce(email_sends.personalisation_tokens, ''), '|')) as token

    from email_sends
    where email_sends.send_date <= {{ as_of_date() }}

),

written as (

    -- every word a vocabulary reads, where it was written
    select
        'kpi_metrics' as vocabulary,
        'kpis' as source,
        'metric' as column_name,
        trim(kpis.metric) as term,
        nullif(trim(kpis.campaign_id), '') as campaign_id,
        kpis._file_path as file_path,
        kpis._delivery_day as delivery_day

    from kpis
    where kpis._delivery_day = (select max(latest._delivery_day) from kpis as latest)

    union all

    select
        'sensitive_attributes' as vocabulary,
        'email_sends' as source,
        'personalisation_tokens' as column_name,
        trim(send_tokens.token) as term,
        nullif(trim(send_tokens.campaign_id), '') as campaign_id,
        send_tokens._file_path as file_path,
        send_tokens._delivery_day as delivery_day

    from send_tokens
    where trim(send_tokens.token) <> ''

    union all

    select
        'platforms' as vocabulary,
        'social_posts' as source,
        'platform' as column_name,
        trim(social_posts.platform) as term,
        nullif(trim(social_posts.campaign_id), '') as campaign_id,
        social_posts._file_path as file_path,
        social_posts._delivery_day as delivery_day

    from social_posts
    where social_posts.post_date <= {{ as_of_date() }}

    union all

    select
        'post_formats' as vocabulary,
        'social_posts' as source,
        'post_format' as column_name,
        trim(social_posts.post_format) as term,
        nullif(trim(social_posts.campaign_id), '') as campaign_id,
        social_posts._file_path as file_path,
        social_posts._delivery_day as delivery_day

    from social_posts
    where social_posts.post_date <= {{ as_of_date() }}

    union all

    select
        'platforms' as vocabulary,
        'social_comments' as source,
        'platform' as column_name,
        trim(social_comments.platform) as term,
        nullif(trim(social_comments.campaign_id), '') as campaign_id,
        social_comments._file_path as file_path,
        social_comments._delivery_day as delivery_day

    from social_comments
    where social_comments.comment_date <= {{ as_of_date() }}

    union all

    select
        'platforms' as vocabulary,
        'paid_ads' as source,
        'platform' as column_name,
        trim(paid_ads.platform) as term,
        nullif(trim(paid_ads.campaign_id), '') as campaign_id,
        paid_ads._file_path as file_path,
        paid_ads._delivery_day as delivery_day

    from paid_ads
    where paid_ads.ad_date <= {{ as_of_date() }}

    union all

    select
        'platforms' as vocabulary,
        'influencer_posts' as source,
        'platform' as column_name,
        trim(influencer_posts.platform) as term,
        nullif(trim(influencer_posts.campaign_id), '') as campaign_id,
        influencer_posts._file_path as file_path,
        influencer_posts._delivery_day as delivery_day

    from influencer_posts
    where influencer_posts.post_date is null or influencer_posts.post_date <= {{ as_of_date() }}

    union all

    -- creator profiles name no campaign
    select
        'platforms' as vocabulary,
        'creators' as source,
        'platform' as column_name,
        trim(creators.platform) as term,
        cast(null as varchar) as campaign_id,
        creators._file_path as file_path,
        creators._delivery_day as delivery_day

    from creators
    where creators._delivery_day = (select max(latest._delivery_day) from creators as latest)

    {%- if has_post_status %}

    union all

    select
        'deliverable_statuses' as vocabulary,
        'influencer_posts' as source,
        'post_status' as column_name,
        trim(influencer_posts.post_status) as term,
        nullif(trim(influencer_posts.campaign_id), '') as campaign_id,
        influencer_posts._file_path as file_path,
        influencer_posts._delivery_day as delivery_day

    from influencer_posts
    where influencer_posts.post_date is null or influencer_posts.post_date <= {{ as_of_date() }}
    {%- endif %}

),

terms as (

    select distinct
        written.vocabulary,
        written.term

    from written
    where written.term is not null
        and written.term <> ''

),

unknown as (

    -- the words their vocabulary does not know (a token: neither ordinary nor sensitive)
    select
        terms.vocabulary,
        terms.term

    from terms
    where case terms.vocabulary
        when 'kpi_metrics' then not exists (
            select 1 from kpi_terms
            where kpi_terms.term = {{ vocab_term('terms.term') }}
        )
        when 'sensitive_attributes' then not exists (
            select 1 from ordinary_tokens
            where ordinary_tokens.term = {{ vocab_term('terms.term') }}
        ) and not exists (
            select 1 from sensitive_terms
            where strpos({{ vocab_term('terms.term') }}, sensitive_terms.stem) > 0
        )
        when 'platforms' then not exists (
            select 1 from platform_terms
            where platform_terms.term = {{ vocab_term('terms.term') }}
        )
        when 'post_formats' then not exists (
            select 1 from post_format_terms
            where post_format_terms.term = {{ vocab_term('terms.term') }}
        )
        when 'deliverable_statuses' then not exists (
            select 1 from deliverable_statuses
            where deliverable_statuses.term = {{ vocab_term('terms.term') }}
        )
    end

),

final as (

    select
        written.vocabulary,
        written.term,
        written.source,
        written.column_name,
        written.file_path,
        cast(count(*) as bigint) as row_count,
        coalesce(
            array_to_string(
                array_agg(distinct written.campaign_id order by written.campaign_id) filter (
                    where written.campaign_id is not null
                ),
                ', '
            ),
            ''
        ) as campaign_ids,
        min(written.delivery_day) as first_delivery_day,
        max(written.delivery_day) as last_delivery_day,
        -- post formats are kept in the platforms vocabulary file
        '{{ vocabularies_dir }}/'
        || case written.vocabulary when 'post_formats' then 'platforms' else written.vocabulary end
        || '.yaml' as vocabulary_file

    from written
    inner join unknown
        on written.vocabulary = unknown.vocabulary
        and written.term = unknown.term
    group by
        written.vocabulary,
        written.term,
        written.source,
        written.column_name,
        written.file_path

)

select * from final
