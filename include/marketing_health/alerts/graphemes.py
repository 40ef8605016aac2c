"""Where Slack text may be cut: its length as Slack counts it, and user-perceived characters.

Slack states its limits (3000 characters in a section, 150 in a header) in characters without
saying how it counts them; its servers measure some limits in UTF-16 code units, as JavaScript
does, where an emoji outside the Basic Multilingual Plane counts twice. Counting UTF-16 code units
is the stricter of the two readings, so a text that fits by :func:`slack_length` fits by either.

A cut must never fall inside what a reader sees as one character (a grapheme cluster): a letter
and its combining accents, a flag (two regional indicators), an emoji with its skin tone or a
family of emoji joined by zero-width joiners, a Hangul syllable written as jamo. The rules below
follow Unicode's extended grapheme clusters (UAX #29) closely enough for that purpose and lean to
keeping characters together: after a zero-width joiner there is never a boundary, even where
UAX #29 would allow one. Python strings hold code points, so surrogate pairs are never split.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

ZWJ = "\u200d"
_CONTROL_CATEGORIES = ("Cc", "Zl", "Zp")
_MARK_CATEGORIES = ("Mn", "Mc", "Me")
#: Ranges of code points that never begin a grapheme: variation selectors, emoji skin tones,
#: tag characters (subdivision flags).
_EXTENDERS = ((0xFE00, 0xFE0F), (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F), (0xE0100, 0xE01EF))
_REGIONAL_INDICATORS = (0x1F1E6, 0x1F1FF)
#: Hangul jamo: leading consonants, vowels, trailing consonants.
_HANGUL_L = ((0x1100, 0x115F), (0xA960, 0xA97C))
_HANGUL_V = ((0x1160, 0x11A7), (0xD7B0, 0xD7C6))
_HANGUL_T = ((0x11A8, 0x11FF), (0xD7CB, 0xD7FB))
_HANGUL_SYLLABLES = (0xAC00, 0xD7A3)


def slack_length(text: str) -> int:
    """The length Slack's limits are measured in: UTF-16 code units (an emoji may count 2)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _in(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in ranges)


def _hangul(ch: str) -> str | None:
    """The Hangul syllable type of a character: L, V, T, LV, LVT, or None."""
    code = ord(ch)
    if _HANGUL_SYLLABLES[0] <= code <= _HANGUL_SYLLABLES[1]:
        return "LV" if (code - _HANGUL_SYLLABLES[0]) % 28 == 0 else "LVT"
    for kind, ranges in (("L", _HANGUL_L), ("V", _HANGUL_V), ("T", _HANGUL_T)):
        if _in(ch, ranges):
            return kind
    return None


def _is_regional(ch: str) -> bool:
    return _REGIONAL_INDICATORS[0] <= ord(ch) <= _REGIONAL_INDICATORS[1]


def _extends(ch: str) -> bool:
    """A character that continues the grapheme before it (marks, joiners, selectors)."""
    return ch == ZWJ or unicodedata.category(ch) in _MARK_CATEGORIES or _in(ch, _EXTENDERS)


def _joined_hangul(before: str, after: str) -> bool:
    a, b = _hangul(before), _hangul(after)
    if a is None or b is None:
        return False
    if a == "L":
        return b in ("L", "V", "LV", "LVT")
    if a in ("LV", "V"):
        return b in ("V", "T")
    return b == "T"  # a in ("LVT", "T")


def is_boundary(text: str, i: int) -> bool:
    """Whether a grapheme cluster may end before ``text[i]`` (0 and ``len(text)`` always may)."""
    if i <= 0 or i >= len(text):
        return True
    before, after = text[i - 1], text[i]
    if before == "\r" and after == "\n":
        return False
    if unicodedata.category(before) in _CONTROL_CATEGORIES:
        return True
    if unicodedata.category(after) in _CONTROL_CATEGORIES:
        return True
    if _extends(after) or before == ZWJ or _joined_hangul(before, after):
        return False
    if _is_regional(before) and _is_regional(after):
        run = 0
        while i - 1 - run >= 0 and _is_regional(text[i - 1 - run]):
            run += 1
        return run % 2 == 0  # an odd run before: ``after`` completes a flag
    return True


def graphemes(text: str) -> Iterator[str]:
    """The user-perceived characters of ``text``, in order; joined they give ``text`` back."""
    start = 0
    for i in range(1, len(text) + 1):
        if is_boundary(text, i):
            yield text[start:i]
            start = i


def fitting_prefix(text: str, limit: int) -> int:
    """The end of the longest prefix of whole graphemes whose Slack length is at most ``limit``.

    0 when even the first grapheme is longer (a pathological run of combining marks).
    """
    used, end = 0, 0
    for cluster in graphemes(text):
        used += slack_length(cluster)
        if used > limit:
            break
        end += len(cluster)
    return end


def truncate(text: str, limit: int, ellipsis: str = "\u2026") -> str:
    """``text`` if it fits ``limit``, else its longest whole-grapheme prefix and ``ellipsis``."""
    if slack_length(text) <= limit:
        return text
    end = fitting_prefix(text, limit - slack_length(ellipsis))
    return text[:end].rstrip() + ellipsis


def is_unspaced(ch: str) -> bool:
    """A character of a script written without spaces between words (Chinese, Japanese):
    East Asian wide or full-width letters and symbols, between which a line may break."""
    return unicodedata.east_asian_width(ch) in ("W", "F") and not ch.isspace()
