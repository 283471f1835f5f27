"""Small builders shared by the counting tests."""

from __future__ import annotations

from fedchapter.counting import Election


def election(seats: int, *lines: tuple[int, str], names: str | None = None, title: str = "test") -> Election:
    """An election from lines like (7, "ABD"): 7 papers ranking A, then B, then D.

    Candidates are single letters; unless `names` is given they are every
    letter used, in alphabetical order.
    """
    letters = names or "".join(sorted({letter for _, ranking in lines for letter in ranking}))
    ballots = tuple((weight, tuple(letters.index(letter) for letter in ranking)) for weight, ranking in lines)
    return Election(title=title, candidates=tuple(letters), seats=seats, ballots=ballots)
