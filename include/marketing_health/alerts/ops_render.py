"""The ops digest's words: each finding as what was seen and what to do, in the ops channel's
language.

:mod:`marketing_health.alerts.ops_digest` collects what kept the pipeline from seeing
everything; this module says it. Every sentence is one gettext message with named
placeholders (the ``ops`` catalogue), counts go through the language's plural rule and dates
through its calendar format, so the ops channel of a Shanghai team reads Chinese without a
sentence assembled from English fragments. Names from files (sources, paths, words, campaign
names) are escaped before they fill a placeholder and never translated.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from marketing_health.alerts.blocks import Chunk, Group, Link, escape, section_blocks
from marketing_health.alerts.ops_quarantine import quarantine_reason, rejection_reason
from marketing_health.alerts.unknown_terms import (
    UNKNOWN_TERMS_TABLE,
    CannotTell,
    UnknownTerm,
    how_to_add,
)
from marketing_health.catalogue import load_catalogue
from marketing_health.i18n import Translator

if TYPE_CHECKING:
    from marketing_health.alerts.ops_digest import (
        FileProblem,
        LateSource,
        OpsFindings,
        Unevaluated,
    )
    from marketing_health.alerts.ops_lost import LostNotification

#: Files, campaigns and still-unknown words named per line; the rest are counted.
FILES_PER_TERM = 3
CAMPAIGNS_PER_LINE = 5
EARLIER_TERMS_NAMED = 10
#: The file the freshness watch is set in, named when a source has never delivered.
_ALERTING_FILE = "config/alerting.yaml"


def _chunk(mrkdwn: str, plain: str) -> Chunk:
    return Chunk(tuple(section_blocks(mrkdwn)), plain)


def _heading(text: str, intro: str = "") -> Chunk:
    if intro:
        return _chunk(f"*{text}*\n{intro}", f"{text}\n{intro}")
    return _chunk(f"*{text}*", text)


#: Zero-width space: Slack only sees ``*bold*`` between word boundaries, and a Chinese
#: character or full-width colon right next to the asterisk is none.
_BOUNDARY = "\u200b"


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _bold(render: Callable[[str], str], value: str) -> tuple[str, str]:
    """A sentence twice: with ``value`` in Slack bold, and plain for the notification text.

    Where the translation puts a wide character right against the bold value (a full-width
    colon after ``*email_sends*``), a zero-width space keeps Slack's bold from breaking.
    """
    text = render(f"\x00{value}\x01")
    start, end = text.index("\x00"), text.index("\x01")
    before = _BOUNDARY if start > 0 and _wide(text[start - 1]) else ""
    after = _BOUNDARY if end + 1 < len(text) and _wide(text[end + 1]) else ""
    mrkdwn = text.replace("\x00", f"{before}*").replace("\x01", f"*{after}")
    return mrkdwn, render(value)


def _field(label: str, text: str) -> tuple[str, str]:
    """ "*What to do:* text" for Slack, "What to do: text" plain; after a label ending in
    full-width punctuation (Chinese labels end in a full-width colon) the plain text needs no
    space."""
    gap = "" if label and _wide(label[-1]) else " "
    return f"*{label}* {text}", f"{label}{gap}{text}"


def _some(items: Sequence[str], limit: int, t: Translator, more: Callable[[int], str]) -> str:
    """The first ``limit`` items as the language lists them, and how many more there are."""
    shown = list(items[:limit])
    extra = len(items) - limit
    if extra > 0:
        shown.append(more(extra))
    return t.list(shown)


def _more_campaigns(t: Translator) -> Callable[[int], str]:
    return lambda n: t.ngettext("{n} more campaign", "{n} more campaigns", n)


def _guard_title(guard_id: str, t: Translator, title: str | None = None) -> str:
    """ "P02 No clear goals" in the reader's language; "Guard P99" for a guard the catalogue
    does not have."""
    if title is None:
        try:
            title = load_catalogue()[guard_id].title
        except KeyError:
            title = None
    if not title:
        return t.gettext("Guard {guard}", guard=guard_id)
    return f"{guard_id} {t.translate(title)}"


# ---------------------------------------------------------------- header


def header(day: str, found: OpsFindings, t: Translator) -> str:
    """ "Pipeline health \u2013 Nov 22, 2026: 2 sources late or missing · 1 row quarantined"."""
    said = []
    if found.lost:
        n = len(found.lost)
        said.append(t.ngettext("{n} failure alert lost", "{n} failure alerts lost", n))
    if found.late:
        n = len(found.late)
        said.append(t.ngettext("{n} source late or missing", "{n} sources late or missing", n))
    if found.files:
        rows = sum(f.rows_quarantined for f in found.files)
        rejected = sum(1 for f in found.files if f.rejected)
        if rows:
            said.append(t.ngettext("{n} row quarantined", "{n} rows quarantined", rows))
        if rejected:
            said.append(t.ngettext("{n} file rejected", "{n} files rejected", rejected))
    if found.unevaluated:
        n = len(found.unevaluated)
        said.append(
            t.ngettext("{n} guard check not evaluated", "{n} guard checks not evaluated", n)
        )
    if found.unknown.new:
        n = len(found.unknown.new)
        said.append(t.ngettext("{n} new unknown word", "{n} new unknown words", n))
    if found.labels and found.labels.new:
        n = found.labels.new
        said.append(t.ngettext("{n} alert labelled", "{n} alerts labelled", n))
    return t.gettext(
        "Pipeline health \u2013 {date}: {summary}",
        date=t.date(day, "medium"),
        summary=" · ".join(said),
    )


# ---------------------------------------------------------------- late sources


def _late_said(s: LateSource, t: Translator) -> tuple[str, str, str]:
    """What was seen about one source (Slack text, plain text) and what to do about it."""
    source = escape(s.source)
    if s.missing:
        seen, plain = _bold(
            lambda name: t.gettext("{source}: no file has ever been delivered.", source=name),
            source,
        )
        todo = t.gettext(
            "Export it from the channel tool into the landing folder {folder}, or stop "
            "watching it in {file}.",
            folder=f"{source}/YYYY-MM-DD/",
            file=_ALERTING_FILE,
        )
        return seen, plain, todo
    if s.silent:
        seen, plain = _bold(
            lambda name: t.ngettext(
                "{source}: no file for {n} day since {date}. This source sends no file on "
                "quiet days, but a silence of more than {max_days} days is unusual.",
                "{source}: no file for {n} days since {date}. This source sends no file on "
                "quiet days, but a silence of more than {max_days} days is unusual.",
                int(s.days_behind or 0),
                source=name,
                date=t.date(str(s.newest_delivery), "medium"),
                max_days=s.max_age_days,
            ),
            source,
        )
        todo = t.gettext(
            "Check with the team that exports it whether nothing happened or the export "
            "stopped; if the silence is normal, raise max_silent_days in {file}.",
            file=_ALERTING_FILE,
        )
        return seen, plain, todo
    seen, plain = _bold(
        lambda name: t.ngettext(
            "{source}: newest delivery is for {date}, {n} day behind (at most {max_days} "
            "expected).",
            "{source}: newest delivery is for {date}, {n} days behind (at most {max_days} "
            "expected).",
            int(s.days_behind or 0),
            source=name,
            date=t.date(str(s.newest_delivery), "medium"),
            max_days=s.max_age_days,
        ),
        source,
    )
    todo = t.gettext(
        "Check the export schedule or the transfer into the landing zone; campaigns are judged "
        "on stale data until it arrives. A day with nothing to report is delivered as a file "
        "with only the header."
    )
    return seen, plain, todo


def late_group(late: tuple[LateSource, ...], t: Translator) -> Group:
    chunks = [_heading(t.gettext("Source files late or missing"))]
    label = t.gettext("What to do:")
    for s in late:
        seen, plain, todo = _late_said(s, t)
        said, said_plain = _field(label, todo)
        chunks.append(_chunk(f"{seen}\n{said}", f"{plain} {said_plain}"))
    return Group(tuple(chunks))


# ---------------------------------------------------------------- lost failure alerts


def lost_group(lost: tuple[LostNotification, ...], t: Translator) -> Group:
    """Failure alerts that never reached this channel: which task failed, and why the alert
    was lost."""
    chunks = [_heading(t.gettext("Failure alerts that did not reach this channel"))]
    for item in lost:
        task = escape(item.task_id)
        seen, plain = _bold(
            lambda name, item=item: t.gettext(
                "{task} failed in run {run}, but its failure alert was not delivered: {why}.",
                task=name,
                run=escape(item.run_id),
                why=escape(item.why.rstrip(".")),
            ),
            task,
        )
        if item.alert_file:
            todo = t.gettext(
                "Open the task log in Airflow; the alert's text is in {file}. Check the ops "
                "Slack connection.",
                file=escape(item.alert_file),
            )
        else:
            todo = t.gettext(
                "Open the task log in Airflow, and the worker's log for the notifier's own "
                "error (with its traceback)."
            )
        said, said_plain = _field(t.gettext("What to do:"), todo)
        chunks.append(_chunk(f"{seen}\n{said}", f"{plain} {said_plain}"))
    return Group(tuple(chunks))


# ---------------------------------------------------------------- files and quarantine


def _reasons(f: FileProblem, t: Translator) -> list[str]:
    said = [
        rejection_reason(seen, t)
        if seen.rows is None
        else t.ngettext(
            "{reason} ({n} row)",
            "{reason} ({n} rows)",
            seen.rows,
            reason=quarantine_reason(seen, t),
        )
        for seen in f.reasons
    ]
    if f.more_reasons:
        said.append(t.ngettext("and {n} more reason", "and {n} more reasons", f.more_reasons))
    return said


def files_group(files: tuple[FileProblem, ...], t: Translator) -> Group:
    chunks = [_heading(t.gettext("Files rejected or rows quarantined tonight"))]
    for f in files:
        if f.rejected:
            what = t.gettext("rejected as a whole")
        else:
            n = f.rows_quarantined
            what = t.ngettext("{n} row quarantined", "{n} rows quarantined", n)
        path = f"`{escape(f.file_path)}`"
        head, head_plain = _bold(
            lambda name, path=path, what=what: t.gettext(
                "{source} {file}: {what}", source=name, file=path, what=what
            ),
            escape(f.source),
        )
        reasons = _reasons(f, t)
        text = "\n".join([head, *(f"• {escape(r)}" for r in reasons)])
        plain = "\n".join([head_plain, *(f"- {escape(r)}" for r in reasons)])
        chunks.append(_chunk(text, plain))
    label = t.gettext("What to do:")
    todo = t.gettext(
        "The other rows and sources were loaded. Fix the export and deliver it again at the "
        "same path: the corrected file replaces the earlier one. Quarantined rows stay in "
        "{table} with file, row and column.",
        table="ops.quarantine",
    )
    chunks.append(_chunk(*_field(label, todo)))
    return Group(tuple(chunks))


# ---------------------------------------------------------------- guards not evaluated


def unevaluated_group(items: tuple[Unevaluated, ...], t: Translator) -> Group:
    chunks = [_heading(t.gettext("Guard checks that could not be evaluated"))]
    todo_label, wrong_label = t.gettext("What to do:"), t.gettext("What went wrong:")
    todo = t.gettext(
        "These campaigns were not judged for this pitfall tonight. Look at the guard task's "
        "log; the next night judges them again."
    )
    for u in items:
        title = escape(_guard_title(u.guard_id, t, u.title))
        names = [escape(n) for n in u.campaigns]
        if names:
            lead, lead_plain = _bold(
                lambda guard, names=names: t.ngettext(
                    "{guard} could not be evaluated for {n} campaign: {names}",
                    "{guard} could not be evaluated for {n} campaigns: {names}",
                    len(names),
                    guard=guard,
                    names=t.list(names),
                ),
                title,
            )
        else:
            lead, lead_plain = _bold(
                lambda guard: t.gettext(
                    "{guard} could not be evaluated for any campaign", guard=guard
                ),
                title,
            )
        reason = escape(u.reason) if u.reason else t.gettext("the guard stopped without a message")
        tag = t.pgettext("ops digest tag", "Not evaluated")
        wrong, wrong_plain = _field(wrong_label, reason)
        what, what_plain = _field(todo_label, todo)
        mrkdwn = f":warning: {lead}\n{wrong}\n{what}"
        plain = f"[{tag}] {lead_plain}\n{wrong_plain}\n{what_plain}"
        chunks.append(_chunk(mrkdwn, plain))
    return Group(tuple(chunks))


# ---------------------------------------------------------------- unknown words


def _blinded_lines(
    blind: tuple[CannotTell, ...], labels: dict[str, str], t: Translator
) -> list[str]:
    """One escaped line per guard: which campaigns it could not judge."""
    by_guard: dict[str, list[str]] = {}
    for c in blind:
        by_guard.setdefault(c.guard_id, []).append(labels.get(c.campaign_id, c.campaign_id))
    lines = []
    for gid, names in sorted(by_guard.items()):
        names = sorted(set(names), key=str.casefold)
        who = _some([escape(n) for n in names], CAMPAIGNS_PER_LINE, t, _more_campaigns(t))
        lines.append(
            t.ngettext(
                "{guard} for {n} campaign: {names}",
                "{guard} for {n} campaigns: {names}",
                len(names),
                guard=escape(_guard_title(gid, t)),
                names=who,
            )
        )
    return lines


def _places(term: UnknownTerm, t: Translator) -> str:
    """ "`kpis/2026-11-22/kpis.csv` (kpis.metric, 2 rows)": the files the word came from."""
    where = []
    for path in term.files[:FILES_PER_TERM]:
        occ = [o for o in term.occurrences if o.file_path == path]
        columns = ", ".join(dict.fromkeys(f"{o.source}.{o.column_name}" for o in occ))
        where.append(
            t.ngettext(
                "{file} ({columns}, {n} row)",
                "{file} ({columns}, {n} rows)",
                sum(o.rows for o in occ),
                file=f"`{escape(path)}`",
                columns=escape(columns),
            )
        )
    more = len(term.files) - FILES_PER_TERM
    if more > 0:
        where.append(t.ngettext("{n} more file", "{n} more files", more))
    return t.list(where)


def term_chunk(term: UnknownTerm, labels: dict[str, str], t: Translator) -> Chunk:
    """One new word: what it should be, where it came from, what it blinds, how to add it."""
    word = escape(term.term)
    names = sorted((labels.get(c, c) for c in term.campaign_ids), key=str.casefold)
    campaigns = _some([escape(n) for n in names], CAMPAIGNS_PER_LINE, t, _more_campaigns(t))
    what = t.ngettext(
        "unknown {what}, {n} row", "unknown {what}, {n} rows", term.rows, what=term.what_in(t)
    )
    lines = [
        t.gettext("Found in {places}", places=_places(term, t)),
        t.gettext("Campaigns ({n}): {names}", n=len(names), names=campaigns)
        if names
        else t.gettext("No campaign named in its rows"),
    ]
    blinded = _blinded_lines(term.cannot_tell, labels, t)
    blind_label, add_label = t.gettext("Cannot tell:"), t.gettext("How to add it:")
    tag = t.pgettext("ops digest tag", "Unknown")
    todo = escape(how_to_add(term, t))
    mrkdwn = "\n".join(
        [
            f":grey_question: *{word}* \u2013 {what}",
            *lines,
            *(_field(blind_label, b)[0] for b in blinded),
            _field(add_label, todo)[0],
        ]
    )
    plain = "\n".join(
        [
            f"[{tag}] {word} \u2013 {what}",
            *lines,
            *(_field(blind_label, b)[1] for b in blinded),
            _field(add_label, todo)[1],
        ]
    )
    example = term.example_in(t)
    if example:
        mrkdwn += f"\n```\n{escape(example)}\n```"
        plain += f"\n{escape(example)}"
    return _chunk(mrkdwn, plain)


def earlier_chunk(earlier: tuple[UnknownTerm, ...], day: str, t: Translator) -> Chunk:
    """Words told on earlier nights and still unknown: one line, the report has them all."""
    from marketing_health.report.links import report_url

    named = [
        t.gettext("{word} ({what})", word=escape(term.term), what=term.what_in(t))
        for term in earlier
    ]
    words = _some(
        named,
        EARLIER_TERMS_NAMED,
        t,
        lambda n: t.ngettext("{n} more word", "{n} more words", n),
    )
    said = [t.ngettext("{n} word: {words}", "{n} words: {words}", len(earlier), words=words)]
    blind = sum(len(term.cannot_tell) for term in earlier)
    if blind:
        said.append(
            t.ngettext(
                "{n} guard check cannot tell because of them",
                "{n} guard checks cannot tell because of them",
                blind,
            )
        )
    language = None if t.locale.language == "en" else t.tag
    link = Link(report_url(day, language), t.gettext("health report"))

    def every(target: str) -> str:
        return t.gettext("every file and how to add each word: {link}", link=target)

    lead = t.gettext("Still unknown, told before:")
    mrkdwn_link = f"<{link.safe_url}|{escape(link.label)}>"
    mrkdwn = f":hourglass_flowing_sand: *{lead}* " + " · ".join([*said, every(mrkdwn_link)])
    plain = f"{lead} " + " · ".join([*said, every(link.url)])
    return _chunk(mrkdwn, plain)


def _unmatched_chunk(found: OpsFindings, labels: dict[str, str], t: Translator) -> Chunk:
    """Cannot-tell results whose words the listing of unknown words does not have."""
    unknown = found.unknown
    words = sorted({w for c in unknown.unmatched for w in c.terms}, key=str.casefold)
    if words:
        lead = t.ngettext(
            "Unknown word {words}, not in the listing of unknown words:",
            "Unknown words {words}, not in the listing of unknown words:",
            len(words),
            words=t.list(escape(w) for w in words),
        )
    else:
        lead = t.gettext(
            "Unknown words the guard did not name, not in the listing of unknown words:"
        )
    head = [lead]
    if not unknown.listed:
        head.append(t.gettext("({table} is not built yet.)", table=UNKNOWN_TERMS_TABLE))
    label = t.gettext("Cannot tell:")
    blinded = _blinded_lines(unknown.unmatched, labels, t)
    mrkdwn = "\n".join([" ".join(head), *(_field(label, b)[0] for b in blinded)])
    plain = "\n".join([" ".join(head), *(_field(label, b)[1] for b in blinded)])
    return _chunk(mrkdwn, plain)


def unknown_group(found: OpsFindings, day: str, t: Translator) -> Group:
    unknown = found.unknown
    labels = found.campaign_labels or {}
    intro = t.gettext(
        "Loaded as written, never quarantined; guards that depend on them cannot tell and say "
        "so instead of failing. Owners get no alert for them."
    )
    chunks = [_heading(t.gettext("Words the vocabularies do not know"), intro)]
    chunks.extend(term_chunk(term, labels, t) for term in unknown.new)
    if unknown.unmatched:
        chunks.append(_unmatched_chunk(found, labels, t))
    if unknown.earlier:
        chunks.append(earlier_chunk(unknown.earlier, day, t))
    return Group(tuple(chunks))
