"""The alerting policy: repeats, escalation, mentions, team channels, languages and freshness.

Read from ``config/alerting.yaml`` (or the file ``MH_ALERTING_CONFIG`` names). A wrong file is
never half applied: every problem is collected and raised as one :class:`AlertingConfigError`
naming the file and the key, before any alert is built. A file that does not exist means the
defaults below, with no teams and no freshness watch, in English.

A digest is written in one language, chosen per channel (:meth:`AlertPolicy.language_for`): the
channel's own setting, else the language of the teams whose campaigns go there when they all
speak the same one, else the file's default. A language must have translations: a tag without
them is refused when the file is read, naming the supported languages, rather than a team
silently getting English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from marketing_health.i18n import DEFAULT_LANGUAGE, UnknownLanguageError, translator
from marketing_health.i18n.translator import parse_language, supported_languages
from marketing_health.settings import ALERTING_CONFIG_ENV, alerting_config_file

#: Slack user group (S...), member (U... / W...) IDs: what a mention can name.
_MENTION_ID = re.compile(r"^(S|U|W)[A-Z0-9]{6,}$")
_SEVERITIES = ("info", "warning", "critical")
#: Slack channel IDs (C..., G..., D...), kept as they are; channel names are normalised.
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{6,}$")
_SECTIONS = ("channels", "digest", "freshness", "language", "ops", "teams")
_TEAM_SETTINGS = ("language", "mention", "slack_channel")


class AlertingConfigError(ValueError):
    """The alerting file is wrong; the message names the file and every wrong key."""


def normalise_channel(channel: str | None) -> str | None:
    """``growth-emea``, ``#Growth-EMEA`` and ``#growth-emea`` are one channel; IDs stay as is."""
    if channel is None or not str(channel).strip():
        return None
    name = str(channel).strip()
    if _CHANNEL_ID.match(name):
        return name
    return "#" + name.lstrip("#").lower()


def canonical_language(tag: str) -> str:
    """A language tag as the settings and report links write it: ``zh_hans`` -> ``zh-Hans``.

    Only the parts written are kept (``zh-Hans``, not Babel's fuller ``zh-Hans-CN``), cased as
    BCP 47 cases them, so the same language written two ways counts once.
    """
    locale = parse_language(tag)
    written = [p.casefold() for p in str(tag).strip().replace("_", "-").split("-")[1:]]
    parts = [locale.language]
    if locale.script and locale.script.casefold() in written:
        parts.append(locale.script)
    if locale.territory and locale.territory.casefold() in written:
        parts.append(locale.territory)
    return "-".join(parts)


@dataclass(frozen=True)
class Team:
    slack_channel: str | None = None
    #: A Slack user group or member ID.
    mention: str | None = None
    #: The language the team reads its digests in (a BCP 47 tag); None: the file's default.
    language: str | None = None

    @property
    def mention_markup(self) -> str | None:
        """Slack's mention syntax for the ID; the only mention markup a digest ever carries."""
        if self.mention is None:
            return None
        if self.mention.startswith("S"):
            return f"<!subteam^{self.mention}>"
        return f"<@{self.mention}>"


@dataclass(frozen=True)
class AlertPolicy:
    repeat_every_nights: int = 3
    worse_margin: float = 0.1
    escalate_after_nights: int = 7
    escalation_channel: str | None = None
    mention_severities: frozenset[str] = frozenset({"critical"})
    teams: Mapping[str, Team] = field(default_factory=dict)
    #: source -> the most days its newest delivery may be behind the night judged
    #: (``max_age_days``; ``max_silent_days`` for a source that sends no file on quiet days).
    freshness: Mapping[str, int] = field(default_factory=dict)
    #: The language of a digest when neither its channel nor its teams name one.
    language: str = DEFAULT_LANGUAGE
    #: Normalised channel (``#growth-shanghai``) -> the language its digests are written in.
    channel_languages: Mapping[str, str] = field(default_factory=dict)
    #: The language of the ops channel's digest and failure alerts (``ops.language``); None:
    #: the ops channel's own setting under ``channels``, else the default.
    ops_language: str | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language a digest can be written in under this file, the default first: the
        health report exists in each, so a digest's link opens in the digest's language."""
        found = [self.language]
        found += [t.language for t in self.teams.values() if t.language]
        found += list(self.channel_languages.values())
        found += [self.ops_language] if self.ops_language else []
        return tuple(dict.fromkeys(found))

    def language_for(self, channel: str | None, teams: Iterable[str | None] = ()) -> str:
        """The language of a digest sent to ``channel`` about campaigns of ``teams``.

        The channel's own setting wins; else the teams' language when every team agrees (a
        team without one, or not in the file, speaks the default); else the default, since a
        channel shared by teams of different languages has no better common choice.
        """
        own = self.channel_languages.get(normalise_channel(channel) or "")
        if own:
            return own
        spoken = {self.team(name).language or self.language for name in teams}
        return spoken.pop() if len(spoken) == 1 else self.language

    def team(self, name: str | None) -> Team:
        if not name:
            return Team()
        wanted = " ".join(name.split()).casefold()
        for team_name, team in self.teams.items():
            if " ".join(team_name.split()).casefold() == wanted:
                return team
        return Team()

    def is_repeat_night(self, nights_failing: int) -> bool:
        """Nights a persisting pitfall is shown in full again: 1, 1 + N, 1 + 2N, ..."""
        return nights_failing <= 1 or (nights_failing - 1) % self.repeat_every_nights == 0

    def is_escalation_night(self, nights_failing: int) -> bool:
        """The night a streak reaches the escalation length, then on each repeat night after."""
        n = nights_failing - self.escalate_after_nights
        return n == 0 or (n > 0 and n % self.repeat_every_nights == 0)


def _positive_int(value: Any, key: str, problems: list[str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(f"{key} must be a whole number of nights, 1 or more (found {value!r})")
        return None
    return value


def _digest(raw: Any, problems: list[str]) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append("digest must be a mapping of settings")
        return {}
    known = {
        "repeat_every_nights",
        "worse_margin",
        "escalate_after_nights",
        "escalation_channel",
        "mention_severities",
    }
    for key in sorted(set(raw) - known):
        problems.append(f"digest.{key} is not a setting (known: {', '.join(sorted(known))})")
    out: dict[str, Any] = {}
    for key in ("repeat_every_nights", "escalate_after_nights"):
        if key in raw:
            value = _positive_int(raw[key], f"digest.{key}", problems)
            if value is not None:
                out[key] = value
    out.update(_margin_and_channel(raw, problems))
    if "mention_severities" in raw:
        severities = _severities(raw["mention_severities"], problems)
        if severities is not None:
            out["mention_severities"] = severities
    return out


def _margin_and_channel(raw: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "worse_margin" in raw:
        margin = raw["worse_margin"]
        if isinstance(margin, bool) or not isinstance(margin, int | float) or margin < 0:
            problems.append(f"digest.worse_margin must be a number, 0 or more (found {margin!r})")
        else:
            out["worse_margin"] = float(margin)
    if raw.get("escalation_channel") is not None:
        channel = raw["escalation_channel"]
        if not isinstance(channel, str) or not channel.strip():
            problems.append("digest.escalation_channel must be a Slack channel such as #leads")
        else:
            out["escalation_channel"] = channel.strip()
    return out


def _severities(value: Any, problems: list[str]) -> frozenset[str] | None:
    listed = value or []
    wrong = [s for s in listed if s not in _SEVERITIES] if isinstance(listed, list) else [listed]
    if wrong:
        problems.append(
            f"digest.mention_severities must list severities among {', '.join(_SEVERITIES)} "
            f"(found {wrong!r})"
        )
        return None
    return frozenset(listed)


def _teams(raw: Any, problems: list[str]) -> dict[str, Team]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append("teams must map each owner team's name to its settings")
        return {}
    teams = {}
    for name, settings in raw.items():
        where = f"teams.{name}"
        settings = settings or {}
        if not isinstance(settings, dict):
            problems.append(f"{where} must hold slack_channel, mention and/or language")
            continue
        for key in sorted(set(settings) - set(_TEAM_SETTINGS)):
            problems.append(f"{where}.{key} is not a setting (known: {', '.join(_TEAM_SETTINGS)})")
        mention = settings.get("mention")
        if mention is not None and not _MENTION_ID.match(str(mention)):
            problems.append(
                f"{where}.mention must be a Slack user group ID (S...) or member ID (U... / W...), "
                f"found {mention!r}"
            )
            mention = None
        channel = settings.get("slack_channel")
        language = None
        if settings.get("language") is not None:
            language = _language(settings["language"], f"{where}.language", problems)
        teams[str(name)] = Team(
            slack_channel=str(channel).strip() if channel else None,
            mention=str(mention) if mention else None,
            language=language,
        )
    return teams


def _language(value: Any, key: str, problems: list[str]) -> str | None:
    """A language tag the digests can be written in, canonical; else a problem naming it."""
    supported = ", ".join(supported_languages())
    if not isinstance(value, str) or not value.strip():
        problems.append(
            f"{key} must be a language tag such as en or zh-Hans (supported: {supported})"
        )
        return None
    try:
        translator(value.strip())
        return canonical_language(value)
    except UnknownLanguageError:
        problems.append(
            f"{key} is {value!r}, a language the digests cannot be written in (supported: "
            f"{supported}); adding one is adding its translations: marketing-health i18n "
            f"update --add {value.strip()}"
        )
        return None


def _channels(raw: Any, problems: list[str]) -> dict[str, str]:
    """Per-channel settings: for now the language of the digests a channel receives."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(
            "channels must map Slack channels to their settings, e.g. "
            '"#growth-shanghai": {language: zh-Hans}'
        )
        return {}
    languages: dict[str, str] = {}
    for name, settings in raw.items():
        where = f"channels.{name}"
        channel = normalise_channel(str(name)) if name is not None else None
        if channel is None:
            problems.append(f"{where} is not a Slack channel such as #growth-emea")
            continue
        if not isinstance(settings, dict):
            problems.append(f"{where} must hold language")
            continue
        for key in sorted(set(settings) - {"language"}):
            problems.append(f"{where}.{key} is not a setting (known: language)")
        if settings.get("language") is None:
            continue
        language = _language(settings["language"], f"{where}.language", problems)
        if language is None:
            continue
        if languages.get(channel, language) != language:
            problems.append(f"{where} names {channel} again with another language")
            continue
        languages[channel] = language
    return languages


def _ops(raw: Any, problems: list[str]) -> str | None:
    """The ``ops`` section: the language whoever runs the pipeline reads its digest in."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append("ops must hold language, e.g. ops: {language: zh-Hans}")
        return None
    for key in sorted(set(raw) - {"language"}, key=str):
        problems.append(f"ops.{key} is not a setting (known: language)")
    if raw.get("language") is None:
        return None
    return _language(raw["language"], "ops.language", problems)


def ops_language(policy: AlertPolicy, channel: str | None) -> str:
    """The language of what the ops channel reads: the ops channel's own setting under
    ``channels`` wins (it is the same Slack channel whoever posts there), then ``ops.language``,
    then the file's default."""
    own = policy.channel_languages.get(normalise_channel(channel) or "")
    return own or policy.ops_language or policy.language


def _freshness(raw: Any, problems: list[str], quiet_days: Mapping[str, str]) -> dict[str, int]:
    """source -> days. A source exporting every day (``quiet_days: header_only`` in the landing
    contract) takes ``max_age_days``: a day without a file is a missing file. One that sends no
    file when nothing happened (``no_file``) takes ``max_silent_days``: quiet days are normal,
    so only a silence longer than that is worth telling ops."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append("freshness must map source names to {max_age_days: N}")
        return {}
    out = {}
    for source, settings in raw.items():
        where = f"freshness.{source}"
        if source not in quiet_days:
            problems.append(f"{where}: no such source in the landing contract")
            continue
        key = "max_age_days" if quiet_days[source] == "header_only" else "max_silent_days"
        if not isinstance(settings, dict) or set(settings) != {key}:
            if key == "max_silent_days":
                problems.append(
                    f"{where}: this source sends no file on a day without activity "
                    "(quiet_days: no_file in the landing contract), so a day without a file "
                    "is not late; write {max_silent_days: N}, the most days without any file "
                    "before ops is told"
                )
            else:
                problems.append(f"{where} must be {{max_age_days: N}}")
            continue
        days = settings[key]
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            problems.append(f"{where}.{key} must be a whole number of days, 0 or more")
            continue
        out[str(source)] = days
    return out


def parse_policy(raw: Any, origin: str = "the alerting settings") -> AlertPolicy:
    from marketing_health.contract import load_contract

    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise AlertingConfigError(f"{origin}: expected a mapping with {', '.join(_SECTIONS)}")
    problems: list[str] = []
    for key in sorted(set(raw) - set(_SECTIONS), key=str):
        problems.append(f"{key} is not a section (known: {', '.join(_SECTIONS)})")
    digest = _digest(raw.get("digest"), problems)
    teams = _teams(raw.get("teams"), problems)
    language = DEFAULT_LANGUAGE
    if raw.get("language") is not None:
        language = _language(raw["language"], "language", problems) or DEFAULT_LANGUAGE
    channel_languages = _channels(raw.get("channels"), problems)
    ops = _ops(raw.get("ops"), problems)
    quiet_days = {s.name: s.quiet_days for s in load_contract()}
    freshness = _freshness(raw.get("freshness"), problems, quiet_days)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise AlertingConfigError(f"{origin} has {len(problems)} problem(s):\n{listed}")
    return AlertPolicy(
        **digest,
        teams=teams,
        freshness=freshness,
        language=language,
        channel_languages=channel_languages,
        ops_language=ops,
    )


def load_policy(path: Path | None = None) -> AlertPolicy:
    """The policy of ``path`` (default: ``MH_ALERTING_CONFIG`` or config/alerting.yaml)."""
    path = path or alerting_config_file()
    if not path.exists():
        return AlertPolicy()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise AlertingConfigError(
            f"{path} is not valid YAML ({exc}); fix it or point {ALERTING_CONFIG_ENV} elsewhere"
        ) from exc
    return parse_policy(raw, str(path))
