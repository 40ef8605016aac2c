"""Slack Block Kit primitives: escaping untrusted text, Slack's size limits, splitting into parts.

Campaign names, brands, team names and evidence come from channel exports that anyone in an
agency can type into. In Slack's ``mrkdwn`` an ``<!channel>`` pings the whole channel and
``<https://evil|click>`` is a disguised link, so every piece of that text is escaped before it
reaches a message, and every ``mrkdwn`` object is sent with ``verbatim`` so Slack does not turn
bare ``@here`` or URLs into mentions and links either. Escaping touches only ``& < >`` and
mention words: names in any script (Chinese, Arabic, emoji) pass through unchanged.

Slack rejects a message with more than 50 blocks, a section text over 3000 characters or a
header over 150; a long night must be split into several messages (part i of n) rather than cut,
because the evidence is the point of the alert. Lengths are counted as Slack counts them and
text is cut only between user-perceived characters (:mod:`marketing_health.alerts.graphemes`):
at a line break, a space, or, in Chinese and Japanese text that has no spaces, after a
punctuation mark or between two characters, so no word, name or emoji is ever cut in two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from marketing_health.alerts.graphemes import (
    fitting_prefix,
    is_boundary,
    is_unspaced,
    slack_length,
    truncate,
)

if TYPE_CHECKING:
    from marketing_health.i18n import Translator
MAX_BLOCKS = 50
SECTION_TEXT_LIMIT = 3000
HEADER_TEXT_LIMIT = 150
CONTEXT_TEXT_LIMIT = 2000
#: Slack truncates a message's top-level ``text`` beyond 40,000 characters.
MESSAGE_TEXT_LIMIT = 39_000
#: Text per message, kept well below what Slack accepts so a part stays readable on a phone.
PART_CHAR_BUDGET = 12_000

EM_DASH = "\u2014"
#: A zero-width space after ``@`` keeps ``@here`` readable but no longer a mention.
_ZWSP = "\u200b"
_MENTION_WORD = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)
_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")
#: Full-width punctuation ending a sentence (ideographic full stop, exclamation and question
#: marks), then a clause (semicolon, comma, enumeration comma, colon) in Chinese and Japanese
#: text: a cut may follow them, the end of a sentence first.
_SENTENCE_ENDS = frozenset("\u3002\uff01\uff1f")
_CLAUSE_ENDS = frozenset("\uff1b\uff0c\u3001\uff1a")
#: Characters a line may not start with (closing punctuation and brackets, quotes, ellipsis),
#: or end with (opening brackets and quotes), in Chinese and Japanese text.
_NO_LINE_START = frozenset(
    "\u3002\uff01\uff1f\uff1b\uff0c\u3001\uff1a\uff09\u300b\u300d\u300f\u3011\u3009\u201d\u2019\u2026"
)
_NO_LINE_END = frozenset("\uff08\u300a\u300c\u300e\u3010\u3008\u201c\u2018")


def escape(value: Any) -> str:
    """Untrusted text made inert for Slack ``mrkdwn``: no pings, no links, no markup injection."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION_WORD.sub("@" + _ZWSP, text)


def unescape(text: str) -> str:
    """The readable form of escaped text, for files people open outside Slack."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def split_text(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most ``limit`` characters (as Slack counts them) without
    losing any of it but the line breaks and spaces cut at.

    A cut prefers, in the second half of the room: a line break; the end of a Chinese or
    Japanese sentence (full-width full stop, exclamation or question mark), then of a clause
    (full-width semicolon, comma); a space; a place between two Chinese or Japanese characters.
    Only a word longer than half the room is cut inside, and then between two graphemes and
    never inside an ``&amp;``-style entity, so every piece is still valid escaped ``mrkdwn`` and
    no character is broken.
    """
    pieces: list[str] = []
    rest = text
    while slack_length(rest) > limit:
        cut = _cut(rest, limit)
        piece = rest[:cut].rstrip("\n ")
        if piece:
            pieces.append(piece)
        rest = rest[cut:].lstrip("\n ")
    pieces.append(rest)
    return pieces


def _cut(text: str, limit: int) -> int:
    """Where to cut ``text`` so the first piece fits ``limit`` (0 < cut < len(text))."""
    end = fitting_prefix(text, limit)
    if end == 0:  # a single grapheme longer than the room: the code points that fit
        return _code_points_fitting(text, limit)
    floor = max(end // 2, 1)
    window = text[:end]
    line = window.rfind("\n")
    if line >= floor:
        return line
    for ends in (_SENTENCE_ENDS, _CLAUSE_ENDS):
        for i in range(end, floor - 1, -1):
            if text[i - 1] in ends and _may_break(text, i):
                return i
    space = window.rfind(" ")
    if space >= floor:
        return space
    for i in range(end, floor - 1, -1):
        if _between_unspaced(text, i):
            return i
    for i in range(end, 0, -1):
        if is_boundary(text, i) and not _ENTITY_TAIL.search(text[max(0, i - 5) : i]):
            return i
    return end


def _may_break(text: str, i: int) -> bool:
    """A grapheme boundary where Chinese and Japanese typesetting lets a line end."""
    if not is_boundary(text, i):
        return False
    return (i >= len(text) or text[i] not in _NO_LINE_START) and text[i - 1] not in _NO_LINE_END


def _between_unspaced(text: str, i: int) -> bool:
    """Between two characters of a script written without spaces, where a line may break."""
    unspaced = i < len(text) and is_unspaced(text[i - 1]) and is_unspaced(text[i])
    return unspaced and _may_break(text, i)


def _code_points_fitting(text: str, limit: int) -> int:
    used = 0
    for i, ch in enumerate(text):
        used += slack_length(ch)
        if used > limit:
            return max(i, 1)
    return len(text)


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def header_block(text: str) -> dict[str, Any]:
    text = truncate(text, HEADER_TEXT_LIMIT)
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def section_blocks(text: str) -> list[dict[str, Any]]:
    """One section, or several in a row when the text is longer than a section may hold."""
    return [{"type": "section", "text": _mrkdwn(p)} for p in split_text(text, SECTION_TEXT_LIMIT)]


def context_block(text: str) -> dict[str, Any]:
    if slack_length(text) > CONTEXT_TEXT_LIMIT:
        text = split_text(text, CONTEXT_TEXT_LIMIT - 1)[0] + "…"
    return {"type": "context", "elements": [_mrkdwn(text)]}


def divider_block() -> dict[str, Any]:
    return {"type": "divider"}


@dataclass(frozen=True)
class Link:
    """A trusted link (ours, from settings) shown under each part's header."""

    url: str
    label: str
    note: str = ""
    #: How the notification text words the link, in the digest's language ("label: url").
    plain_text: str | None = None

    @property
    def safe_url(self) -> str:
        """The URL with the characters that would end Slack's ``<url|label>`` markup encoded."""
        return self.url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")

    def block(self) -> dict[str, Any]:
        note = f" {EM_DASH} {escape(self.note)}" if self.note else ""
        return context_block(f":bar_chart: <{self.safe_url}|{escape(self.label)}>{note}")

    @property
    def plain(self) -> str:
        return self.plain_text or f"{self.label}: {self.url}"


def link_context_block(url: str, label: str, note: str = "", plain: str | None = None) -> Link:
    return Link(url, label, note, plain)


def block_chars(block: dict[str, Any]) -> int:
    """The characters of a block's text, as Slack counts them."""
    if block["type"] in ("header", "section"):
        return slack_length(block["text"]["text"])
    if block["type"] == "context":
        return sum(slack_length(e.get("text", "")) for e in block["elements"])
    return 0


@dataclass(frozen=True)
class Chunk:
    """Blocks that stay in the same message, with their plain-text rendering."""

    blocks: tuple[dict[str, Any], ...]
    plain: str

    @property
    def chars(self) -> int:
        return sum(block_chars(b) for b in self.blocks)


@dataclass(frozen=True)
class Group:
    """Chunks about one subject (a campaign); ``continued`` heads it again in the next part."""

    chunks: tuple[Chunk, ...]
    continued: Chunk | None = None


@dataclass
class _Part:
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def blocks(self) -> int:
        return sum(len(c.blocks) for c in self.chunks)

    @property
    def chars(self) -> int:
        return sum(c.chars for c in self.chunks)

    def fits(self, chunks: Sequence[Chunk], max_blocks: int, budget: int) -> bool:
        blocks = sum(len(c.blocks) for c in chunks)
        chars = sum(c.chars for c in chunks)
        if self.blocks + blocks > max_blocks:
            return False
        return not self.chunks or self.chars + chars <= budget


def pack(
    groups: Sequence[Group], *, max_blocks: int = MAX_BLOCKS - 2, budget: int = PART_CHAR_BUDGET
) -> list[list[Chunk]]:
    """Fill messages with whole groups where possible, splitting a group only when it must.

    ``max_blocks`` leaves room for the header and the report link every part starts with. A
    single chunk larger than the character budget still travels whole in a part of its own: the
    budget is a comfort limit, the block count is Slack's.
    """
    parts: list[_Part] = [_Part()]
    for group in groups:
        if parts[-1].fits(group.chunks, max_blocks, budget):
            parts[-1].chunks.extend(group.chunks)
            continue
        if parts[-1].chunks and _Part().fits(group.chunks, max_blocks, budget):
            parts.append(_Part(list(group.chunks)))
            continue
        for i, chunk in enumerate(group.chunks):
            if not parts[-1].fits([chunk], max_blocks, budget):
                parts.append(_Part())
                if i and group.continued is not None:
                    parts[-1].chunks.append(group.continued)
            parts[-1].chunks.append(chunk)
    return [_trim(p.chunks) for p in parts if p.chunks]


def _trim(chunks: list[Chunk]) -> list[Chunk]:
    """A part does not end on a divider."""
    while chunks and all(b["type"] == "divider" for b in chunks[-1].blocks):
        chunks = chunks[:-1]
    return chunks


@dataclass(frozen=True)
class SlackMessage:
    """One Slack message of a digest: what the outbox stores and delivery posts."""

    channel: str
    part: int
    total_parts: int
    text: str
    blocks: tuple[dict[str, Any], ...]

    def payload(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "part": self.part,
            "total_parts": self.total_parts,
            "text": self.text,
            "blocks": list(self.blocks),
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> SlackMessage:
        return cls(
            channel=payload["channel"],
            part=int(payload["part"]),
            total_parts=int(payload["total_parts"]),
            text=payload["text"],
            blocks=tuple(payload["blocks"]),
        )

    @property
    def readable_text(self) -> str:
        return unescape(self.text)


def assemble(
    channel: str,
    header: str,
    parts: Sequence[Sequence[Chunk]],
    link: Link | None = None,
    t: Translator | None = None,
) -> list[SlackMessage]:
    """Number the parts and give each its header, the link and the plain-text fallback, in
    the language of ``t`` (English when None)."""
    from marketing_health.i18n import translator

    t = t or translator()
    total = len(parts)
    messages = []
    for i, chunks in enumerate(parts, start=1):
        title = (
            header
            if total == 1
            # Translators: the title of one message of a digest sent in several messages.
            else t.gettext("{header} (part {part} of {total})", header=header, part=i, total=total)
        )
        blocks = [header_block(title)]
        lines = [escape(title)]
        if link is not None:
            blocks.append(link.block())
            lines.append(link.plain)
        for chunk in chunks:
            blocks.extend(chunk.blocks)
            lines.append(chunk.plain)
        text = "\n\n".join(line for line in lines if line)
        if slack_length(text) > MESSAGE_TEXT_LIMIT:
            # Translators: ends a notification text cut short; the message itself holds it all.
            rest = t.gettext("… (the rest is in the message)")
            text = split_text(text, MESSAGE_TEXT_LIMIT - slack_length(rest) - 1)[0] + "\n" + rest
        messages.append(SlackMessage(channel, i, total, text, tuple(blocks)))
    return messages
