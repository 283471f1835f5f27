"""Building proposals and votes for the domain tests without a database."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fedchapter.proposals.model import FIXED_OPTIONS, Method, Proposal, Status, Vote, VoteChannel
from fedchapter.proposals.rules import Quorum, Threshold

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def proposal(
    method: Method,
    options: tuple[str, ...] | None = None,
    *,
    seats: int = 1,
    quorum: Quorum | None = None,
    threshold: Threshold | None = None,
    proposal_id: str = "p1",
) -> Proposal:
    return Proposal(
        id=proposal_id,
        title="A proposal",
        body="Text",
        method=method,
        options=options or FIXED_OPTIONS[method],
        seats=seats,
        quorum=quorum,
        threshold=threshold,
        closes_at=NOW + timedelta(days=7),
        author="http://london.test/actors/admin",
        created_at=NOW,
        status=Status.OPEN,
    )


def votes(*groups: tuple[int, tuple[str, ...]]) -> list[Vote]:
    """`(3, ("yes",))` is three members voting yes; each member gets a distinct key."""
    cast: list[Vote] = []
    for weight, choices in groups:
        for _ in range(weight):
            cast.append(Vote(voter=f"http://london.test/actors/m{len(cast)}", choices=choices,
                             channel=VoteChannel.SITE, cast_at=NOW))
    return cast
