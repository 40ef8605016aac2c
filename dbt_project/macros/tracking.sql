{#
    How the tracking signals read a utm_campaign and name what they count.
#}


{#- A utm_campaign with case and separators ignored: "Spring-Sale 26" and "spring_sale_26"
    read alike, so what is left between two spellings are typos. -#}
{% macro utm_spelling(expr) -%}
    regexp_replace(lower(trim({{ expr }})), '[[:space:]_.+-]+', '_', 'g')
{%- endmacro %}


{#- The group of a creator post's engagement norm: its tier on its platform, "instagram:micro". -#}
{% macro tier_on_platform(platform, tier) -%}
    {{ platform }} || ':' || {{ tier }}
{%- endmacro %}
