{#
    The examples a signal mart names for its alert (late deliverables, silent channels ...) as
    structured data: a JSON array of objects, one per example, each with a "kind" naming the
    sentence that shows it and typed fields (texts as written, numbers as numbers, ratios from
    0 to 1, days as ISO dates 'YYYY-MM-DD', flags as true/false). The alert writes the sentence
    in the team's language and formats the numbers and dates by its locale
    (include/marketing_health/guards/examples.py), so no English word is built in SQL. The
    convention is documented in models/marts/_marts__models.yml. Conventions of cross_db.sql:
    default__ for PostgreSQL, duckdb__ for the embedded file.
#}


{#- One example: `kind` (a literal) and a list of (key, SQL expression) pairs. -#}
{% macro example_object(kind, fields) -%}
    {{ return(adapter.dispatch('example_object', 'marketing_health')(kind, fields)) }}
{%- endmacro %}

{% macro default__example_object(kind, fields) -%}
    json_build_object('kind', '{{ kind }}'
    {%- for key, expression in fields -%}, '{{ key }}', {{ expression }}{%- endfor -%})
{%- endmacro %}

{% macro duckdb__example_object(kind, fields) -%}
    json_object('kind', '{{ kind }}'
    {%- for key, expression in fields -%}, '{{ key }}', {{ expression }}{%- endfor -%})
{%- endmacro %}


{#- A list of example objects (from array_agg, sliced or not) as one JSON array; an empty
    array when there is none, never NULL. -#}
{% macro example_list(list) -%}
    {{ return(adapter.dispatch('example_list', 'marketing_health')(list)) }}
{%- endmacro %}

{% macro default__example_list(list) -%}
    coalesce(array_to_json({{ list }}), cast('[]' as json))
{%- endmacro %}

{% macro duckdb__example_list(list) -%}
    coalesce(to_json({{ list }}), cast('[]' as json))
{%- endmacro %}
