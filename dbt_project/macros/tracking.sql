{#
    How the tracking signals read a utm_campaign and name what they count.
#}


{#- A utm_campaign with case and separators ignored: "Spring-Sale 26" and "spring_sale_26"
    read alike, so what is left between two spellings are typos. -#}
{% macro utm_spelling(expr) -%}
    regexp_replace(lower(trim({{ expr }})), '[[:space:]_.+-]+', '_', 'g')
{%- endmacro %}


{#- A count of a channel's activity rows in the words an evidence sentence uses, e.g.
    "3 sends", "1 creator post" (rows of int_channel_activity_unioned: a social post is
    reported once per day, an ad group once per day). -#}
{% macro channel_activities_in_words(channel, count) -%}
    {%- set units = {
        'social': ('social post-day', 'social post-days'),
        'email': ('send', 'sends'),
        'paid': ('ad-group day', 'ad-group days'),
        'influencer': ('creator post', 'creator posts'),
    } -%}
    cast({{ count }} as varchar) || ' ' || case {{ channel }}
        {%- for name, words in units.items() %}
        when '{{ name }}' then case when {{ count }} = 1 then '{{ words[0] }}' else '{{ words[1] }}' end
        {%- endfor %}
        else {{ channel }}
    end
{%- endmacro %}


{#- The group of a creator post's engagement norm: its tier on its platform, "instagram:micro". -#}
{% macro tier_on_platform(platform, tier) -%}
    {{ platform }} || ':' || {{ tier }}
{%- endmacro %}
