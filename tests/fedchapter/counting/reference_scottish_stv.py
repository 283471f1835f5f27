"""A deliberately plain Scottish STV count, to check the production code against.

Written from the text of SSI 2007/42 Schedule 1 rules 45-52 (and the
definitions in article 2), not from `fedchapter.counting.scottish_stv`: it
shares no code with it, keeps every ballot paper's value as a `Fraction`,
and recomputes every candidate's total from the papers at every stage instead
of keeping running totals. It is slow and simple on purpose.

Only the seeded lot follows the production convention (`random.Random(seed)`
choosing among the tied candidates sorted by ballot number), so both draw
the same lot when a tie cannot be broken by an earlier stage.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

ONE = Fraction(1)


@dataclass
class Paper:
    ranking: tuple[int, ...]  # candidate numbers, best first
    count: int  # identical papers bundled together
    value: Fraction  # the value of one paper
    holder: int | None  # the candidate whose parcel holds it; None if non-transferable


@dataclass
class ReferenceResult:
    quota: int
    elected: list[int]  # in order of being deemed elected
    tallies: list[dict[int, Fraction]]  # every stage's totals
    exhausted: Fraction


def truncate_to_five_places(value: Fraction) -> Fraction:
    """Rule 48(3): "to five decimal places (any remainder being ignored)"."""
    return Fraction(math.floor(value * 100_000), 100_000)


def count(
    candidates: int,
    seats: int,
    ballots: list[tuple[int, tuple[int, ...]]],
    seed: int | str,
) -> ReferenceResult:
    lot = random.Random(seed)
    # Rule 45: the valid papers sorted by first preference.
    papers = [Paper(ranking, weight, ONE, ranking[0]) for weight, ranking in ballots if ranking]
    valid = sum(paper.count for paper in papers)
    quota = valid // (seats + 1) + 1  # rule 46
    elected: list[int] = []
    excluded: set[int] = set()
    surplus_done: set[int] = set()
    history: list[dict[int, Fraction]] = []

    def is_continuing(candidate: int) -> bool:  # article 2
        return candidate not in elected and candidate not in excluded

    def totals() -> dict[int, Fraction]:
        result = {candidate: Fraction(0) for candidate in range(candidates)}
        for candidate in surplus_done:
            result[candidate] = Fraction(quota)  # after its surplus has gone, the quota stays
        whole = dict.fromkeys(range(candidates), 0)  # papers still worth one vote, counted apart for speed
        for paper in papers:
            if paper.holder is None:
                continue
            if paper.value is ONE:
                whole[paper.holder] += paper.count
            else:
                result[paper.holder] += paper.value * paper.count
        return {candidate: result[candidate] + whole[candidate] for candidate in result}

    def next_available_preference(paper: Paper) -> int | None:
        """The next preference, after the current holder, for a continuing candidate."""
        after = paper.ranking[paper.ranking.index(paper.holder) + 1 :]
        return next((candidate for candidate in after if is_continuing(candidate)), None)

    def pick(tied: list[int], lowest: bool) -> int:
        """Rules 49(2)-(3) and 51(2): most recent earlier stage with unequal votes, else lot."""
        remaining = sorted(tied)
        for earlier in reversed(history[:-1]):
            values = {earlier[c] for c in remaining}
            if len(values) > 1:
                wanted = min(values) if lowest else max(values)
                remaining = [c for c in remaining if earlier[c] == wanted]
                if len(remaining) == 1:
                    return remaining[0]
        return lot.choice(sorted(remaining))

    def end_of_stage() -> None:
        now = totals()
        history.append(now)
        reached = [c for c in range(candidates) if is_continuing(c) and now[c] >= quota]  # rule 47
        while reached:
            best = max(now[c] for c in reached)
            tied = [c for c in reached if now[c] == best]
            chosen = tied[0] if len(tied) == 1 else pick(tied, lowest=False)
            elected.append(chosen)
            reached.remove(chosen)

    end_of_stage()
    while len(elected) < seats:
        now = history[-1]
        continuing = [c for c in range(candidates) if is_continuing(c)]
        if len(continuing) <= seats - len(elected):  # rule 52
            elected.extend(sorted(continuing, key=lambda c: -now[c]))
            break
        surpluses = {c: now[c] - quota for c in elected if c not in surplus_done and now[c] > quota}
        if surpluses:  # rules 48-49
            best = max(surpluses.values())
            tied = [c for c, s in surpluses.items() if s == best]
            transferring = tied[0] if len(tied) == 1 else pick(tied, lowest=False)
            surplus_done.add(transferring)
            total = now[transferring]
            moving = [paper for paper in papers if paper.holder == transferring]
            destinations = [next_available_preference(paper) for paper in moving]
            for paper, destination in zip(moving, destinations, strict=True):
                paper.value = truncate_to_five_places(surpluses[transferring] * paper.value / total)
                paper.holder = destination
        else:  # rules 50-51
            lowest = min(now[c] for c in continuing)
            tied = [c for c in continuing if now[c] == lowest]
            loser = tied[0] if len(tied) == 1 else pick(tied, lowest=True)
            excluded.add(loser)
            for paper in [paper for paper in papers if paper.holder == loser]:
                paper.holder = next_available_preference(paper)
        end_of_stage()

    exhausted = sum(
        (paper.value * paper.count for paper in papers if paper.holder is None), start=Fraction(0)
    )
    return ReferenceResult(quota, elected[:seats], history, exhausted)
