"""The input of a count: candidates, seats and the ranked ballots cast.

Candidates are referred to by their 0-based index into `Election.candidates`
everywhere inside the counting package; names appear only in results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# One ballot line: how many voters cast it, and their ranking (best first).
BallotLine = tuple[int, tuple[int, ...]]


@dataclass(frozen=True)
class Election:
    """A ranked-ballot election ready to be counted.

    `ballots` holds (weight, ranking) lines as in a BLT file: `weight` voters
    ranked the candidates of `ranking` in that order. `withdrawn` names
    candidates (by index) who stood down after the ballots were printed: they
    are skipped on every ballot, as if never ranked.
    """

    title: str
    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[BallotLine, ...]
    withdrawn: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise ValueError(f"seats must be at least 1, not {self.seats}")
        if not self.candidates:
            raise ValueError("an election needs at least one candidate")
        if len(set(self.candidates)) != len(self.candidates):
            raise ValueError("candidate names must be unique")
        count = len(self.candidates)
        for index in self.withdrawn:
            if not 0 <= index < count:
                raise ValueError(f"withdrawn candidate {index} is not a candidate")
        known = set(range(count))
        for weight, ranking in self.ballots:
            if weight < 1:
                raise ValueError(f"ballot weight must be at least 1, not {weight}")
            ranked = set(ranking)
            if len(ranked) != len(ranking):
                raise ValueError(f"ballot ranks a candidate twice: {ranking}")
            if not ranked <= known:
                raise ValueError(f"ballot ranks an unknown candidate: {ranking}")

    def standing(self) -> tuple[int, ...]:
        """Indices of the candidates who have not withdrawn, in ballot-paper order."""
        return tuple(i for i in range(len(self.candidates)) if i not in self.withdrawn)

    def effective_ballots(self) -> list[BallotLine]:
        """Ballot lines with withdrawn candidates removed and empty papers dropped.

        A paper that ranks nobody (or only withdrawn candidates) gives no first
        preference and so is not a valid vote for any candidate.
        """
        withdrawn = self.withdrawn
        lines: list[BallotLine] = []
        for weight, ranking in self.ballots:
            if withdrawn:
                ranking = tuple(c for c in ranking if c not in withdrawn)
            if ranking:
                lines.append((weight, ranking))
        return lines

    def valid_ballot_count(self) -> int:
        """Number of papers that give a first preference to a standing candidate."""
        return sum(weight for weight, _ in self.effective_ballots())

    def with_seats(self, seats: int) -> Election:
        """The same election counted for a different number of seats."""
        return Election(self.title, self.candidates, seats, self.ballots, self.withdrawn)
