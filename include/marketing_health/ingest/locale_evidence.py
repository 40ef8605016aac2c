"""Which locales a file's numbers and dates are written in, from the file's own values.

A declared locale (``config/locales.yaml``) is the only one. Otherwise every candidate locale
starts possible, and one aggregate query over the file counts, per locale, the values it
cannot read while another locale can: ``12,5`` speaks against the dot-decimal locales,
``1.234,5`` against the English ones, ``25/12/2026`` against the month-first one. The locales
no value speaks against read the file. When every locale has values against it, the file
mixes the forms of several; it is read in those with the fewest against them, and what is
written otherwise is quarantined as not a number or date.

The query looks at each distinct *shape* of a number (its digits made alike: ``1.234,56``
and ``9.876,54`` are read alike by every locale) and each distinct date, not at every row,
and skips plain whole numbers and ISO dates, which every locale reads alike; so it costs
little even on large files. It also finds, per column, whether one way of writing
reads every value of the file as any of the remaining locales would; the contract checks
then read the column that way only.
"""

from __future__ import annotations

import duckdb

from marketing_health.ingest.locale_sql import (
    NUMBER_KINDS,
    Cell,
    FileReading,
    Reader,
    common_sql,
    reader_key,
    readers_of,
)
from marketing_health.ingest.locales import Declaration, LocaleConfig, locale_style

#: Digits made alike, keeping what a locale's reading depends on: a leading zero, zero
#: decimals, the number of digits and every other character.
_SHAPE = "translate({v}, '23456789', '11111111')"


def declared_reading(config: LocaleConfig, declared: Declaration) -> FileReading:
    return FileReading(
        styles=(locale_style(declared.locale),),
        config=config.config,
        declared=declared,
        note=f"numbers and dates read as {declared.locale} ({declared.describe()})",
    )


def _branch(everyone: FileReading, index: int, cell: Cell, relation: str) -> str:
    """One cell's evidence, over its distinct shapes (numbers) or values (dates), each with
    its count of rows: per reader the rows against it and whether it read a value the
    contract's own forms do not; per pair of readers whether the first reads every value the
    second reads, the same way."""
    distinct = (
        f"(SELECT {cell.value} AS __value, count(*) AS __rows FROM {relation} "
        f"WHERE {cell.value} IS NOT NULL GROUP BY ALL)"
    )
    value = Cell(cell.name, '"__value"', cell.kind)
    key = _SHAPE.format(v=value.value) if cell.kind in NUMBER_KINDS else value.value
    # Plain whole numbers and ISO dates read alike everywhere: no evidence, left out.
    keyed = (
        f"(SELECT {key} AS __key, sum(__rows) AS __rows FROM {distinct} "
        f"WHERE {common_sql(value)} IS NULL GROUP BY ALL)"
    )
    read = Cell(cell.name, '"__key"', cell.kind, cell.before)
    n = len(everyone.readers(read))
    r = [read.column(f"r{i}") for i in range(n)]
    against, needed, covers = [], [], []
    for i in range(n):
        others = " OR ".join(f"{r[j]} IS NOT NULL" for j in range(n) if j != i) or "false"
        against.append(f"coalesce(sum(__rows) FILTER (WHERE {r[i]} IS NULL AND ({others})), 0)")
        needed.append(
            f"coalesce(bool_or({r[i]} IS NOT NULL AND {read.before_sql()} IS NULL), false)"
        )
        covers += [
            f"coalesce(bool_and({r[j]} IS NULL OR coalesce({r[i]} = {r[j]}, false)), true)"
            for j in range(n)
        ]
    return (
        f"SELECT {index} AS cell, [{', '.join(against)}]::BIGINT[] AS against, "
        f"[{', '.join(needed)}] AS needed, [{', '.join(covers)}] AS covers "
        f"FROM ({everyone.readings_sql([read], keyed)} SELECT * FROM read)"
    )


def _one_reader(
    cell: Cell, everyone: tuple[Reader, ...], covers: list[bool], left: tuple[Reader, ...]
) -> Reader | None:
    """A remaining reader that reads every value any remaining reader reads, the same way."""
    n = len(everyone)
    position = {reader_key(r.style, cell.kind): i for i, r in enumerate(everyone)}
    indexed = [(r, position[reader_key(r.style, cell.kind)]) for r in left]
    for reader, i in indexed:
        if all(covers[i * n + j] for _, j in indexed):
            return reader
    return None


def decide(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    cells: list[Cell],
    config: LocaleConfig,
    declared: Declaration | None,
) -> FileReading:
    """The locales the file is read in: the declared one, else the candidates its own values
    leave possible (one aggregate query over ``relation``)."""
    if declared is not None:
        return declared_reading(config, declared)
    everyone = FileReading(config.candidate_styles(), config.config)
    if not cells or len(everyone.styles) < 2:
        return everyone
    branches = " UNION ALL ".join(_branch(everyone, i, c, relation) for i, c in enumerate(cells))
    found = {row[0]: row[1:] for row in con.execute(f"{branches} ORDER BY cell").fetchall()}
    against = dict.fromkeys(everyone.tags, 0)
    needed: set[str] = set()
    for i, cell in enumerate(cells):
        counts, flags, _ = found[i]
        for reader, count, flag in zip(everyone.readers(cell), counts, flags, strict=True):
            for tag in reader.tags:
                against[tag] += count
            if flag:
                needed.update(reader.tags)
    fewest = min(against.values())
    remaining = tuple(s for s in everyone.styles if against[s.tag] == fewest)
    tags = ", ".join(s.tag for s in remaining)
    if fewest:
        note = (
            f"numbers and dates are written in the forms of several locales; read as {tags}, "
            "values written otherwise are quarantined"
        )
    elif needed & {s.tag for s in remaining}:
        note = f"numbers and dates recognised as {tags}"
    else:
        note = None
    only = {}
    for i, cell in enumerate(cells):
        left = readers_of(remaining, cell.kind)
        one = _one_reader(cell, everyone.readers(cell), list(found[i][2]), left)
        if one is not None and len(left) > 1:
            only[cell.name] = one
    return FileReading(remaining, config.config, note=note, only=only)
