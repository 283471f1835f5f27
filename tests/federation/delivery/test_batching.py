"""What a fan-out shares between its deliveries: the encoded body (one per
activity), the servers' signature schemes (one read per queue scan) and the
record of the successes (written together at the next scan, never lost)."""
from __future__ import annotations

from datetime import timedelta

from federation.delivery.worker import DeliveryWorker
from federation.local_actors import SigningKeys
from federation.safe_http import PostOutcome
from tests.federation.delivery.test_worker import FakePeer, Setup, setup  # noqa: F401  (the fixture)
from tests.support.counting import Counting

INBOXES = tuple(f"https://s{number}.example/inbox" for number in range(6))


def _counted_worker(setup: Setup, peer: FakePeer, **options: object) -> tuple[DeliveryWorker, Counting, Counting]:
    deliveries, hosts = Counting(setup.repos.deliveries), Counting(setup.repos.delivery_hosts)
    settings: dict[str, object] = {"concurrency": 16, "concurrency_per_host": 4}
    settings.update(options)
    worker = DeliveryWorker(
        deliveries=deliveries, hosts=hosts, blocks=setup.repos.recent_blocks,  # type: ignore[arg-type]
        keys=SigningKeys(setup.urls, setup.repos.actors), poster=peer,  # type: ignore[arg-type]
        actors=setup.repos.remote_actors, clock=setup.clock, **settings,  # type: ignore[arg-type]
    )
    return worker, deliveries, hosts


async def test_the_body_is_encoded_once_per_activity(setup: Setup) -> None:
    peer = FakePeer()
    await setup.queue(*INBOXES)
    await setup.worker(peer).run_until_idle()
    bodies = [body for _, body, _ in peer.posts]
    assert len(bodies) == len(INBOXES)
    assert all(body is bodies[0] for body in bodies)  # one bytes object, not one per inbox


async def test_successes_are_recorded_together_not_row_by_row(setup: Setup) -> None:
    peer = FakePeer()
    activity_id = await setup.queue(*INBOXES)
    worker, deliveries, hosts = _counted_worker(setup, peer)
    await worker.run_until_idle()
    rows = await setup.repos.deliveries.for_activity(activity_id)
    assert [(row.state, row.attempts, row.last_status) for row in rows] == [("delivered", 1, 202)] * len(INBOXES)
    assert deliveries.calls.get("mark_delivered", 0) == 0
    assert deliveries.calls["mark_delivered_many"] == 1
    assert hosts.calls.get("record_success", 0) == hosts.calls.get("record_type_success", 0) == 0
    assert hosts.calls["record_successes"] == 1
    # Every server's state and per-type success are recorded as before.
    for inbox in INBOXES:
        state = await setup.repos.delivery_hosts.get(inbox.split("/")[2])
        assert state is not None and state.available and state.last_success_at == setup.clock.now
    # Its Create answered: a silence to an Update would be about Updates only.
    assert await setup.repos.delivery_hosts.answers_other_types(
        "s0.example", "Update", setup.clock.now - timedelta(days=1))


async def test_signature_schemes_are_read_once_per_scan(setup: Setup) -> None:
    peer = FakePeer()
    await setup.queue(*INBOXES)
    worker, _, hosts = _counted_worker(setup, peer)
    await worker.run_until_idle()
    assert hosts.calls.get("signature_scheme", 0) == 0
    assert hosts.calls["signature_schemes"] == 1
    assert peer.schemes == ["cavage"] * len(INBOXES)


async def test_a_delivered_row_stays_leased_until_recorded_and_stop_records_it(setup: Setup) -> None:
    peer = FakePeer()
    activity_id = await setup.queue()
    worker = setup.worker(peer)
    await worker.run_once()
    await worker.settle(record=False)  # the POST answered; its record waits for the next scan
    row = (await setup.repos.deliveries.for_activity(activity_id))[0]
    assert row.state == "sending"  # leased: a crash now sends it again, never loses it
    await worker.stop()
    row = (await setup.repos.deliveries.for_activity(activity_id))[0]
    assert (row.state, row.attempts) == ("delivered", 1)
    assert len(peer.posts) == 1


async def test_a_success_then_a_failure_count_in_that_order(setup: Setup) -> None:
    # Two deliveries to one server in flight together: the first answers, the
    # second finds it down. The failure must not be wiped by the earlier
    # success being written after it.
    peer = FakePeer(PostOutcome(202, None, None), PostOutcome(None, None, "refused"))
    await setup.queue(INBOXES[0])
    await setup.queue(INBOXES[0])
    await setup.worker(peer, concurrency_per_host=2).run_until_idle()
    state = await setup.repos.delivery_hosts.get("s0.example")
    assert state is not None and state.consecutive_failures == 1
