"""Instant-runoff voting: one seat, won by a majority of the continuing votes.

Each stage either finds a candidate holding more than half of the votes still
in play (papers whose preferences are not exhausted) or excludes the candidate
with the fewest votes and passes each of their papers to its next continuing
preference. Ties for exclusion are broken as in Scottish STV (SSI 2007/42
Sch. 1 rule 51): the most recent earlier stage at which the tied candidates'
votes differed, else a seeded lot. Every paper is worth one vote throughout,
so the arithmetic is whole numbers.
"""

from __future__ import annotations

from decimal import Decimal

from fedchapter.counting.ballots import Election
from fedchapter.counting.result import CountResult, Stage
from fedchapter.counting.tiebreak import Lot, break_tie


def count_irv(election: Election, seed: int | str | None = None) -> CountResult:
    """Count a single-seat `election` by instant runoff; `seed` fixes any lot (default: the title)."""
    if election.seats != 1:
        raise ValueError(f"instant-runoff elects one seat, not {election.seats}")
    names = election.candidates
    standing = election.standing()
    lot = Lot(election.title if seed is None else seed)
    continuing = [index not in election.withdrawn for index in range(len(names))]
    votes = [0] * len(names)
    piles: list[list[tuple[tuple[int, ...], int, int]]] = [[] for _ in names]
    lines = election.effective_ballots()
    for weight, ranking in lines:
        piles[ranking[0]].append((ranking, 0, weight))
        votes[ranking[0]] += weight
    exhausted = 0
    history: list[list[int]] = []
    stages: list[Stage] = []
    action, transfers, note, excluded = "first preferences", {}, None, None
    winner: int | None = None

    while True:
        history.append(list(votes))
        live = [c for c in standing if continuing[c]]
        in_play = sum(votes[c] for c in live)
        majority = in_play // 2 + 1
        leader = max(live, key=lambda c: votes[c]) if live else None
        if leader is not None and (votes[leader] >= majority or len(live) == 1):
            winner = leader
        stages.append(
            Stage(
                number=len(stages) + 1,
                action=action,
                tallies={names[c]: Decimal(votes[c]) for c in standing},
                transfers={names[c]: Decimal(delta) for c, delta in transfers.items()},
                exhausted=Decimal(exhausted),
                elected=(names[winner],) if winner is not None else (),
                excluded=(names[excluded],) if excluded is not None else (),
                note=note,
            )
        )
        if winner is not None or not live:
            break
        lowest = min(votes[c] for c in live)
        tied = [c for c in live if votes[c] == lowest]
        excluded, note = tied[0], None
        if len(tied) > 1:
            excluded, note = break_tie(tied, history, lowest=True, lot=lot, names=names)
        continuing[excluded] = False
        transfers = {excluded: -votes[excluded]}
        for ranking, position, weight in piles[excluded]:
            for next_position in range(position + 1, len(ranking)):
                receiver = ranking[next_position]
                if continuing[receiver]:
                    piles[receiver].append((ranking, next_position, weight))
                    votes[receiver] += weight
                    transfers[receiver] = transfers.get(receiver, 0) + weight
                    break
            else:
                exhausted += weight
        piles[excluded] = []
        votes[excluded] = 0
        action = f"exclusion of {names[excluded]}"

    return CountResult(
        method="irv",
        title=election.title,
        seats=1,
        candidates=tuple(names[c] for c in standing),
        valid_ballots=sum(weight for weight, _ in lines),
        quota=Decimal(majority),
        elected=(names[winner],) if winner is not None else (),
        stages=tuple(stages),
        places=0,
    )
