"""A ranked count's stage actions and notes in the page's language.

fedchapter.counting writes each stage's action ("exclusion of Tom Reilly")
and notes (how a tie was broken, Meek's quota) in English, and a proposal's
result freezes them as they were at the close, so the scrutineer's report and
the API stay word for word what was counted. The phrases come from a fixed
set; this module recognises each one, keeps the names and figures it carries,
and says it again through gettext. A phrase it does not know is shown as it
is rather than hidden.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from web.i18n import N_, translations_for

_ACTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^first preferences$"), N_("First preferences")),
    (re.compile(r"^exclusion of (?P<name>.+)$"), N_("Exclusion of %(name)s")),
    (re.compile(r"^surplus of (?P<name>.+)$"), N_("Surplus of %(name)s")),
    (re.compile(r"^keep values recalculated$"), N_("Keep values recalculated")),
]

_NOTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^tie between (?P<tied>.+) broken by the votes at stage (?P<stage>\d+): (?P<name>.+) had the fewest$"),
     N_("Tie between %(tied)s broken by the votes at stage %(stage)s: %(name)s had the fewest")),
    (re.compile(r"^tie between (?P<tied>.+) broken by the votes at stage (?P<stage>\d+): (?P<name>.+) had the most$"),
     N_("Tie between %(tied)s broken by the votes at stage %(stage)s: %(name)s had the most")),
    (re.compile(r"^tie between (?P<tied>.+): equal at every earlier stage, so decided by lot "
                r"\(seed (?P<seed>.+)\) among (?P<among>.+): (?P<name>.+) drawn$"),
     N_("Tie between %(tied)s: equal at every earlier stage, so decided by lot (seed %(seed)s) among "
        "%(among)s: %(name)s drawn")),
    (re.compile(r"^hopeful candidates no more than the seats left: all elected$"),
     N_("Hopeful candidates no more than the seats left: all elected")),
    (re.compile(r"^rule 52: continuing candidates no more than the vacancies, all deemed elected$"),
     N_("Rule 52: continuing candidates no more than the vacancies, all deemed elected")),
    (re.compile(r"^keep values: (?P<kept>.+)$"), N_("Keep values: %(kept)s")),
]
# Meek's quota note counts its iterations: a plural.
_QUOTA = re.compile(r"^quota (?P<quota>\S+) after (?P<iterations>\d+) iteration\(s\)$")


def _say(text: str, phrases: list[tuple[re.Pattern[str], str]], gettext: Callable[[str], str]) -> str | None:
    for pattern, message in phrases:
        found = pattern.match(text)
        if found is not None:
            return gettext(message) % found.groupdict() if found.groupdict() else gettext(message)
    return None


def stage_action(action: str, language: str) -> str:
    return _say(action, _ACTIONS, translations_for(language).gettext) or action


def stage_note(note: str | None, language: str) -> str | None:
    """Each part of a note ("; " between them) in the page's language."""
    if not note:
        return note
    translations = translations_for(language)
    said = []
    # A tie note names candidates, so "; " is split only between phrases, never inside a name.
    for part in note.split("; "):
        quota = _QUOTA.match(part)
        if quota is not None:
            iterations = int(quota["iterations"])
            said.append(translations.ngettext("Quota %(quota)s after %(num)d iteration",
                                              "Quota %(quota)s after %(num)d iterations", iterations)
                        % {"quota": quota["quota"], "num": iterations})
            continue
        said.append(_say(part, _NOTES, translations.gettext) or part)
    return "; ".join(said)
