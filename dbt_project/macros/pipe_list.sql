{#
    A cell holding values separated by | (target_segments, brand_values, ...) as a list:
    each value trimmed and lower-cased, empty values dropped, sorted, without repeats. An
    empty or missing cell becomes an empty list, so list functions never meet NULL.
#}
{% macro pipe_list(column) -%}
    list_sort(list_distinct(
        [lower(trim(item)) for item in string_split(coalesce({{ column }}, ''), '|')
            if trim(item) <> '']
    ))
{%- endmacro %}
