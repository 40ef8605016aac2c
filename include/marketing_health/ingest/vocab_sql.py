"""The vocabularies at ingest, as set-based SQL: platform and format names, yes/no words and
disclosure markers read the same way by the contract checks and by every tool export.

One small temp table, ``vocab_terms`` (vocabulary, term, meaning), is filled per staging
connection from :func:`load_vocabularies` (the package's files plus the team's
``config/vocabularies/``); values are normalised in SQL as ``normalise_term`` does in Python
and the dbt macro ``vocab_term`` in dbt, then joined to it. A name the vocabulary does not
know is kept as written (normalised), never dropped: the warehouse keeps what the file said
and the unknown-term listing shows it.
"""

from __future__ import annotations

import duckdb

from marketing_health.catalogue.vocabularies import Vocabularies, load_vocabularies
from marketing_health.ingest.sql import literal

#: Temp table of every term the readers look up: (vocabulary, term, meaning).
TERMS = "vocab_terms"
#: Vocabulary -> the ``table_rows()`` table holding its (term, meaning, language) rows.
TERM_TABLES: dict[str, str] = {
    "platforms": "platform_terms",
    "post_formats": "post_format_terms",
    "yes_no": "yes_no_terms",
}


def create_terms_table(con: duckdb.DuckDBPyConnection, vocab: Vocabularies | None = None) -> None:
    """Fill ``vocab_terms`` once per connection (a few hundred rows, one statement)."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary", [TERMS]
    ).fetchone()[0]
    if exists:
        return
    tables = (vocab or load_vocabularies()).table_rows()
    rows = [
        f"({literal(vocabulary)}, {literal(term)}, {literal(meaning)})"
        for vocabulary, table in TERM_TABLES.items()
        for term, meaning, _language in tables[table][1]
    ]
    con.execute(f"CREATE TEMP TABLE {TERMS} (vocabulary VARCHAR, term VARCHAR, meaning VARCHAR)")
    if rows:
        con.execute(f"INSERT INTO {TERMS} VALUES {', '.join(rows)}")


def term_sql(value_sql: str) -> str:
    """A value as the vocabularies compare it (``normalise_term``; the dbt macro ``vocab_term``)."""
    return f"regexp_replace(lower(trim({value_sql})), '[[:space:]-]+', '_', 'g')"


def meaning_sql(vocabulary: str, value_sql: str) -> str:
    """What the vocabulary says the value means (its id), NULL when it does not know it."""
    return (
        f"(SELECT min(meaning) FROM {TERMS} WHERE vocabulary = {literal(vocabulary)} "
        f"AND term = {term_sql(value_sql)})"
    )


def id_sql(vocabulary: str, value_sql: str) -> str:
    """The vocabulary's id for a known name; an unknown one as written, normalised."""
    return f"coalesce({meaning_sql(vocabulary, value_sql)}, {term_sql(value_sql)})"


def words_id_sql(vocabulary: str, value_sql: str) -> str:
    """The id of the longest vocabulary name the value holds as whole words (``Instagram
    Business`` -> instagram, ``IG reel`` -> short_video); an unknown one as written,
    normalised."""
    term = term_sql(value_sql)
    found = (
        f"(SELECT arg_max(meaning, length(term)) FROM {TERMS} "
        f"WHERE vocabulary = {literal(vocabulary)} "
        f"AND contains('_' || {term} || '_', '_' || term || '_'))"
    )
    return f"coalesce({found}, {term})"


def boolean_sql(value_sql: str) -> str:
    """true / false / 1 / 0 / yes / no as DuckDB casts them, else a yes/no word of any language
    the vocabulary knows (``ja``, ``是``, ``non``); NULL for anything else."""
    return (
        f"coalesce(TRY_CAST({value_sql} AS BOOLEAN), "
        f"TRY_CAST({meaning_sql('yes_no', value_sql)} AS BOOLEAN))"
    )


def disclosure_sql(
    text_sql: str, platform_sql: str | None, vocab: Vocabularies | None = None
) -> str:
    """``'true'`` when the text carries a disclosure marker valid on the row's platform (the
    markers of every platform, and the platform's own), else ``'false'``; an empty text is not
    disclosed.

    ``platform_sql`` is the platform as the row names it (any spelling the platforms
    vocabulary knows); None when the export has no platform. The patterns are constants
    (:meth:`Vocabularies.disclosure_patterns`), compiled once per file.
    """
    patterns = (vocab or load_vocabularies()).disclosure_patterns()
    text = f"lower({text_sql})"
    found = f"regexp_matches({text}, {literal(patterns['*'])})"
    own = {p: pattern for p, pattern in patterns.items() if p != "*"}
    if platform_sql is not None and own:
        whens = " ".join(
            f"WHEN {literal(p)} THEN regexp_matches({text}, {literal(pattern)})"
            for p, pattern in own.items()
        )
        platform = id_sql("platforms", platform_sql)
        found += f" OR coalesce(CASE {platform} {whens} END, false)"
    return f"CASE WHEN {text_sql} IS NOT NULL AND ({found}) THEN 'true' ELSE 'false' END"
