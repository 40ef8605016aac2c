{#
    The night being built, read from the warehouse rather than passed as a var.

    Before every build the transform stage writes one row into `transform.night`
    (include/marketing_health/transform/night_plan.py): the night (`as_of_date`) and the first
    day whose rows tonight's build writes again (`restate_from`, NULL for every day). Models
    read both through the macros below, never from a var, so the parsed project is the same
    every night and dbt's partial parsing carries over from one night to the next.

    The values are read when a model is compiled for execution and written into its SQL as
    date literals, so DuckDB can skip the row groups of other days. While dbt parses the
    project nothing is read.

    By hand, `--vars '{as_of_date: 2024-05-10}'` still names the night (the unit tests do
    too); such a build restates every day, since nothing says what the tables held before.
    Without either, the latest activity day found in the channel exports is the night, or
    yesterday when the warehouse holds no activity yet.
#}
{% macro as_of_date() -%}
    {%- set value = as_of_date_var() -%}
    {%- if value is none -%}
        {%- set value = night_setting('as_of_date') -%}
    {%- endif -%}
    {%- if value is none -%}
        {{ latest_activity_day() }}
    {%- else -%}
        cast('{{ value }}' as date)
    {%- endif -%}
{%- endmacro %}


{#- The first day tonight's build writes again in the incremental daily models: a date
    expression. Every day (an early date) when the night was given as a var or the stage
    asked for all of them. -#}
{% macro restate_from() -%}
    {%- set value = none -%}
    {%- if as_of_date_var() is none -%}
        {%- set value = night_setting('restate_from') -%}
    {%- endif -%}
    cast('{{ value if value is not none else "1900-01-01" }}' as date)
{%- endmacro %}


{#- One column of `transform.night` as text (YYYY-MM-DD), or none: while parsing, in unit
    tests (their rows are their own), and when the table or the value is missing.

    The row is read once per dbt invocation and kept in the invocation's `graph` (one
    dictionary shared by every node of the run, built anew by each invocation, after the
    stage has written the row): models and tests call these macros about 300 times a night,
    and a query each was two seconds of statements and as many of dbt's own work. -#}
{% macro night_setting(column) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set night = graph.get('marketing_health_night') -%}
    {%- if night is none -%}
        {%- set night = night_settings_read() -%}
        {%- do graph.update({'marketing_health_night': night}) -%}
    {%- endif -%}
    {{ return(night.get(column)) }}
{%- endmacro %}


{#- The row of `transform.night` as {column: text or none}; empty when there is no such table
    or row. -#}
{% macro night_settings_read() -%}
    {%- set relation = adapter.get_relation(
        database=target.database, schema='transform', identifier='night'
    ) -%}
    {%- if relation is none -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set columns = ['as_of_date', 'restate_from', 'loaded_since'] -%}
    {%- set selected = [] -%}
    {%- for column in columns -%}
        {%- do selected.append('cast(' ~ column ~ ' as varchar)') -%}
    {%- endfor -%}
    {%- set result = run_query('select ' ~ selected | join(', ') ~ ' from ' ~ relation) -%}
    {%- set night = {} -%}
    {%- if result.rows | length > 0 -%}
        {%- for column in columns -%}
            {%- set value = result.rows[0][loop.index0] -%}
            {%- do night.update({column: none if value is none else value | string}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(night) }}
{%- endmacro %}


{% macro as_of_date_var() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or (value | string | trim) == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set value = value | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
        {{ exceptions.raise_compiler_error(
            "The var as_of_date must be a day written YYYY-MM-DD, got '" ~ value ~ "'."
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}


{% macro latest_activity_day() -%}
    (
        select coalesce(max(activity_date), current_date - 1)
        from (
            select max(post_date) as activity_date from {{ source('social', 'posts') }}
            union all
            select max(send_date) from {{ source('email', 'sends') }}
            union all
            select max(ad_date) from {{ source('paid_ads', 'ad_performance') }}
            union all
            select max(post_date) from {{ source('influencer', 'posts') }}
        ) as activity_days
    )
{%- endmacro %}


{#- When the last build's raw rows end: rows loaded after it are new tonight. A timestamp
    expression; the earliest one (every row is new) on a full refresh or by hand. -#}
{% macro loaded_since() -%}
    {%- set value = none -%}
    {%- if as_of_date_var() is none -%}
        {%- set value = night_setting('loaded_since') -%}
    {%- endif -%}
    cast('{{ value if value is not none else "1900-01-01 00:00:00" }}' as timestamp)
{%- endmacro %}
