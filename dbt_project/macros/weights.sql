{#
    Weight of one component of a measure, read from the project vars `integration_weights`
    and `kpi_coverage_weights` so the formulas and the docs name one source of truth.
#}
{% macro measure_weight(measure, component) -%}
    {%- set weights = var(measure ~ '_weights') -%}
    {%- if component not in weights -%}
        {{ exceptions.raise_compiler_error(
            "No weight for component '" ~ component ~ "' in var " ~ measure ~ "_weights."
        ) }}
    {%- endif -%}
    cast({{ weights[component] }} as double precision)
{%- endmacro %}
