{#
    Fails for every value outside [min_value, max_value] (bounds inclusive, either optional).
    NULL passes: whether a column may be empty is not_null's job.
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none) %}

with

checked as (

    select {{ column_name }} as value
    from {{ model }}
    where {{ column_name }} is not null

),

final as (

    select * from checked
    where
        false
        {%- if min_value is not none %}
        or value < {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        or value > {{ max_value }}
        {%- endif %}

)

select * from final

{% endtest %}
