"""Inline SVG charts for the health report, drawn on the server so the file opens offline.

Charts are plain markup strings: every label passes through :func:`html.escape`, numbers are
rounded to one decimal so hundreds of campaigns keep the file small, and every chart carries
a ``<title>`` so a screen reader (and a hovering mouse) gets the values in words, in the
reader's language (days and numbers in the locale's format).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from marketing_health.i18n import Translator, translator

Point = tuple[str, float | None]

SPARK_WIDTH = 168
SPARK_HEIGHT = 34
_PAD = 4


def _num(value: float, decimals: int = 0) -> str:
    """Short coordinates (no trailing ``.0``): at 500 campaigns every byte counts."""
    text = f"{value:.{decimals}f}"
    return text[:-2] if text.endswith(".0") else text


def _x_positions(days: Sequence[str], width: float) -> list[float]:
    """Days placed by date, so a night that was never run leaves a visible gap."""
    ordinals = [date.fromisoformat(d).toordinal() for d in days]
    first, last = ordinals[0], ordinals[-1]
    span = max(last - first, 1)
    usable = width - 2 * _PAD
    if last == first:
        return [width / 2 for _ in ordinals]
    return [_PAD + usable * (o - first) / span for o in ordinals]


def _y(value: float, lo: float, hi: float, height: float) -> float:
    usable = height - 2 * _PAD
    clamped = min(max(value, lo), hi)
    return _PAD + usable * (1 - (clamped - lo) / (hi - lo))


def sparkline(
    points: Sequence[Point],
    *,
    lo: float,
    hi: float,
    label: str,
    fmt: Callable[[float], str],
    css_class: str,
    t: Translator | None = None,
) -> str:
    """One measure over time; gaps where the value is unknown, a dot on the latest value."""
    t = t or translator()
    known = [(d, v) for d, v in points if v is not None]
    if not known:
        title = escape(t.gettext("{measure}: no data yet", measure=label))
        text = escape(t.gettext("no data"))
        return f'<span class="no-data" title="{title}">{text}</span>'
    xs = _x_positions([d for d, _ in points], SPARK_WIDTH)
    path: list[str] = []
    pen_down = False
    for x, (_, v) in zip(xs, points, strict=True):
        if v is None:
            pen_down = False
            continue
        # after a move, further points are implied line-tos: shorter paths, same drawing
        y = _num(_y(v, lo, hi, SPARK_HEIGHT), 1)  # whole pixels across, tenths up: no jaggies
        path.append(f"{'' if pen_down else 'M'}{_num(x)} {y}")
        pen_down = True
    last_x = xs[max(i for i, (_, v) in enumerate(points) if v is not None)]
    last_day, last_value = known[-1]
    first_day, first_value = known[0]
    if len(known) > 1:
        words = t.gettext(
            "{measure}: {first} on {first_day}, {last} on {last_day}",
            measure=label,
            first=fmt(first_value),
            first_day=t.date(first_day, "medium"),
            last=fmt(last_value),
            last_day=t.date(last_day, "medium"),
        )
    else:
        words = t.gettext(
            "{measure}: {last} on {last_day}",
            measure=label,
            last=fmt(last_value),
            last_day=t.date(last_day, "medium"),
        )
    line = f'<path class="series" d="{" ".join(path)}"/>' if len(known) > 1 else ""
    # the frame and the half-way line are drawn by the page's style sheet, once for all charts
    return (
        f'<svg class="spark {css_class}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" role="img">'
        f"<title>{escape(words)}</title>{line}"
        f'<circle class="last" cx="{_num(last_x)}" '
        f'cy="{_num(_y(last_value, lo, hi, SPARK_HEIGHT), 1)}" r="2.6"/></svg>'
    )


def nights_chart(
    nights: Sequence[tuple[str, int, int]], *, width: int = 720, t: Translator | None = None
) -> str:
    """Campaigns needing attention out of those judged, one bar per night the pipeline ran."""
    if not nights:
        return ""
    t = t or translator()
    title = escape(t.gettext("Campaigns needing attention, night by night"))
    height, top, bottom = 120, 16, 22
    slot = (width - 2 * _PAD) / len(nights)
    bar = max(min(slot * 0.7, 28), 2)
    peak = max(judged for _, judged, _ in nights) or 1
    parts = [
        f'<svg class="nights-chart" viewBox="0 0 {width} {height}" width="100%" '
        f'height="{height}" role="img" aria-label="{title}"><title>{title}</title>',
        f'<line class="axis" x1="{_PAD}" x2="{width - _PAD}" y1="{height - bottom}" '
        f'y2="{height - bottom}"/>',
    ]
    usable = height - top - bottom
    for i, (day, judged, failing) in enumerate(nights):
        x = _PAD + slot * i + (slot - bar) / 2
        total_h = usable * judged / peak
        fail_h = usable * failing / peak
        words = escape(
            t.ngettext(
                "{day}: {failing} of {n} campaign needs attention",
                "{day}: {failing} of {n} campaigns need attention",
                judged,
                day=t.date(day, "medium"),
                failing=failing,
            )
        )
        parts.append(
            f'<g class="night"><title>{words}</title>'
            f'<rect class="judged" x="{x:.1f}" y="{height - bottom - total_h:.1f}" '
            f'width="{bar:.1f}" height="{max(total_h, 0.5):.1f}"/>'
            f'<rect class="bar" x="{x:.1f}" y="{height - bottom - fail_h:.1f}" '
            f'width="{bar:.1f}" height="{max(fail_h, 0.5):.1f}"/></g>'
        )
    for i in sorted({0, len(nights) - 1}):
        day = nights[i][0]
        x = _PAD + slot * i + slot / 2
        anchor = "start" if i == 0 and len(nights) > 1 else "end" if i else "middle"
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{height - 6}" text-anchor="{anchor}">'
            f"{escape(t.date(day, 'medium'))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
