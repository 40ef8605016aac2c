{#
    Unit-test fixtures on PostgreSQL. dbt reads each input's column types to cast the fixture
    values, and PostgreSQL's information schema names every array column just "ARRAY": the
    element type is read from udt_name instead (_text -> text[]). A list cell of a fixture is
    written as in DuckDB, "[a, b]", so one fixture serves both warehouses; on PostgreSQL it is
    turned into the array literal {"a","b"}.
#}

{% macro postgres__get_columns_in_relation(relation) -%}
    {% call statement('get_columns_in_relation', fetch_result=True) %}
        select
            column_name,
            case
                when data_type = 'ARRAY' then substr(udt_name, 2) || '[]'
                else data_type
            end as data_type,
            character_maximum_length,
            numeric_precision,
            numeric_scale
        from {{ relation.information_schema('columns') }}
        where table_name = '{{ relation.identifier }}'
            {% if relation.schema %}
            and table_schema = '{{ relation.schema }}'
            {% endif %}
        order by ordinal_position
    {% endcall %}
    {% set table = load_result('get_columns_in_relation').table %}
    {{ return(sql_convert_columns_in_relation(table)) }}
{%- endmacro %}


{% macro postgres__safe_cast(field, type) -%}
    {%- set text = field | string | trim -%}
    {%- if (type | string).endswith('[]') and text.startswith("'[") and text.endswith("]'") -%}
        {%- set items = [] -%}
        {%- for item in text[2:-2].split(',') if item | trim != '' -%}
            {%- set cleaned = (item | trim).replace('\\', '\\\\').replace('"', '\\"') -%}
            {%- do items.append('"' ~ cleaned ~ '"') -%}
        {%- endfor -%}
        cast('{{ "{" ~ items | join(",") ~ "}" }}' as {{ type }})
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
