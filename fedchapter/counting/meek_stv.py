"""Meek STV: the reference Meek rule in fixed-point arithmetic.

The rule is Meek's method as specified by Hill, Wichmann and Woodall
("Algorithm 123 - Single Transferable Vote by Meek's method", Computer
Journal 30(3), 1987), with the fixed-point conventions of New Zealand's
Local Electoral Regulations 2001, Schedule 1A:

- every value is a whole number of 0.000000001 (9 decimal places);
- each candidate has a keep value: 1 while hopeful, 0 once excluded, and
  for an elected candidate the fraction of each vote reaching them that
  they keep. A paper gives each candidate in turn (skipping the excluded)
  its remaining weight times the keep value, rounded up, and passes on the
  rest; what is left after the last preference is excess (exhausted);
- quota = (sum of all candidates' votes) / (seats + 1), truncated to 9
  places, plus 0.000000001 - so it falls as papers exhaust;
- an elected candidate's keep value is reset to keep x quota / votes,
  rounded up, and the distribution repeated until the elected candidates'
  total surplus is below omega = 0.000001, or (as Algorithm 123 also
  provides) no longer falls from one iteration to the next;
- then every hopeful candidate at or over the quota is elected; if none is,
  and more hopefuls remain than seats, the hopeful with the fewest votes is
  excluded (keep value 0). When hopefuls fill the remaining seats exactly
  they are all elected.

Ties for exclusion are broken as in the Scottish rules (most recent earlier
stage with unequal votes, else a seeded lot) rather than by lot alone.
"""

from __future__ import annotations

from fedchapter.counting.ballots import BallotLine, Election
from fedchapter.counting.result import CountResult, Stage, from_units
from fedchapter.counting.tiebreak import Lot, break_tie

PLACES = 9
ONE = 10**PLACES
OMEGA = 10**3  # 0.000001 in units of 10**-9
MAX_ITERATIONS = 10_000  # a safeguard; rounding up makes the surplus fall every round


def count_meek_stv(election: Election, seed: int | str | None = None) -> CountResult:
    """Count `election` by Meek STV; `seed` fixes any lot (default: the title)."""
    names = election.candidates
    standing = election.standing()
    seats = election.seats
    lot = Lot(election.title if seed is None else seed)
    lines = election.effective_ballots()
    keep = [ONE if index in standing else 0 for index in range(len(names))]
    hopeful = [index in standing for index in range(len(names))]
    elected: list[int] = []
    history: list[list[int]] = []
    stages: list[Stage] = []
    previous = [0] * len(names)
    action, note, excluded = "first preferences", None, None
    quota = 0

    while True:
        votes, excess, quota, iterations = _converge(lines, keep, elected, seats, len(names))
        history.append(votes)
        reached = [c for c in standing if hopeful[c] and votes[c] >= quota]
        newly = sorted(reached, key=lambda c: -votes[c])
        for candidate in newly:
            hopeful[candidate] = False
            elected.append(candidate)
        live = [c for c in standing if hopeful[c]]
        notes = [text for text in (note,) if text]
        if len(elected) < seats and len(live) <= seats - len(elected):
            live.sort(key=lambda c: -votes[c])
            newly += live
            elected += live
            for candidate in live:
                hopeful[candidate] = False
            notes.append("hopeful candidates no more than the seats left: all elected")
        notes.append(f"quota {from_units(quota, PLACES):f} after {iterations} iteration(s)")
        kept = ", ".join(f"{names[c]} {from_units(keep[c], PLACES):f}" for c in elected if keep[c] < ONE)
        if kept:
            notes.append(f"keep values: {kept}")
        stages.append(
            Stage(
                number=len(stages) + 1,
                action=action,
                tallies={names[c]: from_units(votes[c], PLACES) for c in standing},
                transfers={
                    names[c]: from_units(votes[c] - previous[c], PLACES)
                    for c in standing
                    if votes[c] != previous[c] and stages
                },
                exhausted=from_units(excess, PLACES),
                elected=tuple(names[c] for c in newly),
                excluded=(names[excluded],) if excluded is not None else (),
                note="; ".join(notes),
            )
        )
        previous = votes
        if len(elected) >= seats or not live:
            break
        if newly:
            action, note, excluded = "keep values recalculated", None, None
            continue
        lowest = min(votes[c] for c in live)
        tied = [c for c in live if votes[c] == lowest]
        excluded, note = tied[0], None
        if len(tied) > 1:
            excluded, note = break_tie(tied, history, lowest=True, lot=lot, names=names)
        hopeful[excluded] = False
        keep[excluded] = 0
        action = f"exclusion of {names[excluded]}"

    return CountResult(
        method="meek-stv",
        title=election.title,
        seats=seats,
        candidates=tuple(names[c] for c in standing),
        valid_ballots=sum(weight for weight, _ in lines),
        quota=from_units(quota, PLACES),
        elected=tuple(names[c] for c in elected[:seats]),
        stages=tuple(stages),
        places=PLACES,
    )


def _converge(
    lines: list[BallotLine], keep: list[int], elected: list[int], seats: int, size: int
) -> tuple[list[int], int, int, int]:
    """Distribute, adjust the elected candidates' keep values, repeat until settled.

    Returns (votes, excess, quota, iterations); `keep` is updated in place.
    """
    iterations = 0
    last_surplus: int | None = None
    while True:
        iterations += 1
        votes, excess = _distribute(lines, keep, size)
        quota = sum(votes) // (seats + 1) + 1
        surplus = sum(votes[c] - quota for c in elected if votes[c] > quota)
        # Algorithm 123: stop below omega, or when rounding stops the surplus
        # falling (with thousands of papers, rounding shares up leaves each
        # elected candidate a few 10**-9 over the quota, which can exceed omega).
        settled = surplus < OMEGA or (last_surplus is not None and surplus >= last_surplus)
        if not elected or settled or iterations >= MAX_ITERATIONS:
            return votes, excess, quota, iterations
        last_surplus = surplus
        for candidate in elected:
            if votes[candidate] > 0:
                # keep x quota / votes, rounded up
                keep[candidate] = -(-keep[candidate] * quota // votes[candidate])


def _distribute(lines: list[BallotLine], keep: list[int], size: int) -> tuple[list[int], int]:
    """One pass over the papers: each candidate keeps their share, the rest flows on."""
    votes = [0] * size
    excess = 0
    for weight, ranking in lines:
        remaining = ONE
        for candidate in ranking:
            kept = keep[candidate]
            if kept == 0:
                continue
            if kept == ONE:
                votes[candidate] += remaining * weight
                remaining = 0
                break
            share = -(-remaining * kept // ONE)  # rounded up
            votes[candidate] += share * weight
            remaining -= share
            if remaining == 0:
                break
        excess += remaining * weight
    return votes, excess
