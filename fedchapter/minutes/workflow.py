"""The life of a set of minutes: draft → circulated → approved → published.

Minutes move forward only; a step may be skipped (the API publishes at once).
Once published, a change is a correction: a new revision, with the old text
kept in the history and an Update sent to whoever received the minutes.
"""

from __future__ import annotations

from fedchapter.errors import Conflict
from fedchapter.minutes.model import MinutesState

ORDER = (MinutesState.DRAFT, MinutesState.CIRCULATED, MinutesState.APPROVED, MinutesState.PUBLISHED)


def check_transition(current: MinutesState, wanted: MinutesState) -> None:
    """Refuse a move backwards or to the same state (409)."""
    if ORDER.index(wanted) <= ORDER.index(current):
        raise Conflict(f"minutes that are {current.value} cannot become {wanted.value}")


def next_states(current: MinutesState) -> tuple[MinutesState, ...]:
    """Where a secretary may take minutes from here (for the buttons on the page)."""
    return ORDER[ORDER.index(current) + 1:]


def members_can_read(state: MinutesState) -> bool:
    """Drafts are the minute-taker's; circulated and later minutes are the members'."""
    return state is not MinutesState.DRAFT
