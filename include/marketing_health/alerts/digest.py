"""Tonight's pitfalls, grouped into one digest per owner Slack channel.

A marketer should get one message a night, about their own campaigns, worst first: each
campaign's pitfalls with what was seen (the guard's evidence sentence), what to do (the
catalogue's remediation) and where it stands: *new* tonight, *worse* than the night before,
*failing since <date>*, or *resolved*. Streaks come from ``marts.fct_guard_states`` (built after
the guards); without it every pitfall reads as new.

The same failure every night is noise, so a persisting pitfall is shown in full only every N
nights (``config/alerting.yaml``) unless it got worse; in between it is one "still open" line.
A channel whose campaigns have nothing new, worse, due for a repeat or resolved gets no message.
After N nights a pitfall is escalated: the owner team is mentioned and the escalation channel
gets a copy. Campaigns whose plan names no channel go to their team's channel, else to the
fallback channel, so nothing is silently dropped. Guards that could not be evaluated go to the
ops channel (see :mod:`marketing_health.alerts.ops_digest`), not to marketers.

Each channel's digest is written in its language (the alerting file's channel, team or default
language): findings keep the catalogue's English and the night's evidence and are put into
words only when a digest is rendered, so the escalation copy of a finding can be in another
language than the team's digest.

A guard that *cannot tell* (a word it depends on is unknown) is never a failure and never the
reason a message is sent: ops is told and teaches the word to the vocabularies. When a campaign
is in tonight's digest anyway, one quiet line says which of its guards cannot tell and why, so
its owner does not read the absence of an alert as a pass; a streak that ends in "cannot tell"
is not reported as resolved.

What people did about an alert (:mod:`marketing_health.alerts.actions`, from the buttons in
Slack or the Marketing health pages) is respected (:mod:`marketing_health.alerts.triage`): an
acknowledged pitfall names its owner, a snoozed one and one labelled expected or not a problem
stay out of the digests until the snooze ends or it gets worse than when it was labelled, and a
resolution closes its acknowledgement. With a bot token, a persisting pitfall's repeats,
escalation and resolution go to the thread of the message that first told it
(:mod:`marketing_health.alerts.threads`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from marketing_health.alerts.actions import RecordedAction, load_actions
from marketing_health.alerts.blocks import SlackMessage
from marketing_health.alerts.evidence_text import evidence_sentence, parse_evidence
from marketing_health.alerts.policy import AlertPolicy, load_policy, normalise_channel
from marketing_health.alerts.triage import Triage, closed_acknowledgement, triage
from marketing_health.catalogue import Catalogue, load_catalogue
from marketing_health.i18n import Translator, translator
from marketing_health.i18n.domains import N_
from marketing_health.settings import fallback_channel

log = logging.getLogger(__name__)

#: What a guard the catalogue does not describe is called, and why and what to do about it.
_UNKNOWN_GUARD_TITLE = N_("Guard not described in the pitfall catalogue")
_UNKNOWN_GUARD_EXPLANATION = N_("This guard is not described in the pitfall catalogue.")
_UNKNOWN_GUARD_REMEDIATION = N_("Ask the data team which pitfall this guard checks.")

_CAMPAIGNS_CTE = """
with campaigns as (
    select
        campaign_id,
        min(campaign_name) as campaign_name,
        min(brand) as brand,
        min(owner_team) as owner_team,
        min(owner_slack_channel) as owner_slack_channel
    from marts.dim_campaigns
    group by campaign_id
)
"""

_FAILED_SQL = (
    _CAMPAIGNS_CTE
    + """
select
    g.guard_id, g.campaign_id, g.outcome, g.severity, g.summary, g.evidence::varchar,
    g.observed_value, g.threshold, g.must_be,
    c.campaign_name, c.brand, c.owner_team, c.owner_slack_channel
from guards.guard_results as g
left join campaigns as c on c.campaign_id = g.campaign_id
where g.run_date = ?::date and g.outcome = 'fail'
"""
)

_FAILED_WITHOUT_CAMPAIGNS_SQL = """
select
    guard_id, campaign_id, outcome, severity, summary, evidence::varchar,
    observed_value, threshold, must_be, null, null, null, null
from guards.guard_results
where run_date = ?::date and outcome = 'fail'
"""

_FAILED_COLUMNS = (
    "guard_id",
    "campaign_id",
    "outcome",
    "severity",
    "summary",
    "evidence",
    "observed_value",
    "threshold",
    "must_be",
    "campaign_name",
    "brand",
    "owner_team",
    "owner_slack_channel",
)

_STREAKS_SQL = """
select guard_id, campaign_id, failing_since::varchar, nights_failing, previous_outcome,
       previous_severity, previous_observed_value, previous_run_date::varchar
from marts.fct_guard_states
where run_date = ?::date and outcome = 'fail'
"""

#: Pitfalls that failed on the run before and no longer fail tonight, with the streak that ended.
_RESOLVED_SQL = (
    _CAMPAIGNS_CTE
    + """
select
    s.guard_id, s.campaign_id, before.failing_since::varchar, before.nights_failing,
    c.campaign_name, c.brand, c.owner_team, c.owner_slack_channel
from marts.fct_guard_states as s
left join marts.fct_guard_states as before
    on before.guard_id = s.guard_id
    and before.campaign_id = s.campaign_id
    and before.run_date = s.previous_run_date
left join campaigns as c on c.campaign_id = s.campaign_id
where s.run_date = ?::date and s.state = 'recovered' and s.outcome <> 'cannot_tell'
"""
)


@dataclass(frozen=True)
class Finding:
    """One failed pitfall guard for one campaign, in the words marketers read."""

    guard_id: str
    #: The catalogue's English texts; a digest translates them into its language.
    title: str
    severity: str
    rank: int
    #: What was seen, in English (the sentence the guard wrote that night).
    seen: str
    explanation: str
    remediation: str
    #: First night of the failing streak this finding belongs to; None when new tonight.
    failing_since: str | None = None
    #: Nights the streak has lasted, tonight included (1: new tonight).
    nights_failing: int = 1
    #: Severity rose or the measured value moved further past the threshold since the run before.
    worse: bool = False
    #: Shown in full tonight (new, worse, or a repeat night); otherwise one "still open" line.
    shown: bool = True
    #: Tonight the streak reached (or is repeated past) the escalation length.
    escalated: bool = False
    #: The guard's stored sentence and evidence values (None: not read from a night's
    #: results), to say what was seen in any language.
    summary: str | None = None
    evidence: Mapping[str, object] | None = None
    #: What people's actions mean for it tonight (owner, kept quiet, back); None: no action.
    triage: Triage | None = None

    def seen_in(self, t: Translator) -> str:
        """What was seen, in ``t``'s language; ``seen`` for a finding not read from a night."""
        if self.evidence is None and not self.summary:
            return self.seen
        return evidence_sentence(self.guard_id, self.summary, self.evidence or {}, t)

    @property
    def is_new(self) -> bool:
        return self.failing_since is None or self.nights_failing <= 1

    @property
    def change(self) -> str:
        """new, worse or persisting: what a marketer needs to know first."""
        if self.is_new:
            return "new"
        return "worse" if self.worse else "persisting"


@dataclass(frozen=True)
class Resolved:
    """A pitfall that failed on the run before and is fixed tonight."""

    guard_id: str
    title: str
    failing_since: str | None
    nights_failed: int
    #: The acknowledgement this resolution closes (who owned the alert), if any.
    closed: RecordedAction | None = None


@dataclass(frozen=True)
class CampaignFindings:
    campaign_id: str
    campaign_name: str
    brand: str | None
    owner_team: str | None
    has_owner_channel: bool
    #: Failing pitfalls, worst first; ``Finding.shown`` tells which are told in full tonight.
    findings: tuple[Finding, ...]
    resolved: tuple[Resolved, ...] = ()
    #: The owner team's mention markup when tonight's news warrants it, else None.
    mention: str | None = None
    #: One line per guard that cannot tell tonight ("P02 cannot tell: the KPI name ... ").
    cannot_tell: tuple[str, ...] = ()

    @property
    def shown(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.shown)

    @property
    def quiet(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.shown)

    @property
    def has_news(self) -> bool:
        """Worth a message tonight: something shown in full, or something resolved."""
        return bool(self.shown or self.resolved)

    @property
    def worst_rank(self) -> int:
        ranks = [f.rank for f in self.shown] or [f.rank - 10 for f in self.findings] or [-100]
        return max(ranks)

    def sort_key(self) -> tuple[int, str, str]:
        return (-self.worst_rank, self.campaign_name.casefold(), self.campaign_id)


@dataclass(frozen=True)
class Digest:
    """Everything one channel hears about one night, and the Slack message(s) that say it."""

    run_date: str
    channel: str
    campaigns: tuple[CampaignFindings, ...]
    messages: tuple[SlackMessage, ...]
    #: "digest" for an owner channel, "escalation" for the escalation channel's copy.
    kind: str = "digest"
    #: The language the messages are written in (a BCP 47 tag such as ``zh-Hans``).
    language: str = "en"
    #: For a ``reply``: the ts of the message whose thread it goes to.
    thread_ts: str | None = None


def table_exists(con: Any, schema: str, table: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def _fetch_failed(con: Any, run_date: str) -> list[dict[str, Any]]:
    if not table_exists(con, "guards", "guard_results"):
        log.warning("guards.guard_results does not exist yet: no alerts for %s", run_date)
        return []
    sql = _FAILED_SQL
    if not table_exists(con, "marts", "dim_campaigns"):
        log.warning("marts.dim_campaigns is missing: alerts name campaigns by id only")
        sql = _FAILED_WITHOUT_CAMPAIGNS_SQL
    rows = con.execute(sql, [run_date]).fetchall()
    return [dict(zip(_FAILED_COLUMNS, row, strict=True)) for row in rows]


def _streaks(con: Any, run_date: str) -> dict[tuple[str, str], dict[str, Any]]:
    """(guard, campaign) -> streak and the run before, for tonight's failures.

    Empty when the guard states were not built (yet): every finding then reads as new.
    """
    if not table_exists(con, "marts", "fct_guard_states"):
        log.info("marts.fct_guard_states is missing: every finding reads as new tonight")
        return {}
    cols = (
        "since",
        "nights",
        "previous_outcome",
        "previous_severity",
        "previous_observed",
        "previous_run_date",
    )
    out = {}
    for gid, cid, *values in con.execute(_STREAKS_SQL, [run_date]).fetchall():
        if values[0] is not None and values[1] is not None:
            out[(str(gid), str(cid))] = dict(zip(cols, values, strict=True))
    return out


def _fetch_resolved(con: Any, run_date: str) -> list[dict[str, Any]]:
    if not (
        table_exists(con, "marts", "fct_guard_states")
        and table_exists(con, "marts", "dim_campaigns")
    ):
        return []
    cols = (
        "guard_id",
        "campaign_id",
        "failing_since",
        "nights_failing",
        "campaign_name",
        "brand",
        "owner_team",
        "owner_slack_channel",
    )
    rows = con.execute(_RESOLVED_SQL, [run_date]).fetchall()
    return [dict(zip(cols, row, strict=True)) for row in rows]


def _gap(value: Any, threshold: Any, must_be: Any) -> float | None:
    """How far a value lies past its threshold in the failing direction (positive: failing)."""
    if value is None or threshold is None or must_be is None:
        return None
    if must_be in ("at_most", "below"):
        return float(value) - float(threshold)
    if must_be in ("at_least", "above"):
        return float(threshold) - float(value)
    return None


def is_worse(
    row: dict[str, Any], streak: dict[str, Any], catalogue: Catalogue, policy: AlertPolicy
) -> bool:
    """Worse than the run before: a higher severity, or clearly further past the threshold."""
    if streak.get("previous_outcome") != "fail":
        return False
    before = streak.get("previous_severity")
    severities = catalogue.severities
    if (
        before in severities
        and row["severity"] in severities
        and catalogue.severity_rank(row["severity"]) > catalogue.severity_rank(before)
    ):
        return True
    now = _gap(row["observed_value"], row["threshold"], row["must_be"])
    then = _gap(streak.get("previous_observed"), row["threshold"], row["must_be"])
    if now is None or then is None:
        return False
    return now - then > max(policy.worse_margin * abs(then), 1e-9)


def _pitfall_words(gid: str, catalogue: Catalogue) -> tuple[str, str, str, str]:
    """(title, severity, explanation, remediation) from the catalogue, in English."""
    try:
        p = catalogue[gid]
        return p.title, p.severity, p.explanation, p.remediation
    except KeyError:
        return (
            _UNKNOWN_GUARD_TITLE,
            "warning",
            _UNKNOWN_GUARD_EXPLANATION,
            _UNKNOWN_GUARD_REMEDIATION,
        )


def _triage(
    row: dict[str, Any],
    streak: dict[str, Any] | None,
    actions: list[RecordedAction],
    day: str,
    catalogue: Catalogue,
    policy: AlertPolicy,
) -> Triage | None:
    """What people did about this finding's streak means tonight (see triage)."""
    if not actions:
        return None

    def baseline(a: RecordedAction) -> dict[str, Any]:
        return {
            "previous_outcome": "fail",
            "previous_severity": a.baseline_severity,
            "previous_observed": a.baseline_observed,
        }

    def worse_tonight(a: RecordedAction) -> bool:
        return is_worse(row, baseline(a), catalogue, policy)

    def worse_last_night(a: RecordedAction) -> bool:
        if not streak or streak.get("previous_outcome") != "fail":
            return False
        before = {
            **row,
            "severity": streak.get("previous_severity"),
            "observed_value": streak.get("previous_observed"),
        }
        return is_worse(before, baseline(a), catalogue, policy)

    return triage(
        actions,
        since=(streak or {}).get("since") or day,
        day=day,
        previous_run_date=(streak or {}).get("previous_run_date"),
        worse_tonight=worse_tonight,
        worse_last_night=worse_last_night,
    )


def _finding(
    row: dict[str, Any],
    catalogue: Catalogue,
    policy: AlertPolicy,
    streaks: dict[tuple[str, str], dict[str, Any]],
    actions: Mapping[tuple[str, str], list[RecordedAction]] | None = None,
    day: str | None = None,
) -> Finding:
    gid = str(row["guard_id"])
    title, severity, explanation, remediation = _pitfall_words(gid, catalogue)
    if row["severity"] in catalogue.severities:
        severity = row["severity"]
    streak = streaks.get((gid, str(row["campaign_id"])))
    since, nights = (streak["since"], int(streak["nights"])) if streak else (None, 1)
    worse = bool(streak) and nights > 1 and is_worse(row, streak, catalogue, policy)
    escalated = policy.is_escalation_night(nights)
    shown = worse or escalated or policy.is_repeat_night(nights)
    acted = (actions or {}).get((str(row["campaign_id"]), gid), [])
    state = _triage(row, streak, acted, day, catalogue, policy) if day else None
    if state is not None and state.quiet is not None:
        shown = worse = escalated = False
    elif state is not None and state.back is not None:
        shown, worse = True, worse or state.back == "worse"
    evidence = parse_evidence(row["evidence"])
    return Finding(
        guard_id=gid,
        title=title,
        severity=severity,
        rank=catalogue.severity_rank(severity),
        seen=evidence_sentence(gid, row["summary"], evidence, translator()),
        explanation=explanation,
        remediation=remediation,
        failing_since=since,
        nights_failing=nights,
        worse=worse,
        shown=shown,
        escalated=escalated,
        summary=row["summary"],
        evidence=evidence,
        triage=state,
    )


def _route(row: dict[str, Any], policy: AlertPolicy, fallback: str) -> tuple[str, bool]:
    """(channel, whether the plan itself names it): plan, then the team's channel, then fallback."""
    owner = normalise_channel(row["owner_slack_channel"])
    if owner:
        return owner, True
    team_channel = normalise_channel(policy.team(row["owner_team"]).slack_channel)
    return team_channel or fallback, False


def _mention(findings: tuple[Finding, ...], team: str | None, policy: AlertPolicy) -> str | None:
    markup = policy.team(team).mention_markup
    if markup is None:
        return None
    for f in findings:
        if not f.shown:
            continue
        if f.escalated or (
            f.change in ("new", "worse") and f.severity in policy.mention_severities
        ):
            return markup
    return None


def _campaigns(
    failed: list[dict[str, Any]],
    resolved: list[dict[str, Any]],
    catalogue: Catalogue,
    policy: AlertPolicy,
    streaks: dict[tuple[str, str], dict[str, Any]],
    fallback: str,
    actions: Mapping[tuple[str, str], list[RecordedAction]] | None = None,
    day: str | None = None,
) -> dict[str, list[CampaignFindings]]:
    """Owner channel -> that channel's campaigns with their findings and resolved pitfalls."""
    rows_by_campaign: dict[str, list[dict[str, Any]]] = {}
    for row in failed:
        rows_by_campaign.setdefault(str(row["campaign_id"] or "unknown campaign"), []).append(row)
    resolved_by_campaign: dict[str, list[dict[str, Any]]] = {}
    for row in resolved:
        resolved_by_campaign.setdefault(str(row["campaign_id"]), []).append(row)
    channels: dict[str, list[CampaignFindings]] = {}
    for campaign_id in sorted(set(rows_by_campaign) | set(resolved_by_campaign)):
        rows = rows_by_campaign.get(campaign_id, [])
        gone = resolved_by_campaign.get(campaign_id, [])
        first = (rows or gone)[0]
        findings = tuple(
            sorted(
                (_finding(r, catalogue, policy, streaks, actions, day) for r in rows),
                key=lambda f: (-f.rank, f.guard_id),
            )
        )
        fixed = tuple(
            Resolved(
                guard_id=str(r["guard_id"]),
                title=_pitfall_words(str(r["guard_id"]), catalogue)[0],
                failing_since=r["failing_since"],
                nights_failed=int(r["nights_failing"] or 1),
                closed=closed_acknowledgement(
                    (actions or {}).get((campaign_id, str(r["guard_id"])), []),
                    since=r["failing_since"],
                    day=day or "9999-12-31",
                ),
            )
            for r in sorted(gone, key=lambda r: str(r["guard_id"]))
        )
        channel, named_by_plan = _route(first, policy, fallback)
        campaign = CampaignFindings(
            campaign_id=campaign_id,
            campaign_name=str(first["campaign_name"] or campaign_id),
            brand=first["brand"],
            owner_team=first["owner_team"],
            has_owner_channel=named_by_plan,
            findings=findings,
            resolved=fixed,
            mention=_mention(findings, first["owner_team"], policy),
        )
        channels.setdefault(channel, []).append(campaign)
    return channels


def _with_cannot_tell(
    con: Any, day: str, channels: dict[str, list[CampaignFindings]], policy: AlertPolicy
) -> dict[str, list[CampaignFindings]]:
    """The campaigns already in a digest, with a line per guard that cannot tell tonight, in
    the language of the channel's digest.

    No campaign is added: a guard that cannot tell is not news for its owner on its own.
    """
    from marketing_health.alerts.unknown_terms import cannot_tell_sentence, load_unknown_terms

    unknown = load_unknown_terms(con, day)
    if not unknown.cannot_tell:
        return channels
    out: dict[str, list[CampaignFindings]] = {}
    for channel, campaigns in channels.items():
        t = digest_translator(policy, channel, campaigns)
        out[channel] = [
            replace(
                c,
                cannot_tell=tuple(
                    cannot_tell_sentence(r, unknown, t) for r in unknown.for_campaign(c.campaign_id)
                ),
            )
            for c in campaigns
        ]
    return out


def digest_translator(
    policy: AlertPolicy, channel: str, campaigns: Sequence[CampaignFindings]
) -> Translator:
    """The translator of a channel's digest: the channel's language, else its teams' (when
    they agree), else the alerting file's default."""
    return translator(policy.language_for(channel, (c.owner_team for c in campaigns)))


def _mentioning(c: CampaignFindings, policy: AlertPolicy) -> CampaignFindings:
    """The campaign with the mention its own findings warrant (after a split into the main
    message and thread replies, each part pings only for what it tells)."""
    return replace(c, mention=_mention(c.findings, c.owner_team, policy))


def _escalation_copy(campaigns: list[CampaignFindings]) -> list[CampaignFindings]:
    """The escalated findings of every channel's campaigns, for the escalation channel."""
    copies = []
    for c in campaigns:
        escalated = tuple(f for f in c.findings if f.escalated)
        if escalated:
            copies.append(replace(c, findings=escalated, resolved=(), cannot_tell=()))
    return copies


def build_digests(
    con: Any,
    run_date: str | date,
    *,
    policy: AlertPolicy | None = None,
    interactive: bool | None = None,
) -> list[Digest]:
    """One digest per Slack channel with news tonight, plus the escalation channel's copy.

    A channel whose earlier digests went out through a bot token gets tonight's repeats,
    escalations and resolutions as replies (kind ``reply``) in the threads of the messages that
    first told them; its main digest then holds only the night's news.

    Args:
        con: an open warehouse connection (read access is enough).
        run_date: the business day the guards judged.
        policy: repeats, escalation, mentions and team channels (default: the alerting file).
        interactive: put the action buttons under each pitfall told in full; by default when
            the Slack app's signing secret is configured (so the clicks can be checked).
    """
    from marketing_health.alerts.render import render_messages
    from marketing_health.alerts.threads import split, thread_targets

    day = run_date if isinstance(run_date, str) else run_date.isoformat()
    policy = policy or load_policy()
    if interactive is None:
        from marketing_health.alerts.interactions import interactive as configured

        interactive = configured()
    catalogue = load_catalogue()
    fallback = normalise_channel(fallback_channel()) or fallback_channel()
    failed = _fetch_failed(con, day)
    streaks = _streaks(con, day) if failed else {}
    resolved = _fetch_resolved(con, day)
    actions = load_actions(con, day)
    channels = _campaigns(failed, resolved, catalogue, policy, streaks, fallback, actions, day)
    channels = _with_cannot_tell(con, day, channels, policy)
    digests = []
    for channel in sorted(channels):
        campaigns = channels[channel]
        if not any(c.has_news for c in campaigns):
            log.info("%s: only pitfalls already told and not due again tonight", channel)
            continue
        t = digest_translator(policy, channel, campaigns)
        main, threads = split(day, campaigns, thread_targets(con, channel))
        main = [_mentioning(c, policy) for c in main]
        for ts, replies in threads.items():
            replies = [_mentioning(c, policy) for c in replies]
            ordered = tuple(sorted(replies, key=CampaignFindings.sort_key))
            messages = render_messages(day, channel, ordered, t=t, interactive=interactive)
            digests.append(
                Digest(
                    day, channel, ordered, tuple(messages), "reply", language=t.tag, thread_ts=ts
                )
            )
        if not any(c.has_news for c in main):
            log.info("%s: tonight's news all goes to threads", channel)
            continue
        ordered = tuple(sorted(main, key=CampaignFindings.sort_key))
        messages = render_messages(day, channel, ordered, t=t, interactive=interactive)
        digests.append(Digest(day, channel, ordered, tuple(messages), language=t.tag))
    escalation = normalise_channel(policy.escalation_channel)
    if escalation:
        copies = _escalation_copy([c for cs in channels.values() for c in cs])
        if copies:
            ordered = tuple(sorted(copies, key=CampaignFindings.sort_key))
            t = digest_translator(policy, escalation, ordered)
            messages = render_messages(
                day, escalation, ordered, escalation=True, t=t, interactive=interactive
            )
            digests.append(
                Digest(day, escalation, ordered, tuple(messages), "escalation", language=t.tag)
            )
    return digests
