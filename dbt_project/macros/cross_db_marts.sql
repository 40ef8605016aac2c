{#
    Expressions of the marts whose spelling differs between the two warehouses; the shared
    ones live in cross_db.sql, whose conventions these follow (default__ for PostgreSQL,
    duckdb__ for the embedded file).
#}


{#- A number as text with a fixed count of decimals (4.25 -> '4.2' with one decimal), for the
    example labels of the signals. Both variants round the same double by its exact binary
    value, as C's printf does, so the labels read the same on either warehouse. -#}
{% macro format_decimal(value, decimals) -%}
    {{ return(adapter.dispatch('format_decimal', 'marketing_health')(value, decimals)) }}
{%- endmacro %}

{#- FM drops to_char's padding; the 0 before the point keeps a leading zero ('0.5'). -#}
{% macro default__format_decimal(value, decimals) -%}
    to_char(
        cast({{ value }} as double precision),
        'FM999999999999990{{ "." ~ ("0" * decimals) if decimals > 0 }}'
    )
{%- endmacro %}

{% macro duckdb__format_decimal(value, decimals) -%}
    printf('%.{{ decimals }}f', cast({{ value }} as double precision))
{%- endmacro %}
