"""A tool export's numbers and dates, read in the file's locale.

A German Meta Ads export writes ``1.234,56``, a creator report kept in Paris ``12,5 %``. The
export reader turns cells into the contract's text (``1234.56``) before the contract checks,
so the export's locale is decided here, on the export's own cells, the same way as for a file
in the contract's columns (:func:`marketing_health.ingest.locale_sql.decide`): the declared
locale, else the candidates the file's values leave possible.

Each cell a rule reads as a number or a date gets its locale reading in a view over the
export's rows; the rules take it from there (``RuleContext.readings``). A cell the locales
read differently, or that is not written as the declared locale writes it, gets a problem text
that travels with the contract column it feeds (``__locale__<column>`` in the landed view),
so the row is quarantined with the reason, never loaded with a guess. Date formats the export
definition names for the tool are tried first; the locale reads what they do not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import duckdb

from marketing_health.contract.schema import Source
from marketing_health.ingest import export_sql, locale_evidence, locale_sql
from marketing_health.ingest.locales import load_locale_config
from marketing_health.ingest.sql import ident, literal

#: Table of the export's rows with each read cell's locale reading.
EXPORT_CELLS = "export_cells"

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


def read_locale(
    con: duckdb.DuckDBPyConnection,
    rel_path: str,
    source: Source,
    rules: dict[str, dict[str, Any]],
    ctx: export_sql.RuleContext,
    rows: str,
) -> tuple[str, str | None]:
    """Decide the export's locale and create :data:`EXPORT_CELLS` over ``rows`` (the table of
    its cells, with ``_skip`` set on rows that are not data). Fills ``ctx.kinds`` and
    ``ctx.readings``; returns the relation to read the rows from and the ledger note."""
    ctx.kinds = {c.name: locale_sql.column_kind(c) for c in source.columns}
    specs = list(
        dict.fromkeys(
            spec
            for column, rule in rules.items()
            if column in ctx.kinds
            for spec in _specs(rule, ctx, column)
        )
    )
    if not specs:
        return rows, None
    cells = [
        locale_sql.Cell(f"x{i}", ident(f"__v__x{i}"), kind, _before(kind, formats))  # type: ignore[arg-type]
        for i, (_, kind, formats) in enumerate(specs)
    ]
    values = ", ".join(
        f"{_cell_value(v, kind, formats)} AS {ident(f'__v__x{i}')}"
        for i, (v, kind, formats) in enumerate(specs)
    )
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
    # A table, not a view: the export's rows are few, but the readings of every cell in every
    # candidate locale take long to plan, and a view is planned again by each query over it.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {EXPORT_CELLS} AS {readings} "
        f"SELECT * EXCLUDE ({', '.join(working)}), {', '.join(read)} FROM read"
    )
    return EXPORT_CELLS, reading.note


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
