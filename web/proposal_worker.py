"""The proposals' sweeper: closes proposals whose time is up and sends the
batched Update(Question) for counts that changed.

It sleeps until the next thing is due (a closing time, the end of a batch
interval), read from the database each time, so nothing is lost across a
restart: the dirty flag and the closing times are rows, not timers. A vote
wakes it, because it may bring the next deadline closer.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging

from fedchapter.services.proposals import ProposalService

log = logging.getLogger(__name__)

# Sleep at most this long, so a clock change or a row written by another
# process is noticed within minutes.
LONGEST_SLEEP = 300.0
# After an error, wait before trying again instead of spinning.
PAUSE_AFTER_ERROR = 30.0


class ProposalSweeper:
    def __init__(self, service: ProposalService) -> None:
        self.service = service
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    async def sweep(self) -> None:
        """One pass: close what is due, then flush the counts whose interval is over."""
        await self.service.close_due()
        await self.service.flush_counts()

    async def seconds_to_next(self) -> float:
        moment = await self.service.next_work_at()
        if moment is None:
            return LONGEST_SLEEP
        return max(0.0, min(LONGEST_SLEEP, (moment - self.service.clock()).total_seconds()))

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.sweep()
                delay = await self.seconds_to_next()
            except Exception:  # keep sweeping: one bad row must not stop every close
                log.exception("the proposals sweeper failed; trying again shortly")
                delay = PAUSE_AFTER_ERROR
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run(), name="fedchapter-proposals-sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
