{#
    The channels the pipeline follows, one per activity export: social (social posts),
    email (e-mail sends), paid (paid ads), influencer (influencer posts).
#}
{% macro channel_names() -%}
    {{ return(['social', 'email', 'paid', 'influencer']) }}
{%- endmacro %}


{#- SQL list literal of the followed channels, for `in (...)` filters. -#}
{% macro channel_names_sql() -%}
    ({%- for channel in channel_names() -%}
        '{{ channel }}'{{ ", " if not loop.last }}
    {%- endfor -%})
{%- endmacro %}
