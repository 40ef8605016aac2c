"""The tool-export part of ``docs/landing-contract.md``, written from ``contract/exports/*.yaml``
so what the page says about each export is what the loader does with it."""

from __future__ import annotations

from typing import Any

from marketing_health.contract.exports import LANGUAGES, ExportFormat
from marketing_health.contract.schema import Contract

_KIND_WORDS = {
    "number": "",
    "id": " (kept as text)",
    "ratio": " (48.43% or 0.4843)",
    "date": " (date)",
    "date_without_year": " (date without a year; the year from the report period)",
    "timestamp": " (date and time)",
    "utm": " (its utm_campaign)",
    "url_id": " (last part of the link)",
    "tier": " (tier by followers)",
}

_INTRO = """\
## Exports from marketing tools

Instead of reshaping files into the columns above, drop what your tool exports into the folder
of the source it feeds, e.g. `paid_ads/2026-11-20/meta-ads-export.xlsx`. The file is
recognised by its header, not its name, in {languages}; title lines above the header
(report name, date range) are skipped, total rows and rows of another kind are dropped and
counted in the night's report, never loaded. Then the rows go through the same checks,
quarantine and hashing as any other file; quarantine messages name the row as your file shows
it and the export's own header, e.g.
`paid_ads/2026-11-20/meta.csv, row 5, column 'Impressions' (impressions): 'lots' is not a whole
number`.

- Encodings: UTF-8 with or without BOM, and UTF-16 (Google Ads "Excel .csv"), separated by
  commas, tabs or semicolons; `.xlsx` workbooks (first sheet).
- Numbers as tools write them: `1,234.56`, `$12`, counts written `121401.0`, `6e-05`, and
  `--` or `-` for "no value". Rates as `48.43%` or `0.4843`. Thousands separators must be
  commas (exports in English number format).
- Long ids (`120204385505670650`) stay text. A file whose ids a spreadsheet turned into
  `1.20253E+17` is rejected whole: those digits are lost; download the export again.
- Currency from the header (`Amount spent (EUR)`) or a currency column.
- Where an export does not say which of our campaigns a row belongs to, the campaign is found
  in this order: the plan's campaign id at the start of the tool's campaign name
  (`CMP-0001 | Spring run | Prospecting`), the plan's `utm_campaign` in the row's links, the
  plan's campaign id or hashtag in the text or tags. The plan is the latest campaign plan in
  the landing zone.
- A file that is neither the contract's columns nor a known export is rejected whole, with
  the headers seen and the closest known exports. An export dropped in the wrong folder (a
  Klaviyo file in `paid_ads`) is rejected with the folder it belongs in.

{overview}
"""


def _header(fmt: ExportFormat, name: str) -> str:
    f = fmt.fields[name]
    suffix = " (CUR)" if f.currency_in_header else ""
    return f"'{f.label}{suffix}'"


def describe_rule(fmt: ExportFormat, rule: dict[str, Any]) -> str:
    """A contract column's rule in words."""
    if "value" in rule:
        return "empty" if rule["value"] is None else f'always "{rule["value"]}"'
    if rule.get("delivery_day"):
        return "the delivery-day folder"
    if rule.get("file_name"):
        return "the file name (the text before the first `__` or `.`)"
    if "currency_of" in rule:
        return f"the currency in the header {_header(fmt, rule['currency_of'])}"
    if "first_of" in rule:
        text = "; else ".join(describe_rule(fmt, r) for r in rule["first_of"])
    elif "sum" in rule:
        text = " + ".join(_header(fmt, n) for n in rule["sum"])
    elif "rate" in rule:
        text = f"{_header(fmt, rule['rate'])} x {_header(fmt, rule['of'])}"
    elif "case" in rule:
        parts = [
            f"{b['then']} when {' or '.join(_header(fmt, n) for n in _names(b['when']))} is set"
            for b in rule["case"]
        ]
        text = ", ".join(parts) + (f", else {rule['else']}" if rule.get("else") else "")
    elif rule.get("as") == "campaign":
        where = [_header(fmt, rule[k]) for k in ("from", "utm", "text") if rule.get(k)]
        text = f"the plan's campaign found in {' / '.join(where)}"
    else:
        text = _header(fmt, rule["from"]) + _kind_words(rule)
        if rule.get("when"):
            words = ", ".join(rule["when"]["contains"])
            text += f" when {_header(fmt, rule['when']['field'])} names {words}"
    if "default" in rule:
        text += f" (empty: {rule['default']})"
    return text


def _names(when: str | list[str]) -> list[str]:
    return [when] if isinstance(when, str) else list(when)


def _kind_words(rule: dict[str, Any]) -> str:
    kind = rule.get("as", "text")
    if kind == "contains":
        words = ", ".join(f"`{w}`" for w in rule["words"])
        return (
            f" {rule.get('then', 'true')} when it holds {words}, else {rule.get('else', 'false')}"
        )
    if kind in ("platform", "post_format"):
        what = "platforms" if kind == "platform" else "post formats"
        how = "the name it holds as whole words" if rule.get("match") == "words" else "the name"
        return f" ({how}, read through the [{what} vocabulary](#{what.replace(' ', '-')}))"
    if kind == "disclosure":
        return (
            " true when it carries a disclosure marker valid on the row's platform (the "
            "[disclosure markers vocabulary](#names-in-your-language-vocabularies): #ad, "
            "#werbung, #广告, paid partnership ...), else false"
        )
    if kind == "map":
        pairs = ", ".join(f"{k} = {v}" for k, v in list(rule["map"].items())[:6])
        more = ", ..." if len(rule["map"]) > 6 else ""
        starts = "starting with " if rule.get("match") == "prefix" else ""
        otherwise = f", else {rule['else']}" if rule.get("else") else ""
        return f" ({starts}{pairs}{more}{otherwise})"
    return _KIND_WORDS.get(kind, "")


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _section(fmt: ExportFormat, contract: Contract) -> str:
    source = contract[fmt.source]
    headers = ", ".join(f"`{f.label}`" for f in fmt.fields.values() if f.name in fmt.recognised_by)
    languages = ", ".join(LANGUAGES[lang] for lang in fmt.languages)
    aliases = [
        f"`{f.label}` = " + " / ".join(f"`{a}`" for a in f.aliases["zh"])
        for f in fmt.fields.values()
        if "zh" in f.aliases
    ]
    rows = [
        f"| `{col.name}` | {_cell(describe_rule(fmt, fmt.columns[col.name]))} |"
        for col in source.columns
        if col.name in fmt.columns
    ]
    skips = [f"- Dropped, not loaded: {s.reason}." for s in fmt.skip_rows]
    notes = [f"- {n}" for n in fmt.notes]
    lines = [
        f"### {fmt.title} (`{fmt.source}`)",
        "",
        f"- Tool: {fmt.tool}. Folder: `{fmt.source}/YYYY-MM-DD/`. Files: "
        + ", ".join(f"`.{t}`" for t in fmt.file_types)
        + f". Header languages: {languages}.",
        f"- Download: {fmt.download}",
        f"- Recognised by the headers {headers}.",
        *skips,
        *notes,
        f"- What is known of this export: {fmt.evidence}",
    ]
    if aliases:
        lines.append("- Simplified Chinese headers: " + "; ".join(aliases) + ".")
    lines += ["", "| Column | Read from |", "|---|---|", *rows, ""]
    return "\n".join(lines)


def render_exports_md(exports: tuple[ExportFormat, ...], contract: Contract) -> str:
    languages = sorted(
        {lang for fmt in exports for lang in fmt.languages}, key=list(LANGUAGES).index
    )
    overview = ["| Tool | Export | Folder | Files | Header languages |", "|---|---|---|---|---|"]
    overview += [
        f"| {fmt.tool} | {fmt.title} | `{fmt.source}` | "
        + ", ".join(f"`.{t}`" for t in fmt.file_types)
        + f" | {', '.join(LANGUAGES[lang] for lang in fmt.languages)} |"
        for fmt in sorted(exports, key=lambda f: (f.source, f.tool))
    ]
    intro = _INTRO.format(
        languages=" and ".join(LANGUAGES[lang] for lang in languages)
        + " (the languages each export is known in are listed below)",
        overview="\n".join(overview),
    )
    sections = "\n".join(_section(fmt, contract) for fmt in exports)
    return f"{intro}\n{sections}"
