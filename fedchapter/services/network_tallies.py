"""A network's running tally of one `scope: "chapters"` proposal, as its
Update(Question) carries it to the chapters (docs/networks.md, `fc:tally`).

The same computation as the proposal's page (``fedchapter.networks.tally``):
the stored reports, each with the chapter's current weight.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from fedchapter.clock import utc_now
from fedchapter.networks.model import NetworkRule, Scope
from fedchapter.networks.tally import NetworkTally, network_tally
from fedchapter.proposals.model import ChapterResult, Proposal


class NetworkTallies:
    def __init__(
        self,
        reports: Callable[[str], Awaitable[list[ChapterResult]]],
        weights: Callable[[], Awaitable[dict[str, int]]],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.reports = reports
        self.weights = weights
        self.clock = clock

    async def __call__(self, proposal: Proposal) -> NetworkTally | None:
        if proposal.scope != Scope.CHAPTERS.value:
            return None
        return network_tally(
            proposal.share_with, await self.reports(proposal.id), await self.weights(),
            NetworkRule(proposal.network_rule or NetworkRule.CHAPTERS.value), as_of=self.clock(),
        )
