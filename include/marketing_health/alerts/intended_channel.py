"""Digests that reach Slack through one shared webhook say which channel they were meant for.

An incoming webhook posts into the one channel it was created for. When the only Slack
connection is such a webhook (no per-channel ``slack_marketing_health__<channel>`` override),
every owner channel's digest lands in that one channel, and without a word on it nobody could
tell the Growth EMEA digest from the Retail APAC one. Each such digest then names, right under
its header, the channel it was meant for and the teams whose campaigns it covers, in the
digest's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from marketing_health.alerts.blocks import SlackMessage, context_block, escape
from marketing_health.alerts.digest import Digest
from marketing_health.i18n import Translator, translator
from marketing_health.settings import slack_conn_id

#: Elements Slack accepts in one context block.
_CONTEXT_ELEMENTS = 10


def through_shared_webhook(channel: str) -> bool:
    """Whether the channel's digest would go out through the webhook every channel shares."""
    from marketing_health.alerts.slack import resolve_route

    base = slack_conn_id()
    route = resolve_route(base, channel)
    return route is not None and route.kind == "webhook" and route.conn_id == base


def _note(digest: Digest, t: Translator) -> str:
    teams = sorted({c.owner_team for c in digest.campaigns if c.owner_team})
    if teams:
        return t.gettext(
            # Translators: under the header of a digest that a single Slack webhook posts into
            # one channel for every team; {channel} is e.g. #growth-emea, {teams} team names.
            "Meant for {channel} ({teams}): one Slack webhook posts every channel's digest here.",
            channel=digest.channel,
            teams=t.list(teams),
        )
    return t.gettext(
        # Translators: as above, for a digest that covers no team's campaigns.
        "Meant for {channel}: one Slack webhook posts every channel's digest here.",
        channel=digest.channel,
    )


def _with_note(message: SlackMessage, note: str) -> SlackMessage:
    """The note as the first line under the header: into the link's context block when there
    is room (the packer leaves no block to spare), else as a context block of its own."""
    element = {"type": "mrkdwn", "text": f":mailbox_with_mail: {escape(note)}", "verbatim": True}
    blocks: list[dict[str, Any]] = [dict(b) for b in message.blocks]
    if len(blocks) > 1 and blocks[1].get("type") == "context":
        elements = list(blocks[1].get("elements") or [])
        if len(elements) < _CONTEXT_ELEMENTS:
            blocks[1] = {**blocks[1], "elements": [element, *elements]}
        else:
            blocks[1] = {**blocks[1], "elements": [element, *elements[: _CONTEXT_ELEMENTS - 1]]}
    else:
        blocks.insert(1, context_block(element["text"]))
    title, _, rest = message.text.partition("\n\n")
    text = f"{title}\n\n{escape(note)}" + (f"\n\n{rest}" if rest else "")
    return replace(message, text=text, blocks=tuple(blocks))


def name_intended_channels(digests: Iterable[Digest]) -> list[Digest]:
    """The digests, each one that goes through the shared webhook naming its channel."""
    out = []
    for digest in digests:
        if digest.kind == "ops" or not through_shared_webhook(digest.channel):
            out.append(digest)
            continue
        note = _note(digest, translator(digest.language))
        out.append(replace(digest, messages=tuple(_with_note(m, note) for m in digest.messages)))
    return out
