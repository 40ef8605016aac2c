{#-
    A guard parameter of one campaign (catalogue default or its override): the value of
    int_campaign_guard_parameters for the campaign in `campaign_id`, a column of the calling
    model named with its table (`campaign_days.campaign_id`: a bare name would resolve to the
    parameters' own campaign_id inside the subquery). Signal models use it instead of writing a number that decides a
    verdict, so a team can tune it per campaign, brand or channel (docs/pitfalls.md).
    `integer=true` casts it for date arithmetic (a window in days).

        guard_param('P01', 'min_audience_overlap', 'window_creators.campaign_id')
        campaign_days.date_day - {{ guard_param('P01', 'window_days', 'campaign_days.campaign_id', integer=true) }}
-#}
{% macro guard_param(pitfall_id, name, campaign_id, integer=false) -%}
    {%- if '.' not in campaign_id -%}
        {{ exceptions.raise_compiler_error(
            "guard_param('" ~ pitfall_id ~ "', '" ~ name ~ "'): name the campaign column with its "
            ~ "table, e.g. 'campaign_days.campaign_id' (a bare campaign_id would read the "
            ~ "parameters' own column)") }}
    {%- endif -%}
    {%- set value -%}
        (
            select guard_parameters.value
            from {{ ref('int_campaign_guard_parameters') }} as guard_parameters
            where guard_parameters.campaign_id = {{ campaign_id }}
                and guard_parameters.pitfall_id = '{{ pitfall_id }}'
                and guard_parameters.name = '{{ name }}'
        )
    {%- endset -%}
    {%- if integer -%}cast({{ value }} as integer){%- else -%}{{ value }}{%- endif -%}
{%- endmacro %}


{#-
    Several guard parameters of one pitfall as a relation to join: one row per campaign, a
    column per name (`integer_names` cast for date arithmetic, as guard_param's integer=true).

        inner join {{ guard_params('P10', ['window_days'], integer_names=['window_days']) }}
            as p10_parameters
            on campaign_days.campaign_id = p10_parameters.campaign_id

    Use it where a parameter bounds a join (a window of days): guard_param there is a
    correlated lookup inside the join condition, which PostgreSQL cannot hash or sort on and
    evaluates once per candidate pair of rows (sig_pr_support looked it up 1.9 million times
    for 2,940 campaign days; dbt_project/README.md "Two warehouses"). Joined once per campaign
    day, the bound is a plain column on both engines. Values are guard_param's.
-#}
{% macro guard_params(pitfall_id, names, integer_names=[]) -%}
    {%- for name in integer_names if name not in names -%}
        {{ exceptions.raise_compiler_error(
            "guard_params('" ~ pitfall_id ~ "'): integer name '" ~ name ~ "' is not among "
            ~ names | join(', ')) }}
    {%- endfor -%}
    (
        select
            guard_parameters.campaign_id
            {%- for name in names %},
            {% if name in integer_names %}cast({% endif -%}
            max(guard_parameters.value) filter (where guard_parameters.name = '{{ name }}')
            {%- if name in integer_names %} as integer){% endif %} as {{ name }}
            {%- endfor %}
        from {{ ref('int_campaign_guard_parameters') }} as guard_parameters
        where guard_parameters.pitfall_id = '{{ pitfall_id }}'
        group by guard_parameters.campaign_id
    )
{%- endmacro %}

{#-
    campaign_days_with_params(pitfall_id, names, integer_names=[]): every campaign day the
    night restates, with its campaign's values of the named parameters as columns. The first
    step of each model whose window joins bound on a tuned number of days (see guard_params:
    joined once per campaign day, the bound is a plain column on both engines).
-#}
{% macro campaign_days_with_params(pitfall_id, names, integer_names=[]) -%}
    select
        int_campaign_days.*
        {%- for name in names %},
        campaign_parameters.{{ name }}
        {%- endfor %}

    from {{ ref('int_campaign_days') }} as int_campaign_days
    left join {{ guard_params(pitfall_id, names, integer_names=integer_names) }}
        as campaign_parameters
        on int_campaign_days.campaign_id = campaign_parameters.campaign_id
    {{ restated_days('int_campaign_days.date_day') }}
{%- endmacro %}
