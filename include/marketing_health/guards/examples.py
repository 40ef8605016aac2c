"""The examples a signal mart names for its alert, written in the reader's language.

A signal mart gives its examples (late deliverables, silent channels, creators to review ...)
as structured data, never as English text: a JSON array of objects, each with a ``kind`` and
typed fields (texts as written, numbers, ratios from 0 to 1, days as ISO dates; see
dbt_project/macros/cross_db_examples.sql and the convention in _marts__models.yml). This
module turns each object into a whole sentence of its kind through the translator, numbers,
percentages and dates in the locale's form, and joins them as the language lists things.
Platform and format names come from the vocabularies' labels, translated as data (the
catalogue domain); handles, post ids and the tracker's own status words are shown as written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from marketing_health.catalogue.vocabularies import (
    PLATFORM_LABEL_CONTEXT,
    POST_FORMAT_LABEL_CONTEXT,
    Vocabularies,
    load_package_vocabularies,
    post_format_label,
)
from marketing_health.i18n.translator import Translator

#: The key naming which sentence shows an example object.
KIND_KEY = "kind"

Example = Mapping[str, Any]


def parse_examples(value: Any) -> list[dict[str, Any]] | None:
    """A column's value as a list of example objects, or None when it is not one.

    DuckDB hands a JSON column over as text, PostgreSQL as parsed values; an empty array is an
    empty list (no example), which a summary's ``when`` reads as nothing.
    """
    if isinstance(value, str):
        text = value.strip()
        if not text.startswith("["):
            return None
        try:
            value = json.loads(text)
        except ValueError:
            return None
    if isinstance(value, list | tuple) and all(
        isinstance(item, Mapping) and KIND_KEY in item for item in value
    ):
        return [dict(item) for item in value]
    return None


#: The packaged vocabularies held while examples are written (see held_vocabularies).
_HELD_VOCABULARIES: ContextVar[Vocabularies | None] = ContextVar("held_vocabularies", default=None)


@contextmanager
def held_vocabularies() -> Iterator[Vocabularies]:
    """The packaged vocabularies read once for every example written inside the block.

    Each read checks the modification time of every vocabulary file; a night's guards label
    thousands of platforms and formats, and checking the files for each label took about a
    third of the time spent writing the night's result rows.
    """
    held = _HELD_VOCABULARIES.get()
    if held is not None:
        yield held
        return
    vocabularies = load_package_vocabularies()
    token = _HELD_VOCABULARIES.set(vocabularies)
    try:
        yield vocabularies
    finally:
        _HELD_VOCABULARIES.reset(token)


def _vocabularies() -> Vocabularies:
    return _HELD_VOCABULARIES.get() or load_package_vocabularies()


def render_examples(examples: Iterable[Example], t: Translator) -> str:
    """Every example as its sentence, joined as the language lists things."""
    with held_vocabularies():
        return t.list(render_example(example, t) for example in examples)


def render_example(example: Example, t: Translator) -> str:
    """One example as the sentence of its kind; an unknown kind as its fields, labelled."""
    render = _RENDERERS.get(str(example.get(KIND_KEY)))
    if render is None:
        return t.pgettext("evidence separator", "; ").join(
            t.gettext("{label}: {value}", label=key, value=value)
            for key, value in example.items()
            if key != KIND_KEY
        )
    return render(example, t)


def platform_label(platform: Any, t: Translator) -> str:
    """A platform as the vocabulary labels it, in ``t``'s language; an unknown one as written."""
    if not platform:
        return t.missing()
    known = _vocabularies().platforms.get(str(platform))
    if known is None:
        return str(platform)
    return t.pgettext(PLATFORM_LABEL_CONTEXT, known.label)


def format_label(post_format: Any, t: Translator) -> str:
    """A post format as the vocabulary names it, in ``t``'s language; an unknown one as
    written (a team's own word such as 种草视频)."""
    if not post_format:
        return t.missing()
    if str(post_format) not in _vocabularies().post_formats:
        return str(post_format)
    return t.pgettext(POST_FORMAT_LABEL_CONTEXT, post_format_label(str(post_format)))


def channel_label(channel: Any, t: Translator) -> str:
    """One of the channels the pipeline follows (landing contract), in ``t``'s language."""
    labels = {
        # Translators: a marketing channel: the brand's own social media posts.
        "social": t.pgettext("channel", "social"),
        # Translators: a marketing channel: e-mail sends.
        "email": t.pgettext("channel", "email"),
        # Translators: a marketing channel: paid ads.
        "paid": t.pgettext("channel", "paid"),
        # Translators: a marketing channel: creator (influencer) posts.
        "influencer": t.pgettext("channel", "influencer"),
    }
    return labels.get(str(channel), str(channel))


def _days(example: Example) -> int:
    value = example.get("days")
    return int(value) if isinstance(value, int | float) else 0


def _silent_channel(example: Example, t: Translator) -> str:
    values = {
        "channel": channel_label(example.get("channel"), t),
        "since": t.date(example.get("silent_since"), "medium"),
    }
    days = _days(example)
    if example.get("never_ran"):
        # Translators: a planned channel that has not run since a day and never ran at all,
        # e.g. "paid silent since Dec 1, 2026 (5 days, never ran)".
        return t.ngettext(
            "{channel} silent since {since} ({n} day, never ran)",
            "{channel} silent since {since} ({n} days, never ran)",
            days,
            **values,
        )
    # Translators: a planned channel that has not run since a day,
    # e.g. "email silent since Nov 28, 2026 (8 days)".
    return t.ngettext(
        "{channel} silent since {since} ({n} day)",
        "{channel} silent since {since} ({n} days)",
        days,
        **values,
    )


def _underperforming_creator(example: Example, t: Translator) -> str:
    # Translators: a creator whose posts engage less than usual on their platform, e.g.
    # "@mia (1.0% vs 4.0% on Instagram)": engagement per impression vs the platform's median.
    return t.gettext(
        "{handle} ({rate} vs {baseline} on {platform})",
        handle=str(example.get("handle") or ""),
        rate=t.percent(_number(example.get("rate")), 1),
        baseline=t.percent(_number(example.get("baseline")), 1),
        platform=platform_label(example.get("platform"), t),
    )


def _misfit_creator(example: Example, t: Translator) -> str:
    handle = str(example.get("handle") or "")
    overlap = _number(example.get("overlap"))
    flags = [str(f) for f in example.get("flags") or () if f]
    if overlap is not None and flags:
        # Translators: a creator to review: how much of the target audience they reach (0 to
        # 1) and their brand-safety flags, e.g. "@sam (overlap 0.20, flags: controversy)".
        return t.gettext(
            "{handle} (overlap {overlap}, flags: {flags})",
            handle=handle,
            overlap=t.number(overlap, 2),
            flags=t.list(flags),
        )
    if flags:
        # Translators: a creator to review for brand-safety flags, e.g. "@sam (flags: controversy)".
        return t.gettext("{handle} (flags: {flags})", handle=handle, flags=t.list(flags))
    # Translators: a creator reaching too little of the target audience, e.g. "@mia (overlap 0.20)".
    return t.gettext("{handle} (overlap {overlap})", handle=handle, overlap=t.number(overlap, 2))


def _late_deliverable(example: Example, t: Translator) -> str:
    values = {
        "handle": str(example.get("handle") or ""),
        "post": str(example.get("post_id") or ""),
        "due": t.date(example.get("due"), "medium"),
    }
    status = example.get("status")
    if status:
        # Translators: a late creator deliverable: the creator, the post id, its due date and
        # the status the tracker gives, as written there, e.g.
        # "@sam post I2 (due Dec 1, 2026, in review)".
        return t.gettext("{handle} post {post} (due {due}, {status})", status=str(status), **values)
    # Translators: a late creator deliverable: the creator, the post id and its due date.
    return t.gettext("{handle} post {post} (due {due})", **values)


def _platform_format(example: Example, t: Translator) -> str:
    # Translators: a post format on a platform, e.g. "Instagram short video".
    return t.gettext(
        "{platform} {format}",
        platform=platform_label(example.get("platform"), t),
        format=format_label(example.get("format"), t),
    )


def _creator_platform(example: Example, t: Translator) -> str:
    # Translators: creator posts on a platform, counted as one format, e.g. "creators on TikTok".
    return t.gettext("creators on {platform}", platform=platform_label(example.get("platform"), t))


def _sponsored_post(example: Example, t: Translator) -> str:
    values = {
        "platform": platform_label(example.get("platform"), t),
        "post": str(example.get("post_id") or ""),
    }
    handle = example.get("handle")
    if handle:
        # Translators: a sponsored creator post, e.g. "Instagram post 123 by @mia": the
        # platform, the post's id and the creator's handle, both as written.
        return t.gettext("{platform} post {post} by {handle}", handle=str(handle), **values)
    # Translators: a sponsored post on the brand's own account, e.g.
    # "Instagram post 123 on the brand account".
    return t.gettext("{platform} post {post} on the brand account", **values)


def _channel_activities(example: Example, t: Translator) -> str:
    """A count of a channel's activity rows (int_channel_activity_unioned: a social post and
    an ad group are counted once per day), on a platform when the example names one."""
    count = int(_number(example.get("activities")) or 0)
    channel = str(example.get("channel") or "")
    platform = example.get("platform")
    if platform:
        on = platform_label(platform, t)
        if channel == "social":
            # Translators: brand posts counted once per day they are live, on a platform,
            # e.g. "28 social post-days on Facebook".
            return t.ngettext(
                "{n} social post-day on {platform}",
                "{n} social post-days on {platform}",
                count,
                platform=on,
            )
        if channel == "paid":
            # Translators: ad groups counted once per day they ran, on a platform,
            # e.g. "12 ad-group days on Google".
            return t.ngettext(
                "{n} ad-group day on {platform}",
                "{n} ad-group days on {platform}",
                count,
                platform=on,
            )
        if channel == "influencer":
            # Translators: creator posts on a platform, e.g. "7 creator posts on TikTok".
            return t.ngettext(
                "{n} creator post on {platform}",
                "{n} creator posts on {platform}",
                count,
                platform=on,
            )
        if channel == "email":
            # Translators: e-mail sends through a tool, e.g. "3 sends on Klaviyo".
            return t.ngettext(
                "{n} send on {platform}", "{n} sends on {platform}", count, platform=on
            )
    if channel == "social":
        # Translators: brand posts counted once per day they are live, e.g. "28 social post-days".
        return t.ngettext("{n} social post-day", "{n} social post-days", count)
    if channel == "paid":
        # Translators: ad groups counted once per day they ran, e.g. "2 ad-group days".
        return t.ngettext("{n} ad-group day", "{n} ad-group days", count)
    if channel == "influencer":
        # Translators: creator posts, e.g. "7 creator posts".
        return t.ngettext("{n} creator post", "{n} creator posts", count)
    if channel == "email":
        # Translators: e-mail sends, e.g. "3 sends".
        return t.ngettext("{n} send", "{n} sends", count)
    # Translators: activity of a channel the pipeline does not know, e.g. "4 on tv".
    return t.gettext("{n} on {channel}", n=count, channel=channel)


def _utm_spelling(example: Example, t: Translator) -> str:
    activities = [
        _channel_activities(item, t)
        for item in example.get("activities") or ()
        if isinstance(item, Mapping)
    ]
    # Translators: a spelling of the utm_campaign (as written) and the activity that carried
    # it, e.g. "spring_sale_26 (12 social post-days, 2 sends)".
    return t.gettext(
        "{spelling} ({activities})",
        spelling=str(example.get("spelling") or ""),
        activities=_joined(activities, t),
    )


def _unhashtagged_promotion(example: Example, t: Translator) -> str:
    promotion = str(example.get("promotion_id") or "")
    if example.get("own_brand"):
        # Translators: a co-marketing promotion (its id as written) run by our own brand that
        # lacks the campaign hashtag, e.g. "promotion PR-7 by our brand".
        return t.gettext("promotion {promotion} by our brand", promotion=promotion)
    # Translators: a co-marketing promotion (its id as written) by a partner brand (as
    # written) that lacks the campaign hashtag, e.g. "promotion PR-7 by Acme".
    return t.gettext(
        "promotion {promotion} by {partner}",
        promotion=promotion,
        partner=str(example.get("partner") or ""),
    )


def _sensitive_send(example: Example, t: Translator) -> str:
    tokens = [str(token) for token in example.get("tokens") or () if token]
    # Translators: an e-mail send (its id as written) personalised with sensitive
    # attributes (token names as written), e.g. "send S-12 (diagnosis_type, income)".
    return t.gettext(
        "send {send} ({tokens})", send=str(example.get("send_id") or ""), tokens=_joined(tokens, t)
    )


def _stockout_product(example: Example, t: Translator) -> str:
    # Translators: a product (its id as written) out of stock or back-ordered on a number of
    # days of the window, e.g. "SKU-1 (3 days)".
    return t.ngettext(
        "{product} ({n} day out of stock)",
        "{product} ({n} days out of stock)",
        _days(example),
        product=str(example.get("product_id") or ""),
    )


def _misfit_partner(example: Example, t: Translator) -> str:
    reasons = []
    if example.get("partner_price_tier") and example.get("our_price_tier"):
        # Translators: why a partner brand misfits: its price tier vs ours (tier names as
        # written in the partner file), e.g. "price tier budget vs our premium".
        reasons.append(
            t.gettext(
                "price tier {theirs} vs our {ours}",
                theirs=str(example["partner_price_tier"]),
                ours=str(example["our_price_tier"]),
            )
        )
    if example.get("no_shared_segment"):
        # Translators: why a partner brand misfits: it serves none of our target segments.
        reasons.append(t.gettext("no shared target segment"))
    values = [str(value) for value in example.get("conflicting_values") or () if value]
    if values:
        # Translators: why a partner brand misfits: values it stands for that our brand
        # positioning lists as conflicting (as written), e.g. "conflicting values: gambling".
        reasons.append(t.gettext("conflicting values: {values}", values=_joined(values, t)))
    # Translators: a partner brand (as written) and why it misfits, e.g.
    # "Bargain (price tier budget vs our premium, conflicting values: gambling)".
    return t.gettext(
        "{partner} ({reasons})",
        partner=str(example.get("partner") or ""),
        reasons=_joined(reasons, t),
    )


def _missing_terms(example: Example, t: Translator) -> str:
    missing = []
    if example.get("no_contract"):
        # Translators: a term a co-marketing partner has not agreed yet.
        missing.append(t.gettext("no signed contract"))
    if example.get("no_success_metrics"):
        # Translators: a term a co-marketing partner has not agreed yet.
        missing.append(t.gettext("no success metrics"))
    if example.get("no_exit_conditions"):
        # Translators: a term a co-marketing partner has not agreed yet.
        missing.append(t.gettext("no exit conditions"))
    # Translators: a partner brand (as written) and the terms it lacks, e.g.
    # "Acme (no signed contract, no exit conditions)".
    return t.gettext(
        "{partner} ({missing})",
        partner=str(example.get("partner") or ""),
        missing=_joined(missing, t),
    )


def _channel(example: Example, t: Translator) -> str:
    return channel_label(example.get("channel"), t)


def _platform(example: Example, t: Translator) -> str:
    return platform_label(example.get("platform"), t)


def _story_element(example: Example, t: Translator) -> str:
    element = str(example.get("element") or "")
    if element == "storyline":
        # Translators: what a campaign plan lacks: the one-sentence story it tells.
        return t.pgettext("story element", "storyline")
    if element == "hashtag":
        # Translators: what a campaign plan lacks: the campaign hashtag.
        return t.pgettext("story element", "hashtag")
    return element


def _joined(items: Iterable[str], t: Translator) -> str:
    """Parts of one example inside its brackets (tokens, reasons), kept apart from the list
    of examples around them, which the language joins with its "and"."""
    # Translators: separates the parts of one example inside its brackets, e.g. the two
    # tokens of "send S-12 (diagnosis_type, income)".
    return t.pgettext("example parts", ", ").join(items)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


_RENDERERS: dict[str, Callable[[Example, Translator], str]] = {
    "silent_channel": _silent_channel,
    "underperforming_creator": _underperforming_creator,
    "misfit_creator": _misfit_creator,
    "late_deliverable": _late_deliverable,
    "platform_format": _platform_format,
    "creator_platform": _creator_platform,
    "sponsored_post": _sponsored_post,
    "channel_activities": _channel_activities,
    "utm_spelling": _utm_spelling,
    "unhashtagged_promotion": _unhashtagged_promotion,
    "sensitive_send": _sensitive_send,
    "stockout_product": _stockout_product,
    "misfit_partner": _misfit_partner,
    "missing_terms": _missing_terms,
    "channel": _channel,
    "platform": _platform,
    "story_element": _story_element,
}
