{#-
    A guard parameter of one campaign (catalogue default or its override): the value of
    int_campaign_guard_parameters for the campaign in `campaign_id`, a column of the calling
    model named with its table (`campaign_days.campaign_id`: a bare name would resolve to the
    parameters' own campaign_id inside the subquery). Signal models use it instead of writing a number that decides a
    verdict, so a team can tune it per campaign, brand or channel (docs/pitfalls.md).
    `integer=true` casts it for date arithmetic (a window in days).

        guard_param('P01', 'min_audience_overlap', 'window_creators.campaign_id')
        campaign_days.date_day - {{ guard_param('P01', 'window_days', 'campaign_days.campaign_id', integer=true) }}
-#}
{% macro guard_param(pitfall_id, name, campaign_id, integer=false) -%}
    {%- if '.' not in campaign_id -%}
        {{ exceptions.raise_compiler_error(
            "guard_param('" ~ pitfall_id ~ "', '" ~ name ~ "'): name the campaign column with its "
            ~ "table, e.g. 'campaign_days.campaign_id' (a bare campaign_id would read the "
            ~ "parameters' own column)") }}
    {%- endif -%}
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
