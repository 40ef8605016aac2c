{#
    Planner statistics on PostgreSQL. Its planner sizes every join from the statistics of the
    tables read; a table nobody has analysed yet (raw rows the night just loaded, a model dbt
    has just written) is guessed at a handful of rows, and then a mart joins thousands of
    campaign days through nested loops that rescan an aggregate once per row (sig_short_video
    took 8 s instead of 0.4 s that way; dbt_project/README.md "Two warehouses"). Autovacuum
    analyses tables eventually, never between two models of one build. DuckDB keeps its
    statistics as it writes: nothing to do there.
#}


{#- on-run-start hook: analyse every table of the source schemas changed since its last
    analysis (tonight's loads; unchanged history is not sampled again). -#}
{% macro analyze_changed_sources() -%}
    {%- if target.type == 'postgres' and execute -%}
        {%- set schemas = [] -%}
        {%- for source in graph.sources.values() -%}
            {%- if source.schema not in schemas -%}
                {%- do schemas.append(source.schema) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if schemas -%}
        do $analyze$
        declare
            changed record;
        begin
            for changed in
                select schemaname, relname
                from pg_stat_user_tables
                where schemaname in (
                    {%- for schema in schemas -%}
                        '{{ schema }}'{{ ', ' if not loop.last }}
                    {%- endfor -%}
                )
                    and (n_mod_since_analyze > 0
                        or coalesce(last_analyze, last_autoanalyze) is null)
            loop
                execute format('analyze %I.%I', changed.schemaname, changed.relname);
            end loop;
        end
        $analyze$
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- post-hook of every model: a table or incremental model just written is analysed before the
    models downstream plan their joins on it (views have no statistics of their own). A daily
    model of the restate strategy (macros/incremental_daily.sql) also gets an index on its day
    column: each night deletes its restated days by that column, and the marts downstream join
    its rows by night (sig_creator_content read the engagement norms 16,657 times by a full
    scan before). -#}
{% macro analyze_built_relation() -%}
    {%- if target.type == 'postgres' and config.get('materialized') in ('table', 'incremental') -%}
        {%- if config.get('incremental_strategy') == 'restate' and config.get('unique_key') -%}
            create index if not exists "{{ (this.identifier ~ '__restated_day')[:63] }}"
            on {{ this }} ({{ config.get('unique_key') }});
        {% endif -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}


{#- pre-hook of every model: the memory a sort or hash of the model's statement may use on
    PostgreSQL before spilling to disk (var postgres_work_mem; `set local` ends with the
    model's transaction). The server's default (4 MB) is sized for many small queries; a mart
    over 1 M rows then spills its sorts, and the planner, counting that cost, joins the
    campaign days to their window totals by a nested loop over 93 million pairs
    (sig_creator_content: 21 s; 4 s with 64 MB). -#}
{% macro postgres_build_settings() -%}
    {%- if target.type == 'postgres' -%}
        set local work_mem = '{{ var("postgres_work_mem") }}'
    {%- endif -%}
{%- endmacro %}
