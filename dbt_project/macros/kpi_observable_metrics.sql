{#
    Columns of fct_campaign_channel_daily a KPI can be observed by (seed kpi_metrics,
    observed_by), plus `activities`, which tells whether a channel is active at all.
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
