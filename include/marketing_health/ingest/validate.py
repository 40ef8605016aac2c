"""The contract checks of one source's new files, as one statement.

``safe`` holds every new file of the source (:mod:`~marketing_health.ingest.batch`): values
trimmed, personal data hashed, free text redacted, each row tagged with its file. One
statement builds ``checked`` from it (the row's values as ``safe`` holds them, typed, and its
problems):

* it types every column (``__t__<column>``; a column whose typed value is its text, such as a
  hashed address, is kept once, under its own name: see :func:`checked_column`). Numbers and
  dates are read in each file's locale
  (:mod:`~marketing_health.ingest.locale_sql`): the declared one, or the candidates the file's
  own values leave possible, decided for all the files in one query
  (:func:`~marketing_health.ingest.locale_evidence.decide_files`). Files read the same way
  are typed by the same expression; a value those locales read differently gets a problem
  text (``__p__<column>``) and is never guessed. An amount (``money: true``) loses its
  currency sign first (:mod:`~marketing_health.ingest.money`); a sign naming another currency
  than the row's is a problem too. A tool export arrives with its values already read by the
  export reader, and its problem texts in ``__locale__<column>``.
* it lists every problem of a row (``__problems``: column, label, what is wrong), one entry
  per broken rule of each column;
* a second, narrow statement then finds the rows repeating the key of an earlier row of
  their file, among the rows without other problems (the first occurrence loads, later ones
  are quarantined), and gives them that problem. It needs the problems of every row first. The
  keys seen more than once in a file, with their first row, are found by aggregates: first over
  a hash of file and key (a number: cheap to group even for millions of rows), then, only for
  the hashes seen twice, over the key itself, so a hash shared by two keys changes nothing.
  That costs far less than a window partitioned by the key (which sorts every row with all its
  values), and when, as usual, no key repeats, it changes no row.

Valid rows are those with no problem; each problem is one quarantine record
(:mod:`~marketing_health.ingest.outputs`), with the row's values as ``safe`` holds them.
"""

from __future__ import annotations

import duckdb

from marketing_health.contract.problems import problem_sql
from marketing_health.contract.schema import PII_KINDS, Column, Source
from marketing_health.ingest import batch as batch_facts
from marketing_health.ingest import locale_evidence, locale_sql, money, vocab_sql
from marketing_health.ingest.batch import SourceBatch
from marketing_health.ingest.locales import LocaleConfig
from marketing_health.ingest.safe import SAFE, work
from marketing_health.ingest.sql import ident, literal

CHECKED = "checked"

_SHOW_CHARS = 60
_PII_WORDS = {"email": "e-mail address", "phone": "phone number"}

#: The problem code of a value that is not of its column's type (messages: ``problems``).
TYPE_PROBLEMS: dict[str, str] = {
    "integer": "not_whole_number",
    "decimal": "not_number",
    "date": "not_date",
    "timestamp": "not_timestamp",
    "boolean": "not_yes_no",
}
#: The problem code of an amount (``money: true``) that is not a number.
MONEY_PROBLEM = "not_amount"


def typed_column(name: str) -> str:
    """The typed value of a column in ``checked``."""
    return ident(f"__t__{name}")


def stores_value_as_typed(col: Column) -> bool:
    """Whether a column's typed value is its value as ``safe`` holds it (text without an
    enumeration or vocabulary, hashed personal data): ``checked`` then keeps it once, not twice.
    For an e-mail list that is two 64-character hashes a row fewer to copy and hold."""
    return typed_sql(col) == ident(col.warehouse_name) and col.duckdb_type == "VARCHAR"


def checked_column(col: Column) -> str:
    """The column of ``checked`` that holds the column's typed value."""
    if stores_value_as_typed(col):
        return ident(col.warehouse_name)
    return typed_column(col.warehouse_name)


def _p(name: str) -> str:
    """The locale problem of a column's value in ``checked`` (NULL: none)."""
    return ident(f"__p__{name}")


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
    if kind is not None:  # as the contract writes it; the file's locale is read elsewhere
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


def _amounts(source: Source, signs: money.CurrencySigns, rows: str) -> tuple[str, list[str]]:
    """``rows`` with each amount's value and currency sign apart, and those working columns."""
    amounts = [c for c in source.columns if c.money and column_kind(c) is not None]
    if not amounts:
        return rows, []
    parts = []
    for c in amounts:
        v = ident(c.warehouse_name)
        parts += [
            f"{money.amount_sql(v, signs)} AS {_amount(c.warehouse_name)}",
            f"{money.sign_sql(v, signs)} AS {_sign(c.warehouse_name)}",
        ]
    working = [f(c.warehouse_name) for c in amounts for f in (_amount, _sign)]
    return f"(SELECT *, {', '.join(parts)} FROM {rows})", working


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


def _column_checks(col: Column) -> list[tuple[str, str]]:
    """(condition on ``checked``, problem SQL) for each rule of one column."""
    v, t = ident(col.warehouse_name), typed_column(col.warehouse_name)
    checks = []
    if not col.nullable:
        checks.append((f"{v} IS NULL", problem_sql("empty")))
    if col.type != "text" and not col.pii:
        read = column_kind(col) is not None
        p = _p(col.warehouse_name)
        code = MONEY_PROBLEM if col.money else TYPE_PROBLEMS[col.type]
        checks.append(
            (
                f"{v} IS NOT NULL AND {t} IS NULL" + (f" AND {p} IS NULL" if read else ""),
                problem_sql(code, value=_show(v)),
            )
        )
        if read:  # read in the file's locale: ambiguous, or not as the declared locale writes
            checks.append((f"{p} IS NOT NULL", p))
    if col.enum:
        allowed = ", ".join(literal(e) for e in col.enum)
        checks.append(
            (
                f"{t} IS NOT NULL AND {t} NOT IN ({allowed})",
                problem_sql("not_allowed", value=_show(v), allowed=literal(", ".join(col.enum))),
            )
        )
    if col.min is not None:
        bound = f"{col.min:g}"
        problem = (
            problem_sql("negative", value=_show(v))
            if col.min == 0
            else problem_sql("below_minimum", value=_show(v), minimum=literal(bound))
        )
        checks.append((f"{t} < {bound}", problem))
    return checks


def _exported_sql(source: Source, cells: list[locale_sql.Cell], rows: str) -> str:
    """Typed values of files whose numbers and dates their reader has read (tool exports), or
    of a source without numbers and dates."""
    typed = [f"{typed_sql(c)} AS {typed_column(c.warehouse_name)}" for c in source.columns]
    typed += [
        f"{ident(locale_sql.PROBLEM_PREFIX + c.name)}::VARCHAR AS {_p(c.name)}" for c in cells
    ]
    return f"SELECT *, {', '.join(typed)} FROM {rows}"


def _reading_sql(
    source: Source,
    cells: list[locale_sql.Cell],
    reading: locale_sql.FileReading,
    signs: money.CurrencySigns,
    rows: str,
) -> str:
    """Typed values of files read in ``reading``'s locales."""
    relation, amounts = _amounts(source, signs, rows)
    by_name = {c.name: c for c in cells}
    typed = [
        f"{reading.typed(by_name[c.name]) if c.name in by_name else typed_sql(c)} "
        f"AS {typed_column(c.warehouse_name)}"
        for c in source.columns
    ]
    typed += [f"{_problem(reading, c, source, signs)} AS {_p(c.name)}" for c in cells]
    working = ", ".join([*(name for c in cells for name in reading.working(c)), *amounts])
    return (
        f"{reading.readings_sql(cells, relation)} "
        f"SELECT * EXCLUDE ({working}), {', '.join(typed)} FROM read"
    )


def _typing_groups(
    con: duckdb.DuckDBPyConnection, batch: SourceBatch, locales: LocaleConfig
) -> dict[str, list[int]]:
    """The typing SELECT over the relation ``group_rows`` -> the files typed by it.

    Sets each file's locale note (what its ledger message says about how its numbers and
    dates were read, when it took a locale to read them).
    """
    source = batch.source
    cells = _cells(source)
    groups: dict[str, list[int]] = {}
    plain = []
    for f in batch.read:
        if f.exported or not cells:
            groups.setdefault(_exported_sql(source, cells, "group_rows"), []).append(f.index)
            if f.locale_note:
                f.add_note(f.locale_note)
        else:
            plain.append(f)
    if not plain:
        return groups
    signs = money.currency_signs(locales.locales_in_use())
    declared = {f.index: locales.declared_for(source.name, f.rel_path) for f in plain}
    relation, _ = _amounts(source, signs, SAFE)
    readings = locale_evidence.decide_files(con, relation, cells, locales, declared)
    for f in plain:
        reading = readings[f.index]
        sql = _reading_sql(source, cells, reading, signs, "group_rows")
        groups.setdefault(sql, []).append(f.index)
        if reading.note:
            f.add_note(reading.note)
    return groups


def _problems_sql(source: Source) -> str:
    """The row's problems as a list of (order, column, label, problem: code and values as
    JSON text, see :mod:`~marketing_health.contract.problems`); NULL when none."""
    items, conditions = [], []
    for order, col in enumerate(source.columns):
        label = literal(f"column '{col.name}'")
        for condition, problem in _column_checks(col):
            conditions.append(f"({condition})")
            items.append(
                f"CASE WHEN {condition} THEN {{'o': {order}, 'c': {literal(col.name)}, "
                f"'l': {label}, 'p': {problem}}} END"
            )
    if not items:
        return "NULL::STRUCT(o INTEGER, c VARCHAR, l VARCHAR, p VARCHAR)[]"
    return (
        f"CASE WHEN {' OR '.join(conditions)} "
        f"THEN list_filter([{', '.join(items)}], lambda __x: __x IS NOT NULL) END"
    )


def _duplicate_sql(source: Source, offsets: str) -> str:
    """The problem of a row of ``checked`` repeating the key of an earlier valid row of its
    file, the first one's row number being ``repeated.__first``."""
    by_name = {c.warehouse_name: c for c in source.columns}
    shown = ", ".join(
        literal(f"{by_name[k].name}: the same {_PII_WORDS[by_name[k].pii]}")
        if by_name[k].pii
        else f"{literal(k + ' ')} || CAST({CHECKED}.{checked_column(by_name[k])} AS VARCHAR)"
        for k in source.key
    )
    names = ", ".join(by_name[k].name for k in source.key)
    label = "columns " + ", ".join(f"'{by_name[k].name}'" for k in source.key)
    first = f"(repeated.__first + {offsets}[{CHECKED}._file + 1])"
    text = problem_sql("repeated_key", first=first, key=f"concat_ws(', ', {shown})")
    return (
        f"{{'o': {len(source.columns)}, 'c': {literal(names)}, 'l': {literal(label)}, 'p': {text}}}"
    )


def checked_sql(groups: dict[str, list[int]], batch: SourceBatch) -> str:
    """The one statement that builds ``checked`` from ``safe``: each row's values as ``safe``
    holds them (for the quarantine record), typed (``__t__<column>``, in the warehouse's
    types), its problems and the hash of its file and key."""
    source = batch.source
    every = [f.index for f in batch.read]
    starts = batch_facts.starts_sql(batch)
    ctes, typed = [], []
    for i, (sql, files) in enumerate(groups.items()):
        where = (
            "" if len(files) == len(every) else f" WHERE _file IN ({', '.join(map(str, files))})"
        )
        number = f"coalesce(_row_number, __ordinal - {starts}[_file + 1] + 1)"
        ctes.append(f"g{i} AS (SELECT * REPLACE ({number} AS _row_number) FROM {SAFE}{where})")
        typed.append(f"SELECT * FROM ({sql.replace('group_rows', f'g{i}')})")
    keys = ", ".join(typed_column(k) for k in source.key)
    columns = [ident(c.warehouse_name) for c in source.columns]
    columns += [
        work(kind, c) for c in source.columns if c.free_text and not c.pii for kind in PII_KINDS
    ]
    columns += [
        f"CAST({t} AS {c.duckdb_type}) AS {t}"
        for c in source.columns
        if not stores_value_as_typed(c) and (t := typed_column(c.warehouse_name))
    ]
    return (
        f"CREATE OR REPLACE TEMP TABLE {CHECKED} AS WITH {', '.join(ctes)}, "
        f"typed AS ({' UNION ALL BY NAME '.join(typed)}) "
        f"SELECT _file, _row_number, {', '.join(columns)}, {_problems_sql(source)} AS __problems, "
        f"hash(_file, {keys}) AS __key_hash FROM typed"
    )


def duplicates_sql(batch: SourceBatch) -> str:
    """The statement that gives each row repeating the key of an earlier valid row of its
    file that problem (see the module's text)."""
    source = batch.source
    by_name = {c.warehouse_name: c for c in source.columns}
    stored = [checked_column(by_name[k]) for k in source.key]
    keys = ", ".join(stored)
    same_key = " AND ".join(
        [f"{CHECKED}._file = repeated._file"]
        + [f"{CHECKED}.{k} IS NOT DISTINCT FROM repeated.{k}" for k in stored]
    )
    problem = _duplicate_sql(source, batch_facts.offsets_sql(batch))
    return (
        f"UPDATE {CHECKED} SET __problems = [{problem}] FROM ("
        f"SELECT _file, {keys}, min(_row_number) AS __first FROM {CHECKED} "
        "WHERE __problems IS NULL AND __key_hash IN ("
        f"  SELECT __key_hash FROM {CHECKED} WHERE __problems IS NULL "
        "  GROUP BY ALL HAVING count(*) > 1) "
        "GROUP BY ALL HAVING count(*) > 1) AS repeated "
        f"WHERE {CHECKED}.__problems IS NULL AND {same_key} "
        f"AND {CHECKED}._row_number > repeated.__first"
    )


def create_checked(
    con: duckdb.DuckDBPyConnection, batch: SourceBatch, locales: LocaleConfig
) -> None:
    """Build ``checked`` from ``safe`` (nothing to do when no file was read)."""
    if not batch.read:
        return
    vocab_sql.create_terms_table(con)  # names, formats and yes/no words: see typed_sql
    groups = _typing_groups(con, batch, locales)
    con.execute(checked_sql(groups, batch))
    con.execute(f"DROP TABLE {SAFE}")  # ``checked`` holds what is needed: free the memory
    con.execute(duplicates_sql(batch))


def drop_checked(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP TABLE IF EXISTS {CHECKED}")
