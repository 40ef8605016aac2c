"""A tool export's numbers and dates, read in the file's locale.

A German Meta Ads export writes ``1.234,56``, a creator report kept in Paris ``12,5 %``. The
export reader turns cells into the contract's text (``1234.56``) before the contract checks,
so the export's locale is decided here, on the export's own cells, the same way as for a file
in the contract's columns (:func:`marketing_health.ingest.locale_sql.decide`): the declared
locale, else the candidates the file's values leave possible. The night's exports are
decided together (:func:`decide_exports`): one query per kind of export, grouped by file.

Each cell a rule reads as a number or a date gets its locale reading in a CTE over the
export's rows; the rules take it from there (``RuleContext.readings``). A cell the locales
read differently, or that is not written as the declared locale writes it, gets a problem text
that travels with the contract column it feeds (``__locale__<column>`` in the landed view),
so the row is quarantined with the reason, never loaded with a guess. Date formats the export
definition names for the tool are tried first; the locale reads what they do not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from marketing_health.contract.schema import Source
from marketing_health.ingest import export_sql, locale_evidence, locale_sql
from marketing_health.ingest.locales import load_locale_config
from marketing_health.ingest.sql import ident, literal

#: Table of the export's rows in the contract's columns, read in the export's locale.
EXPORT_CELLS = "export_cells"
#: The CTE of the export's rows with each read cell's locale reading.
CELLS = "__cells"

#: Table of the values to decide the locales of many exports by, while they are decided.
_VALUES = "export_locale_values"
_RAW = "export_locale_cells"

_Spec = tuple[str, str, tuple[str, ...] | None]


def _specs(rule: dict[str, Any], ctx: export_sql.RuleContext, column: str) -> Iterator[_Spec]:
    """(cell SQL, locale kind, the tool's date formats) of every cell the rule reads as a
    number or a date."""
    if "first_of" in rule:
        for sub in rule["first_of"]:
            yield from _specs(sub, ctx, column)
    elif "sum" in rule:
        yield from ((ctx.fields[f], "integer", None) for f in rule["sum"] if f in ctx.fields)
    elif "rate" in rule:
        if rule["rate"] in ctx.fields and rule["of"] in ctx.fields:
            yield ctx.fields[rule["rate"]], "percent", None
            yield ctx.fields[rule["of"]], "integer", None
    elif "from" in rule and rule["from"] in ctx.fields and "value" not in rule:
        kind = export_sql.locale_kind(rule.get("as"), ctx.kinds.get(column))
        if kind in locale_sql.DATE_KINDS:
            default = export_sql.DATE_FORMATS if kind == "date" else export_sql.TIMESTAMP_FORMATS
            yield ctx.fields[rule["from"]], kind, tuple(rule.get("formats") or default)
        elif kind is not None:
            yield ctx.fields[rule["from"]], kind, None


def _cell_value(v: str, kind: str, formats: tuple[str, ...] | None) -> str:
    """What the locale reads: a number without currency sign, or a date the tool's own
    formats do not read."""
    if formats is None:
        return export_sql.number_cell_sql(v)
    tool = "[" + ", ".join(literal(f) for f in formats) + "]"
    return f"CASE WHEN try_strptime({v}, {tool}) IS NULL THEN {v} END"


def _before(kind: str, formats: tuple[str, ...] | None) -> Callable[[str], str]:
    """How a cell's value was typed before locales were read (for the note only): by the
    English reading of numbers; a date cell only holds what the tool's formats do not read."""
    if formats is not None:
        return lambda v: "NULL"

    def before(v: str) -> str:
        legacy = (
            f"CAST({export_sql.ratio_sql(v)} AS VARCHAR)"
            if kind == "percent"
            else export_sql.number_sql(v)
        )
        return locale_sql.cast_sql(kind, legacy)  # type: ignore[arg-type]

    return before


def _locale_cells(
    source: Source, rules: dict[str, dict[str, Any]], ctx: export_sql.RuleContext
) -> tuple[list[_Spec], list[locale_sql.Cell]]:
    """The cells the export's rules read as numbers or dates, with their locale cells (the
    value each cell's locale reads, as ``__v__x<i>``). Fills ``ctx.kinds``."""
    ctx.kinds = {c.name: locale_sql.column_kind(c) for c in source.columns}
    specs = list(
        dict.fromkeys(
            spec
            for column, rule in rules.items()
            if column in ctx.kinds
            for spec in _specs(rule, ctx, column)
        )
    )
    cells = [
        locale_sql.Cell(f"x{i}", ident(f"__v__x{i}"), kind, _before(kind, formats))  # type: ignore[arg-type]
        for i, (_, kind, formats) in enumerate(specs)
    ]
    return specs, cells


def _values_sql(specs: list[_Spec]) -> str:
    return ", ".join(
        f"{_cell_value(v, kind, formats)} AS {ident(f'__v__x{i}')}"
        for i, (v, kind, formats) in enumerate(specs)
    )


@dataclass(frozen=True)
class PendingExport:
    """An export whose rows are read (``rows``, with ``_skip``) and whose locale is still to
    be decided, together with the other exports of the night (:func:`decide_exports`)."""

    key: object
    rel_path: str
    source: Source
    rules: dict[str, dict[str, Any]]
    ctx: export_sql.RuleContext
    rows: str


def decide_exports(
    con: duckdb.DuckDBPyConnection, pending: list[PendingExport]
) -> dict[object, locale_sql.FileReading]:
    """The locale of each pending export, decided for all of them at once: the exports whose
    rules read the same kinds of cells are decided in one aggregate query grouped by file
    (:func:`~marketing_health.ingest.locale_evidence.decide_files`), not one query per file,
    which costs far more to plan than to run on an export's few hundred rows. Exports without
    a number or date to read get no entry."""
    config = load_locale_config()
    groups: dict[tuple[object, ...], list[tuple[int, PendingExport, list[_Spec]]]] = {}
    cells_of: dict[tuple[object, ...], list[locale_sql.Cell]] = {}
    for i, one in enumerate(pending):
        specs, cells = _locale_cells(one.source, one.rules, one.ctx)
        if not specs:
            continue
        shape = (one.source.name, *((kind, formats) for _, kind, formats in specs))
        groups.setdefault(shape, []).append((i, one, specs))
        cells_of[shape] = cells
    readings: dict[object, locale_sql.FileReading] = {}
    for shape, members in groups.items():
        # Each file's cells under one name (one small insert per file: a union of hundreds of
        # selects takes long to plan), then read in the locales' terms by one expression.
        kinds = [(kind, formats) for _, kind, formats in members[0][2]]
        raw = [ident(f"__raw__x{j}") for j in range(len(kinds))]
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {_RAW} (_file INTEGER, "
            + ", ".join(f"{r} VARCHAR" for r in raw)
            + ")"
        )
        for i, one, specs in members:
            cells_sql = ", ".join(v for v, _, _ in specs)
            con.execute(
                f"INSERT INTO {_RAW} SELECT {i}, {cells_sql} FROM {one.rows} WHERE _skip IS NULL"
            )
        values = _values_sql([(r, k, f) for r, (k, f) in zip(raw, kinds, strict=True)])
        union = f"SELECT _file, {values} FROM {_RAW}"
        declared = {i: config.declared_for(one.source.name, one.rel_path) for i, one, _ in members}
        # The values in a table first: the evidence query reads them once per cell.
        con.execute(f"CREATE OR REPLACE TEMP TABLE {_VALUES} AS {union}")
        try:
            decided = locale_evidence.decide_files(con, _VALUES, cells_of[shape], config, declared)
        finally:
            con.execute(f"DROP TABLE IF EXISTS {_VALUES}")
            con.execute(f"DROP TABLE IF EXISTS {_RAW}")
        readings |= {one.key: decided[i] for i, one, _ in members}
    return readings


def read_locale(
    con: duckdb.DuckDBPyConnection,
    rel_path: str,
    source: Source,
    rules: dict[str, dict[str, Any]],
    ctx: export_sql.RuleContext,
    rows: str,
    reading: locale_sql.FileReading | None = None,
) -> tuple[str | None, str | None]:
    """Decide the export's locale (unless ``reading`` was decided already, by
    :func:`decide_exports`) and give the CTEs, ending in :data:`CELLS`, that read its cells
    over ``rows`` (the relation of its cells, with ``_skip`` set on rows that are not data).
    Fills ``ctx.kinds`` and ``ctx.readings``; returns the CTEs (None: nothing to read in a
    locale, the rows are read as they are) and the ledger note."""
    specs, cells = _locale_cells(source, rules, ctx)
    if not specs:
        return None, None
    values = _values_sql(specs)
    if reading is None:
        config = load_locale_config()
        declared = config.declared_for(source.name, rel_path)
        relation = f"(SELECT *, {values} FROM {rows} WHERE _skip IS NULL)"
        reading = locale_evidence.decide(con, relation, cells, config, declared)
    working = [name for c in cells for name in reading.working(c)] + [c.value for c in cells]
    read = []
    for cell, (v, kind, _) in zip(cells, specs, strict=True):
        text, problem = ident(f"__n__{cell.name}"), ident(f"__q__{cell.name}")
        read += [f"{reading.text(cell)} AS {text}", f"{reading.problem(cell, v)} AS {problem}"]
        ctx.readings[(v, kind)] = (text, problem)
    readings = reading.readings_sql(cells, f"(SELECT *, {values} FROM {rows})")
    cte = f"{CELLS} AS (SELECT * EXCLUDE ({', '.join(working)}), {', '.join(read)} FROM read)"
    return f"{readings}, {cte}", reading.note


def rule_problem_sql(rule: dict[str, Any], ctx: export_sql.RuleContext, column: str) -> str | None:
    """The locale problem of the value ``rule`` gives ``column`` (SQL, NULL: none): the
    problem of the cell the value was read from."""
    problems: list[str]
    if "first_of" in rule:  # the problem of the first part that gives a value
        whens, any_problem = [], False
        for sub in rule["first_of"]:
            value = export_sql.rule_sql(sub, ctx, column)
            problem = rule_problem_sql(sub, ctx, column)
            any_problem = any_problem or problem is not None
            if value is not None:
                whens.append(f"WHEN ({value}) IS NOT NULL THEN {problem or 'NULL'}")
        return f"CASE {' '.join(whens)} END" if any_problem else None
    if "sum" in rule:
        problems = [
            p
            for f in rule["sum"]
            if f in ctx.fields
            if (p := ctx.problem(ctx.fields[f], "integer"))
        ]
    elif "rate" in rule:
        rate, base = ctx.fields.get(rule["rate"]), ctx.fields.get(rule["of"])
        if rate is None or base is None:
            return None
        problems = [p for p in (ctx.problem(rate, "percent"), ctx.problem(base, "integer")) if p]
    elif "from" in rule and rule["from"] in ctx.fields and "value" not in rule:
        kind = export_sql.locale_kind(rule.get("as"), ctx.kinds.get(column))
        problem = ctx.problem(ctx.fields[rule["from"]], kind) if kind else None
        when = rule.get("when")
        if problem and when:
            cond = ctx.fields.get(when["field"])
            if cond is None:
                return None
            words = " OR ".join(f"contains(lower({cond}), {literal(w)})" for w in when["contains"])
            problem = f"CASE WHEN {words} THEN {problem} END"
        problems = [problem] if problem else []
    else:
        return None
    if not problems:
        return None
    return problems[0] if len(problems) == 1 else f"coalesce({', '.join(problems)})"
