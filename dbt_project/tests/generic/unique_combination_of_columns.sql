{#
    Fails for every combination of the given columns that occurs more than once: the grain
    check for models keyed by several columns (campaign x day, campaign x channel x day).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

grouped as (

    select
        {{ combination_of_columns | join(',\n        ') }},
        count(*) as occurrences

    from {{ model }}

    group by {{ combination_of_columns | join(', ') }}

),

final as (

    select * from grouped
    where occurrences > 1

)

select * from final

{% endtest %}
