"""The contract checks of one file, as set-based SQL generated from the contract.

Three in-memory tables, each built from the one before:

``safe``
    the file's values, trimmed, empty -> NULL, personal-data columns replaced by their keyed
    hash and free text redacted. The raw values are gone from here on: everything below, the
    staged files and the quarantine records, is built from ``safe``.
``checked``
    ``safe`` plus each column cast to its contract type (``__t__<column>``). Numbers and dates
    are read in the file's locale (:mod:`~marketing_health.ingest.locale_sql`): the declared
    one, or the candidates the file's own values leave possible. A value those locales read
    differently gets a problem text instead (``__p__<column>``) and is never guessed. An
    amount (``money: true``) loses its currency sign first (:mod:`~marketing_health.ingest.money`);
    a sign naming another currency than the row's is a problem text too. A tool export
    arrives with its values already read by the export reader, and its problem texts in
    ``__locale__<column>`` columns.
``issues``
    one row per problem found: (row, column, what is wrong), from one SQL check per column
    rule, then duplicate keys among the rows without other problems (the first occurrence
    loads, later ones are quarantined).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb

from marketing_health.contract.schema import PII_KINDS, Column, Source
from marketing_health.ingest import locale_evidence, locale_sql, money, pii, vocab_sql
from marketing_health.ingest.locales import LocaleConfig, load_locale_config
from marketing_health.ingest.read import LANDED
from marketing_health.ingest.sql import ident, literal

SAFE = "safe"
CHECKED = "checked"
ISSUES = "issues"

_WHITESPACE = "' ' || chr(9) || chr(10) || chr(13) || chr(160)"
_SHOW_CHARS = 60
_PII_WORDS = {"email": "e-mail address", "phone": "phone number"}

#: What a value of each type must look like, said to the person who exports the file.
TYPE_PROBLEMS: dict[str, str] = {
    "integer": "is not a whole number",
    "decimal": "is not a number (write it like 1234.56: a dot for decimals, no thousands "
    "separators or currency signs)",
    "date": "is not a date in the form YYYY-MM-DD",
    "timestamp": "is not a date and time in the form YYYY-MM-DD HH:MM:SS",
    "boolean": "is not yes or no (write true/false, yes/no, 1/0 or a word of the yes/no "
    "vocabulary: ja/nein, 是/否, oui/non, sí/no; a team adds its own words in "
    "config/vocabularies/yes_no.yaml)",
}
#: What an amount (``money: true``) must look like.
MONEY_PROBLEM = (
    "is not a number (write it like 1234.56, or as the file's locale writes numbers; a "
    "currency sign or code may stand before or after it: $1,234.56, 1.234,56 €, CNY 1,234.56)"
)


@dataclass(frozen=True)
class FileContext:
    """Where the rows of one file came from: stamped on every staged row and message."""

    source: Source
    file_path: str
    delivery_day: date
    checksum: str
    row_offset: int
    #: Contract column -> how the file calls it, when the file is a tool export.
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, col: Column) -> str:
        if col.name in self.labels:
            return f"column {self.labels[col.name]} ({col.name})"
        return f"column '{col.name}'"


def _t(name: str) -> str:
    """The typed value of a column in ``checked``."""
    return ident(f"__t__{name}")


def _p(name: str) -> str:
    """The locale problem of a column's value in ``checked`` (NULL: none)."""
    return ident(f"__p__{name}")


def _work(part: str, col: Column) -> str:
    """A working column of the free-text redaction: noemail, phones, email or phone."""
    return ident(f"__{part}__{col.name}")


def _show(value_sql: str) -> str:
    """A value quoted for a message, cut to a readable length."""
    return (
        f"('''' || CASE WHEN length({value_sql}) > {_SHOW_CHARS} "
        f"THEN left({value_sql}, {_SHOW_CHARS - 3}) || '...' ELSE {value_sql} END || '''')"
    )


def typed_sql(col: Column) -> str:
    """The contract-typed value of a column of ``safe`` (NULL when it cannot be cast)."""
    v = ident(col.warehouse_name)
    if col.vocabulary and not col.pii:
        return vocab_sql.id_sql(col.vocabulary, v)
    if col.pii or col.type == "text":
        return f"lower({v})" if col.enum else v
    if col.type == "boolean":
        return vocab_sql.boolean_sql(v)
    kind = column_kind(col)
    if kind is not None:  # as the contract writes it; create_checked reads the file's locale
        return locale_sql.cast_sql(kind, v)
    return f"TRY_CAST({v} AS {col.duckdb_type})"


column_kind = locale_sql.column_kind


def _amount(name: str) -> str:
    """An amount's value without its currency sign, in the relation ``checked`` is read from."""
    return ident(f"__amount__{name}")


def _sign(name: str) -> str:
    """An amount's currency sign (NULL: none)."""
    return ident(f"__sign__{name}")


def _cells(source: Source) -> list[locale_sql.Cell]:
    """The values read in the file's locale; an amount is read without its currency sign."""
    return [
        locale_sql.Cell(
            c.warehouse_name,
            _amount(c.warehouse_name) if c.money else ident(c.warehouse_name),
            kind,
            money=c.money,
        )
        for c in source.columns
        if (kind := column_kind(c)) is not None
    ]


def _amounts(source: Source, signs: money.CurrencySigns) -> tuple[str, list[str]]:
    """``safe`` with each amount's value and currency sign apart, and those working columns."""
    amounts = [c for c in source.columns if c.money and column_kind(c) is not None]
    if not amounts:
        return SAFE, []
    parts = []
    for c in amounts:
        v = ident(c.warehouse_name)
        parts += [
            f"{money.amount_sql(v, signs)} AS {_amount(c.warehouse_name)}",
            f"{money.sign_sql(v, signs)} AS {_sign(c.warehouse_name)}",
        ]
    working = [f(c.warehouse_name) for c in amounts for f in (_amount, _sign)]
    return f"(SELECT *, {', '.join(parts)} FROM {SAFE})", working


def _problem(
    reading: locale_sql.FileReading,
    cell: locale_sql.Cell,
    source: Source,
    signs: money.CurrencySigns,
) -> str:
    """The locale problem of a value; for an amount read without one, a sign that names
    another currency than the row's."""
    if not cell.money:
        return reading.problem(cell)
    shown = ident(cell.name)
    problem = reading.problem(cell, shown)
    currency = source.currency_column
    if currency is None:
        return problem
    other = money.contradiction_sql(
        _sign(cell.name),
        ident(currency.warehouse_name),
        locale_sql.show_sql(shown),
        signs,
        currency.name,
    )
    return f"coalesce({problem}, CASE WHEN {reading.typed(cell)} IS NOT NULL THEN {other} END)"


def _columns_of(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE {relation}").fetchall()]


def create_safe(con: duckdb.DuckDBPyConnection, source: Source, pii_key: str) -> None:
    """Build ``safe`` from the ``landed`` view; the key travels as a query parameter only."""
    free = [c for c in source.columns if c.free_text and not c.pii]
    cleaned = ", ".join(
        f"NULLIF(trim({ident(c.name)}, {_WHITESPACE}), '') AS {ident(c.name)}"
        for c in source.columns
    )
    no_email = "".join(
        f", {pii.without_emails_sql(ident(c.name))} AS {_work('noemail', c)}"
        f", {pii.has_email_sql(ident(c.name))} AS {_work('email', c)}"
        for c in free
    )
    phones = "".join(
        f", {pii.phone_candidates_sql(_work('noemail', c))} AS {_work('phones', c)}" for c in free
    )
    # A tool export's reader leaves its locale problems beside the values (locale_sql).
    problems = [
        ident(n) for n in _columns_of(con, LANDED) if n.startswith(locale_sql.PROBLEM_PREFIX)
    ]
    cleaned += "".join(f", {p}" for p in problems)
    final = []
    for c in source.columns:
        if c.pii:
            final.append(f"{pii.hash_sql(ident(c.name), c.pii)} AS {ident(c.warehouse_name)}")
        elif c.free_text:
            redacted = pii.without_phones_sql(_work("noemail", c), _work("phones", c))
            final += [
                f"{redacted} AS {ident(c.name)}",
                _work("email", c),
                f"coalesce(len({_work('phones', c)}) > 0, false) AS {_work('phone', c)}",
            ]
        else:
            final.append(ident(c.name))
    final += problems
    sql = (
        f"CREATE OR REPLACE TEMP TABLE {SAFE} AS "
        f"WITH cells AS (SELECT _row_number, {cleaned} FROM {LANDED}), "
        f"no_email AS (SELECT *{no_email} FROM cells), "
        f"phones AS (SELECT *{phones} FROM no_email) "
        f"SELECT _row_number, {', '.join(final)} FROM phones"
    )
    con.execute(sql, {pii.KEY_PARAMETER: pii_key} if "$" + pii.KEY_PARAMETER in sql else None)


def create_checked(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    file_path: str | None = None,
    locales: LocaleConfig | None = None,
) -> str | None:
    """Build ``checked``; return what the file's ledger message says about its locale.

    ``file_path`` (relative to the landing folder) finds the file's declared locale in
    ``locales`` (default: :func:`load_locale_config`); without a declaration the file is
    recognised from its own values, with one aggregate query (``locale_evidence.decide``).
    """
    vocab_sql.create_terms_table(con)  # names, formats and yes/no words: see typed_sql
    cells = _cells(source)
    exported = {
        n.removeprefix(locale_sql.PROBLEM_PREFIX)
        for n in _columns_of(con, SAFE)
        if n.startswith(locale_sql.PROBLEM_PREFIX)
    }
    if exported or not cells:
        # A tool export: its reader has read numbers and dates in the file's locale already.
        typed = [f"{typed_sql(c)} AS {_t(c.warehouse_name)}" for c in source.columns]
        typed += [
            f"{ident(locale_sql.PROBLEM_PREFIX + c.name) if c.name in exported else 'NULL'}"
            f"::VARCHAR AS {_p(c.name)}"
            for c in cells
        ]
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {CHECKED} AS SELECT *, {', '.join(typed)} FROM {SAFE}"
        )
        return None
    config = locales or load_locale_config()
    declared = config.declared_for(source.name, file_path) if file_path else None
    signs = money.currency_signs(config.locales_in_use())
    relation, amounts = _amounts(source, signs)
    reading = locale_evidence.decide(con, relation, cells, config, declared)
    by_name = {c.name: c for c in cells}
    typed = [
        f"{reading.typed(by_name[name]) if name in by_name else typed_sql(c)} AS {_t(name)}"
        for c, name in ((c, c.warehouse_name) for c in source.columns)
    ]
    typed += [f"{_problem(reading, c, source, signs)} AS {_p(c.name)}" for c in cells]
    working = ", ".join([*(name for c in cells for name in reading.working(c)), *amounts])
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {CHECKED} AS {reading.readings_sql(cells, relation)} "
        f"SELECT * EXCLUDE ({working}), {', '.join(typed)} FROM read"
    )
    return reading.note


def _column_checks(col: Column) -> list[tuple[str, str]]:
    """(condition on ``checked``, problem text SQL) for each rule of one column."""
    v, t = ident(col.warehouse_name), _t(col.warehouse_name)
    checks = []
    if not col.nullable:
        checks.append((f"{v} IS NULL", literal("is empty; every row needs a value here")))
    if col.type != "text" and not col.pii:
        read = column_kind(col) is not None
        p = _p(col.warehouse_name)
        what = MONEY_PROBLEM if col.money else TYPE_PROBLEMS[col.type]
        checks.append(
            (
                f"{v} IS NOT NULL AND {t} IS NULL" + (f" AND {p} IS NULL" if read else ""),
                f"{_show(v)} || {literal(' ' + what)}",
            )
        )
        if read:  # read in the file's locale: ambiguous, or not as the declared locale writes
            checks.append((f"{p} IS NOT NULL", p))
    if col.enum:
        allowed = ", ".join(literal(e) for e in col.enum)
        problem = literal(" is not an allowed value; use one of: " + ", ".join(col.enum))
        checks.append((f"{t} IS NOT NULL AND {t} NOT IN ({allowed})", f"{_show(v)} || {problem}"))
    if col.min is not None:
        bound = f"{col.min:g}"
        text = (
            " is negative; it must be 0 or more"
            if col.min == 0
            else f" is below the minimum of {bound}"
        )
        checks.append((f"{t} < {bound}", f"{_show(v)} || {literal(text)}"))
    return checks


def create_issues(con: duckdb.DuckDBPyConnection, ctx: FileContext) -> None:
    """One row per problem: (_row_number, _col_order, column_name, label, problem)."""
    parts = []
    for order, col in enumerate(ctx.source.columns):
        label = ctx.label(col)
        for condition, problem in _column_checks(col):
            parts.append(
                f"SELECT _row_number, {order} AS _col_order, {literal(col.name)} AS column_name, "
                f"{literal(label)} AS label, {problem} AS problem "
                f"FROM {CHECKED} WHERE {condition}"
            )
    parts = parts or [
        "SELECT NULL::BIGINT AS _row_number, NULL::INTEGER AS _col_order, "
        "NULL::VARCHAR AS column_name, NULL::VARCHAR AS label, NULL::VARCHAR AS problem WHERE false"
    ]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {ISSUES} AS {' UNION ALL '.join(parts)}")
    con.execute(_duplicate_keys_sql(ctx))


def _duplicate_keys_sql(ctx: FileContext) -> str:
    source = ctx.source
    by_name = {c.warehouse_name: c for c in source.columns}
    keys = ", ".join(_t(k) for k in source.key)
    shown = ", ".join(
        literal(f"{by_name[k].name}: the same {_PII_WORDS[by_name[k].pii]}")
        if by_name[k].pii
        else f"{literal(k + ' ')} || CAST({_t(k)} AS VARCHAR)"
        for k in source.key
    )
    label = "columns " + ", ".join(f"'{by_name[k].name}'" for k in source.key)
    return (
        f"INSERT INTO {ISSUES} SELECT _row_number, {len(source.columns)}, "
        f"{literal(', '.join(by_name[k].name for k in source.key))}, {literal(label)}, "
        f"'repeats row ' || (first_row + {ctx.row_offset}) || ' (' || key_values || "
        f"'); only the first of them was loaded' "
        f"FROM (SELECT _row_number, min(_row_number) OVER (PARTITION BY {keys}) AS first_row, "
        f"concat_ws(', ', {shown}) AS key_values FROM {CHECKED} "
        f"WHERE _row_number NOT IN (SELECT _row_number FROM {ISSUES})) "
        "WHERE _row_number > first_row"
    )


def good_rows_sql(ctx: FileContext) -> str:
    """Rows without problems, in the shape of ``raw.<source>`` (``_loaded_at`` set at publish)."""
    cols = [
        f"CAST({_t(c.warehouse_name)} AS {c.duckdb_type}) AS {ident(c.warehouse_name)}"
        for c in ctx.source.columns
    ]
    cols += [
        f"{literal(ctx.file_path)} AS _file_path",
        "_row_number",
        f"DATE {literal(ctx.delivery_day.isoformat())} AS _delivery_day",
        f"{literal(ctx.checksum)} AS _checksum",
        "NULL::TIMESTAMP AS _loaded_at",
    ]
    return (
        f"SELECT {', '.join(cols)} FROM {CHECKED} "
        f"WHERE _row_number NOT IN (SELECT _row_number FROM {ISSUES}) ORDER BY _row_number"
    )


def quarantine_sql(ctx: FileContext) -> str:
    """Problem rows for ``ops.quarantine``: the record is built from ``safe`` (hashed, redacted)."""
    record = ", ".join(
        f"{literal(c.warehouse_name)}, s.{ident(c.warehouse_name)}" for c in ctx.source.columns
    )
    return (
        f"SELECT {literal(ctx.source.name)} AS source, {literal(ctx.file_path)} AS file_path, "
        "i._row_number AS row_number, i.column_name, "
        f"{literal(ctx.file_path + ', row ')} || (i._row_number + {ctx.row_offset}) || ', ' "
        "|| i.label || ': ' || i.problem AS reason, "
        f"CAST(json_object({record}) AS VARCHAR) AS record "
        f"FROM {ISSUES} i JOIN {SAFE} s USING (_row_number) ORDER BY i._row_number, i._col_order"
    )


def findings_sql(ctx: FileContext) -> str:
    """One ``ops.pii_findings`` row per free-text cell where an address or number was redacted."""
    source = ctx.source
    names = {c.warehouse_name for c in source.columns}
    campaign = ident("campaign_id") if "campaign_id" in names else "NULL::VARCHAR"
    day = literal(ctx.delivery_day.isoformat())
    data_day = (
        f"coalesce({_t(source.day_column)}, DATE {day})" if source.day_column else f"DATE {day}"
    )
    parts = [
        f"SELECT {literal(source.name)} AS source, {literal(ctx.file_path)} AS file_path, "
        f"_row_number AS row_number, {literal(c.name)} AS column_name, {literal(kind)} AS kind, "
        f"{campaign} AS campaign_id, {data_day} AS data_day "
        f"FROM {CHECKED} WHERE {_work(kind, c)}"
        for c in source.columns
        if c.free_text and not c.pii
        for kind in PII_KINDS
    ]
    if not parts:
        return (
            "SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS file_path, "
            "NULL::BIGINT AS row_number, NULL::VARCHAR AS column_name, NULL::VARCHAR AS kind, "
            "NULL::VARCHAR AS campaign_id, NULL::DATE AS data_day WHERE false"
        )
    return " UNION ALL ".join(parts) + " ORDER BY row_number, column_name, kind"


def drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in (ISSUES, CHECKED, SAFE):
        con.execute(f"DROP TABLE IF EXISTS {table}")
