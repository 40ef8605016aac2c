{#
    Models land in the schema named in dbt_project.yml (staging, intermediate, marts)
    exactly as written: the other pipeline stages read marts.<model> by that name, so dbt's
    default "<target schema>_<custom schema>" prefix is switched off.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
