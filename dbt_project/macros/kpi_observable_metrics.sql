{#
    Columns of fct_campaign_channel_daily a KPI can be observed by (observed_by of the KPI
    vocabulary, include/marketing_health/catalogue/vocabularies/kpi_metrics.yaml, read as
    vocab.kpi_metrics), plus `activities`, which tells whether a channel is active at all.
    int_kpis_classified tests that every observed_by of the vocabulary is one of them.
#}
{% macro kpi_observable_metrics() -%}
    {{ return([
        'activities',
        'impressions',
        'engagements',
        'likes',
        'comments',
        'shares',
        'clicks',
        'conversions',
        'revenue',
        'spend',
        'influencer_fee',
        'email_delivered',
        'email_opens',
    ]) }}
{%- endmacro %}
