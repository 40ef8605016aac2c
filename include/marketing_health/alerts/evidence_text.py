"""What an alert says was seen: the guard's evidence sentence, in the reader's language.

``guards.guard_results`` keeps the English sentence the guard wrote that night and the evidence
values it was built from. An English digest quotes the stored sentence as it was written; a
digest in another language rebuilds it from the evidence through the catalogue's translated
sentence, when the night stored every evidence column. A night that stored no sentence is
quoted as its labelled evidence values ("KPIs declared: 2; vanity KPIs: 2"), labels translated.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from marketing_health.catalogue import load_catalogue
from marketing_health.catalogue.model import Guard
from marketing_health.guards.evidence import summary_from_evidence
from marketing_health.guards.examples import parse_examples, render_examples
from marketing_health.i18n import Translator
from marketing_health.i18n.translator import SOURCE_LANGUAGE, parse_language

#: Keys of the evidence JSON that are not evidence columns: every check's own outcome and the
#: unknown terms (``CHECKS_EVIDENCE_KEY``, ``UNKNOWN_TERMS_EVIDENCE_KEY`` of guards.results).
_NOT_QUOTED = frozenset({"checks", "unknown_terms"})


def parse_evidence(raw: Any) -> dict[str, Any]:
    """The evidence JSON of a result row as a mapping (empty when missing or malformed)."""
    if isinstance(raw, Mapping):
        return dict(raw)
    try:
        value = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _guard(guard_id: str) -> Guard | None:
    try:
        return load_catalogue()[guard_id].guard
    except KeyError:
        return None


def _is_source_language(t: Translator) -> bool:
    return parse_language(t.tag).language == SOURCE_LANGUAGE


def evidence_sentence(
    guard_id: str, summary: str | None, evidence: Mapping[str, Any], t: Translator
) -> str:
    """What was seen, in ``t``'s language (see the module docstring for the order tried)."""
    stored = str(summary).strip() if summary else ""
    guard = _guard(guard_id)
    if stored and _is_source_language(t):
        return stored
    if guard is not None and evidence and set(guard.evidence) <= set(evidence):
        rebuilt = summary_from_evidence(guard, evidence, t)
        if rebuilt:
            return rebuilt
    if stored:
        return stored
    return labelled_evidence(guard, evidence, t)


def labelled_evidence(guard: Guard | None, evidence: Mapping[str, Any], t: Translator) -> str:
    """The evidence values under the catalogue's labels, for a night without a sentence."""
    labels = guard.evidence if guard is not None else {}
    shown = [
        # Translators: one evidence value in an alert, e.g. "KPIs declared: 2".
        t.gettext(
            "{label}: {value}",
            label=t.translate(labels.get(key) or key),
            value=_shown_value(value, t),
        )
        for key, value in evidence.items()
        if key not in _NOT_QUOTED
    ]
    if not shown:
        return t.gettext("no evidence was recorded")
    # Translators: what separates evidence values on one line ("KPIs declared: 2; vanity ...").
    return t.pgettext("evidence separator", "; ").join(shown)


def _shown_value(value: Any, t: Translator) -> Any:
    """A column of examples as its sentences; any other value as the translator shows it."""
    examples = parse_examples(value)
    return value if examples is None else render_examples(examples, t)
