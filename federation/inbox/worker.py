"""The inbox worker: processes stored activities through the dispatch table.

Rows are claimed with a lease (several processes may share the database; a
crashed worker's rows come back), recorded with its holder ("hostname:pid"):
a worker starting on the same host takes back at once the rows of a process
that no longer exists (kill -9) instead of waiting out their lease. Activities of one actor are processed in
the order received (a Follow before its Undo); different actors in parallel.
Nothing a peer sends can stop the worker: an unknown type is recorded as
'ignored', a handler's exception as 'failed' with the error. The outcomes of a
batch are written together when the batch ends (one statement per batch, not
per row); a worker stopped in between writes those it has before giving the
rest back.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from fedchapter.clock import utc_now
from fedchapter.queue_states import InboxState
from federation import leases
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.ports import InboxRowLike, InboxStore

log = logging.getLogger(__name__)

HANDLER_TIME_LIMIT = 120.0


class InboxWorker:
    def __init__(
        self,
        ctx: InboxContext,
        inbox: InboxStore,
        *,
        clock: Callable[[], datetime] = utc_now,
        poll_interval: float = 2.0,
        batch_size: int = 50,
        max_batch_size: int = 800,
        parallel_actors: int = 8,
        lease: timedelta = timedelta(minutes=5),
        between_batches: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.ctx = ctx
        # Awaited after each batch while a backlog is worked off: the delivery
        # worker's turn (DeliveryWorker.take_turn), so the Accepts and answers a
        # batch queued leave before the next batch, not after the whole backlog.
        self.between_batches = between_batches
        self.inbox = inbox
        self.clock = clock
        self.poll_interval = poll_interval
        self.batch_size = batch_size
        # Under a flood each full batch doubles the next, up to this: the
        # queue's round trips (claim, finish) are paid per batch, and with
        # small batches a worker sharing its process with a busy intake fell
        # behind until the intake had to answer 503.
        self.max_batch_size = max_batch_size
        self._grown_batch_size: int | None = None  # while a flood lasts
        self.lease = lease
        self._parallel = asyncio.Semaphore(parallel_actors)
        self._wake = asyncio.Event()
        # Rows claimed and not finished: given back at shutdown instead of
        # waiting for their lease to run out.
        self._held: set[int] = set()
        # Outcomes of the current batch not yet written: (row id, state, error).
        self._outcomes: list[tuple[int, str, str | None]] = []
        self.identity = leases.worker_identity()
        self.is_gone: Callable[[str], bool] = leases.is_gone

    def wake(self) -> None:
        self._wake.set()

    async def reclaim_dead_leases(self) -> int:
        """Queue again the rows of a worker on this host that died; return how many."""
        gone = [owner for owner in await self.inbox.lease_holders() if self.is_gone(owner)]
        released = await self.inbox.release_leases_of(gone)
        if released:
            log.info("inbox worker: took back %d rows from gone workers %s", released, gone)
        return released

    async def run(self) -> None:
        try:
            try:
                await self.reclaim_dead_leases()
            except Exception:  # a database hiccup here must not stop the inbox
                log.exception("inbox worker: could not take back dead workers' rows")
            await self._loop()
        finally:
            # Rows already processed are recorded, not processed again after a restart.
            await asyncio.shield(self._finish_batch())
            if self._held:
                await asyncio.shield(self.inbox.release(sorted(self._held)))
                self._held.clear()

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                while await self.run_once():
                    if self.between_batches is not None:
                        await self.between_batches()
            except Exception:
                log.exception("inbox worker: queue scan failed")
            try:
                async with asyncio.timeout(self.poll_interval):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def run_once(self) -> int:
        """Process one batch; return how many rows it held."""
        asked = self._grown_batch_size or self.batch_size
        rows = await self.inbox.claim(asked, now=self.clock(), lease=self.lease, owner=self.identity)
        self._grown_batch_size = min(asked * 2, self.max_batch_size) if len(rows) == asked else None
        self._held.update(row.id for row in rows)
        by_actor: dict[str, list[InboxRowLike]] = {}
        for row in rows:
            by_actor.setdefault(row.actor_id, []).append(row)
        try:
            await asyncio.gather(*(self._process_in_order(chain) for chain in by_actor.values()))
        finally:
            await self._finish_batch()
        return len(rows)

    async def _finish_batch(self) -> None:
        if not self._outcomes:
            return
        outcomes, self._outcomes = self._outcomes, []
        try:
            await self.inbox.finish_many(outcomes, now=self.clock())
        except BaseException:
            self._outcomes[:0] = outcomes
            raise
        self._held.difference_update(row_id for row_id, _, _ in outcomes)

    async def _process_in_order(self, rows: Sequence[InboxRowLike]) -> None:
        async with self._parallel:
            for row in rows:
                state, error = await self._outcome(row)
                self._outcomes.append((row.id, state, error))

    async def _outcome(self, row: InboxRowLike) -> tuple[str, str | None]:
        activity = ReceivedActivity(
            id=row.activity_id, type=row.type, actor=row.actor_id, payload=row.payload,
            local_actor_id=row.local_actor_id,
        )
        state, error = InboxState.DONE, None
        try:
            state, error = await self._handle(activity)
        except Exception as failure:  # recorded on the row; the worker goes on
            log.warning("inbox: %s %s failed: %s", activity.type, activity.id, failure, exc_info=True)
            state, error = InboxState.FAILED, f"{type(failure).__name__}: {failure}"[:1000]
        return state, error

    async def _handle(self, activity: ReceivedActivity) -> tuple[InboxState, str | None]:
        handler = self.ctx.dispatch.handler_for(activity.type)
        if handler is None:
            return InboxState.IGNORED, f"no handler for {activity.type}"
        if await self.ctx.stores.recent_blocks.is_blocked(activity.actor):
            return InboxState.IGNORED, "the actor is blocked"
        try:
            async with asyncio.timeout(HANDLER_TIME_LIMIT):
                await handler(self.ctx, activity)
        except Ignored as reason:
            return InboxState.IGNORED, str(reason)
        return InboxState.DONE, None
