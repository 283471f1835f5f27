"""Counting ranked ballots: Scottish STV, Meek STV and instant runoff.

Pure standard-library code in the domain layer. The entry points take an
`Election` (from `parse_blt`/`read_blt` or built directly) and return a
`CountResult` with every stage of the count.
"""

from __future__ import annotations

from collections.abc import Callable

from fedchapter.counting.ballots import BallotLine, Election
from fedchapter.counting.blt import BltError, parse_blt, read_blt
from fedchapter.counting.irv import count_irv
from fedchapter.counting.meek_stv import count_meek_stv
from fedchapter.counting.report import render_table, render_text
from fedchapter.counting.result import CountResult, Stage
from fedchapter.counting.scottish_stv import count_scottish_stv

Counter = Callable[..., CountResult]

# The method names the CLI and the proposals feature accept.
METHODS: dict[str, Counter] = {
    "scottish-stv": count_scottish_stv,
    "meek-stv": count_meek_stv,
    "irv": count_irv,
}


def count(election: Election, method: str = "scottish-stv", seed: int | str | None = None) -> CountResult:
    """Count `election` by the named method (a key of `METHODS`)."""
    try:
        counter = METHODS[method]
    except KeyError:
        raise ValueError(f"unknown counting method {method!r}; choose from {', '.join(METHODS)}") from None
    return counter(election, seed=seed)


__all__ = [
    "METHODS",
    "BallotLine",
    "BltError",
    "CountResult",
    "Election",
    "Stage",
    "count",
    "count_irv",
    "count_meek_stv",
    "count_scottish_stv",
    "parse_blt",
    "read_blt",
    "render_table",
    "render_text",
]
