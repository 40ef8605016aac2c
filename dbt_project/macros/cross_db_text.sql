{#
    Text expressions of the signal models whose spelling differs between the two warehouses
    (conventions of cross_db.sql: default__ for PostgreSQL, duckdb__ for the embedded file).
#}


{#- Edit distance (insertions, deletions, substitutions) between two texts. DuckDB has
    levenshtein() built in; PostgreSQL takes it from the fuzzystrmatch extension, which
    create_text_extensions() creates before every build. -#}
{% macro edit_distance(a, b) -%}
    {{ return(adapter.dispatch('edit_distance', 'marketing_health')(a, b)) }}
{%- endmacro %}

{% macro default__edit_distance(a, b) -%}
    levenshtein({{ a }}, {{ b }})
{%- endmacro %}

{% macro duckdb__edit_distance(a, b) -%}
    levenshtein({{ a }}, {{ b }})
{%- endmacro %}


{#- on-run-start hook: what edit_distance() needs. fuzzystrmatch ships with PostgreSQL and is
    a trusted extension, so the warehouse user creates it with the CREATE right on the
    database; nothing to do on DuckDB. -#}
{% macro create_text_extensions() -%}
    {%- if target.type == 'postgres' -%}
        create extension if not exists fuzzystrmatch
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#- The hashtags of a text, in text order, each as written from its # (or full-width ＃) up to
    the first space, # or punctuation mark (ASCII or Chinese): "#ad" is a tag of "#ad, #run",
    not of "#adidas"; "#广告#" (Weibo style) gives "#广告". Lower-case the text first to
    compare with the disclosure markers. -#}
{% macro hashtags_in(text) -%}
    {{ return(adapter.dispatch('hashtags_in', 'marketing_health')(text)) }}
{%- endmacro %}

{% macro hashtag_pattern() -%}
    '[#＃][^[:space:]　#＃,.;:!?()<>{}"''/|&*+=~^`@$%，。！？、；：“”‘’「」『』【】（）《》〈〉…～·-]+'
{%- endmacro %}

{% macro default__hashtags_in(text) -%}
    array(
        select found.tag[1]
        from regexp_matches(coalesce({{ text }}, ''), {{ hashtag_pattern() }}, 'g')
            with ordinality as found(tag, position)
        order by found.position
    )
{%- endmacro %}

{% macro duckdb__hashtags_in(text) -%}
    regexp_extract_all(coalesce({{ text }}, ''), {{ hashtag_pattern() }})
{%- endmacro %}
