"""The delivery worker: takes due rows from the queue and POSTs them, signed
at send time with the sending actor's key.

It wakes at once when something is queued in this process (``wake``), and
polls briefly only for rows queued by another process. Concurrency is capped
per server and overall. A row is marked 'sending' with a lease before its POST;
if the process dies the lease runs out and the row is sent again, so nothing
is lost, and in normal operation nothing is sent twice.

The work per delivery is kept to what differs per inbox: the body is encoded
once per activity (and its Digest computed once, ``signatures.body_digest``);
the signature covers the inbox's path and host, so it is made per inbox. The
servers' signature schemes are read once per queue scan, and successful
outcomes are written together at the next scan (``record_delivered``): a
delivered row stays leased until then, so a crash in between sends it again
(as a crash between a POST and its record always did), never loses it.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from fedchapter.actors import RemoteActor
from fedchapter.clock import utc_now
from federation import leases
from federation.delivery import policy
from federation.local_actors import SigningKeys
from federation.ports import BlockCheck, DeliveryHostStore, DeliveryRow, DeliveryStore
from federation.remote_actors import ActorDocumentError
from federation.safe_http import CAVAGE, RFC9421, PostOutcome
from federation.signatures import SigningKey

log = logging.getLogger(__name__)


class Poster(Protocol):
    async def post_activity(
        self, inbox_url: str, body: bytes, key: SigningKey, *, scheme: str = CAVAGE
    ) -> PostOutcome: ...


RECLAIM_EVERY = timedelta(seconds=10)
STALE_LEASES_EVERY = timedelta(minutes=1)
EXPIRE_EVERY = timedelta(minutes=1)
# The longest another worker waits in take_turn: a turn must never stall the inbox.
TURN_TIMEOUT_SECONDS = 1.0

# A refusal that may mean "not the signature scheme I verify": try the other one.
_KNOCK_AGAIN = frozenset({400, 401})
# Encoded bodies kept for the activities being delivered (a fan-out is one).
BODIES_REMEMBERED = 64
# Hosts whose signature scheme is kept between scans; the memory is dropped whole past this.
SCHEMES_REMEMBERED = 10_000


@dataclass(frozen=True)
class _Body:
    data: bytes  # the bytes POSTed to every inbox
    type: str  # the activity's type, the key of per-type silence


class ActorLookup(Protocol):
    async def get(self, actor_id: str, *, refresh: bool = False) -> RemoteActor: ...


class DeliveryWorker:
    def __init__(
        self,
        *,
        deliveries: DeliveryStore,
        hosts: DeliveryHostStore,
        blocks: BlockCheck,
        keys: SigningKeys,
        poster: Poster,
        actors: ActorLookup,
        concurrency: int,
        concurrency_per_host: int,
        clock: Callable[[], datetime] = utc_now,
        poll_interval: float = 2.0,
        lease: timedelta = timedelta(minutes=5),
    ) -> None:
        self.deliveries = deliveries
        self.hosts = hosts
        self.blocks = blocks
        self.keys = keys
        self.poster = poster
        self.actors = actors
        self.concurrency = concurrency
        self.concurrency_per_host = concurrency_per_host
        self.clock = clock
        self.poll_interval = poll_interval
        self.lease = lease
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight: Counter[str] = Counter()
        # When each periodic chore last ran (see _time_for).
        self._last_run: dict[str, datetime] = {}
        # Whether the last scan may have left due rows (it started some, or had
        # no room): then the next wake-up is a finished request, not a timer.
        self._more_may_be_due = False
        # Queue scans begun and finished by run(), so take_turn can wait for a whole one.
        self._scans_started = 0
        self._scans_finished = 0
        self._scanned = asyncio.Condition()
        self._running = False
        self._bodies: OrderedDict[str, _Body] = OrderedDict()
        self._schemes: dict[str, str | None] = {}  # host -> its scheme, refreshed by each scan
        # Deliveries that succeeded, recorded at the next scan: (row, status, when).
        self._delivered: list[tuple[DeliveryRow, int | None, datetime]] = []
        self.identity = leases.worker_identity()
        self.is_gone: Callable[[str], bool] = leases.is_gone

    def wake(self) -> None:
        """Something was queued (or a server came back): look at the queue now."""
        self._wake.set()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    async def take_turn(self, timeout: float = TURN_TIMEOUT_SECONDS) -> None:
        """Wake the worker and wait until a queue scan that began after this call
        has finished, so what was queued before it is on its way (as capacity
        allows). The inbox worker calls this between its batches: in a surge
        of Follows, the Accepts of one batch start before the next batch is
        processed, instead of waiting behind the whole backlog for the shared
        core and database. Returns at once when run() is not running here."""
        if not self._running:
            return
        wanted = self._scans_started + 1
        self.wake()
        # A timeout is fine: the turn is a courtesy, the inbox goes on either way.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout), self._scanned:
                await self._scanned.wait_for(lambda: self._scans_finished >= wanted)

    # The loop ---------------------------------------------------------------

    async def reclaim_dead_leases(self) -> int:
        """Take back at once the rows of a worker on this host that died (kill -9)
        instead of waiting out their lease; return how many."""
        gone = [owner for owner in await self.deliveries.lease_holders() if self.is_gone(owner)]
        released = await self.deliveries.release_leases_of(gone)
        if released:
            log.info("delivery worker: took back %d rows from gone workers %s", released, gone)
        return released

    async def run(self) -> None:
        await self.reclaim_dead_leases()
        await self.deliveries.release_stale_leases(self.clock())
        self._running = True
        try:
            await self._loop()
        finally:
            self._running = False

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            self._scans_started += 1
            try:
                await self.run_once()
            except Exception:  # a database hiccup must not end delivery for good
                log.exception("delivery worker: queue scan failed")
            async with self._scanned:
                self._scans_finished += 1
                self._scanned.notify_all()
            try:
                async with asyncio.timeout(await self._sleep_seconds()):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def _sleep_seconds(self) -> float:
        if self._more_may_be_due:
            # Requests in flight: each one that finishes wakes us to scan again.
            return self.poll_interval
        next_due = await self.deliveries.next_due_at()
        if next_due is None:
            return self.poll_interval
        seconds = (next_due - self.clock()).total_seconds()
        # Rows already due were left for lack of capacity: a finished request wakes us.
        return self.poll_interval if seconds <= 0 else min(self.poll_interval, seconds)

    async def stop(self) -> None:
        """Let the requests in flight finish (each is bounded by the client's timeout)
        and record their outcomes."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.record_delivered()

    async def run_once(self) -> int:
        """Start sending every due row there is capacity for; return how many started."""
        await self.record_delivered()
        now = self.clock()
        # Leases last minutes: a dead holder's rows wait for theirs to end in
        # any case, so a look once a minute (not an UPDATE at every scan) is enough.
        if self._time_for("stale leases", now, STALE_LEASES_EVERY):
            await self.deliveries.release_stale_leases(now)
        # A sibling process on this host killed with -9 (many workers on one
        # machine): its rows go back to the queue within seconds, not a lease.
        if self._time_for("dead holders", now, RECLAIM_EVERY):
            await self.reclaim_dead_leases()
        # Rows held for an unavailable server still give up when their window closes.
        if self._time_for("expiry", now, EXPIRE_EVERY):
            await self.deliveries.expire(created_before=now - policy.RETRY_WINDOW, now=now)
        free = self.concurrency - len(self._tasks)
        if free <= 0:
            self._more_may_be_due = True
            return 0

        def choose(candidates: list[DeliveryRow]) -> list[DeliveryRow]:
            chosen: list[DeliveryRow] = []
            planned: Counter[str] = Counter()
            for row in candidates:
                if len(chosen) >= free:
                    break
                if self._in_flight[row.host] + planned[row.host] >= self.concurrency_per_host:
                    continue
                planned[row.host] += 1
                chosen.append(row)
            return chosen

        # Read, choose and claim in one transaction: on PostgreSQL other
        # processes' workers skip the rows locked here (SKIP LOCKED).
        claimed = await self.deliveries.take_due(
            now=now, probe_before=now - policy.PROBE_UNAVAILABLE_EVERY, limit=free * 4 + 100,
            choose=choose, lease_until=now + self.lease, owner=self.identity,
        )
        if claimed:
            await self._learn_schemes({row.host for row in claimed})
        for row in claimed:
            self._start(row)
        self._more_may_be_due = bool(claimed)
        return len(claimed)

    def _time_for(self, chore: str, now: datetime, every: timedelta) -> bool:
        """True at most once per ``every`` for ``chore`` (and at once if the clock went back)."""
        last = self._last_run.get(chore)
        if last is not None and timedelta(0) <= now - last < every:
            return False
        self._last_run[chore] = now
        return True

    async def _learn_schemes(self, hosts: set[str]) -> None:
        """One query for the scan's hosts instead of one per delivery."""
        if len(self._schemes) >= SCHEMES_REMEMBERED:
            self._schemes.clear()
        self._schemes.update(await self.hosts.signature_schemes(hosts))

    async def record_delivered(self) -> None:
        """Write the successes gathered since the last call: the rows, their hosts'
        state and the per-type successes, a few statements for all of them."""
        if not self._delivered:
            return
        batch, self._delivered = self._delivered, []
        try:
            await self.deliveries.mark_delivered_many(
                [(row.id, status, when, row.attempts) for row, status, when in batch], owner=self.identity
            )
            now = max(when for _, _, when in batch)
            came_back = await self.hosts.record_successes(
                [(row.host, self._body(row).type) for row, _, _ in batch], now
            )
        except BaseException:
            self._delivered[:0] = batch  # the rows stay leased: try again at the next scan
            raise
        # Servers that came back: send at once what waited because they were down;
        # rows that failed for their own reasons (a 500 to that activity) keep
        # their back-off.
        for host in sorted(came_back):
            await self.deliveries.release_host(host, now)
        if came_back:
            self._wake.set()

    async def settle(self, *, record: bool = True) -> None:
        """Wait for the requests started so far and (unless told not to) record
        them (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        if record:
            await self.record_delivered()

    async def run_until_idle(self) -> None:
        """Send everything due now, including rows freed by finished requests (tests)."""
        while await self.run_once() or self._tasks:
            await self.settle()

    def _body(self, row: DeliveryRow) -> _Body:
        """The activity's bytes and type, made once per activity, not per inbox."""
        body = self._bodies.get(row.activity_id)
        if body is None:
            body = self._bodies[row.activity_id] = _Body(row.payload.encode("utf-8"), _activity_type(row.payload))
            if len(self._bodies) > BODIES_REMEMBERED:
                self._bodies.popitem(last=False)
        else:
            self._bodies.move_to_end(row.activity_id)
        return body

    def _hold(self, row: DeliveryRow) -> tuple[str, int]:
        """This worker's claim on the row: its outcome counts only while it holds it."""
        return (self.identity, row.attempts)

    def _start(self, row: DeliveryRow) -> None:
        self._in_flight[row.host] += 1
        task = asyncio.get_running_loop().create_task(self._deliver(row))
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._finished(done, row.host))

    def _finished(self, task: asyncio.Task[None], host: str) -> None:
        self._tasks.discard(task)
        self._in_flight[host] -= 1
        if self._in_flight[host] <= 0:
            del self._in_flight[host]
        self._wake.set()  # capacity is free again

    # One delivery -----------------------------------------------------------

    async def _deliver(self, row: DeliveryRow) -> None:
        try:
            if await self.blocks.is_domain_blocked(row.host) or (
                row.recipient_actor_id is not None and await self.blocks.is_blocked(row.recipient_actor_id)
            ):
                await self.deliveries.mark_failed(
                    row.id, held=self._hold(row), status=None, error="recipient is blocked", now=self.clock(),
                    attempted=False,
                )
                return
            inbox = row.inbox or await self._resolve_inbox(row)
            if inbox is None:
                return
            key = await self.keys.for_actor(row.local_actor_id)
            outcome = await self._post_double_knocking(row, inbox, key)
            await self._record(row, outcome)
        except Exception as error:  # never lose the row: retry it like a network failure
            log.exception("delivery %s to %s failed unexpectedly", row.activity_id, row.host)
            try:
                await self._record(row, PostOutcome(None, None, f"{type(error).__name__}: {error}"))
            except Exception:
                log.exception("delivery %s: could not record the failure; the lease will requeue it", row.id)

    async def _post_double_knocking(self, row: DeliveryRow, inbox: str, key: SigningKey) -> PostOutcome:
        """POST signed with the scheme the server last accepted (draft-cavage for a
        server we do not know); on a 400/401 try the other scheme once and, if it
        works, remember it for the server. Mastodon before 4.5 verifies only
        draft-cavage; Fedify and Mastodon 4.5 verify RFC 9421 too."""
        body = self._body(row).data
        if row.host in self._schemes:
            scheme = self._schemes[row.host] or CAVAGE
        else:
            scheme = await self.hosts.signature_scheme(row.host) or CAVAGE
        outcome = await self.poster.post_activity(inbox, body, key, scheme=scheme)
        if outcome.status not in _KNOCK_AGAIN:
            return outcome
        other = RFC9421 if scheme == CAVAGE else CAVAGE
        second = await self.poster.post_activity(inbox, body, key, scheme=other)
        if second.status is not None and 200 <= second.status < 300:
            await self.hosts.remember_signature_scheme(row.host, other)
            self._schemes[row.host] = other
            return second
        return outcome  # both refused: the answer to the scheme it prefers is the one to keep

    async def _resolve_inbox(self, row: DeliveryRow) -> str | None:
        assert row.recipient_actor_id is not None
        try:
            actor = await self.actors.get(row.recipient_actor_id)
        except ActorDocumentError as error:  # not an actor at all: retrying will not help
            await self.deliveries.mark_failed(
                row.id, held=self._hold(row), status=None, error=f"recipient is not an actor: {error}",
                now=self.clock(), attempted=False,
            )
            return None
        except Exception as error:
            await self._record(row, PostOutcome(None, None, f"cannot resolve the recipient: {error}"))
            return None
        await self.deliveries.set_inbox(row.id, actor.delivery_inbox)
        return actor.delivery_inbox

    async def _record(self, row: DeliveryRow, outcome: PostOutcome) -> None:
        now = self.clock()
        verdict = policy.judge(outcome)
        if verdict is policy.Verdict.DELIVERED:
            self._delivered.append((row, outcome.status, now))  # recorded at the next scan
            return
        # The successes before this failure come first, as they happened (a host's
        # failure count must not be reset by an earlier success recorded later).
        await self.record_delivered()
        if verdict is policy.Verdict.FINAL:
            await self.deliveries.mark_failed(
                row.id, held=self._hold(row), status=outcome.status, error=outcome.error, now=now
            )
            return
        if policy.counts_against_host(outcome) and not await self.hosts.answers_other_types(
            row.host, self._body(row).type, now - policy.TYPE_SILENCE_WINDOW
        ):
            await self.hosts.record_failure(
                row.host, now,
                unavailable_after_days=policy.UNAVAILABLE_AFTER_DAYS,
                pause_after_failures=policy.PAUSE_AFTER_FAILURES,
                pause=policy.PAUSE,
            )
        # Retry-After is the server asking for a pause: honoured on 429 and 503.
        retry_after = outcome.retry_after if outcome.status in (429, 503) else None
        moment = policy.next_attempt(
            created_at=row.created_at, failures=row.attempts + 1, now=now, retry_after=retry_after
        )
        if moment is None:
            await self.deliveries.mark_failed(
                row.id, held=self._hold(row), status=outcome.status, error=f"gave up: {outcome.error}", now=now
            )
        else:
            await self.deliveries.schedule_retry(
                row.id, held=self._hold(row), next_try_at=moment, status=outcome.status, error=outcome.error
            )


def _activity_type(payload: str) -> str:
    """The delivered activity's type ("Update"), the key of per-type silence."""
    try:
        kind = json.loads(payload).get("type")
    except (ValueError, AttributeError):
        return ""
    return kind if isinstance(kind, str) else ""
