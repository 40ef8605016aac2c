{#
    Expressions whose spelling differs between the two warehouses, the embedded DuckDB file
    and a PostgreSQL server. Each macro gives the same answer on both: the DuckDB variant
    keeps the native list functions (fast on millions of rows), the PostgreSQL variant spells
    the same result with arrays and set-returning functions.

    Lists are compared element by element across warehouses, so every list these macros
    build has a defined order: the written order or a sort, never a hash order.

    Plain SQL both engines read the same way needs no macro: `double precision`,
    `array_agg(x order by y)`, `value = any(list)`, `array_position(list, value)`,
    `strpos(text, part) > 0`, `extract(epoch from x)`, `interval '1 day'`,
    `cross join lateral generate_series(...)`, `count(*) filter (where ...)`.
#}


{#- Items of a cell separated by `separator`, trimmed and lower-cased, empty items dropped,
    in the order written (repeats kept). An empty or missing cell gives an empty list. -#}
{% macro split_list(text, separator='|') -%}
    {{ return(adapter.dispatch('split_list', 'marketing_health')(text, separator)) }}
{%- endmacro %}

{% macro default__split_list(text, separator) -%}
    array(
        select lower(trim(items.item))
        from unnest(string_to_array(coalesce({{ text }}, ''), '{{ separator }}'))
            with ordinality as items(item, position)
        where trim(items.item) <> ''
        order by items.position
    )
{%- endmacro %}

{% macro duckdb__split_list(text, separator) -%}
    [
        lower(trim(item)) for item in string_split(coalesce({{ text }}, ''), '{{ separator }}')
        if trim(item) <> ''
    ]
{%- endmacro %}


{#- The distinct non-NULL elements of a list, sorted; NULL for a NULL list (as below). -#}
{% macro list_sorted_distinct(list) -%}
    {{ return(adapter.dispatch('list_sorted_distinct', 'marketing_health')(list)) }}
{%- endmacro %}

{% macro default__list_sorted_distinct(list) -%}
    case when {{ list }} is not null then array(
        select distinct items.item
        from unnest({{ list }}) as items(item)
        where items.item is not null
        order by items.item
    ) end
{%- endmacro %}

{% macro duckdb__list_sorted_distinct(list) -%}
    list_sort(list_distinct({{ list }}))
{%- endmacro %}


{#- Number of elements of a list; 0 for an empty list. -#}
{% macro list_size(list) -%}
    {{ return(adapter.dispatch('list_size', 'marketing_health')(list)) }}
{%- endmacro %}

{% macro default__list_size(list) -%}
    cardinality({{ list }})
{%- endmacro %}

{% macro duckdb__list_size(list) -%}
    len({{ list }})
{%- endmacro %}


{#- The elements of a list for which `condition` holds, in list order. The condition names
    the element `item`, e.g. list_where('planned_channels', "item in ('social', 'email')"). -#}
{% macro list_where(list, condition) -%}
    {{ return(adapter.dispatch('list_where', 'marketing_health')(list, condition)) }}
{%- endmacro %}

{% macro default__list_where(list, condition) -%}
    case when {{ list }} is not null then array(
        select filtered.item
        from unnest({{ list }}) with ordinality as filtered(item, position)
        where {{ condition }}
        order by filtered.position
    ) end
{%- endmacro %}

{% macro duckdb__list_where(list, condition) -%}
    list_filter({{ list }}, lambda item: {{ condition }})
{%- endmacro %}


{#- Each element of a list passed through `expression`, in list order. The expression names
    the element `item`, e.g. list_map('tokens', "replace(item, '-', '_')"). -#}
{% macro list_map(list, expression) -%}
    {{ return(adapter.dispatch('list_map', 'marketing_health')(list, expression)) }}
{%- endmacro %}

{% macro default__list_map(list, expression) -%}
    case when {{ list }} is not null then array(
        select {{ expression }}
        from unnest({{ list }}) with ordinality as mapped(item, position)
        order by mapped.position
    ) end
{%- endmacro %}

{% macro duckdb__list_map(list, expression) -%}
    list_transform({{ list }}, lambda item: {{ expression }})
{%- endmacro %}


{#- The distinct non-NULL elements two lists share, sorted; empty when the second list
    is NULL. -#}
{% macro list_intersection(list_a, list_b) -%}
    {{ return(adapter.dispatch('list_intersection', 'marketing_health')(list_a, list_b)) }}
{%- endmacro %}

{% macro default__list_intersection(list_a, list_b) -%}
    case when {{ list_a }} is not null then array(
        select distinct shared.item
        from unnest({{ list_a }}) as shared(item)
        where shared.item = any({{ list_b }})
        order by shared.item
    ) end
{%- endmacro %}

{% macro duckdb__list_intersection(list_a, list_b) -%}
    list_sort(list_intersect({{ list_a }}, {{ list_b }}))
{%- endmacro %}


{#- Mean of the non-NULL elements of a numeric list, as double precision; NULL when none. -#}
{% macro list_mean(list) -%}
    {{ return(adapter.dispatch('list_mean', 'marketing_health')(list)) }}
{%- endmacro %}

{% macro default__list_mean(list) -%}
    (select avg(cast(items.item as double precision)) from unnest({{ list }}) as items(item))
{%- endmacro %}

{% macro duckdb__list_mean(list) -%}
    cast(list_avg({{ list }}) as double)
{%- endmacro %}


{#- Aggregate: `value` of the row with the highest `order_by` (rows where the value or the
    first ordering column is NULL are skipped). Give `order_by` tie-breakers after a comma
    (e.g. "post_date, post_id") when it can tie, or the two engines may pick different rows.
    No FILTER may follow it: put a condition into `value` as a case expression instead. -#}
{% macro value_at_max(value, order_by) -%}
    {{ return(adapter.dispatch('value_at_max', 'marketing_health')(value, order_by, 'desc')) }}
{%- endmacro %}

{#- Aggregate: `value` of the row with the lowest `order_by`; see value_at_max. -#}
{% macro value_at_min(value, order_by) -%}
    {{ return(adapter.dispatch('value_at_max', 'marketing_health')(value, order_by, 'asc')) }}
{%- endmacro %}

{% macro default__value_at_max(value, order_by, direction) -%}
    {%- set keys = order_by.split(',') | map('trim') | list -%}
    (array_agg({{ value }} order by
        {%- for key in keys %} {{ key }} {{ direction }} nulls last{{ ',' if not loop.last }}
        {%- endfor %})
        filter (where {{ value }} is not null and {{ keys[0] }} is not null))[1]
{%- endmacro %}

{% macro duckdb__value_at_max(value, order_by, direction) -%}
    {%- if ',' in order_by -%}
        {{ marketing_health.default__value_at_max(value, order_by, direction) }}
    {%- else -%}
        {{ 'arg_max' if direction == 'desc' else 'arg_min' }}({{ value }}, {{ order_by }})
    {%- endif -%}
{%- endmacro %}


{#- Aggregate: the median of a numeric expression as double precision, halfway between the
    two middle values for an even count. Accepts an aggregate FILTER after it. -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'marketing_health')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    median({{ expression }})
{%- endmacro %}


{#- A double rounded to `digits` decimals, still a double (PostgreSQL rounds numerics only). -#}
{% macro round_double(expression, digits=0) -%}
    {{ return(adapter.dispatch('round_double', 'marketing_health')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_double(expression, digits) -%}
    cast(round(cast({{ expression }} as numeric), {{ digits }}) as double precision)
{%- endmacro %}

{% macro duckdb__round_double(expression, digits) -%}
    round(cast({{ expression }} as double), {{ digits }})
{%- endmacro %}


{#- A whole select keeping one row per `partition_by`: the first by `order_by` (give it a
    tie-breaker so the pick is the same on both engines). Use as the body of a CTE. -#}
{% macro deduplicate(relation, partition_by, order_by) -%}
    {{ return(adapter.dispatch('deduplicate', 'marketing_health')(
        relation, partition_by, order_by
    )) }}
{%- endmacro %}

{% macro default__deduplicate(relation, partition_by, order_by) -%}
    select distinct on ({{ partition_by }}) *
    from {{ relation }}
    order by {{ partition_by }}, {{ order_by }}
{%- endmacro %}

{% macro duckdb__deduplicate(relation, partition_by, order_by) -%}
    select *
    from {{ relation }}
    qualify row_number() over (partition by {{ partition_by }} order by {{ order_by }}) = 1
{%- endmacro %}
