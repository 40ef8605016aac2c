"""The "Numbers and dates in your locale" section of ``docs/landing-contract.md``: how each
candidate locale writes numbers, amounts and dates (from Babel, as the loader reads them), how
a file's locale is recognised or declared, what happens to a value that could be read two
ways, and which currency signs an amount may carry."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from marketing_health.ingest.locales import default_candidates, locale_style, parse_locale
from marketing_health.ingest.money import currency_signs

_EXAMPLE_DAY = date(2026, 12, 6)

_SECTION = """\
## Numbers and dates in your locale

Teams write numbers and dates the way their country does. A file may be written in the forms
of one locale (named in BCP 47 / CLDR, as Babel knows them); what each locale's forms are comes
from CLDR, the same data the loader reads them with:

{table}

ISO dates (`2026-12-06`, `2026-12-06 14:30:00`) and plain whole numbers (`1200`) are read the
same in every locale. Years are written with four digits (`06.12.26` is not read).

**Recognised from the file's own values.** Without a declaration, a file is read in the
locales above that none of its values contradicts: `12,5` rules out the locales with a
decimal point, `1.234,56` those that group thousands with commas, `25/12/2026` the US
month-first order, `2026年12月6日` every locale but Chinese. The file's ledger message says
what it was recognised as, e.g. `numbers and dates recognised as de-DE`. When every locale is
contradicted by some value, the file mixes the forms of several: it is read in those it
contradicts least, and the values written otherwise are quarantined as not a number or date.

**Never guessed.** A value the remaining locales read differently is quarantined, with each
reading and the locales behind it, and what to do:

```
paid_ads/2026-11-20/agency.csv, row 2, column 'spend': '1.234' could be 1.234 (en-US, en-GB)
or 1234 (de-DE, es-ES): declare the file's locale in config/locales.yaml
paid_ads/2026-11-20/agency.csv, row 2, column 'ad_date': '03/04/2026' could be 4 March 2026
(en-US) or 3 April 2026 (en-GB, fr-FR, es-ES): write it as YYYY-MM-DD or declare the file's
locale in config/locales.yaml
```

**Declared.** `config/locales.yaml` (or the file named by `MH_LOCALES_CONFIG`) names the
locale of a source, or of the files matching a pattern relative to the landing folder:

```yaml
sources: {{paid_ads: de-DE}}
files:   {{"influencer_posts/**/agentur_*.csv": de-DE}}
```

A file entry beats a source entry; of two file entries that match, the first listed wins. A
declared file is read in its locale only (ISO dates and plain whole numbers still are): a
value written otherwise is quarantined with how the locale writes it, e.g. `'1.234,56' is
not a number as en-US writes it (...): write it like 1,234.56`. Any locale Babel knows can
be declared, not only those above. A wrong entry (a locale Babel does not know, a source the
contract does not know) stops the night's loading with a message naming the entry.

**Percentages.** A column marked *also written as a percentage* below (the plan's
`target_roi`, a KPI's `target_value`) takes `0.35`, `35%` or `35 %` alike: a KPI target of
`35%` (复购率, a repurchase rate) loads as 0.35.

**Amounts.** A column marked *an amount* below (budgets, spend, revenue, fees, costs) may
carry a currency sign or ISO code before or after the number, with or without a space, as
spreadsheets export currency cells: `$420,000.00`, `US$1,234`, `¥1,234.56`, `€ 1.234,56`,
`1 234,56 €`, `CNY 1,234.56`. The number is read in the file's locale like any other; the
sign never changes it, and nothing is converted. When the row names its currency (the
`currency` column of the plan and of paid ads) and the sign stands for another one, the row is
quarantined with both:

```
paid_ads/2026-11-20/ads.csv, row 2, column 'spend': '$1,284.15' is an amount in $ (USD), but
the row's currency (column 'currency') is EUR: correct the sign or the currency
```

An empty currency, or one that is no ISO code (`RMB`), is not checked against the sign. The
signs are CLDR's, read through Babel: the symbols of the currencies of the locales in use
(the candidates and the declared ones) and of the common currencies listed in
`include/marketing_health/contract/locales.yaml`, in each of those locales, and each ISO code
itself. With the candidates above: {signs}.

**Tool exports** (see [Exports from marketing tools](#exports-from-marketing-tools)) are
read the same way, from the export's own cells: the date formats known for the tool first,
then the file's locale. A value quarantined there names the export's own column.
"""


def _row(tag: str) -> tuple[str, str, str, str, str]:
    style = locale_style(tag)
    medium = format_date(_EXAMPLE_DAY, "medium", locale=parse_locale(tag))
    dates = list(dict.fromkeys([style.date_example, medium]))
    return (
        f"`{tag}`",
        f"`{style.number_example}`",
        f"`{style.money_example}`",
        ", ".join(f"`{d}`" for d in dates),
        f"`{style.timestamp_example}`",
    )


def _signs(tags: tuple[str, ...]) -> str:
    """``$`` (USD), ``¥`` (CNY or JPY), ... and the ISO codes."""
    signs = currency_signs(tags).signs
    symbols = [f"`{s}` ({' or '.join(codes)})" for s, codes in signs if codes != (s,)]
    codes = [f"`{s}`" for s, codes in signs if codes == (s,)]
    return ", ".join(symbols) + "; the codes " + ", ".join(codes)


def render_locales_md() -> str:
    """The section, with one row per candidate locale (``contract/locales.yaml``)."""
    candidates = default_candidates()
    lines = ["| Locale | Number | Amount | Date | Date and time |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(_row(tag)) + " |" for tag in candidates]
    return _SECTION.format(table="\n".join(lines), signs=_signs(candidates)).rstrip("\n")
