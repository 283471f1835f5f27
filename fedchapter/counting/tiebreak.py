"""Breaking ties: by earlier stages first, then by a reproducible lot.

SSI 2007/42 Sch. 1 rules 49(2)-(3) (equal surpluses) and 51(2) (exclusion):
regard is had to the votes "at the end of the most recent preceding stage"
at which the tied candidates had unequal votes; if they were equal at every
stage, the returning officer decides by lot. With three or more tied, a
stage that separates only some of them narrows the field to those with the
most (or fewest) votes there, and the search goes on further back among them.

The lot is `random.Random(seed)`: the same seed draws the same lot, so a
published count can be reproduced. The default seed is the election title.
"""

from __future__ import annotations

import random
from collections.abc import Sequence


class Lot:
    """A seeded drawing of lots, shared by all the ties of one count."""

    def __init__(self, seed: int | str) -> None:
        self.seed = seed
        self._random = random.Random(seed)

    def draw(self, candidates: Sequence[int]) -> int:
        """Pick one of `candidates` (ordered by index first, so the draw is reproducible)."""
        return self._random.choice(sorted(candidates))


def break_tie(
    tied: Sequence[int],
    history: Sequence[Sequence[int]],
    *,
    lowest: bool,
    lot: Lot,
    names: Sequence[str],
) -> tuple[int, str]:
    """Choose one of `tied`, and say how.

    `history` holds each earlier stage's tallies (indexed by candidate), oldest
    first. With `lowest`, the candidate with the fewest votes at the deciding
    stage is chosen (exclusion); otherwise the one with the most (surplus order).
    """
    remaining = sorted(tied)
    listed = ", ".join(names[c] for c in remaining)
    pick = min if lowest else max
    for stage_index in range(len(history) - 1, -1, -1):
        tallies = history[stage_index]
        values = {tallies[c] for c in remaining}
        if len(values) == 1:
            continue
        chosen_value = pick(values)
        remaining = [c for c in remaining if tallies[c] == chosen_value]
        if len(remaining) == 1:
            return remaining[0], (
                f"tie between {listed} broken by the votes at stage {stage_index + 1}: "
                f"{names[remaining[0]]} had the {'fewest' if lowest else 'most'}"
            )
    chosen = lot.draw(remaining)
    among = ", ".join(names[c] for c in remaining)
    return chosen, (
        f"tie between {listed}: equal at every earlier stage, so decided by lot "
        f"(seed {lot.seed!r}) among {among}: {names[chosen]} drawn"
    )
