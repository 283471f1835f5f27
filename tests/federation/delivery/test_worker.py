"""The delivery worker against a real queue, with a fake clock and a fake peer:
back-off, Retry-After, final refusals, per-server caps, unavailable servers,
and a crash in the middle of a send."""
from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from fedchapter.actors import LocalActor, RemoteActor
from federation.delivery.worker import DeliveryWorker
from federation.local_actors import SigningKeys
from federation.outbound import Outbound
from federation.remote_actors import ActorDocumentError
from federation.safe_http import PostOutcome
from federation.signatures import SigningKey
from federation.urls import Urls
from storage.migrations import open_database
from storage.repositories import Repositories
from tests.support.clock import FakeClock
from tests.support.counting import Counting
from tests.support.instances import make_chapter_folder

PEER_INBOX = "https://peer.example/inbox"


class FakePeer:
    """Answers each POST with the next scripted outcome (the last one repeats)."""

    def __init__(self, *outcomes: PostOutcome, accepts: frozenset[str] = frozenset({"cavage", "rfc9421"}),
                 failing_type: tuple[str, PostOutcome] | None = None) -> None:
        self.outcomes = list(outcomes) or [PostOutcome(202, None, None)]
        self.posts: list[tuple[str, bytes, str]] = []
        self.accepts = accepts  # the signature schemes it verifies; 401 for the others
        self.failing_type = failing_type  # (activity type, its answer): a server that chokes on one kind
        self.schemes: list[str] = []
        self.timeline: list[tuple[datetime, str]] = []  # (when, activity type) of each accepted POST
        self.clock: FakeClock | None = None
        self.gate: asyncio.Event | None = None
        self.in_flight: dict[str, int] = {}
        self.most_in_flight: dict[str, int] = {}

    async def post_activity(self, inbox_url: str, body: bytes, key: SigningKey, *, scheme: str = "cavage") -> PostOutcome:
        self.schemes.append(scheme)
        if scheme not in self.accepts:
            return PostOutcome(401, None, "HTTP 401 unsupported signature")
        kind = json.loads(body)["type"]
        if self.clock is not None:
            self.timeline.append((self.clock.now, kind))
        if self.failing_type is not None and kind == self.failing_type[0]:
            self.posts.append((inbox_url, body, key.key_id))
            return self.failing_type[1]
        host = inbox_url.split("/")[2]
        self.in_flight[host] = self.in_flight.get(host, 0) + 1
        self.most_in_flight[host] = max(self.most_in_flight.get(host, 0), self.in_flight[host])
        try:
            if self.gate is not None:
                await self.gate.wait()
            self.posts.append((inbox_url, body, key.key_id))
            return self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        finally:
            self.in_flight[host] -= 1


class Setup:
    def __init__(self, repos: Repositories, urls: Urls, clock: FakeClock, actor: LocalActor) -> None:
        self.repos = repos
        self.urls = urls
        self.clock = clock
        self.actor = actor
        self.outbound = Outbound(
            database=repos.database, outbox=repos.outbox, deliveries=repos.deliveries,
            remote_actors=repos.remote_actors, blocks=repos.recent_blocks, urls=urls, clock=clock,
        )

    def worker(self, peer: FakePeer, **options: object) -> DeliveryWorker:
        settings: dict[str, object] = {"concurrency": 16, "concurrency_per_host": 4}
        settings.update(options)
        return DeliveryWorker(
            deliveries=self.repos.deliveries, hosts=self.repos.delivery_hosts, blocks=self.repos.recent_blocks,
            keys=SigningKeys(self.urls, self.repos.actors), poster=peer, actors=self.repos.remote_actors,  # type: ignore[arg-type]
            clock=self.clock, **settings,  # type: ignore[arg-type]
        )

    async def queue(self, *inboxes: str, type: str = "Create") -> str:
        activity = {"id": self.outbound.new_activity_id(), "type": type, "actor": self.urls.actor("london"),
                    "object": {"id": self.urls.absolute("/posts/1"), "type": "Note"}}
        await self.outbound.send(activity, self.actor, inboxes=inboxes or (PEER_INBOX,), public=True)
        return str(activity["id"])

    async def row(self, activity_id: str) -> object:
        rows = await self.repos.deliveries.for_activity(activity_id)
        assert len(rows) == 1
        return rows[0]


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    settings = await make_chapter_folder(tmp_path / "london")
    database = await open_database(settings.database_target)
    repos = Repositories.for_database(database)
    profile = await repos.chapter.get()
    assert profile is not None
    actor = await repos.actors.by_id(profile.actor_id)
    assert actor is not None
    try:
        yield Setup(repos, Urls(settings.base_url), FakeClock(), actor)
    finally:
        await database.close()


async def test_delivers_signed_as_the_sender(setup: Setup) -> None:
    peer = FakePeer()
    activity_id = await setup.queue()
    await setup.worker(peer).run_until_idle()
    row = await setup.row(activity_id)
    assert (row.state, row.attempts, row.last_status) == ("delivered", 1, 202)  # type: ignore[attr-defined]
    assert [(inbox, key_id) for inbox, _, key_id in peer.posts] == [(PEER_INBOX, setup.urls.actor("london") + "#main-key")]


async def test_back_off_then_success(setup: Setup) -> None:
    peer = FakePeer(PostOutcome(None, None, "refused"), PostOutcome(500, None, "HTTP 500"), PostOutcome(202, None, None))
    worker = setup.worker(peer)
    activity_id = await setup.queue()
    await worker.run_until_idle()
    row = await setup.row(activity_id)
    assert (row.state, row.attempts, row.last_error) == ("queued", 1, "refused")  # type: ignore[attr-defined]
    assert row.next_try_at - setup.clock.now <= timedelta(seconds=30)  # type: ignore[attr-defined]
    await worker.run_until_idle()
    assert len(peer.posts) == 1  # not due yet
    setup.clock.advance(timedelta(seconds=30))
    await worker.run_until_idle()
    row = await setup.row(activity_id)
    assert (row.state, row.attempts, row.last_status) == ("queued", 2, 500)  # type: ignore[attr-defined]
    assert timedelta(minutes=1) <= row.next_try_at - setup.clock.now <= timedelta(minutes=3)  # type: ignore[attr-defined]
    setup.clock.advance(timedelta(minutes=3))
    await worker.run_until_idle()
    assert (await setup.row(activity_id)).state == "delivered"  # type: ignore[attr-defined]


async def test_gives_up_after_about_three_days(setup: Setup) -> None:
    peer = FakePeer(PostOutcome(502, None, "HTTP 502"))
    worker = setup.worker(peer)
    activity_id = await setup.queue()
    for _ in range(40):
        await worker.run_until_idle()
        row = await setup.row(activity_id)
        if row.state != "queued":  # type: ignore[attr-defined]
            break
        setup.clock.now = row.next_try_at  # type: ignore[attr-defined]
    assert row.state == "failed" and "gave up" in row.last_error  # type: ignore[attr-defined]
    assert 8 <= len(peer.posts) <= 20


async def test_retry_after_on_429_and_503(setup: Setup) -> None:
    later = setup.clock.now + timedelta(minutes=45)
    peer = FakePeer(PostOutcome(429, later, "HTTP 429"), PostOutcome(202, None, None))
    worker = setup.worker(peer)
    activity_id = await setup.queue()
    await worker.run_until_idle()
    assert (await setup.row(activity_id)).next_try_at == later  # type: ignore[attr-defined]
    setup.clock.advance(timedelta(minutes=44))
    await worker.run_until_idle()
    assert len(peer.posts) == 1
    setup.clock.advance(timedelta(minutes=1))
    await worker.run_until_idle()
    assert (await setup.row(activity_id)).state == "delivered"  # type: ignore[attr-defined]


@pytest.mark.parametrize("status", [400, 403, 404, 410])
async def test_other_4xx_are_final(setup: Setup, status: int) -> None:
    peer = FakePeer(PostOutcome(status, None, f"HTTP {status}"))
    activity_id = await setup.queue()
    await setup.worker(peer).run_until_idle()
    row = await setup.row(activity_id)
    assert (row.state, row.attempts, row.last_status) == ("failed", 1, status)  # type: ignore[attr-defined]


async def test_concurrency_is_capped_per_server(setup: Setup) -> None:
    peer = FakePeer()
    peer.gate = asyncio.Event()
    worker = setup.worker(peer, concurrency_per_host=3)
    for number in range(10):
        await setup.queue(f"https://busy.example/users/{number}/inbox", f"https://calm.example/users/{number}/inbox")
    assert await worker.run_once() == 6
    async with asyncio.timeout(10):
        while sum(peer.in_flight.values()) < 6:
            await asyncio.sleep(0.01)
    assert await worker.run_once() == 0  # both servers are at their cap
    peer.gate.set()
    await worker.run_until_idle()
    assert peer.most_in_flight == {"busy.example": 3, "calm.example": 3}
    assert len(peer.posts) == 20


async def test_a_server_failing_on_seven_days_is_skipped_until_it_speaks(setup: Setup) -> None:
    peer = FakePeer(PostOutcome(None, None, "refused"))
    worker = setup.worker(peer)
    first = None
    for day in range(7):  # failures on each of seven days (Mastodon's rule): marked unavailable by time
        if day:
            setup.clock.advance(timedelta(hours=25))
        first = await setup.queue()  # a delivery outlives its 3-day window: new ones keep failing
        await worker.run_until_idle()
        host = await setup.repos.delivery_hosts.get("peer.example")
        assert host is not None and host.available == (day < 6)
    assert host is not None and host.failure_days == 7
    second = await setup.queue()
    posts_before = len(peer.posts)
    await worker.run_until_idle()
    assert len(peer.posts) == posts_before  # skipped while unavailable
    setup.clock.advance(timedelta(hours=6, minutes=1))
    await worker.run_until_idle()
    assert len(peer.posts) > posts_before  # probed now and then, in case it came back silently
    # An inbound activity from it restores it and releases its queue at once.
    assert await setup.repos.delivery_hosts.restore("peer.example", setup.clock.now)
    await setup.repos.deliveries.release_host("peer.example", setup.clock.now)
    peer.outcomes = [PostOutcome(202, None, None)]
    await worker.run_until_idle()
    assert (await setup.row(second)).state == "delivered"  # type: ignore[attr-defined]
    assert (await setup.row(first)).state in ("delivered", "failed")  # type: ignore[attr-defined]


async def test_many_failures_on_one_day_do_not_make_a_server_unavailable(setup: Setup) -> None:
    peer = FakePeer(PostOutcome(503, None, "HTTP 503"))
    worker = setup.worker(peer)
    for _ in range(30):
        await setup.queue()
    for _ in range(5):
        await worker.run_until_idle()
        setup.clock.advance(timedelta(minutes=30))
    host = await setup.repos.delivery_hosts.get("peer.example")
    assert host is not None and host.available and host.consecutive_failures >= 30


async def test_a_burst_of_failures_pauses_the_server_for_at_most_a_minute(setup: Setup) -> None:
    peer = FakePeer(PostOutcome(None, None, "refused"))
    worker = setup.worker(peer, concurrency_per_host=1)
    for _ in range(15):
        await setup.queue()
    await worker.run_until_idle()
    assert len(peer.posts) == 10  # then paused
    host = await setup.repos.delivery_hosts.get("peer.example")
    assert host is not None and host.paused_until is not None
    assert host.paused_until - setup.clock.now <= timedelta(minutes=1)
    setup.clock.advance(timedelta(minutes=1))
    await worker.run_until_idle()
    assert len(peer.posts) > 10


async def test_a_row_left_sending_by_a_crash_is_sent_again_after_its_lease(setup: Setup) -> None:
    activity_id = await setup.queue()
    row = await setup.row(activity_id)
    # A worker claimed it and died before recording the outcome.
    await setup.repos.deliveries.claim([row.id], lease_until=setup.clock.now + timedelta(minutes=5))  # type: ignore[attr-defined]
    peer = FakePeer()
    worker = setup.worker(peer)
    await worker.run_until_idle()
    assert peer.posts == []  # its lease still runs: another process may be sending it
    setup.clock.advance(timedelta(minutes=6))
    await worker.run_until_idle()
    await worker.run_until_idle()
    assert len(peer.posts) == 1 and (await setup.row(activity_id)).state == "delivered"  # type: ignore[attr-defined]


async def test_blocked_domains_are_not_delivered_to(setup: Setup) -> None:
    peer = FakePeer()
    activity_id = await setup.queue()
    await setup.repos.blocks.add("domain", "peer.example")
    await setup.worker(peer).run_until_idle()
    assert peer.posts == [] and (await setup.row(activity_id)).state == "failed"  # type: ignore[attr-defined]


async def test_the_worker_wakes_as_soon_as_something_is_queued(setup: Setup) -> None:
    peer = FakePeer()
    worker = setup.worker(peer, poll_interval=3600.0)
    setup.outbound.on_queued = worker.wake
    task = asyncio.create_task(worker.run())
    try:
        await asyncio.sleep(0)
        activity_id = await setup.queue()
        async with asyncio.timeout(10):
            while (await setup.row(activity_id)).state != "delivered":  # type: ignore[attr-defined]
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


class Directory:
    """Resolves recipients the outbox did not know yet."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known

    async def get(self, actor_id: str, *, refresh: bool = False) -> RemoteActor:
        if actor_id not in self.known:
            raise ActorDocumentError(f"{actor_id} is not an actor")
        return RemoteActor(id=actor_id, type="Person", inbox=self.known[actor_id], public_key_id=actor_id + "#k",
                           public_key_pem="", fetched_at=datetime.now().astimezone())


async def test_unknown_recipients_are_resolved_at_send_time(setup: Setup) -> None:
    peer = FakePeer()
    activity = {"id": setup.outbound.new_activity_id(), "type": "Update", "actor": setup.urls.actor("london")}
    await setup.outbound.send(activity, setup.actor, ["https://peer.example/users/ana", "https://peer.example/tags"])
    worker = setup.worker(peer)
    worker.actors = Directory({"https://peer.example/users/ana": "https://peer.example/users/ana/inbox"})
    await worker.run_until_idle()
    rows = {row.recipient_actor_id: row for row in await setup.repos.deliveries.for_activity(str(activity["id"]))}
    assert rows["https://peer.example/users/ana"].state == "delivered"
    assert rows["https://peer.example/tags"].state == "failed"  # not an actor: no point retrying
    assert [inbox for inbox, _, _ in peer.posts] == ["https://peer.example/users/ana/inbox"]


# Back-off holds against a server that fails one activity (issue 14.6) ---------------


async def test_a_peer_that_500s_one_activity_keeps_its_back_off_schedule(setup: Setup) -> None:
    """Successes of other activities to the same server must not release the failing
    one: its tries follow RETRY_DELAYS, and the server is never counted unavailable."""
    from federation.delivery.policy import RETRY_DELAYS

    peer = FakePeer(failing_type=("Update", PostOutcome(500, None, "HTTP 500")))
    peer.clock = setup.clock
    worker = setup.worker(peer)
    start = setup.clock.now
    update = await setup.queue(type="Update")
    await worker.run_until_idle()
    # Every 5 seconds for an hour, something else is delivered to the same server.
    for _ in range(720):
        setup.clock.advance(timedelta(seconds=5))
        await setup.queue(type="Create")
        await worker.run_until_idle()
    tries = [moment - start for moment, kind in peer.timeline if kind == "Update"]
    expected = [timedelta(0)]
    for delay in RETRY_DELAYS[:4]:  # 20 s, 2 min, 10 min, 30 min (and the next is after the hour)
        expected.append(expected[-1] + delay)
    # Each try happens at its scheduled time, give or take the 5-second step of the test.
    assert len(tries) == len(expected), tries
    for tried, scheduled in zip(tries, expected):
        assert scheduled <= tried < scheduled + timedelta(seconds=5)
    host = await setup.repos.delivery_hosts.get("peer.example")
    assert host is not None and host.available and host.failure_days == 0
    row = await setup.row(update)
    assert (row.state, row.attempts, row.last_status) == ("queued", 5, 500)  # type: ignore[attr-defined]


async def test_restoring_a_server_releases_only_what_waited_because_it_was_down(setup: Setup) -> None:
    peer = FakePeer(PostOutcome(None, None, "refused"))
    worker = setup.worker(peer)
    down = await setup.queue()
    await worker.run_until_idle()  # no answer: waits because the server is down
    peer.failing_type = ("Update", PostOutcome(500, None, "HTTP 500"))
    peer.outcomes = [PostOutcome(202, None, None)]
    own = await setup.queue(type="Update")
    await worker.run_until_idle()  # answered 500: its own problem
    assert await setup.repos.delivery_hosts.restore("peer.example", setup.clock.now)
    released = await setup.repos.deliveries.release_host("peer.example", setup.clock.now)
    assert released == 1
    assert (await setup.row(down)).next_try_at == setup.clock.now  # type: ignore[attr-defined]
    assert (await setup.row(own)).next_try_at > setup.clock.now  # type: ignore[attr-defined]


# Double-knocking (issue 14.7) ---------------------------------------------------------


async def test_an_rfc9421_only_server_gets_the_second_knock_and_is_remembered(setup: Setup) -> None:
    peer = FakePeer(accepts=frozenset({"rfc9421"}))
    worker = setup.worker(peer)
    first = await setup.queue()
    await worker.run_until_idle()
    assert peer.schemes == ["cavage", "rfc9421"]  # draft-cavage first for a server we do not know
    assert (await setup.row(first)).state == "delivered"  # type: ignore[attr-defined]
    assert await setup.repos.delivery_hosts.signature_scheme("peer.example") == "rfc9421"
    await setup.queue()
    await worker.run_until_idle()
    assert peer.schemes == ["cavage", "rfc9421", "rfc9421"]  # remembered: one knock


async def test_a_server_that_stops_taking_rfc9421_gets_cavage_again(setup: Setup) -> None:
    await setup.repos.delivery_hosts.remember_signature_scheme("peer.example", "rfc9421")
    peer = FakePeer(accepts=frozenset({"cavage"}))
    worker = setup.worker(peer)
    activity = await setup.queue()
    await worker.run_until_idle()
    assert peer.schemes == ["rfc9421", "cavage"]
    assert (await setup.row(activity)).state == "delivered"  # type: ignore[attr-defined]
    assert await setup.repos.delivery_hosts.signature_scheme("peer.example") == "cavage"


async def test_unknown_servers_get_draft_cavage_once(setup: Setup) -> None:
    peer = FakePeer()
    await setup.queue()
    await setup.worker(peer).run_until_idle()
    assert peer.schemes == ["cavage"]


# Leases of a dead worker (issue 13.8) ------------------------------------------------


async def test_rows_of_a_killed_worker_on_this_host_are_taken_back_at_start(setup: Setup) -> None:
    import socket
    import subprocess
    import sys

    from federation.leases import is_gone

    # A real process that has exited: its pid is free (as after kill -9).
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead = f"{socket.gethostname()}:{int(finished.stdout)}"
    assert is_gone(dead)
    mine, elsewhere = await setup.queue(), await setup.queue("https://other.example/inbox")
    lease = setup.clock.now + timedelta(minutes=5)
    await setup.repos.deliveries.claim([(await setup.row(mine)).id], lease_until=lease, owner=dead)  # type: ignore[attr-defined]
    await setup.repos.deliveries.claim([(await setup.row(elsewhere)).id], lease_until=lease,  # type: ignore[attr-defined]
                                       owner="another-host:1")
    peer = FakePeer()
    worker = setup.worker(peer)
    assert await worker.reclaim_dead_leases() == 1
    await worker.run_until_idle()
    assert (await setup.row(mine)).state == "delivered"  # type: ignore[attr-defined]
    # Another host's process cannot be seen from here: its lease is respected.
    assert (await setup.row(elsewhere)).state == "sending"  # type: ignore[attr-defined]
    assert not is_gone(worker.identity)


async def test_stale_leases_are_looked_for_once_a_minute_not_at_every_scan(setup: Setup) -> None:
    counted = Counting(setup.repos.deliveries)
    worker = setup.worker(FakePeer())
    worker.deliveries = counted  # type: ignore[assignment]
    for _ in range(3):
        await setup.queue()
        await worker.run_until_idle()
    assert counted.calls["release_stale_leases"] == 1
    setup.clock.advance(timedelta(minutes=1))
    await worker.run_once()
    assert counted.calls["release_stale_leases"] == 2
