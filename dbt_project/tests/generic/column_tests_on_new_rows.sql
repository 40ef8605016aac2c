{#
    The nightly form of a model's column tests: every not_null, unique, accepted_values,
    accepted_range, unique_combination_of_columns and relationships test written for the
    model (in its YAML, on its columns or on the model) checked in one query, over the rows
    tonight's build wrote:

    - an incremental daily model (strategy `restate`): the days from `restate_from()` on;
    - an incremental staging table: the rows loaded since the last build (`loaded_at`), except
      for a uniqueness test over other columns than the model's unique_key (whole table);
    - a table or view, rebuilt every night: every row.

    Each test keeps its own meaning (the same rows fail as when it runs on its own) and its own
    `where`. The query returns one row per failing test, with its name and the number of rows
    that break it; the count of failing rows is the test's result. The tests run one by one,
    over whole tables, in CI (`run_dbt_tests`); the nightly build leaves them out and runs this
    one per model instead: one query instead of one per column.

    `parents` names, with ref(), the models a relationships test points to, so dbt builds
    them before this test runs.
#}
{% test column_tests_on_new_rows(model, parents=[]) %}
{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}
{%- if execute -%}
    {%- set node = column_tests_model_node(model) -%}
    {%- set checks = column_tests_checks(node) -%}
{%- else -%}
    {%- set checks = [] -%}
{%- endif %}

{%- if checks | length == 0 %}
select cast(null as varchar) as failed_test, cast(0 as bigint) as failing_rows
where false
{%- else %}
with

{% for check in checks -%}
check_{{ loop.index }} as (

    select cast('{{ check.name }}' as varchar) as failed_test, count(*) as failing_rows
    from (
        {{ check.sql | indent(8) }}
    ) as failures

){{ ',' if not loop.last }}

{% endfor -%}
, all_checks as (

    {% for check in checks -%}
    select * from check_{{ loop.index }}
    {{ 'union all' if not loop.last }}
    {% endfor %}

)

select failed_test, failing_rows
from all_checks
where failing_rows > 0
{%- endif %}
{% endtest %}
