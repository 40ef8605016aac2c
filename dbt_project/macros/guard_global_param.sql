{#-
    A guard parameter with one value for every campaign (scope global in the catalogue): the
    catalogue default the transform stage wrote to params.guard_parameter_settings before the
    build. For a number no campaign can own, such as the window of the engagement norms that
    every campaign's creators are measured against; per-campaign ones use guard_param.

        nights.as_of_date - {{ guard_global_param('P08', 'norm_window_days', integer=true) }}
-#}
{% macro guard_global_param(pitfall_id, name, integer=false) -%}
    {%- set value -%}
        (
            select guard_parameter_settings.value
            from {{ source('params', 'guard_parameter_settings') }} as guard_parameter_settings
            where guard_parameter_settings.scope = 'default'
                and guard_parameter_settings.pitfall_id = '{{ pitfall_id }}'
                and guard_parameter_settings.name = '{{ name }}'
        )
    {%- endset -%}
    {%- if integer -%}cast({{ value }} as integer){%- else -%}{{ value }}{%- endif -%}
{%- endmacro %}
