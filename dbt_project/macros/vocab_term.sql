{#-
    A term as the vocabularies compare it: trimmed, lower case, runs of whitespace and hyphens
    read as "_" (marketing_health.catalogue.vocabularies.normalise_term does the same in Python).
-#}
{% macro vocab_term(expr) -%}
    regexp_replace(lower(trim({{ expr }})), '[[:space:]-]+', '_', 'g')
{%- endmacro %}
