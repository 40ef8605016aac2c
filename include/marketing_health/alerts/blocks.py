"""Slack Block Kit primitives: escaping untrusted text, Slack's size limits, splitting into parts.

Campaign names, brands, team names and evidence come from channel exports that anyone in an
agency can type into. In Slack's ``mrkdwn`` an ``<!channel>`` pings the whole channel and
``<https://evil|click>`` is a disguised link, so every piece of that text is escaped before it
reaches a message, and every ``mrkdwn`` object is sent with ``verbatim`` so Slack does not turn
bare ``@here`` or URLs into mentions and links either. Escaping touches only ``& < >`` and
mention words: names in any script (Chinese, Arabic, emoji) pass through unchanged.

Slack rejects a message with more than 50 blocks, a section text over 3000 characters or a
header over 150; a long night must be split into several messages (part i of n) rather than cut,
because the evidence is the point of the alert.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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


def escape(value: Any) -> str:
    """Untrusted text made inert for Slack ``mrkdwn``: no pings, no links, no markup injection."""
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION_WORD.sub("@" + _ZWSP, text)


def unescape(text: str) -> str:
    """The readable form of escaped text, for files people open outside Slack."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def split_text(text: str, limit: int) -> list[str]:
    """Cut text into pieces of at most ``limit`` characters without losing any of it.

    Cuts prefer a line break, then a space, and never fall inside an ``&amp;``-style entity,
    so every piece is still valid escaped ``mrkdwn``.
    """
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = window.rfind("\n")
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
            tail = _ENTITY_TAIL.search(window)
            if tail:
                cut = tail.start()
        pieces.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:].lstrip("\n ")
    pieces.append(rest)
    return pieces


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def header_block(text: str) -> dict[str, Any]:
    if len(text) > HEADER_TEXT_LIMIT:
        text = text[: HEADER_TEXT_LIMIT - 1].rstrip() + "…"
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def section_blocks(text: str) -> list[dict[str, Any]]:
    """One section, or several in a row when the text is longer than a section may hold."""
    return [{"type": "section", "text": _mrkdwn(p)} for p in split_text(text, SECTION_TEXT_LIMIT)]


def context_block(text: str) -> dict[str, Any]:
    if len(text) > CONTEXT_TEXT_LIMIT:
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

    @property
    def safe_url(self) -> str:
        """The URL with the characters that would end Slack's ``<url|label>`` markup encoded."""
        return self.url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")

    def block(self) -> dict[str, Any]:
        note = f" {EM_DASH} {escape(self.note)}" if self.note else ""
        return context_block(f":bar_chart: <{self.safe_url}|{escape(self.label)}>{note}")

    @property
    def plain(self) -> str:
        return f"{self.label}: {self.url}"


def link_context_block(url: str, label: str, note: str = "") -> Link:
    return Link(url, label, note)


def block_chars(block: dict[str, Any]) -> int:
    if block["type"] in ("header", "section"):
        return len(block["text"]["text"])
    if block["type"] == "context":
        return sum(len(e.get("text", "")) for e in block["elements"])
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
    channel: str, header: str, parts: Sequence[Sequence[Chunk]], link: Link | None = None
) -> list[SlackMessage]:
    """Number the parts and give each its header, the link and the plain-text fallback."""
    total = len(parts)
    messages = []
    for i, chunks in enumerate(parts, start=1):
        title = header if total == 1 else f"{header} (part {i} of {total})"
        blocks = [header_block(title)]
        lines = [escape(title)]
        if link is not None:
            blocks.append(link.block())
            lines.append(link.plain)
        for chunk in chunks:
            blocks.extend(chunk.blocks)
            lines.append(chunk.plain)
        text = "\n\n".join(line for line in lines if line)
        if len(text) > MESSAGE_TEXT_LIMIT:
            text = split_text(text, MESSAGE_TEXT_LIMIT - 40)[0] + "\n… (the rest is in the message)"
        messages.append(SlackMessage(channel, i, total, text, tuple(blocks)))
    return messages
