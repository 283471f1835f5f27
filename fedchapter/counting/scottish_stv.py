"""Scottish STV: the count of the Scottish Local Government Elections Order 2007.

SSI 2007/42, Schedule 1, rules 45-52 (the rules are cited by number below):

- 45/46: first preferences; quota = floor(valid papers / (seats + 1)) + 1.
- 47: a candidate whose votes equal or exceed the quota is deemed elected.
- 48: a surplus (votes over the quota) is transferred by passing *all* the
  papers the candidate received to each paper's next available preference,
  each at transfer value = surplus x value of the paper / candidate's total,
  "made to five decimal places (any remainder being ignored)": truncated.
  The "next available preference" skips every candidate deemed elected or
  excluded (art. 2), so papers never go to a candidate who has already reached
  the quota, even one whose own surplus is still to be transferred.
- 49: with two or more surpluses, the highest goes first; equal surpluses by
  the most recent preceding stage at which the candidates' votes differed,
  else by lot. A stage is one transfer: after it, anyone now at the quota is
  deemed elected and the next highest surplus is chosen afresh.
- 50: with no surplus left to transfer, the candidate with the fewest votes is
  excluded and *all* their papers pass on in that one stage, first-preference
  papers at value one and transferred papers at the value they arrived with.
  (The Order has no batch-by-value exclusion and no deferral of small surpluses.)
- 51: ties for exclusion by the most recent preceding stage with unequal
  votes, else by lot.
- 52: when the continuing candidates are no more than the vacancies left, they
  are all deemed elected and no further transfer is made.

Arithmetic is exact: every value is an integer count of 0.00001 of a vote,
so truncating a transfer value is integer floor division.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from fedchapter.counting.ballots import Election
from fedchapter.counting.result import CountResult, Stage, from_units
from fedchapter.counting.tiebreak import Lot, break_tie

PLACES = 5
ONE = 10**PLACES  # one vote, in units of 0.00001

# A parcel of identical papers: (ranking, position of the candidate holding
# it, value of each paper in units, number of papers).
Parcel = tuple[tuple[int, ...], int, int, int]


def count_scottish_stv(election: Election, seed: int | str | None = None) -> CountResult:
    """Count `election` by the Scottish STV rules; `seed` fixes any lot (default: the title)."""
    return _ScottishCount(election, seed).run()


class _ScottishCount:
    def __init__(self, election: Election, seed: int | str | None) -> None:
        self.election = election
        self.names = election.candidates
        size = len(self.names)
        self.standing = election.standing()
        self.lot = Lot(election.title if seed is None else seed)
        self.continuing = [index not in election.withdrawn for index in range(size)]
        self.votes = [0] * size
        self.parcels: list[list[Parcel]] = [[] for _ in range(size)]
        self.elected: list[int] = []
        self.awaiting_transfer: list[int] = []  # deemed elected with a surplus not yet moved
        self.history: list[list[int]] = []
        self.stages: list[Stage] = []
        self.exhausted = 0
        self.lost = 0
        self.quota = 0

    def run(self) -> CountResult:
        lines = self.election.effective_ballots()
        valid = sum(weight for weight, _ in lines)
        seats = self.election.seats
        self.quota = (valid // (seats + 1) + 1) * ONE  # rule 46
        for weight, ranking in lines:  # rule 45
            first = ranking[0]
            self.parcels[first].append((ranking, 0, ONE, weight))
            self.votes[first] += weight * ONE
        self._end_stage("first preferences", {}, None)

        while len(self.elected) < seats:
            vacancies = seats - len(self.elected)
            continuing = [c for c in self.standing if self.continuing[c]]
            if len(continuing) <= vacancies:
                self._elect_all_continuing(continuing)
                break
            with_surplus = [c for c in self.awaiting_transfer if self.votes[c] > self.quota]
            if with_surplus:
                self._transfer_surplus(with_surplus)
            else:
                self._exclude_lowest(continuing)

        return CountResult(
            method="scottish-stv",
            title=self.election.title,
            seats=seats,
            candidates=tuple(self.names[c] for c in self.standing),
            valid_ballots=valid,
            quota=from_units(self.quota, PLACES),
            elected=tuple(self.names[c] for c in self.elected),
            stages=tuple(self.stages),
            places=PLACES,
        )

    def _transfer_surplus(self, with_surplus: list[int]) -> None:
        """Rules 48-49: move the highest surplus, all of that candidate's papers."""
        largest = max(self.votes[c] for c in with_surplus)
        tied = [c for c in with_surplus if self.votes[c] == largest]
        note = None
        source = tied[0]
        if len(tied) > 1:
            source, note = break_tie(tied, self.history, lowest=False, lot=self.lot, names=self.names)
        self.awaiting_transfer.remove(source)
        total = self.votes[source]
        surplus = total - self.quota
        gained, non_transferable = self._pass_on(
            source, lambda value: surplus * value // total  # rule 48(3): truncated
        )
        self.votes[source] = self.quota
        self.lost += surplus - sum(gained.values()) - non_transferable
        self._end_stage(f"surplus of {self.names[source]}", {source: -surplus, **gained}, note)

    def _exclude_lowest(self, continuing: list[int]) -> None:
        """Rules 50-51: exclude the lowest continuing candidate, moving all papers at once."""
        lowest = min(self.votes[c] for c in continuing)
        tied = [c for c in continuing if self.votes[c] == lowest]
        note = None
        excluded = tied[0]
        if len(tied) > 1:
            excluded, note = break_tie(tied, self.history, lowest=True, lot=self.lot, names=self.names)
        self.continuing[excluded] = False
        gained, _ = self._pass_on(excluded, lambda value: value)  # rule 50(4): value unchanged
        moved = self.votes[excluded]
        self.votes[excluded] = 0
        self._end_stage(
            f"exclusion of {self.names[excluded]}", {excluded: -moved, **gained}, note, excluded=excluded
        )

    def _pass_on(self, source: int, revalue: Callable[[int], int]) -> tuple[dict[int, int], int]:
        """Move every parcel `source` holds to its next continuing preference.

        Returns the units gained by each receiving candidate and the units that
        went to non-transferable papers (added to the running total).
        """
        continuing = self.continuing
        parcels = self.parcels
        gained: dict[int, int] = {}
        non_transferable = 0
        for ranking, position, value, papers in parcels[source]:
            value = revalue(value)
            if value == 0:
                continue  # a paper worth nothing changes no total, now or later
            amount = value * papers
            for next_position in range(position + 1, len(ranking)):
                receiver = ranking[next_position]
                if continuing[receiver]:
                    parcels[receiver].append((ranking, next_position, value, papers))
                    gained[receiver] = gained.get(receiver, 0) + amount
                    break
            else:
                non_transferable += amount
        parcels[source] = []
        for receiver, amount in gained.items():
            self.votes[receiver] += amount
        self.exhausted += non_transferable
        return dict(sorted(gained.items())), non_transferable

    def _end_stage(
        self, action: str, transfers: dict[int, int], note: str | None, excluded: int | None = None
    ) -> None:
        """Record the stage, then deem elected everyone now at the quota (rule 47)."""
        self.history.append(list(self.votes))
        reached = [c for c in self.standing if self.continuing[c] and self.votes[c] >= self.quota]
        newly_elected, order_note = self._order_by_votes(reached)
        for candidate in newly_elected:
            self.continuing[candidate] = False
            self.elected.append(candidate)
            if self.votes[candidate] > self.quota:
                self.awaiting_transfer.append(candidate)
        notes = [text for text in (note, order_note) if text]
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                action=action,
                tallies={self.names[c]: from_units(self.votes[c], PLACES) for c in self.standing},
                transfers={self.names[c]: from_units(units, PLACES) for c, units in transfers.items()},
                exhausted=from_units(self.exhausted, PLACES),
                lost_to_rounding=from_units(self.lost, PLACES),
                elected=tuple(self.names[c] for c in newly_elected),
                excluded=(self.names[excluded],) if excluded is not None else (),
                note="; ".join(notes) or None,
            )
        )

    def _elect_all_continuing(self, continuing: list[int]) -> None:
        """Rule 52: the last vacancies go to the continuing candidates, without transfers."""
        ordered, order_note = self._order_by_votes(continuing)
        for candidate in ordered:
            self.continuing[candidate] = False
            self.elected.append(candidate)
        if not ordered:
            return
        last = self.stages[-1]
        rule = "rule 52: continuing candidates no more than the vacancies, all deemed elected"
        notes = [text for text in (last.note, rule, order_note) if text]
        self.stages[-1] = replace(
            last,
            elected=last.elected + tuple(self.names[c] for c in ordered),
            note="; ".join(notes),
        )

    def _order_by_votes(self, candidates: list[int]) -> tuple[list[int], str | None]:
        """Most votes first; equal votes ordered as equal surpluses are (rule 49)."""
        remaining = sorted(candidates, key=lambda c: -self.votes[c])
        ordered: list[int] = []
        notes: list[str] = []
        while remaining:
            top = self.votes[remaining[0]]
            tied = [c for c in remaining if self.votes[c] == top]
            chosen = tied[0]
            if len(tied) > 1:
                chosen, note = break_tie(
                    tied, self.history[:-1], lowest=False, lot=self.lot, names=self.names
                )
                notes.append(note)
            ordered.append(chosen)
            remaining.remove(chosen)
        return ordered, "; ".join(notes) or None
