"""What an alert quotes: the evidence columns of a signal row and the summary sentence.

Values arrive from pandas as numpy scalars, pandas NA, dates and decimals. They are turned
into plain JSON values once, here, so the results table, the alert payloads and XCom all see
the same thing. The summary fills the catalogue's sentences in a reader's language and locale
and never fails on a NULL: a value the warehouse could not compute reads "n/a" (无数据 in
Chinese), as in every other alert text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import string
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from marketing_health.catalogue.model import SUMMARY_SPEC, Guard, Sentence, format_value
from marketing_health.guards.examples import parse_examples, render_examples
from marketing_health.i18n.translator import Translator

#: A colon (ASCII or full-width) with nothing after it but a sentence end.
_DANGLING_COLON = re.compile(r"\s*[:\uff1a]\s*(?=[.;\u3002\uff1b]|$)")
#: Space after a full-width full stop, exclamation or question mark or semicolon (the next
#: Chinese sentence starts right after it).
_AFTER_FULL_WIDTH_STOP = re.compile(r"(?<=[\u3002\uff01\uff1f\uff1b])\s+")


def to_jsonable(value: Any) -> Any:
    """A JSON-ready copy of one value: NULL-likes to None, numpy to Python, dates to ISO."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "tolist") and not _is_scalar_missing(value):
        return to_jsonable(value.tolist())
    if _is_scalar_missing(value):
        return None
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float | Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def evidence_of(guard: Guard, row: Mapping[str, Any]) -> dict[str, Any]:
    """The guard's evidence columns of one signal row, in catalogue order; a column of
    examples (a JSON array of objects, guards.examples) is kept as that structure, so a display
    writes it in its reader's language."""
    return {column: _structured(to_jsonable(row.get(column))) for column in guard.evidence}


def _structured(value: Any) -> Any:
    """The example objects of a column of examples (DuckDB gives its JSON as text), else the
    value itself."""
    examples = parse_examples(value)
    return value if examples is None else examples


def render_summary(guard: Guard, row: Mapping[str, Any], t: Translator) -> str:
    """The catalogue's summary sentences filled with one signal row, in ``t``'s language.

    A plural sentence takes the form the language uses for its ``count`` column; a sentence
    with ``when`` is left out while that column holds nothing (NULL, 0, empty), one with
    ``unless`` while it holds something. A field with
    a format spec (``{share:.0%}``) is shown in the locale's form of it; a field without one
    reads like the rest of the alert text (a checked column in its check's unit, whole
    numbers without decimals). NULL reads "n/a" (无数据 ...) whatever the spec.
    """
    row = {column: _structured(value) for column, value in row.items()}
    units = {c.column: c.unit for c in guard.checks}
    specs = guard.summary.specs()
    currency = to_jsonable(row.get(guard.currency)) if guard.currency else None
    shown: list[str] = []
    for sentence in guard.summary.sentences:
        if not _shown(sentence, row):
            continue
        if sentence.is_plural:
            count = to_jsonable(row.get(str(sentence.count)))
            n = round(count) if isinstance(count, int | float) else 0
            text = t.translate_plural(sentence.one, sentence.other, n)
        else:
            text = t.translate(sentence.text)
        values = {
            column: _format_field(
                to_jsonable(row.get(column)), spec, units.get(column), t, currency
            )
            for column, spec in sentence.placeholders().items()
        }
        shown.append(_fill(text, values, specs, row, units, t, currency))
    return _tidy(" ".join(s for s in shown if s))


def summary_from_evidence(
    guard: Guard, evidence: Mapping[str, Any] | None, t: Translator
) -> str | None:
    """The summary re-rendered in ``t``'s language from the evidence a night stored.

    ``guards.guard_results.summary`` keeps the English sentence; the evidence JSON keeps the
    values it was built from (every evidence column, and each check's observed value and
    unknown count under ``checks``), so a display in another language rebuilds the sentence
    from them. None when nothing was stored (an error row, a night from before evidence).
    """
    if not evidence:
        return None
    row: dict[str, Any] = {k: v for k, v in evidence.items() if k != "checks"}
    for check in evidence.get("checks") or ():
        if not isinstance(check, Mapping) or "column" not in check:
            continue
        row.setdefault(str(check["column"]), check.get("observed"))
        declared = next((c for c in guard.checks if c.column == check["column"]), None)
        if declared is not None and declared.unknown and "unknown" in check:
            row.setdefault(declared.unknown, check.get("unknown"))
    return render_summary(guard, row, t)


def _fill(
    text: str,
    values: Mapping[str, str],
    specs: Mapping[str, str],
    row: Mapping[str, Any],
    units: Mapping[str, str],
    t: Translator,
    currency: Any,
) -> str:
    """The translated text with its placeholders replaced by the formatted values. A
    translation may drop a placeholder's spec: the English one formats the value."""
    parts: list[str] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(text):
        parts.append(literal)
        if field is None:
            continue
        if field not in values:
            value = to_jsonable(row.get(field))
            values = {
                **values,
                field: _format_field(value, specs.get(field, ""), units.get(field), t, currency),
            }
        parts.append(values[field])
    return "".join(parts)


def _tidy(text: str) -> str:
    """No colon left dangling before a full stop when a list came out empty, and no space
    after a full-width full stop (Chinese sentences follow each other without one)."""
    text = _DANGLING_COLON.sub("", text)
    return _AFTER_FULL_WIDTH_STOP.sub("", text).strip()


def _shown(sentence: Sentence, row: Mapping[str, Any]) -> bool:
    """Whether a sentence's ``when`` column holds something and its ``unless`` one nothing."""
    if sentence.when is not None and not _holds_something(to_jsonable(row.get(sentence.when))):
        return False
    return sentence.unless is None or not _holds_something(to_jsonable(row.get(sentence.unless)))


def _holds_something(value: Any) -> bool:
    """What ``when`` asks: a value that is not NULL, zero, false or empty."""
    if value is None or value is False:
        return False
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str | list | dict):
        return bool(value.strip() if isinstance(value, str) else value)
    return True


def _format_field(value: Any, spec: str, unit: str | None, t: Translator, currency: Any) -> str:
    if value is None:
        return t.missing()
    if spec and isinstance(value, int | float) and not isinstance(value, bool):
        return _format_spec(float(value), spec, t, currency)
    if isinstance(value, bool):
        return t.display(value)
    if isinstance(value, int | float):
        if unit is not None:
            return format_value(value, unit, t)
        if float(value).is_integer():
            return format_value(value, "count", t)
        return format_value(value, "score", t)
    examples = parse_examples(value)
    if examples is not None:
        return render_examples(examples, t)
    if isinstance(value, list):
        return t.list(t.missing() if v is None else str(v) for v in value)
    return str(value)


def _format_spec(number: float, spec: str, t: Translator, currency: Any) -> str:
    """A catalogue format spec in the locale's form (the loader accepts only these)."""
    match = SUMMARY_SPEC.match(spec)
    if match is None:
        return t.number(number)
    if match["percent"] is not None:
        text = t.percent(number, int(match["percent"]))
        return f"+{text}" if match["sign"] and number > 0 else text
    if match["decimals"] is not None:
        decimals = int(match["decimals"])
        return t.integer(number) if decimals == 0 else t.number(number, decimals)
    if match["days"] is not None:
        return format_value(number, "days", t)
    code = str(currency) if isinstance(currency, str) and currency.strip() else None
    return t.money(number, code, decimals=0 if match["whole"] else None)


def _is_scalar_missing(value: Any) -> bool:
    """True for None, NaN, pandas NA and NaT; False for anything list-like."""
    if isinstance(value, float):
        return math.isnan(value)
    if hasattr(value, "__len__") and not isinstance(value, str):
        return False
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
