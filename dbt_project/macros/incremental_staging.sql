{#
    Staging of the big event exports, built incrementally.

    Each night only the rows published since the last build are new. Every delivered version
    of the keys they carry is read again, so the latest delivery still wins exactly as in a
    full build (a late file for an earlier day included), and delete+insert on the key
    replaces the row kept before. A night with nothing new changes nothing, so re-running it
    never counts a row twice.

    A corrected re-delivery deletes rows from raw, and no key lookup can see a row that is
    gone: when one of the source's files was replaced since the last build, the pre-hook
    empties the table and the build reads every row again.
#}

{#- WHERE clause keeping every version of the keys (the model's unique_key) delivered since
    the last build. -#}
{% macro delivered_since_last_build(relation) -%}
    {%- set key_columns = config.get('unique_key') -%}
    {%- if is_incremental() %}
    where ({{ key_columns | join(', ') }}) in (
        select {{ key_columns | join(', ') }}
        from {{ relation }}
        where loaded_at > (
            select coalesce(max(loaded_at), '-infinity'::timestamp) from {{ this }}
        )
    )
    {%- endif -%}
{%- endmacro %}


{#- Pre-hook: start over when a file of `source_name` was replaced since the last build. -#}
{% macro forget_replaced_deliveries(source_name) -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where exists (
        select 1
        from {{ source('ops', 'load_ledger') }} as ledger
        where ledger.source = '{{ source_name }}'
            and lower(ledger.status) = 'replaced'
            and ledger.loaded_at > (select max(loaded_at) from {{ this }})
    )
    {%- endif -%}
{%- endmacro %}
