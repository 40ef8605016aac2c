{#
    Descriptions as warehouse comments (`persist_docs`, dbt_project.yml) on DuckDB, written
    only where the relation's comment differs from the description.

    dbt-duckdb writes them after every model, whatever the relation already says: the table's
    comment, the columns listed twice, then every column's comment, four statements a model.
    An incremental table keeps its comments from the night it was created, so on an
    incremental night all of that rewrote what was there. Here the relation's comments are
    read in one query and only those that differ are written, in one statement: the comments
    are the same as before, and a model whose comments are already right costs one query.
    PostgreSQL keeps dbt's own macro.
#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
    {%- set relation_docs = for_relation and config.persist_relation_docs() and model.description -%}
    {%- set column_docs = for_columns and config.persist_column_docs() and model.columns -%}
    {%- if relation_docs or column_docs -%}
        {%- set existing = relation_comments(relation) -%}
        {%- set statements = [] -%}
        {%- if relation_docs and existing.relation != model.description -%}
            {%- do statements.append(alter_relation_comment(relation, model.description)) -%}
        {%- endif -%}
        {%- if column_docs -%}
            {%- set documented = validate_doc_columns(
                relation, model.columns, existing.columns.keys() | list
            ) -%}
            {#- as dbt-duckdb's alter_column_comment, which would list the columns again -#}
            {%- set changed = {} -%}
            {%- for name, column in documented.items()
                if name in existing.columns
                and existing.columns[name] != column['description'] -%}
                {%- do changed.update({name: column}) -%}
            {%- endfor -%}
            {%- for name, column in changed.items() -%}
                {%- do statements.append(
                    'comment on column ' ~ relation ~ '.'
                    ~ (adapter.quote(name) if column['quote'] else name)
                    ~ ' is ' ~ duckdb_escape_comment(column['description']) ~ ';'
                ) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- if statements -%}
            {%- do run_query(statements | join('\n')) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#- The comments a DuckDB relation carries: {'relation': its own comment or none,
    'columns': {column name: comment or none}}. -#}
{% macro relation_comments(relation) -%}
    {%- set where -%}
        database_name = '{{ relation.database }}'
        and schema_name = '{{ relation.schema }}'
        and table_name = '{{ relation.identifier }}'
    {%- endset -%}
    {%- set result = run_query(
        "select null as column_name, comment from duckdb_tables() where " ~ where
        ~ " union all select null, comment from duckdb_views() where "
        ~ where | replace('table_name', 'view_name')
        ~ " union all select column_name, comment from duckdb_columns() where " ~ where
    ) -%}
    {%- set found = {'relation': none, 'columns': {}} -%}
    {%- for row in result.rows -%}
        {%- if row[0] is none -%}
            {%- do found.update({'relation': row[1]}) -%}
        {%- else -%}
            {%- do found.columns.update({row[0]: row[1]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{%- endmacro %}
