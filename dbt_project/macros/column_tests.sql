{#
    Helpers of the generic test column_tests_on_new_rows (tests/generic/): what it reads from
    the manifest and the SQL of each column test it runs.
#}

{#- The model node a relation belongs to. -#}
{% macro column_tests_model_node(relation) -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model'
            and node.alias | lower == relation.identifier | lower
            and node.schema | lower == relation.schema | lower -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("column_tests_on_new_rows: no model for " ~ relation) }}
{%- endmacro %}


{#- The column tests attached to `node`, as {name, sql}: the sql selects the failing rows. -#}
{% macro column_tests_checks(node) -%}
    {%- set supported = column_tests_combined() -%}
    {%- set checks = [] -%}
    {%- set relation = api.Relation.create(
        database=node.database, schema=node.schema, identifier=node.alias
    ) -%}
    {%- for test in graph.nodes.values()
        if test.resource_type == 'test' and test.attached_node == node.unique_id
        and test.test_metadata is not none and test.config.enabled -%}
        {%- set kind = test.test_metadata.name -%}
        {%- if kind != 'column_tests_on_new_rows' -%}
        {%- if kind not in supported -%}
            {{ exceptions.raise_compiler_error(
                "column_tests_on_new_rows cannot run the test " ~ test.name ~ " ("
                ~ kind ~ ") on " ~ node.name ~ ": add it to macros column_tests_checks and "
                ~ "column_tests_combined, or give the model no such test"
            ) }}
        {%- endif -%}
        {%- set kwargs = test.test_metadata.kwargs -%}
        {%- set columns = [kwargs.get('column_name')] if kwargs.get('column_name') else kwargs.get('combination_of_columns') -%}
        {%- set rows = column_tests_rows(node, relation, test, kind, columns) -%}
        {%- if kind == 'not_null' -%}
            {%- set sql = 'select 1 from ' ~ rows ~ ' as tested where ' ~ columns[0] ~ ' is null' -%}
        {%- elif kind == 'accepted_range' -%}
            {%- set bounds = [] -%}
            {%- if kwargs.get('min_value') is not none -%}
                {%- do bounds.append(columns[0] ~ ' < ' ~ column_tests_argument(kwargs.min_value)) -%}
            {%- endif -%}
            {%- if kwargs.get('max_value') is not none -%}
                {%- do bounds.append(columns[0] ~ ' > ' ~ column_tests_argument(kwargs.max_value)) -%}
            {%- endif -%}
            {%- set sql = 'select 1 from ' ~ rows ~ ' as tested where ' ~ columns[0] ~ ' is not null and ('
                ~ (bounds | join(' or ') if bounds else 'false') ~ ')' -%}
        {%- elif kind == 'accepted_values' -%}
            {%- set quote = kwargs.get('quote', true) -%}
            {%- set values = [] -%}
            {%- for value in column_tests_argument(kwargs['values']) -%}
                {%- do values.append("'" ~ value ~ "'" if quote else value | string) -%}
            {%- endfor -%}
            {%- set sql = 'select ' ~ columns[0] ~ ' from ' ~ rows ~ ' as tested where ' ~ columns[0]
                ~ ' not in (' ~ values | join(', ') ~ ') group by ' ~ columns[0] -%}
        {%- elif kind in ('unique', 'unique_combination_of_columns') -%}
            {%- set keys = columns | join(', ') -%}
            {%- set not_null = ' where ' ~ columns[0] ~ ' is not null' if kind == 'unique' else '' -%}
            {%- set sql = 'select ' ~ keys ~ ' from ' ~ rows ~ ' as tested' ~ not_null ~ ' group by ' ~ keys
                ~ ' having count(*) > 1' -%}
        {%- elif kind == 'relationships' -%}
            {%- set parent = column_tests_parent(node, test) -%}
            {%- set sql = 'select child.' ~ columns[0] ~ ' from ' ~ rows ~ ' as child'
                ~ ' left join ' ~ parent ~ ' as parent on child.' ~ columns[0]
                ~ ' = parent.' ~ kwargs.field ~ ' where child.' ~ columns[0]
                ~ ' is not null and parent.' ~ kwargs.field ~ ' is null' -%}
        {%- endif -%}
        {%- do checks.append({'name': test.name, 'sql': sql}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(checks | sort(attribute='name')) }}
{%- endmacro %}


{#- The test kinds column_tests_on_new_rows runs; the nightly build leaves out these tests
    themselves (marketing_health.transform.dbt.COMBINED_COLUMN_TESTS lists the same). -#}
{% macro column_tests_combined() -%}
    {{ return([
        'not_null', 'unique', 'accepted_values', 'accepted_range',
        'unique_combination_of_columns', 'relationships'
    ]) }}
{%- endmacro %}


{#- The rows a test of `node` checks tonight, as a subquery. -#}
{% macro column_tests_rows(node, relation, test, kind, columns) -%}
    {%- set conditions = [] -%}
    {%- set config = node.config -%}
    {%- set key = config.get('unique_key') -%}
    {%- set keys = [key] if key is string else (key or []) -%}
    {%- set grain_test = kind in ('unique', 'unique_combination_of_columns') -%}
    {%- set covers_key = keys | length > 0 and (keys | reject('in', columns) | list | length == 0) -%}
    {%- if config.materialized == 'incremental' and (not grain_test or covers_key) -%}
        {%- if config.get('incremental_strategy') == 'restate' -%}
            {%- do conditions.append(key ~ ' >= ' ~ restate_from()) -%}
        {%- else -%}
            {%- do conditions.append(
                '(loaded_at > ' ~ loaded_since() ~ ' or loaded_at is null)'
            ) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if test.config.where -%}
        {%- do conditions.append('(' ~ test.config.where ~ ')') -%}
    {%- endif -%}
    {%- if conditions -%}
        (select * from {{ relation }} where {{ conditions | join(' and ') }})
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro %}


{#- The model a relationships test points to. It must be among the `parents` of the test
    running (`model` here is that test's node), so it is built before the test reads it. -#}
{% macro column_tests_parent(node, test) -%}
    {%- for uid in test.depends_on.nodes if uid != node.unique_id -%}
        {%- set parent = graph.nodes[uid] -%}
        {%- if uid not in model.depends_on.nodes -%}
            {{ exceptions.raise_compiler_error(
                test.name ~ " points to " ~ parent.name ~ ": give column_tests_on_new_rows on "
                ~ node.name ~ " the argument parents: [\"ref('" ~ parent.name ~ "')\"]"
            ) }}
        {%- endif -%}
        {{ return(api.Relation.create(
            database=parent.database, schema=parent.schema, identifier=parent.alias
        )) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("no parent model for " ~ test.name) }}
{%- endmacro %}


{#- A test argument as the test itself gets it: one written as Jinja ("{{ macro() }}") is
    rendered and read back as a value. -#}
{% macro column_tests_argument(value) -%}
    {%- if value is string and '{{' in value -%}
        {{ return(fromyaml(render(value))) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
