"""A decision of the minutes in the page's language: "Angenommen (einstimmig,
14 dafür, 0 dagegen, 0 Enthaltungen): Support Proposal Two."

The domain's ``decision_line`` says the same in English for the federated
summary (Mastodon shows only that); pages build the words here from the
decision's enum values and counts, so every part is a gettext message and
every count goes through ngettext. A unanimous decision keeps its counts.
"""
from __future__ import annotations

from fedchapter.minutes.model import DecidedBy, Decision, Outcome
from fedchapter.minutes.summary import MAX_DECISION_CHARS
from fedchapter.text import truncate_text
from web.i18n import N_, translations_for

OUTCOME_LABELS = {
    Outcome.CARRIED: N_("Carried"),
    Outcome.REJECTED: N_("Rejected"),
    Outcome.DEFERRED: N_("Deferred"),
    Outcome.NOTED: N_("Noted"),
}
DECIDED_BY_LABELS = {
    DecidedBy.UNANIMOUS: N_("unanimous"),
    DecidedBy.CONSENSUS: N_("by consensus"),
}


def decision_words(decision: Decision, language: str) -> str:
    t = translations_for(language)
    parts: list[str] = []
    if decision.decided_by in DECIDED_BY_LABELS:
        parts.append(t.gettext(DECIDED_BY_LABELS[decision.decided_by]))
    if decision.has_counts:
        parts.append(t.ngettext("%(num)d for", "%(num)d for", decision.votes_for or 0)
                     % {"num": decision.votes_for or 0})
        parts.append(t.ngettext("%(num)d against", "%(num)d against", decision.votes_against or 0)
                     % {"num": decision.votes_against or 0})
        parts.append(t.ngettext("%(num)d abstaining", "%(num)d abstaining", decision.votes_abstain or 0)
                     % {"num": decision.votes_abstain or 0})
    outcome = t.gettext(OUTCOME_LABELS[decision.outcome])
    if parts:
        outcome += f" ({', '.join(parts)})"
    text = truncate_text(" ".join(decision.text.split()), MAX_DECISION_CHARS).rstrip(".")
    return f"{outcome}: {text}."
