{#-
    A guard parameter of one campaign (catalogue default or its override): the value of
    int_campaign_guard_parameters for the campaign in `campaign_id` (a column or expression of
    the calling model). Signal models use it instead of writing a number that decides a
    verdict, so a team can tune it per campaign, brand or channel (docs/pitfalls.md).
    `integer=true` casts it for date arithmetic (a window in days).

        guard_param('P01', 'min_audience_overlap')
        campaign_days.date_day - {{ guard_param('P01', 'window_days', 'campaign_days.campaign_id', integer=true) }}
-#}
{% macro guard_param(pitfall_id, name, campaign_id='campaign_id', integer=false) -%}
    {%- set value -%}
        (
            select guard_parameters.value
            from {{ ref('int_campaign_guard_parameters') }} as guard_parameters
            where guard_parameters.campaign_id = {{ campaign_id }}
                and guard_parameters.pitfall_id = '{{ pitfall_id }}'
                and guard_parameters.name = '{{ name }}'
        )
    {%- endset -%}
    {%- if integer -%}cast({{ value }} as integer){%- else -%}{{ value }}{%- endif -%}
{%- endmacro %}
