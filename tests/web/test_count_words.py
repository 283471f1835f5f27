"""Every phrase fedchapter.counting writes into a stage (action and notes)
is said again in German, names and figures kept; an unknown phrase is shown
as it is."""
from __future__ import annotations

import pytest

from fedchapter.counting import Election, count
from web.count_words import stage_action, stage_note

ENGLISH = ("first preferences", "exclusion of", "surplus of", "keep values", "tie between", "quota ",
           "iteration(s)", "hopeful candidates", "rule 52", "drawn", "fewest", "most")


def _election(seats: int) -> Election:
    # Ties at the first stage (lot), a surplus, exclusions, and the last seats filled by rule.
    return Election(title="t", candidates=("Ann Lee", "Bo", "Cy", "Di", "Ed"), seats=seats, ballots=(
        (5, (0, 1)), (2, (1, 2)), (2, (2, 1)), (1, (3, 4)), (1, (4, 3)), (3, (0, 2, 3)),
    ))


@pytest.mark.parametrize("method", ["scottish-stv", "meek-stv", "irv"])
def test_every_stage_of_a_count_is_said_in_german(method: str) -> None:
    result = count(_election(1 if method == "irv" else 3), method, seed="seed")
    said = [(stage_action(stage.action, "de"), stage_note(stage.note, "de")) for stage in result.stages]
    assert said[0][0] == "Erstpräferenzen"
    for action, note in said:
        text = f"{action} {note or ''}".lower()
        assert not [word for word in ENGLISH if word in text], (action, note)
    assert any("Ann Lee" in action or "Ann Lee" in (note or "") for action, note in said) or method == "irv"


def test_phrases_keep_their_names_and_figures() -> None:
    assert stage_action("exclusion of Ann Lee", "de") == "Ausscheiden von Ann Lee"
    assert stage_note("quota 3.25 after 1 iteration(s); keep values: Bo 0.5", "de") == (
        "Quote 3.25 nach 1 Iteration; Behaltewerte: Bo 0.5")
    assert stage_note("quota 3.25 after 4 iteration(s)", "en") == "Quota 3.25 after 4 iterations"
    assert stage_note("something new", "de") == "something new"
    assert stage_note(None, "de") is None
