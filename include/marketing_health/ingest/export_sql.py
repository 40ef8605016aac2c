"""The column rules of a tool export (``contract/exports/*.yaml``) as DuckDB SQL.

Every rule turns export cells into the text the landing contract expects (``1234.56``,
``2026-11-20``), so the contract checks, quarantine and hashing run unchanged afterwards. A
cell that does not read as what the rule expects is passed on as written: the contract check
then quarantines the row with the value the person sees in their file, instead of a silent
NULL.

Numbers and dates are read in the file's locale (``1.234,56``, ``06.12.2026``) when the reader
gives a rule the locale reading of its cell (``RuleContext.readings``, built by
:mod:`~marketing_health.ingest.export_locale`); the tool's own date formats are tried first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marketing_health.ingest import money, vocab_sql
from marketing_health.ingest.locales import load_locale_config
from marketing_health.ingest.sql import literal

#: Cells tools write for "no value".
NOT_AVAILABLE = ("--", "-", "—", "n/a", "N/A", "undefined")
#: Creator tier by followers, as the contract's ``tier`` column defines it (upper bounds).
TIER_BOUNDS = (("nano", 10_000), ("micro", 100_000), ("mid", 500_000), ("macro", 1_000_000))
TOP_TIER = "celebrity"
#: Formats tried when a date rule names none.
DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
)
#: Table of the plan's campaigns (id, utm_campaign, hashtag) the campaign rule looks up.
CAMPAIGN_KEYS = "campaign_keys"


@dataclass
class RuleContext:
    """What a rule can read: the export's fields present in this file, as SQL."""

    fields: dict[str, str]
    currencies: dict[str, str]
    delivery_day: date
    file_stem: str
    #: Last day of the file's report period: resolves dates written without a year.
    period_end: date
    #: Export fields each contract column was read from (for messages).
    used: dict[str, list[str]] = field(default_factory=dict)
    #: The row's platform as the export names it (SQL), for markers valid on that platform.
    platform: str | None = None
    #: The file's locale reading: (cell SQL, kind) -> (text column, problem column).
    readings: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    #: Contract column -> how its values are read (``locale_sql.Kind``; None: not a number
    #: or date).
    kinds: dict[str, str | None] = field(default_factory=dict)

    def read(self, v: str, kind: str) -> str | None:
        """The locale reading of cell ``v`` as ``kind`` (SQL), None when there is none."""
        found = self.readings.get((v, kind))
        return found[0] if found else None

    def problem(self, v: str, kind: str) -> str | None:
        found = self.readings.get((v, kind))
        return found[1] if found else None


#: Rule kinds that read numbers or dates, and the locale kind they read them as (None: the
#: contract column's own kind).
LOCALE_KINDS: dict[str, str | None] = {
    "number": None,
    "tier": "decimal",
    "ratio": "percent",
    "date": "date",
    "timestamp": "timestamp",
}


def locale_kind(as_kind: str | None, column_kind: str | None) -> str | None:
    """How a rule of kind ``as_kind`` feeding a column of ``column_kind`` reads its cell."""
    if as_kind not in LOCALE_KINDS:
        return None
    kind = LOCALE_KINDS[as_kind]
    if kind is None:
        return column_kind if column_kind in ("integer", "decimal", "percent") else "decimal"
    return kind


def _strs(values: list[str]) -> str:
    return "[" + ", ".join(literal(v) for v in values) + "]"


def _number_parts(v: str) -> tuple[str, str, str]:
    """The cell without currency sign (before or after the number: ``$12``, ``12 €``; the
    signs Babel knows, :mod:`~marketing_health.ingest.money`) and spaces; "no value";
    scientific notation."""
    signs = money.currency_signs(load_locale_config().locales_in_use()).regex()
    n = f"regexp_replace({v}, {literal('^' + signs + '|' + signs + '$|' + chr(92) + 's')}, '', 'g')"
    missing = f"{v} IN ({', '.join(literal(x) for x in NOT_AVAILABLE)})"
    scientific = f"regexp_full_match({n}, '[+-]?[0-9]*\\.?[0-9]+[eE][+-]?[0-9]+')"
    return n, missing, scientific


def number_cell_sql(v: str) -> str:
    """The cell as the file's locale reads it: no currency sign or spaces; NULL for "no
    value" and for scientific notation (``6e-05``), which every locale reads alike."""
    n, missing, scientific = _number_parts(v)
    return f"CASE WHEN {missing} OR {scientific} THEN NULL ELSE {n} END"


def number_sql(v: str, read: str | None = None) -> str:
    """``1,234.56``, ``$12``, ``121401.0``, ``6e-05`` -> plain decimal text; ``--`` -> NULL.

    With ``read`` (the cell read in the file's locale: NULL where it is no number there, or
    ambiguous) that reading replaces the English one; a cell it does not read is passed on as
    written.
    """
    n, missing, scientific = _number_parts(v)
    plain_scientific = f"CAST(CAST(CAST({n} AS DOUBLE) AS DECIMAL(38, 12)) AS VARCHAR)"
    if read is not None:
        return (
            f"CASE WHEN {missing} THEN NULL WHEN {scientific} THEN {plain_scientific} "
            f"ELSE coalesce({read}, {v}) END"
        )
    return (
        f"CASE WHEN {missing} THEN NULL "
        f"WHEN regexp_full_match({n}, '[+-]?[0-9]{{1,3}}(,[0-9]{{3}})+(\\.[0-9]+)?') "
        f"THEN replace({n}, ',', '') "
        f"WHEN {scientific} THEN {plain_scientific} "
        f"WHEN regexp_full_match({n}, '[+-]?[0-9]*\\.?[0-9]+') THEN {n} "
        f"ELSE {v} END"
    )


def ratio_sql(v: str, read: str | None = None) -> str:
    """``48.43%`` and ``0.4843`` -> 0.4843 (as DOUBLE); NULL when not a number. ``read``: the
    cell read in the file's locale as a ratio (``48,43 %``)."""
    if read is not None:
        _, _, scientific = _number_parts(v)
        return (
            f"CASE WHEN {scientific} THEN TRY_CAST({number_sql(v)} AS DOUBLE) "
            f"ELSE TRY_CAST({read} AS DOUBLE) END"
        )
    pct = f"TRY_CAST({number_sql(f'rtrim({v}, ' + chr(39) + '%' + chr(39) + ')')} AS DOUBLE)"
    plain = f"TRY_CAST({number_sql(v)} AS DOUBLE)"
    return f"CASE WHEN ends_with({v}, '%') THEN {pct} / 100 ELSE {plain} END"


def _parsed(v: str, formats: list[str]) -> str:
    return f"try_strptime({v}, {_strs(formats)})"


def date_sql(v: str, formats: list[str], read: str | None = None) -> str:
    """The tool's own date formats first, then the cell read in the file's locale."""
    locale = f"{read}, " if read else ""
    return f"coalesce(strftime(CAST({_parsed(v, formats)} AS DATE), '%Y-%m-%d'), {locale}{v})"


def date_without_year_sql(v: str, formats: list[str], period_end: date) -> str:
    """``August 31`` -> the latest such day not after the report period's end."""
    d = _parsed(v, formats)
    end = f"DATE {literal(period_end.isoformat())}"
    this_year = f"make_date({period_end.year}, month({d}), day({d}))"
    last_year = f"make_date({period_end.year - 1}, month({d}), day({d}))"
    resolved = f"CASE WHEN {this_year} > {end} THEN {last_year} ELSE {this_year} END"
    full = f"CAST({_parsed(v, list(DATE_FORMATS))} AS DATE)"
    return (
        f"CASE WHEN {v} IS NULL THEN NULL "
        f"WHEN {full} IS NOT NULL THEN strftime({full}, '%Y-%m-%d') "
        f"WHEN {d} IS NOT NULL THEN strftime({resolved}, '%Y-%m-%d') ELSE {v} END"
    )


def timestamp_sql(v: str, formats: list[str], read: str | None = None) -> str:
    locale = f"{read}, " if read else ""
    return f"coalesce(strftime({_parsed(v, formats)}, '%Y-%m-%d %H:%M:%S'), {locale}{v})"


def utm_sql(v: str) -> str:
    """utm_campaign of a URL, a query string or a text holding a link; NULL when none."""
    found = f"regexp_extract({v}, '(^|[?&#\\s])utm_campaign=([^&#\\s]*)', 2)"
    return f"nullif(url_decode({found}), '')"


def url_id_sql(v: str) -> str:
    """Last part of a URL's path (``.../video/7200000000792351383`` -> the number)."""
    path = f"rtrim(split_part(split_part({v}, '?', 1), '#', 1), '/')"
    return f"CASE WHEN contains({v}, '/') THEN regexp_extract({path}, '[^/]+$') ELSE {v} END"


def contains_sql(v: str, words: list[str], then: str, otherwise: str) -> str:
    """``then`` when the text holds one of the words (a word, not the start of a longer one)."""
    patterns = [re.escape(w.lower()) + (r"([^\w]|$)" if w[-1].isalnum() else "") for w in words]
    pattern = "|".join(f"({p})" for p in patterns)
    return (
        f"CASE WHEN {v} IS NOT NULL AND regexp_matches(lower({v}), {literal(pattern)}) "
        f"THEN {literal(then)} ELSE {literal(otherwise)} END"
    )


def map_sql(v: str, mapping: dict[str, str], prefix: bool, otherwise: str | None) -> str:
    keys = sorted(mapping, key=len, reverse=True)
    if prefix:
        whens = " ".join(
            f"WHEN starts_with(lower({v}), {literal(str(k).lower())}) THEN {literal(mapping[k])}"
            for k in keys
        )
    else:
        whens = " ".join(
            f"WHEN lower({v}) = {literal(str(k).lower())} THEN {literal(mapping[k])}" for k in keys
        )
    fallback = literal(otherwise) if otherwise is not None else v
    return f"CASE WHEN {v} IS NULL THEN NULL {whens} ELSE {fallback} END"


def tier_sql(v: str, read: str | None = None) -> str:
    n = f"TRY_CAST({number_sql(v, read)} AS DOUBLE)"
    whens = " ".join(f"WHEN {n} < {bound} THEN {literal(name)}" for name, bound in TIER_BOUNDS)
    return f"CASE WHEN {n} IS NULL THEN NULL {whens} ELSE {literal(TOP_TIER)} END"


def campaign_sql(name: str | None, utm: str | None, text: str | None) -> str:
    """The plan's campaign id: named at the start of the tool's campaign name
    (``CMP-0001 | Spring run``), else the plan campaign whose utm_campaign the links carry,
    whose id the text names or whose hashtag it uses; else the name's first part as written
    (an unknown campaign then shows up as such in the reports)."""
    k = CAMPAIGN_KEYS
    prefix = f"nullif(trim(split_part({name}, ' | ', 1)), '')" if name else None
    tries = []
    if prefix:
        tries.append(f"(SELECT min(campaign_id) FROM {k} WHERE campaign_id = {prefix})")
    for link in (utm, text):
        if link:
            found = utm_sql(link)
            tries.append(
                f"(SELECT min(campaign_id) FROM {k} WHERE lower(utm_campaign) = lower({found}))"
            )
    for words in (name, text):
        if words:
            tries.append(
                f"(SELECT min(campaign_id) FROM {k} WHERE regexp_matches({words}, "
                f"'(^|[^A-Za-z0-9_-])' || regexp_escape(campaign_id) || '([^A-Za-z0-9_-]|$)'))"
            )
            tags = f"regexp_extract_all(lower({words}), '#[^\\s#.,!?;:()]+')"
            tries.append(
                f"(SELECT min(campaign_id) FROM {k} WHERE hashtag IS NOT NULL "
                f"AND list_contains({tags}, lower(hashtag)))"
            )
    if prefix:
        tries.append(prefix)
    return f"coalesce({', '.join(tries)})"


def _kind_sql(rule: dict[str, Any], v: str, ctx: RuleContext, column: str = "") -> str:
    kind = rule.get("as", "text")
    formats = list(rule.get("formats", ()))
    locale = locale_kind(kind, ctx.kinds.get(column))
    read = ctx.read(v, locale) if locale else None
    simple = {
        "text": lambda: v,
        "id": lambda: f"regexp_replace({v}, '^''', '')",
        "number": lambda: number_sql(v, read),
        "ratio": lambda: f"CAST({ratio_sql(v, read)} AS VARCHAR)",
        "date": lambda: date_sql(v, formats or list(DATE_FORMATS), read),
        "date_without_year": lambda: date_without_year_sql(v, formats, ctx.period_end),
        "timestamp": lambda: timestamp_sql(v, formats or list(TIMESTAMP_FORMATS), read),
        "utm": lambda: utm_sql(v),
        "url_id": lambda: url_id_sql(v),
        "tier": lambda: tier_sql(v, read),
        "contains": lambda: contains_sql(
            v, rule["words"], str(rule.get("then", "true")), str(rule.get("else", "false"))
        ),
        "map": lambda: map_sql(v, rule["map"], rule.get("match") == "prefix", rule.get("else")),
        "platform": lambda: vocabulary_sql("platforms", v, rule.get("match") == "words"),
        "post_format": lambda: vocabulary_sql("post_formats", v, rule.get("match") == "words"),
        "disclosure": lambda: vocab_sql.disclosure_sql(v, ctx.platform),
    }
    return simple[kind]()


def vocabulary_sql(vocabulary: str, v: str, words: bool) -> str:
    """A name read through a vocabulary: its id when known (exactly, or with ``words`` as the
    longest name the value holds as whole words), else as written, normalised."""
    return vocab_sql.words_id_sql(vocabulary, v) if words else vocab_sql.id_sql(vocabulary, v)


def _field(ctx: RuleContext, name: str | None) -> str | None:
    return ctx.fields.get(name) if name else None


def _use(ctx: RuleContext, column: str, *names: str | None) -> None:
    for name in names:
        if name and name in ctx.fields and name not in ctx.used.setdefault(column, []):
            ctx.used[column].append(name)


def _from_sql(rule: dict[str, Any], ctx: RuleContext, column: str) -> str | None:
    v = _field(ctx, rule["from"])
    if v is None:
        return None
    sql = _kind_sql(rule, v, ctx, column)
    when = rule.get("when")
    if when:
        cond = _field(ctx, when["field"])
        if cond is None:
            return None
        words = " OR ".join(f"contains(lower({cond}), {literal(w)})" for w in when["contains"])
        sql = f"CASE WHEN {words} THEN {sql} END"
        _use(ctx, column, when["field"])
    _use(ctx, column, rule["from"])
    return sql


def _sum_sql(rule: dict[str, Any], ctx: RuleContext, column: str) -> str | None:
    present = [ctx.fields[f] for f in rule["sum"] if f in ctx.fields]
    if not present:
        return None
    _use(ctx, column, *rule["sum"])
    number = {v: number_sql(v, ctx.read(v, "integer")) for v in present}
    bad = " ".join(
        f"WHEN {v} IS NOT NULL AND TRY_CAST({number[v]} AS DOUBLE) IS NULL THEN {v}"
        for v in present
    )
    total = " + ".join(f"coalesce(TRY_CAST({number[v]} AS DOUBLE), 0)" for v in present)
    return f"CASE {bad} ELSE CAST(CAST({total} AS BIGINT) AS VARCHAR) END"


def _case_sql(rule: dict[str, Any], ctx: RuleContext, column: str) -> str:
    whens = []
    for branch in rule["case"]:
        names = [branch["when"]] if isinstance(branch["when"], str) else branch["when"]
        present = [ctx.fields[n] for n in names if n in ctx.fields]
        _use(ctx, column, *names)
        if present:
            cond = " OR ".join(f"{v} IS NOT NULL" for v in present)
            whens.append(f"WHEN {cond} THEN {literal(branch['then'])}")
    otherwise = literal(rule["else"]) if rule.get("else") is not None else "NULL"
    return f"CASE {' '.join(whens)} ELSE {otherwise} END" if whens else otherwise


def rule_sql(rule: dict[str, Any], ctx: RuleContext, column: str) -> str | None:
    """SQL text for one contract column, or None when the file has none of the fields the rule
    reads (and the rule has no default)."""
    sql: str | None
    if "value" in rule:
        sql = "NULL::VARCHAR" if rule["value"] is None else literal(str(rule["value"]))
    elif rule.get("delivery_day"):
        sql = literal(ctx.delivery_day.isoformat())
    elif rule.get("file_name"):
        sql = literal(re.split(r"__|\.", ctx.file_stem, maxsplit=1)[0])
    elif "currency_of" in rule:
        currency = ctx.currencies.get(rule["currency_of"])
        sql = literal(currency) if currency else None
    elif "first_of" in rule:
        parts = [p for p in (rule_sql(sub, ctx, column) for sub in rule["first_of"]) if p]
        sql = f"coalesce({', '.join(parts)})" if parts else None
    elif "sum" in rule:
        sql = _sum_sql(rule, ctx, column)
    elif "rate" in rule:
        rate, base = _field(ctx, rule["rate"]), _field(ctx, rule["of"])
        sql = None
        if rate is not None and base is not None:
            _use(ctx, column, rule["rate"], rule["of"])
            share = ratio_sql(rate, ctx.read(rate, "percent"))
            count = number_sql(base, ctx.read(base, "integer"))
            product = f"{share} * TRY_CAST({count} AS DOUBLE)"
            sql = f"CAST(CAST(round({product}) AS BIGINT) AS VARCHAR)"
    elif "case" in rule:
        sql = _case_sql(rule, ctx, column)
    elif rule.get("as") == "campaign":
        name, utm, text = (_field(ctx, rule.get(k)) for k in ("from", "utm", "text"))
        _use(ctx, column, rule.get("from"), rule.get("utm"), rule.get("text"))
        sql = campaign_sql(name, utm, text) if (name or utm or text) else None
    else:
        sql = _from_sql(rule, ctx, column)
    if "default" in rule:
        default = literal(str(rule["default"]))
        sql = f"coalesce({sql}, {default})" if sql else default
    return sql
