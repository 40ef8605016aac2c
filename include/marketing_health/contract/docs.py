"""``docs/landing-contract.md``, written from the contract so the page never disagrees with the
loader.

The page is generated (``marketing-health docs``) and checked in; a test fails when it no
longer matches ``sources.yaml``. It is written for the people who export files from channel
tools: where a file goes, what it must look like, and what happens to rows that do not fit.
"""

from __future__ import annotations

from marketing_health.contract.exports import load_exports
from marketing_health.contract.exports_docs import render_exports_md
from marketing_health.contract.locales_docs import render_locales_md
from marketing_health.contract.schema import Column, Contract, Source
from marketing_health.contract.vocabulary_docs import accepted_values, render_vocabularies_md
from marketing_health.settings import REPO_ROOT

LANDING_CONTRACT_DOC = REPO_ROOT / "docs" / "landing-contract.md"

TYPE_WORDS: dict[str, str] = {
    "text": "text",
    "integer": "whole number",
    "decimal": "number",
    "date": "date (YYYY-MM-DD)",
    "timestamp": "date and time",
    "boolean": "true / false",
}

_KIND_WORDS = {
    "snapshot": "snapshot (every delivery is the full list; the latest delivery day wins)",
    "event": "events (rows add up over deliveries; each row belongs to the day in `{day}`)",
}

_QUIET_DAY_WORDS = {
    "header_only": "a file every day; a day with nothing to report comes as a file with only "
    "the header (a day without a file is a missing file)",
    "no_file": "no file when nothing happened (a day without a file is a quiet day, not a "
    "late one)",
}
_QUIET_DAY_SHORT = {"header_only": "a header-only file", "no_file": "no file"}

FORMATS = (
    (
        "CSV",
        "`.csv`",
        "comma-separated, UTF-8 with or without BOM, first row = column names; values "
        'containing commas, quotes or line breaks in double quotes (`"`), a quote inside '
        'doubled (`""`)',
    ),
    ("TSV", "`.tsv`", "as CSV, separated by tabs"),
    ("gzip CSV", "`.csv.gz`", "a CSV file compressed with gzip"),
    (
        "Excel workbook",
        "`.xlsx`",
        "first sheet, first row = column names; or a tool export as the tool writes it",
    ),
    (
        "Parquet",
        "`.parquet`",
        "column names as below; column types may be native (numbers, dates, lists) or text",
    ),
    (
        "JSON lines",
        "`.jsonl`, `.ndjson`",
        "one JSON object per line, keys = column names; list values may be JSON arrays",
    ),
)

LEDGER_STATUSES = (
    ("`loaded`", "new content", "rows loaded, problem rows quarantined"),
    (
        "`replaced`",
        "new content at a path loaded before (a corrected re-delivery)",
        "the rows, quarantine records and privacy findings of the earlier delivery are "
        "removed; the new ones are loaded",
    ),
    (
        "`duplicate`",
        "the same content was already loaded under another name (for a snapshot source: and "
        "no other content was delivered since)",
        "nothing is loaded again",
    ),
    (
        "`rejected`",
        "the file as a whole breaks the contract",
        "nothing is loaded; the message says why",
    ),
)

_INTRO = """\
# Landing contract

<!-- Generated from include/marketing_health/contract/sources.yaml by `marketing-health docs`.
     Edit the contract, not this page. -->

Every night the pipeline loads the files that channel tools export into the **landing zone**
(the folder in `MH_LANDING_DIR`, by default `var/landing`). This page says where each file
goes, what it must look like, and what happens to rows and files that do not fit. It is
written from the contract file (`sources.yaml`, version {version}), the same definition the
loader checks files against.

## Where files go

```
<landing zone>/<source>/<YYYY-MM-DD>/<name>.<csv | csv.gz | tsv | xlsx | parquet | jsonl | ndjson>
```

- `<source>` is one of the folders listed under [Sources](#sources), e.g. `social_posts`.
- `<YYYY-MM-DD>` is the **delivery day**: the day the file was exported. A file outside a
  delivery-day folder is rejected with a message saying where it belongs.
- The file name is free. Any number of files may arrive per source and day.
- Hidden files (names starting with a dot) are ignored, so tools can upload under a temporary
  dot-name and rename when done.

## Accepted formats

{formats}

Exports of marketing tools (Meta Ads Manager, Google Ads, Klaviyo, Mailchimp, Meta Business
Suite, ...) may be dropped as the tool writes them, UTF-16 "Excel CSV" and workbooks included:
see [Exports from marketing tools](#exports-from-marketing-tools). Anything else
(semicolon-separated files in the contract's columns, other file types) is rejected: export
as one of the formats above.

## Columns and values

- Column names are matched ignoring upper/lower case, surrounding spaces, and spaces or dashes
  instead of underscores (`Post Date` finds `post_date`). Column order does not matter.
- **Required** columns must be in the file. Optional columns may be left out entirely.
- Spaces around a value are removed; an empty cell means "no value". A column marked
  *empty allowed: no* needs a value in every row.
- Types:
  - *whole number*: digits, optionally signed (`1200`; `1200.0` is accepted), or with the
    thousands separators of the file's locale (`1,200`, `1.200`).
  - *number*: a dot for decimals (`1234.56`), or as the file's locale writes numbers
    (`1,234.56`, `1.234,56`, `1 234,56`, `1\u2019234.56`); stored with 4 decimals. Currency
    signs only in the columns marked *an amount* (`$1,234.56`, `1.234,56 €`, `CNY 1,234.56`).
    A column marked *also written as a percentage* takes `35%` or `12,5 %` (0.35, 0.125).
  - *date*: `YYYY-MM-DD`, or as the file's locale writes dates (`06.12.2026`, `2026/12/06`,
    `2026年12月6日`, `6 déc. 2026`), always with a four-digit year.
  - *date and time*: ISO 8601, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, or a date of
    the file's locale followed by a time (`06.12.2026 14:30`, `12/6/2026 2:30 PM`). A time
    with an offset (`+02:00`, `Z`) is converted to UTC; a time without one is taken as UTC.
  - Which locale a file is written in is recognised from its values or declared: see
    [Numbers and dates in your locale](#numbers-and-dates-in-your-locale).
  - *true / false*: `true` or `false` (also `yes`/`no`, `1`/`0`), or yes and no in the
    team's language: `ja`/`nein`, `是`/`否`, `有`/`无`, `已标注`/`未标注`, `oui`/`non`,
    `sí`/`no` ([Yes and no](#yes-and-no)).
  - lists (e.g. planned channels) separate values with a pipe: `social|email`.
- **Allowed values** are compared ignoring case and stored in lower case.
- Platform and post-format columns take **names** in any language the vocabularies know
  (`抖音`, `小红书`, `YouTube Shorts`, `短视频`) and store the vocabulary's id (`douyin`); a
  name the vocabularies do not know is loaded as written, never quarantined: see
  [Names in your language](#names-in-your-language-vocabularies).

{locales}

## Rows that break the contract: quarantine

A row with any of these problems is set aside in the **quarantine** (`ops.quarantine`) and the
other rows of the file load as usual:

- a value that is not of the column's type (`abc` in a whole-number column), or that the
  file's locales read two ways (`1.234`);
- an amount whose currency sign names another currency than the row's (`$420,000.00` in a
  row whose `currency` is EUR);
- a value that is not one of the allowed values;
- a number below the column's minimum (e.g. a negative count);
- an empty value in a column that needs one;
- a row repeating the key of an earlier row of the same file: the first row loads, the
  repeats are quarantined.

Each quarantine record names the file, the row and the column, says what is wrong, and keeps
the row's values (personal data already hashed or redacted), for example:

```
social_posts/2026-11-20/posts.csv, row 14, column 'impressions': 'abc' is not a whole number
```

Rows are counted the way a spreadsheet shows them: in a CSV or TSV the header is row 1 and the
first data row is row 2; in JSON lines and Parquet row 1 is the first record. (The
`row_number` columns of the warehouse tables count data rows only: first data row = 1.)
To fix quarantined rows, correct the export and deliver the file again at the same path.

Beside the English `reason`, `ops.quarantine` keeps what is wrong as a code (`problem`, e.g.
`not_whole_number`) and the values its message names (`problem_values`, JSON: `value`,
`allowed`, `minimum`, `locale`, `like`, `first`, `key` ..., with `row` as the file shows it and,
for a tool export, the column's `heading`). The ops digest says the problem from them in the
ops channel's language; a rejected file's code and values are in `ops.load_ledger` likewise.

## Files that break the contract: rejection

A file is rejected as a whole, and nothing of it is loaded, when it:

- sits outside a `<source>/<YYYY-MM-DD>/` folder, or has a file type not listed above;
- is empty (nothing, or only a byte-order mark), cannot be read (not UTF-8, damaged
  compression), or is cut off (see below);
- lacks a required column (the message lists the columns the header does have), or names a
  column twice.

The message names the file, the row and the column, e.g.
`social_posts/2026-11-20/posts.csv, row 1, column 'impressions': required column 'impressions'
is missing from the header; it has: ...`. Rejections are recorded in the load ledger
(`ops.load_ledger`, status `rejected`). Other files load normally. Deliver the corrected file
(at the same path or a new one): new content loads normally. A rejected re-delivery leaves the
rows of the earlier delivery of that path in place.

**Files cut off** during export or upload are rejected whole, so a night never loads half a
file:

- CSV / TSV: a row with fewer values than the header, or a quoted value never closed; the
  message names the row where the file stops.
- Tool exports: a last row shorter than the header in a file that does not end with a line
  break; the message names that row.
- gzip CSV and Parquet: the file's own checksum or footer is missing or wrong.
- JSON lines: an unfinished last line; the message names the line.

A plain CSV carries no checksum: cut inside the very last value of its last row, it still
looks complete. That value is checked like any other (a cut date or number is quarantined),
but a cut text value cannot be told from a short one. Deliver large files as gzip CSV or
Parquet when uploads can be interrupted.

## Re-delivery, duplicates and re-runs

Every file is recognised by its path and a checksum (SHA-256) of its content, and every
delivery is recorded in the load ledger (`ops.load_ledger`):

{statuses}

- Re-running a night changes nothing: content already loaded at its path is skipped without a
  new ledger row, and a duplicate or rejected delivery is recorded once however often it is
  seen.
- Every row is accounted for. For every loaded file, rows in the file = rows loaded + rows
  quarantined, and the load ledger shows the three numbers. Rows of a tool export that are not
  data (total rows, SMS lines in an e-mail report) are not part of these numbers: they are
  counted apart, in the night's ingest report and in the file's ledger message. The sum is
  checked after the contract checks and again in the warehouse, inside the transaction that
  loads the night's files of its source; if it does not hold, nothing of that file is loaded
  and the night's load fails with an error naming the file.
- **A file for an earlier day arriving late** (e.g. `social_posts/2026-11-18/` delivered after
  the 19th and 20th were loaded) loads like any other, under its own delivery day; the ledger
  records the night that loaded it (`run_id`). Its rows count for the days in their date
  column, so the next night's dashboards, trends and rolling windows include them. Nights
  already judged are not re-judged by themselves: to judge an earlier night again with the
  late rows, re-run that night with its `as_of_date`. For snapshot sources the latest delivery
  day still wins: a late plan for an earlier day does not replace a newer one.
- Snapshot sources keep every delivery; the latest delivery day is the one used. Event sources
  add up: to correct a day, deliver the corrected file **at the same path**; under a new name
  the corrected rows would count twice.
- **A day without activity.** Each source says (column "A day without activity" above,
  `quiet_days` in the contract file) whether its tool still exports a file on a day when
  nothing happened. A file with only its header means "nothing today": it loads as zero rows,
  counts as that day's delivery (status `loaded`), and is neither late nor an error. For a
  source that exports every day, a day without any file is a missing file and the ops digest
  reports the source late once its newest delivery is older than its `max_age_days` in
  `config/alerting.yaml`. A source that sends no file when nothing happened (no creator
  posted) is never late because of a quiet day: the ops digest names it only when it has
  never delivered, or when its `max_silent_days` (if set) have passed without a file.
- **The latest delivery wins, whatever its bytes.** A snapshot delivered as A, then B, then A
  again (the same bytes as the first) leaves A in use: the third delivery is loaded under its
  own day (status `loaded`), and its ledger message says so, e.g. `campaigns/2026-11-20/plan.csv:
  same content as campaigns/2026-11-18/plan.csv, delivered again after
  campaigns/2026-11-19/plan.csv; the latest delivery wins, so it replaces
  campaigns/2026-11-19/plan.csv as the current delivery`. The same bytes delivered again with
  nothing different in between change nothing and are recorded as `duplicate`.

## Columns the contract does not know

Extra columns are **reported, not loaded**: the file's rows load as usual, without the extra
columns, and the columns are named as *schema drift* in the night's ingest report, in the logs
and in the file's message in the load ledger (`ops.load_ledger.message`, e.g.
`columns not in the contract, not loaded: Reach`), so a change in an export's layout is
noticed and stays inspectable. To load a new column, add it to `sources.yaml` first. (Tool
exports carry many columns by design; only the ones they are read from matter.)

## Personal data

- Columns marked *hashed at load* (e-mail addresses, phone numbers) never reach the warehouse
  as written: each value is replaced by its keyed hash, HMAC-SHA256 (RFC 2104) under the
  hashing key, in a column named `<name>_hash` (e-mail compared in lower case, phone as digits
  with its leading `+`), so the same person gets the same hash in every file. An empty value
  stays empty.
- Hashes changed once, when the keyed SHA-256 of earlier versions (`sha256(key:value)`) gave
  way to HMAC-SHA256: rows loaded before the change hold the old hashes, which no longer join
  the new ones (a recipient would count as two people across the change). Rebuild the
  warehouse from the landing zone: move the warehouse file aside (on PostgreSQL, drop the
  `raw` and `ops` schemas) and run a night; every file in the landing zone loads again, with
  the new hashes.
- Columns marked *redacted* hold text written by people (posts, captions, notes). E-mail
  addresses and phone numbers found in them are replaced by `[redacted e-mail]` /
  `[redacted phone]`, and each such cell is recorded as a privacy finding
  (`ops.pii_findings`: file, row, column, kind, campaign, day); the value itself is never
  stored.
- The raw values are not kept anywhere: not in the warehouse, the staged files or the
  quarantine.
- The hashing key comes from the environment variable `MH_PII_HASH_KEY` or the password of the
  Airflow connection `marketing_health_pii`. Keep it secret and stable: a new key gives
  every person a new hash.
"""


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _table(headers: tuple[str, ...], rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _key(source: Source) -> str:
    """The key in the column names a file uses (``email``, not ``email_hash``)."""
    by_name = {c.warehouse_name: c.name for c in source.columns}
    return ", ".join(f"`{by_name[k]}`" for k in source.key)


def _column_notes(col: Column, source: Source) -> str:
    notes = [col.doc]
    if col.warehouse_name in source.key:
        notes.append("Part of the key.")
    if col.min is not None:
        notes.append(f"Minimum {col.min:g}.")
    if col.pii:
        notes.append(f"**Hashed at load**: stored as `{col.warehouse_name}`.")
    if col.free_text:
        notes.append("**Redacted**: e-mail addresses and phone numbers are removed at load.")
    if col.percent:
        notes.append("Also written as a percentage (`35%` = 0.35, `12,5 %` = 0.125).")
    if col.money:
        notes.append(_money_note(source))
    if col.currency_code:
        notes.append(
            "Currency of the row's amounts: an amount whose sign names another currency "
            "is quarantined."
        )
    return " ".join(notes)


def _money_note(source: Source) -> str:
    note = (
        "**An amount**: a currency sign or code may stand before or after the number "
        "(`$1,234.56`, `1.234,56 €`); it never changes the number"
    )
    currency = source.currency_column
    if currency is None:
        return note + "."
    return note + f", and one naming another currency than `{currency.name}` is quarantined."


def _column_cells(col: Column, source: Source) -> tuple[str, ...]:
    return (
        f"`{col.name}`",
        TYPE_WORDS[col.type],
        "yes" if col.required else "no",
        "yes" if col.nullable else "no",
        accepted_values(col) if col.vocabulary else ", ".join(f"`{v}`" for v in col.enum),
        _column_notes(col, source),
    )


def _source_section(source: Source) -> str:
    columns = _table(
        ("Column", "Type", "Required", "Empty allowed", "Allowed values", "Notes"),
        (_column_cells(c, source) for c in source.columns),
    )
    return f"""\
### {source.title} (`{source.name}`)

{source.doc}

- Folder: `{source.name}/YYYY-MM-DD/`
- Channel: {source.channel}
- Kind: {_KIND_WORDS[source.kind].format(day=source.day_column)}
- A day without activity: {_QUIET_DAY_WORDS[source.quiet_days]}
- Key (unique within a file): {_key(source)}
- Loaded into: `{source.raw_table}`

{columns}
"""


def render_landing_contract_md(contract: Contract) -> str:
    """The whole page; ``marketing-health docs`` writes it to ``docs/landing-contract.md``."""
    overview = _table(
        ("Folder", "What", "Channel", "Kind", "A day without activity", "Key"),
        (
            (f"`{s.name}`", s.title, s.channel, s.kind, _QUIET_DAY_SHORT[s.quiet_days], _key(s))
            for s in contract
        ),
    )
    intro = _INTRO.format(
        version=contract.version,
        formats=_table(("Format", "File ending", "Rules"), FORMATS),
        statuses=_table(("Status", "When", "What happens"), LEDGER_STATUSES),
        locales=render_locales_md(),
    )
    sections = "\n".join(_source_section(s) for s in contract)
    vocabularies = render_vocabularies_md(contract)
    exports = render_exports_md(load_exports(), contract)
    return f"{intro}\n## Sources\n\n{overview}\n\n{sections}\n{vocabularies}\n{exports}"
