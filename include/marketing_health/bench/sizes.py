"""Landing-zone sizes written the way people say them (``1M``, ``10M``, ``250k``)."""

from __future__ import annotations

import re

from marketing_health.generate import volumes

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$")
_UNITS = {"": 1, "k": 1_000, "m": 1_000_000}


def parse_size(text: str) -> int:
    """Channel rows asked for: ``"10M"`` -> 10_000_000."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"size {text!r} is not a number of rows such as 250k, 1M or 10M")
    rows = round(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if rows <= 0:
        raise ValueError(f"size {text!r} must be more than zero rows")
    return rows


def parse_sizes(text: str) -> list[tuple[str, int]]:
    """``"1M,10M"`` -> ``[("1M", 1_000_000), ("10M", 10_000_000)]``."""
    labels = [part.strip() for part in text.split(",") if part.strip()]
    if not labels:
        raise ValueError("give at least one size, e.g. --sizes 1M,10M,50M")
    return [(label, parse_size(label)) for label in labels]


def scale_for(rows: int, days: int) -> float:
    """Generator scale for about ``rows`` channel rows over ``days`` days. Scale 1 is the
    smallest landing zone that holds every pitfall scenario, so smaller sizes get scale 1."""
    return volumes.scale_for_rows(rows, days)
