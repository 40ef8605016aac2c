{#
    The last day a nightly run reports on, as a SQL date expression.

    The pipeline passes it as the var `as_of_date` (YYYY-MM-DD) so a re-run of an old night
    reproduces that night. Run by hand without the var, the latest activity day found in the
    channel exports is used, or yesterday when the warehouse holds no activity yet.
#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is not none and (value | string | trim) != '' -%}
        {%- set value = value | string | trim -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
            {{ exceptions.raise_compiler_error(
                "The var as_of_date must be a day written YYYY-MM-DD, got '" ~ value ~ "'."
            ) }}
        {%- endif -%}
        cast('{{ value }}' as date)
    {%- else -%}
        {{ latest_activity_day() }}
    {%- endif -%}
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
