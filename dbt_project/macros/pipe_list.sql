{#
    A cell holding values separated by | (target_segments, brand_values, ...) as a list:
    each value trimmed and lower-cased, empty values dropped, sorted, without repeats. An
    empty or missing cell becomes an empty list, so list functions never meet NULL.
#}
{% macro pipe_list(column) -%}
    {{ list_sorted_distinct(split_list(column)) }}
{%- endmacro %}
