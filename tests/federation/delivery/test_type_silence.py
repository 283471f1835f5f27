"""A server that never answers one activity type (issue 14.6): timeouts on
that type, while it answers other types, are that activity's own failures;
they do not make the server unavailable, pause it, or release its queue."""
from __future__ import annotations

from datetime import timedelta

from federation.safe_http import PostOutcome
from tests.federation.delivery.test_worker import FakePeer, Setup, setup  # noqa: F401 (the fixture)

TIMEOUT = PostOutcome(None, None, "ReadTimeout: timed out")


async def test_timeouts_on_one_type_do_not_make_an_answering_server_unavailable(setup: Setup) -> None:  # noqa: F811
    peer = FakePeer(failing_type=("Update", TIMEOUT))
    worker = setup.worker(peer)
    created = await setup.queue(type="Create")
    await worker.run_until_idle()
    assert (await setup.row(created)).state == "delivered"  # type: ignore[attr-defined]
    for _ in range(7):  # Updates on seven distinct days, each one timing out
        setup.clock.advance(timedelta(hours=25))
        await setup.queue(type="Update")
        await worker.run_until_idle()
    host = await setup.repos.delivery_hosts.get("peer.example")
    assert host is not None
    assert (host.available, host.failure_days, host.consecutive_failures, host.paused_until) == (True, 0, 0, None)
    # Other activities still go at once.
    later = await setup.queue(type="Create")
    await worker.run_until_idle()
    assert (await setup.row(later)).state == "delivered"  # type: ignore[attr-defined]


async def test_a_server_silent_on_everything_is_still_judged_by_the_day_rule(setup: Setup) -> None:  # noqa: F811
    peer = FakePeer(TIMEOUT)
    worker = setup.worker(peer)
    for day in range(7):
        if day:
            setup.clock.advance(timedelta(hours=25))
        await setup.queue(type="Update")
        await worker.run_until_idle()
    host = await setup.repos.delivery_hosts.get("peer.example")
    assert host is not None and not host.available and host.failure_days == 7
