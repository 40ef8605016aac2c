"""What an alert quotes: the evidence columns of a signal row and the summary sentence.

Values arrive from pandas as numpy scalars, pandas NA, dates and decimals. They are turned
into plain JSON values once, here, so the results table, the alert payloads and XCom all see
the same thing. The summary fills the catalogue's format string and never fails on a NULL: a
value the warehouse could not compute reads "n/a", as in every other alert text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import string
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from marketing_health.catalogue.model import Guard, format_value

MISSING_TEXT = "n/a"


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
    """The guard's evidence columns of one signal row, in catalogue order."""
    return {column: to_jsonable(row.get(column)) for column in guard.evidence}


def render_summary(guard: Guard, row: Mapping[str, Any]) -> str:
    """The catalogue's summary sentence filled with one signal row.

    A field with a format spec (``{share:.0%}``) uses it; a field without one reads like the
    rest of the alert text (a checked column in its check's unit, whole numbers without
    decimals). NULL reads "n/a" whatever the spec.
    """
    units = {c.column: c.unit for c in guard.checks}
    parts: list[str] = []
    for literal, field, spec, _conversion in string.Formatter().parse(guard.summary):
        parts.append(literal)
        if field is None:
            continue
        value = to_jsonable(row.get(field))
        parts.append(_format_field(value, spec or "", units.get(field)))
    return re.sub(r":\s*(?=[.;]|$)", "", "".join(parts))


def _format_field(value: Any, spec: str, unit: str | None) -> str:
    if value is None:
        return MISSING_TEXT
    if spec:
        try:
            return format(value, spec)
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if unit is not None:
            return format_value(value, unit)
        if float(value).is_integer():
            return format_value(value, "count")
        return format_value(value, "score")
    if isinstance(value, list):
        return ", ".join(MISSING_TEXT if v is None else str(v) for v in value)
    return str(value)


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
