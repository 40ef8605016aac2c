"""Tool exports in the landing zone: recognise them by their header and read them into the
contract's columns.

A marketer drops what Ads Manager, Klaviyo or Sprout Social exported into the folder of the
source it feeds. The file is recognised by its header (in any of the languages of
``contract/exports/*.yaml``), wherever the header sits below title lines; total rows and rows
of another kind are dropped and counted; each contract column is derived in one SQL statement;
then the file goes through exactly the checks, quarantine and hashing a contract file gets.

A night's exports are read in three steps so that the long SQL is planned once per kind of
export, not once per file (planning it costs far more than running it on a few hundred rows):
each export's rows are read and checked as a whole (:func:`prepare_export`), the locales of
all of them are decided together (:func:`decide_locales`), and the exports whose contract
columns come out as the same SQL (one tool, header and locale) are computed by one statement
(:func:`land_exports`).
Quarantine messages name the row as the file shows it and the export's own header.

A file that is neither in the contract's columns nor a known export is rejected whole, with
the headers seen and the closest known exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb

from marketing_health.contract.exports import (
    ExportField,
    ExportFormat,
    header_key,
    load_exports,
    rule_fields,
)
from marketing_health.contract.schema import Source, load_contract
from marketing_health.ingest import export_locale, export_sql, locale_sql, vocab_sql
from marketing_health.ingest.discover import LandingFile, discover
from marketing_health.ingest.errors import ContractViolation
from marketing_health.ingest.pii import redact_text
from marketing_health.ingest.sniff import Sniffed
from marketing_health.ingest.sql import ident, literal

#: Table the export's rows are read into (every cell text, plus ``_row_number`` / ``_skip``).
EXPORT_ROWS = "export_rows"
#: Bytes read from the end of an export to tell a complete file from one cut off.
_TAIL_BYTES = 4096
_MANGLED_ID = r"[0-9](\.[0-9]+)?[eE]\+[0-9]+"
#: ``Amount spent (EUR)``; Chinese headers may use full-width brackets.
_CURRENCY = re.compile(r"^(?P<name>.+?)\s*[(\uff08]\s*(?P<code>[A-Za-z]{3})\s*[)\uff09]$")
_MONTH_DAY_YEAR = r"([A-Z][a-z]+\.? \d{1,2},? \d{4})"
_PERIODS = (
    re.compile(_MONTH_DAY_YEAR + r"\s*[-\u2013]\s*" + _MONTH_DAY_YEAR),
    re.compile(r"(\d{1,2}/\d{1,2}/\d{4}).{0,40}?(\d{1,2}/\d{1,2}/\d{4})"),
    re.compile(r"(\d{4}-\d{2}-\d{2})\s*(?:-|\u2013|to)\s*(\d{4}-\d{2}-\d{2})"),
)
_PERIOD_FORMATS = ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b. %d, %Y", "%m/%d/%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class HeaderMatch:
    """Which export fields a header row holds: field -> position, currency from headers."""

    positions: dict[str, int]
    currencies: dict[str, str]

    def covers(self, fmt: ExportFormat) -> bool:
        return all(name in self.positions for name in fmt.recognised_by)


def match_header(fmt: ExportFormat, cells: list[str]) -> HeaderMatch:
    aliases = fmt.header_index
    positions: dict[str, int] = {}
    currencies: dict[str, str] = {}
    for i, cell in enumerate(cells):
        key = header_key(cell)
        name = aliases.get(key)
        if name is None:
            found = _CURRENCY.match(key)
            name = aliases.get(header_key(found["name"])) if found else None
            if name is None or not fmt.fields[name].currency_in_header:
                continue
            if name not in positions:
                currencies[name] = found["code"].upper()
        positions.setdefault(name, i)
    return HeaderMatch(positions, currencies)


@dataclass(frozen=True)
class Recognised:
    fmt: ExportFormat
    record: int
    header: list[str]
    match: HeaderMatch
    preamble: list[str]


def _contract_header(source: Source, cells: list[str]) -> set[str]:
    keys = {re.sub(r"[\s\-]+", "_", c.strip().lower()) for c in cells}
    return {c.name for c in source.required_columns if c.name in keys}


def recognise(lf: LandingFile, source: Source, sniffed: Sniffed) -> Recognised | None:
    """The export the file is, or None when it is in the contract's own columns.

    Raises ContractViolation when the file is an export that belongs in another source's
    folder, or neither the contract's columns nor a known export.
    """
    records = sniffed.records
    first = records[0] if records else []
    required = {c.name for c in source.required_columns}
    if sniffed.encoding == "utf-8" and _contract_header(source, first) == required:
        return None
    found: list[tuple[tuple[bool, int, int], Recognised]] = []
    for index, cells in enumerate(records):
        for fmt in load_exports():
            match = match_header(fmt, cells)
            if match.covers(fmt):
                preamble = [" ".join(c for c in r if c) for r in records[:index]]
                rec = Recognised(fmt, index, cells, match, preamble)
                found.append(((fmt.source == source.name, len(match.positions), -index), rec))
    if found:
        best = max(found, key=lambda item: item[0])[1]
        if best.fmt.source != source.name:
            raise ContractViolation(
                lf.rel_path,
                sniffed.lines[best.record] + 1,
                None,
                "export_elsewhere",
                export=best.fmt.title,
                feeds=load_contract()[best.fmt.source].title,
                folder=f"{best.fmt.source}/{lf.delivery_day or 'YYYY-MM-DD'}/",
                source=source.title,
            )
        return best
    shares_contract = len(_contract_header(source, first)) * 2 >= len(required)
    if sniffed.encoding == "utf-8" and (shares_contract or not _closest(records, source)):
        return None  # meant as the contract's columns: the contract reader says what is missing
    raise _unrecognised(lf, source, sniffed)


def _closest(records: list[list[str]], source: Source) -> list[str]:
    scored = []
    for fmt in load_exports():
        best = max(
            (match_header(fmt, cells) for cells in records),
            key=lambda m: len(m.positions),
            default=HeaderMatch({}, {}),
        )
        hits = len(best.positions)
        if not hits:
            continue
        missing = [fmt.fields[n].label for n in fmt.recognised_by if n not in best.positions]
        where = "" if fmt.source == source.name else f", for {fmt.source}/"
        key_hits = len(fmt.recognised_by) - len(missing)
        scored.append(
            (
                (key_hits / len(fmt.recognised_by), fmt.source == source.name, hits),
                f"{fmt.title} ({hits} of its headers found{where}, missing "
                f"{', '.join(repr(m) for m in missing)})",
            )
        )
    scored.sort(key=lambda s: s[0], reverse=True)
    return [text for _, text in scored[:3]]


def _unrecognised(lf: LandingFile, source: Source, sniffed: Sniffed) -> ContractViolation:
    records = sniffed.records
    widest = max(range(len(records)), key=lambda i: len([c for c in records[i] if c]), default=0)
    seen = redact_text(", ".join(c for c in records[widest] if c)) if records else "(nothing)"
    closest = _closest(records, source)
    known = [f.title for f in load_exports() if f.source == source.name]
    problem = "not_recognised" + ("_closest" if closest else "") + ("_known" if known else "")
    values = {"seen": seen, "source": source.title}
    if closest:
        values["closest"] = "; ".join(closest)
    if known:
        values["known"] = ", ".join(known)
    return ContractViolation(
        lf.rel_path, (sniffed.lines[widest] + 1) if records else None, None, problem, **values
    )


def _period_end(preamble: list[str], fallback: date) -> date:
    """End of the report period a title block states (``September 1, 2026 - September 30,
    2026``, ``Report Start: 09/01/2026, Report End: 09/02/2026``), else ``fallback``."""
    from datetime import datetime

    for line in preamble:
        for pattern in _PERIODS:
            found = pattern.search(line)
            if not found:
                continue
            for fmt in _PERIOD_FORMATS:
                try:
                    return datetime.strptime(found.group(2).replace(".", ""), fmt).date()
                except ValueError:
                    continue
    return fallback


def _load_campaign_keys(con: duckdb.DuckDBPyConnection, lf: LandingFile) -> None:
    """``campaign_keys``: the campaigns of the latest campaign plan in the landing zone, so an
    export naming a campaign by its utm_campaign or hashtag finds the plan's id."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [export_sql.CAMPAIGN_KEYS]
    ).fetchone()[0]
    if exists:
        return
    con.execute(
        f"CREATE TEMP TABLE {export_sql.CAMPAIGN_KEYS} "
        "(campaign_id VARCHAR, utm_campaign VARCHAR, hashtag VARCHAR)"
    )
    landing_dir = lf.path.parents[len(lf.rel_path.split("/")) - 1]
    plans = [f for f in discover(landing_dir, "campaigns") if f.delivery_day and f.format]
    if not plans:
        return
    latest = max(f.delivery_day for f in plans)
    from marketing_health.ingest.read import LANDED, landed_file

    plan_source = load_contract()["campaigns"]
    with duckdb.connect(":memory:") as side:
        for plan in (f for f in plans if f.delivery_day == latest):
            try:
                with landed_file(side, plan, plan_source):
                    rows = side.execute(
                        f"SELECT DISTINCT trim(campaign_id), nullif(trim(utm_campaign), ''), "
                        f"nullif(trim(hashtag), '') FROM {LANDED} WHERE campaign_id IS NOT NULL"
                    ).fetchall()
            except (ContractViolation, duckdb.Error):
                continue  # the plan's own load reports it
            if rows:
                con.executemany(f"INSERT INTO {export_sql.CAMPAIGN_KEYS} VALUES (?, ?, ?)", rows)


def _read_rows(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, sniffed: Sniffed, rec: Recognised, table: str
) -> None:
    width = len(rec.header)
    columns = "{" + ", ".join(f"{literal(f'c{i}')}: 'VARCHAR'" for i in range(width)) + "}"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE export_read AS SELECT * FROM "
            f"read_csv({literal(str(sniffed.path))}, header = true, auto_detect = false, "
            f"skip = {sniffed.lines[rec.record]}, columns = {columns}, "
            f"delim = {literal(sniffed.delimiter)}, quote = '\"', escape = '\"', "
            f"null_padding = true, encoding = {literal(sniffed.encoding)})"
        )
    except duckdb.Error as exc:
        from marketing_health.ingest.read import unreadable

        raise unreadable(lf, exc) from None
    _check_not_cut_off(con, lf, sniffed, width, sniffed.lines[rec.record] + 1)
    cells = ", ".join(
        f"NULLIF(trim(c{i}, ' ' || chr(9) || chr(160) || chr(65279)), '') AS c{i}"
        for i in range(width)
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS "
        f"SELECT rowid + 1 AS _row_number, {cells} FROM export_read"
    )
    con.execute("DROP TABLE export_read")


def _tail(path: Path, encoding: str) -> str:
    """The last few kilobytes of a text file, decoded (a character cut in two becomes U+FFFD)."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        mark = fh.read(2)
        start = max(0, size - _TAIL_BYTES)
        if encoding == "utf-16":
            start += start % 2  # UTF-16 text starts on an even byte: keep whole code units
        fh.seek(start)
        data = fh.read()
    if encoding != "utf-16":
        return data.decode("utf-8", errors="replace")
    codec = "utf-16-be" if mark == b"\xfe\xff" else "utf-16-le"
    text = data[: len(data) - len(data) % 2].decode(codec, errors="replace")
    return text + ("\ufffd" if len(data) % 2 else "")  # half a character: cut off


def _check_not_cut_off(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, sniffed: Sniffed, width: int, header_row: int
) -> None:
    """Reject an export whose last row stops short of the header's width without a line break.

    Exports are read with missing trailing values as empty (some tools write short rows), so
    a file cut off during export or upload would otherwise load its last row half-empty, or
    drop it as a total row. A complete file ends with a line break, or its last row has every
    value, an empty trailing value being written as a separator.
    """
    tail = _tail(sniffed.path, sniffed.encoding)
    if not tail or tail.endswith(("\n", "\r")):
        return
    last = con.execute("SELECT rowid, * FROM export_read ORDER BY rowid DESC LIMIT 1").fetchone()
    if last is None:
        return
    cells = list(last[1:])
    missing = 0
    while cells and cells[-1] is None:
        cells.pop()
        missing += 1
    line = tail.rsplit("\n", 1)[-1]
    written = re.search(f'(?:{re.escape(sniffed.delimiter)}(?:"")?)+$', line)
    empty_written = written.group(0).count(sniffed.delimiter) if written else 0
    if missing > empty_written or line.endswith("\ufffd"):
        raise ContractViolation(
            lf.rel_path,
            last[0] + 1 + header_row,
            None,
            "export_cut_off",
            has=str(width - missing + empty_written),
            width=str(width),
        )


def _skip_sql(rec: Recognised, width: int) -> str:
    pos = rec.match.positions
    whens = [f"WHEN {' AND '.join(f'c{i} IS NULL' for i in range(width))} THEN 'empty row'"]
    for rule in rec.fmt.skip_rows:
        conds = []
        if rule.blank:
            conds.append(
                " AND ".join(f"c{pos[n]} IS NULL" for n in rule.blank if n in pos) or "false"
            )
        if rule.first_cell_starts_with:
            starts = " OR ".join(
                f"starts_with(lower(c0), {literal(s.lower())})" for s in rule.first_cell_starts_with
            )
            conds.append(f"({starts})")
        for name, allowed in rule.keep_only.items():
            if name in pos:
                values = ", ".join(literal(v) for v in allowed)
                conds.append(f"lower(c{pos[name]}) NOT IN ({values})")
        if conds:
            whens.append(f"WHEN {' OR '.join(conds)} THEN {literal(rule.reason)}")
    return f"CASE {' '.join(whens)} END"


def _check_fields(lf: LandingFile, rec: Recognised, header_row: int) -> None:
    missing = [
        f for f in rec.fmt.fields.values() if not f.optional and f.name not in rec.match.positions
    ]
    if missing:
        names = ", ".join(f"'{f.label}'" for f in missing)
        raise ContractViolation(
            lf.rel_path,
            header_row,
            missing[0].label,
            "export_lacks_columns",
            export=rec.fmt.title,
            names=names,
            download=rec.fmt.download,
            n=len(missing),
        )


def _first_row(con: duckdb.DuckDBPyConnection, table: str, where: str) -> tuple | None:
    return con.execute(
        f"SELECT _row_number FROM {table} WHERE _skip IS NULL AND ({where}) "
        "ORDER BY _row_number LIMIT 1"
    ).fetchone()


def _check_values(
    con: duckdb.DuckDBPyConnection, lf: LandingFile, rec: Recognised, offset: int, table: str
) -> None:
    """Whole-file problems no row-level quarantine can repair."""
    pos = rec.match.positions
    for f in rec.fmt.fields.values():
        if not f.is_id or f.name not in pos:
            continue
        hit = _first_row(con, table, f"regexp_full_match(c{pos[f.name]}, '{_MANGLED_ID}')")
        if hit:
            raise ContractViolation(
                lf.rel_path,
                hit[0] + offset,
                rec.header[pos[f.name]],
                "mangled_ids",
            )
    one_day = rec.fmt.one_day_per_row
    if one_day and one_day.get("unless") not in pos:
        starts, ends = pos.get(one_day["starts"]), pos.get(one_day["ends"])
        if starts is not None and ends is not None:
            hit = _first_row(con, table, f"c{starts} IS DISTINCT FROM c{ends}")
            if hit:
                raise ContractViolation(
                    lf.rel_path,
                    hit[0] + offset,
                    rec.header[starts],
                    "days_added_up",
                )


@dataclass
class ExportRead:
    """How the export was read, for the landed view and the reports."""

    rows: int
    header: list[str]
    row_offset: int
    labels: dict[str, str]
    skipped: dict[str, int]
    unknown_columns: list[str]
    missing_optional: list[str]
    #: What the ledger message says about the file's locale (None: nothing).
    locale_note: str | None = None


@dataclass(frozen=True)
class PreparedExport:
    """An export whose rows are read into ``pending.rows`` and checked as a whole, its locale
    not yet decided: decided for many exports at once (:func:`decide_locales`), then read into
    the contract's columns (:func:`finish_export`)."""

    lf: LandingFile
    rec: Recognised
    header_row: int
    pending: export_locale.PendingExport
    #: The locale decided with the night's other exports (None: decided when finished).
    reading: locale_sql.FileReading | None = None
    #: Where :func:`land_exports` put its rows in the contract's columns: table, the value of
    #: :data:`AHEAD` there, and how it was read (None: computed when finished).
    landed: tuple[str, int, ExportRead] | None = None


def prepare_export(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    source: Source,
    sniffed: Sniffed,
    rec: Recognised,
    table: str = EXPORT_ROWS,
) -> PreparedExport:
    """Read the export's rows into ``table`` (every cell text, ``_row_number``, ``_skip``) and
    reject what no row-level quarantine can repair."""
    header_row = sniffed.lines[rec.record] + 1
    _check_fields(lf, rec, header_row)
    if any(_finds_campaign(rule) for rule in rec.fmt.columns.values()):
        _load_campaign_keys(con, lf)
    _read_rows(con, lf, sniffed, rec, table)
    width = len(rec.header)
    con.execute(f"ALTER TABLE {table} ADD COLUMN _skip VARCHAR")
    con.execute(f"UPDATE {table} SET _skip = {_skip_sql(rec, width)}")
    _check_values(con, lf, rec, header_row, table)
    day = lf.delivery_day or date.today()
    ctx = export_sql.RuleContext(
        fields={name: f"c{i}" for name, i in rec.match.positions.items()},
        currencies=rec.match.currencies,
        delivery_day=day,
        file_stem=lf.path.name,
        period_end=_period_end(rec.preamble, day),
    )
    pending = export_locale.PendingExport(
        lf.rel_path, lf.rel_path, source, rec.fmt.columns, ctx, table
    )
    return PreparedExport(lf, rec, header_row, pending)


def decide_locales(
    con: duckdb.DuckDBPyConnection, prepared: list[PreparedExport]
) -> list[PreparedExport]:
    """The exports with their locales decided together (see
    :func:`~marketing_health.ingest.export_locale.decide_exports`)."""
    readings = export_locale.decide_exports(con, [p.pending for p in prepared])
    return [replace(p, reading=readings.get(p.pending.key)) for p in prepared]


def read_export(
    con: duckdb.DuckDBPyConnection,
    lf: LandingFile,
    source: Source,
    sniffed: Sniffed,
    rec: Recognised,
    landed_view: str,
) -> ExportRead:
    """Create ``landed_view`` over the export's data rows in the contract's columns."""
    return finish_export(con, prepare_export(con, lf, source, sniffed, rec), landed_view)


#: The view an export's rows are read from while its contract columns are computed: the
#: export's own table, or the union of the exports read together (:func:`land_exports`).
ROWS_SOURCE = "export_rows_source"
#: Column of :func:`land_exports`' tables: the export's position among those read together.
AHEAD = "__ahead"


@dataclass(frozen=True)
class _LandedSql:
    """How an export's rows become the contract's columns: the SQL is the same text for
    exports of one tool, header and locale, so they are computed together."""

    ctes: str | None
    select: str
    locale_note: str | None
    labels: dict[str, str]

    def sql(self, extra: str = "") -> str:
        relation = export_locale.CELLS if self.ctes else ROWS_SOURCE
        return f"{self.ctes or ''} SELECT {extra}{self.select} FROM {relation} WHERE _skip IS NULL"


def _landed_sql(con: duckdb.DuckDBPyConnection, prepared: PreparedExport) -> _LandedSql:
    """The export's contract columns as SQL over :data:`ROWS_SOURCE`; raises ContractViolation
    when the export lacks what a required column is read from."""
    lf, rec, header_row = prepared.lf, prepared.rec, prepared.header_row
    source, ctx = prepared.pending.source, prepared.pending.ctx
    ctx.used.clear()  # filled by the rules below, each time they are written
    # Numbers and dates in the file's locale: sets ctx.kinds and ctx.readings.
    ctes, locale_note = export_locale.read_locale(
        con, lf.rel_path, source, rec.fmt.columns, ctx, ROWS_SOURCE, prepared.reading
    )
    platform_rule = rec.fmt.columns.get("platform")
    if platform_rule:  # disclosure markers depend on the row's platform
        ctx.platform = export_sql.rule_sql(platform_rule, ctx, "platform")
    select = ["_row_number"]
    for col in source.columns:
        rule = rec.fmt.columns.get(col.name)
        sql = export_sql.rule_sql(rule, ctx, col.name) if rule else None
        if sql is None and col.required and not col.nullable:
            needs = _needed(rec.fmt, rule)
            raise ContractViolation(
                lf.rel_path,
                header_row,
                None,
                "no_source_column",
                export=rec.fmt.title,
                needed=col.name,
                needs=needs,
            )
        select.append(f"{sql or 'NULL::VARCHAR'} AS {ident(col.name)}")
    for col in source.columns:  # what is wrong with a value as the file's locale reads it
        if ctx.kinds.get(col.name):
            rule = rec.fmt.columns.get(col.name)
            problem = export_locale.rule_problem_sql(rule, ctx, col.name) if rule else None
            name = ident(locale_sql.PROBLEM_PREFIX + col.name)
            select.append(f"{problem or 'NULL'}::VARCHAR AS {name}")
    labels = {
        column: ", ".join(f"'{rec.header[rec.match.positions[n]]}'" for n in names)
        for column, names in ctx.used.items()
        if names
    }
    return _LandedSql(ctes, ", ".join(select), locale_note, labels)


def _export_read(
    con: duckdb.DuckDBPyConnection, prepared: PreparedExport, landed: _LandedSql
) -> ExportRead:
    rec, rows_table = prepared.rec, prepared.pending.rows
    rows = con.execute(f"SELECT count(*) FROM {rows_table} WHERE _skip IS NULL").fetchone()[0]
    skipped = dict(
        con.execute(
            f"SELECT _skip, count(*) FROM {rows_table} WHERE _skip IS NOT NULL "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
    )
    return ExportRead(
        rows=rows,
        header=rec.header,
        row_offset=prepared.header_row,
        labels=landed.labels,
        skipped=skipped,
        locale_note=landed.locale_note,
        unknown_columns=[],  # exports carry many columns by design: not schema drift
        missing_optional=[
            f.label
            for f in rec.fmt.fields.values()
            if f.optional and f.name not in rec.match.positions
        ],
    )


def finish_export(
    con: duckdb.DuckDBPyConnection, prepared: PreparedExport, landed_view: str
) -> ExportRead:
    """Create ``landed_view`` over the prepared export's data rows in the contract's columns:
    from the table :func:`land_exports` computed them in with the night's other exports of its
    tool, header and locale, else computed for this export alone."""
    if prepared.landed is not None:
        table, key, read = prepared.landed
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {landed_view} AS SELECT * EXCLUDE ({AHEAD}) "
            f"FROM {table} WHERE {AHEAD} = {key} ORDER BY _row_number"
        )
        return read
    vocab_sql.create_terms_table(con)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {ROWS_SOURCE} AS SELECT * FROM {prepared.pending.rows}"
    )
    # A table, not a view: the export's rows are few, but reading every cell in every
    # candidate locale takes long to plan, and a view is planned again by each query over it.
    try:
        landed = _landed_sql(con, prepared)  # decides the locale over ROWS_SOURCE if not yet
        con.execute(f"CREATE OR REPLACE TEMP TABLE {export_locale.EXPORT_CELLS} AS {landed.sql()}")
    except _NOT_DATA:
        raise  # a fault of the query, not of the file
    except duckdb.Error as exc:
        from marketing_health.ingest.read import unreadable

        raise unreadable(prepared.lf, exc) from None
    finally:
        con.execute(f"DROP VIEW IF EXISTS {ROWS_SOURCE}")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {landed_view} AS SELECT * FROM {export_locale.EXPORT_CELLS}"
    )
    return _export_read(con, prepared, landed)


#: Errors of DuckDB that are a fault of the query, not of the exports' data.
_NOT_DATA = (
    duckdb.BinderException,
    duckdb.CatalogException,
    duckdb.ParserException,
    duckdb.InternalException,
)


def land_exports(
    con: duckdb.DuckDBPyConnection, prepared: list[PreparedExport], table_prefix: str
) -> tuple[list[PreparedExport | ContractViolation], list[str]]:
    """Compute the contract columns of many prepared exports: one statement for the exports
    whose SQL is the same (one tool, header and locale), into a table per such group (named
    from ``table_prefix``), instead of one per export: that SQL takes far longer to plan than
    to run on an export's few hundred rows. Returns each export with where its rows are (or
    the violation it raised), and the tables created. A group whose statement fails on its
    data is left to be computed export by export, so only the export at fault is rejected."""
    out: list[PreparedExport | ContractViolation] = []
    groups: dict[tuple[str | None, str], list[tuple[int, _LandedSql]]] = {}
    vocab_sql.create_terms_table(con)
    for i, one in enumerate(prepared):
        try:
            landed = _landed_sql(con, one)
        except ContractViolation as violation:
            out.append(violation)
            continue
        out.append(one)
        groups.setdefault((landed.ctes, landed.select), []).append((i, landed))
    tables = []
    for g, members in enumerate(groups.values()):
        table = f"{table_prefix}{g}"
        # The group's rows in one table, one small insert per export (a union of hundreds of
        # selects takes long to plan); exports of one header may differ in trailing columns.
        width = max(len(prepared[i].rec.header) for i, _ in members)
        cells = ", ".join(f"c{c} VARCHAR" for c in range(width))
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {ROWS_SOURCE} "
            f"({AHEAD} INTEGER, _row_number BIGINT, {cells}, _skip VARCHAR)"
        )
        for k, (i, _) in enumerate(members):
            con.execute(
                f"INSERT INTO {ROWS_SOURCE} BY NAME "
                f"SELECT {k} AS {AHEAD}, * FROM {prepared[i].pending.rows}"
            )
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {table} AS {members[0][1].sql(f'{AHEAD}, ')} "
                f"ORDER BY {AHEAD}, _row_number"
            )
        except _NOT_DATA:
            raise
        except duckdb.Error:
            continue  # each export of the group alone: the one at fault is rejected
        finally:
            con.execute(f"DROP TABLE IF EXISTS {ROWS_SOURCE}")
        tables.append(table)
        for k, (i, landed) in enumerate(members):
            read = _export_read(con, prepared[i], landed)
            out[i] = replace(prepared[i], landed=(table, k, read))
    return out, tables


def _finds_campaign(rule: dict) -> bool:
    return rule.get("as") == "campaign" or any(_finds_campaign(r) for r in rule.get("first_of", ()))


def _needed(fmt: ExportFormat, rule: dict | None) -> str:
    names = rule_fields(rule or {})
    fields: list[ExportField] = [fmt.fields[n] for n in names if n in fmt.fields]
    return ", ".join(f"'{f.label}'" for f in fields) or "none"


def drop_export_rows(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP TABLE IF EXISTS {export_locale.EXPORT_CELLS}")
    con.execute(f"DROP TABLE IF EXISTS {EXPORT_ROWS}")
