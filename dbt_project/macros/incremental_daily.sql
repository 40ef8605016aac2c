{#
    Incremental daily models: one row per day (and campaign, channel ...), rebuilt only for the
    days tonight's build restates.

        {{ config(materialized='incremental', incremental_strategy='restate',
                  unique_key='as_of_date') }}

    `unique_key` names the model's day column. The model keeps its driving days to
    `restate_from()` on an incremental run (`restated_days('date_day')` on the campaign x day
    spine, or on the activity rows it aggregates), while every window it looks back over still
    reads the full history. The strategy then deletes the table's rows from `restate_from()` on
    and inserts the new ones, so

    - a night writes only its own days (and any earlier day that changed), not the history;
    - re-running a night replaces its rows: nothing is counted twice;
    - the table holds what a full build for the night would: judging an earlier night again
      removes the days after it, which the next night writes again.

    On a first build, with `--full-refresh`, or when the stage restates every day
    (`restate_from` empty), the whole history is written.
#}
{% macro get_incremental_restate_sql(arg_dict) -%}
    {%- set day_column = arg_dict['unique_key'] -%}
    {%- if day_column is none or day_column is not string -%}
        {{ exceptions.raise_compiler_error(
            "The restate strategy needs unique_key set to the model's one day column, got "
            ~ day_column
        ) }}
    {%- endif -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ day_column }} >= {{ restate_from() }};

    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }}
    from {{ arg_dict['temp_relation'] }}
{%- endmacro %}


{#- A WHERE clause keeping the days an incremental daily model writes again tonight; nothing
    on a full build or in a unit test (its given rows are all there is). `column` is a day
    column of the rows filtered: the driving days, never rows a window looks back over. -#}
{% macro restated_days(column) -%}
    {%- if model.resource_type != 'unit_test' and is_incremental() %}
    where {{ column }} >= {{ restate_from() }}
    {%- endif -%}
{%- endmacro %}
