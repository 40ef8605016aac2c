"""Which locales a file's numbers and dates are written in, from the file's own values.

A declared locale (``config/locales.yaml``) is the only one. Otherwise every candidate locale
starts possible, and one aggregate query over the file counts, per locale, the values it
cannot read while another locale can: ``12,5`` speaks against the dot-decimal locales,
``1.234,5`` against the English ones, ``25/12/2026`` against the month-first one. The locales
no value speaks against read the file. When every locale has values against it, the file
mixes the forms of several; it is read in those with the fewest against them, and what is
written otherwise is quarantined as not a number or date.

Many files are decided in one query (:func:`decide_files`), grouped by file, so a night of a
source's files costs one query, not one per file.

The query skips plain whole numbers and ISO dates, which every locale reads alike, then looks
at each distinct *shape* of a number (its digits made alike: ``1.234,56`` and ``9.876,54`` are
read alike by every locale) and each distinct date, not at every row; so it costs little even
on large files. It also finds, per column, whether one way of writing
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


def _branch(everyone: FileReading, index: int, cell: Cell, relation: str, by: str) -> str:
    """One cell's evidence per file (``by``), over its distinct shapes (numbers) or values
    (dates), each with its count of rows: per reader the rows against it and whether it read a
    value the contract's own forms do not; per pair of readers whether the first reads every
    value the second reads, the same way."""
    value = Cell(cell.name, cell.value, cell.kind)
    key = _SHAPE.format(v=value.value) if cell.kind in NUMBER_KINDS else value.value
    # Plain whole numbers and ISO dates read alike everywhere: no evidence, left out first
    # (dates and times are mostly all different: grouping them first would cost more).
    keyed = (
        f"(SELECT {by} AS __by, {key} AS __key, count(*) AS __rows FROM {relation} "
        f"WHERE {value.value} IS NOT NULL AND {common_sql(value)} IS NULL GROUP BY ALL)"
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
        f"SELECT __by, {index} AS cell, [{', '.join(against)}]::BIGINT[] AS against, "
        f"[{', '.join(needed)}] AS needed, [{', '.join(covers)}] AS covers "
        f"FROM ({everyone.readings_sql([read], keyed)} SELECT * FROM read) GROUP BY __by"
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


#: One cell's evidence in one file: rows against each reader, readers needed, readers covering.
_Evidence = tuple[list[int], list[bool], list[bool]]


def _evidence(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    cells: list[Cell],
    everyone: FileReading,
    by: str,
) -> dict[object, dict[int, _Evidence]]:
    """File (the value of ``by``) -> cell -> evidence, in one aggregate query. A file without
    a value that tells locales apart has no entry.

    Cells whose every value is a plain whole number or an ISO date (the usual case for dates)
    hold no evidence; a first, light query finds them, so the evidence query, long to plan,
    leaves them out."""
    counts = ", ".join(
        f"count(*) FILTER (WHERE {c.value} IS NOT NULL AND {common_sql(c)} IS NULL)" for c in cells
    )
    (found_any,) = con.execute(f"SELECT [{counts}] FROM {relation}").fetchone()
    telling = [(i, c) for i, c in enumerate(cells) if found_any[i]]
    if not telling:
        return {}
    branches = " UNION ALL ".join(_branch(everyone, i, c, relation, by) for i, c in telling)
    found: dict[object, dict[int, _Evidence]] = {}
    for file, cell, against, needed, covers in con.execute(branches).fetchall():
        found.setdefault(file, {})[cell] = (list(against), list(needed), list(covers))
    return found


def _no_evidence(everyone: FileReading, cell: Cell) -> _Evidence:
    n = len(everyone.readers(cell))
    return [0] * n, [False] * n, [True] * (n * n)


def _reading(
    found: dict[int, _Evidence], cells: list[Cell], everyone: FileReading, config: LocaleConfig
) -> FileReading:
    """The locales one file is read in, from its evidence."""
    evidence = [found.get(i) or _no_evidence(everyone, c) for i, c in enumerate(cells)]
    against = dict.fromkeys(everyone.tags, 0)
    needed: set[str] = set()
    for cell, (counts, flags, _) in zip(cells, evidence, strict=True):
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
    for cell, (_, _, covers) in zip(cells, evidence, strict=True):
        left = readers_of(remaining, cell.kind)
        one = _one_reader(cell, everyone.readers(cell), covers, left)
        if one is not None and len(left) > 1:
            only[cell.name] = one
    return FileReading(remaining, config.config, note=note, only=only)


def decide(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    cells: list[Cell],
    config: LocaleConfig,
    declared: Declaration | None,
) -> FileReading:
    """The locales one file is read in: the declared one, else the candidates its own values
    leave possible (one aggregate query over ``relation``)."""
    if declared is not None:
        return declared_reading(config, declared)
    everyone = FileReading(config.candidate_styles(), config.config)
    if not cells or len(everyone.styles) < 2:
        return everyone
    found = _evidence(con, relation, cells, everyone, "0").get(0, {})
    return _reading(found, cells, everyone, config)


def decide_files(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    cells: list[Cell],
    config: LocaleConfig,
    declared: dict[int, Declaration | None],
) -> dict[int, FileReading]:
    """:func:`decide` for many files at once: ``relation`` holds their rows, each tagged with
    its file (``_file``); ``declared`` maps each file to its declaration (None: none). The
    files without one are decided together, in one aggregate query."""
    readings = {f: declared_reading(config, d) for f, d in declared.items() if d is not None}
    undecided = [f for f, d in declared.items() if d is None]
    if not undecided:
        return readings
    everyone = FileReading(config.candidate_styles(), config.config)
    if not cells or len(everyone.styles) < 2:
        return readings | dict.fromkeys(undecided, everyone)
    files = ", ".join(str(f) for f in undecided)
    subset = f"(SELECT * FROM {relation} WHERE _file IN ({files}))"
    found = _evidence(con, subset, cells, everyone, "_file")
    for f in undecided:
        readings[f] = _reading(found.get(f, {}), cells, everyone, config)
    return readings
