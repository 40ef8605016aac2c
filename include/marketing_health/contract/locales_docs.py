"""The "Numbers and dates in your locale" section of ``docs/landing-contract.md``: how each
candidate locale writes numbers and dates (from Babel, as the loader reads them), how a file's
locale is recognised or declared, and what happens to a value that could be read two ways."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from marketing_health.ingest.locales import default_candidates, locale_style, parse_locale

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

**Percentages.** A column documented as a ratio (below: *also written as a percentage*)
takes `0.125`, `12,5 %` or `12.5%` alike.

**Tool exports** (see [Exports from marketing tools](#exports-from-marketing-tools)) are
read the same way, from the export's own cells: the date formats known for the tool first,
then the file's locale. A value quarantined there names the export's own column.
"""


def _row(tag: str) -> tuple[str, str, str, str]:
    style = locale_style(tag)
    medium = format_date(_EXAMPLE_DAY, "medium", locale=parse_locale(tag))
    dates = list(dict.fromkeys([style.date_example, medium]))
    return (
        f"`{tag}`",
        f"`{style.number_example}`",
        ", ".join(f"`{d}`" for d in dates),
        f"`{style.timestamp_example}`",
    )


def render_locales_md() -> str:
    """The section, with one row per candidate locale (``contract/locales.yaml``)."""
    lines = ["| Locale | Number | Date | Date and time |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(_row(tag)) + " |" for tag in default_candidates()]
    return _SECTION.format(table="\n".join(lines)).rstrip("\n")
