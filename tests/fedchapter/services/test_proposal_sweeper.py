"""The proposals' sweeper: closes what is due and sleeps until the next deadline."""
from __future__ import annotations

from datetime import timedelta

from fedchapter.roles import Role
from tests.support.instances import Instance
from tests.support.record import bearer
from tests.web.proposal_helpers import admin_headers, create, move_clock
from fedchapter.services.proposal_sweeper import LONGEST_SLEEP


async def test_the_sweeper_closes_a_proposal_at_its_time(london: Instance) -> None:
    created = await create(london, await admin_headers(london), "yes-no")
    alice = await bearer(london, "alice", Role.MEMBER)
    await london.client.post(f"/api/v1/proposals/{created['id']}/vote", json={"choice": "yes"}, headers=alice)
    sweeper = london.ctx.proposals.sweeper
    # Nothing is due before the close: it would sleep (at most LONGEST_SLEEP) until then.
    assert 0 < await sweeper.seconds_to_next() <= LONGEST_SLEEP
    move_clock(london, timedelta(days=8))
    assert await sweeper.seconds_to_next() == 0
    await sweeper.sweep()
    stored = await london.ctx.repos.proposals.get(created["id"])
    assert stored is not None and stored.status.value == "closed"
    assert stored.result is not None and stored.result.counts["yes"] == 1
    assert await sweeper.seconds_to_next() == LONGEST_SLEEP  # nothing left to do
