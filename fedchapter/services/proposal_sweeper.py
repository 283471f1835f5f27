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
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fedchapter.services.proposals import ProposalService

log = logging.getLogger(__name__)

# Sleep at most this long, so a clock change or a row written by another
# process is noticed within minutes.
LONGEST_SLEEP = 300.0
# After an error, wait before trying again instead of spinning.
PAUSE_AFTER_ERROR = 30.0
OTHERS_SWEEPING_PAUSE = 5.0

# A job name -> a context manager yielding whether this process may run it now.
Exclusive = Callable[[str], AbstractAsyncContextManager[bool]]


class ProposalSweeper:
    def __init__(
        self, service: ProposalService, wake: asyncio.Event, *, exclusive: Exclusive | None = None
    ) -> None:
        """``wake`` is set by the service when counts change (built before both).
        ``exclusive`` lets one process at a time sweep when several share the
        database (PostgreSQL's advisory lock), so a proposal closes once."""
        self.service = service
        self._wake = wake
        self._exclusive = exclusive

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
                if self._exclusive is None:
                    await self.sweep()
                    delay = await self.seconds_to_next()
                else:
                    async with self._exclusive("proposals-sweeper") as ours:
                        if ours:
                            await self.sweep()
                    # Another process is sweeping: look again shortly, not at once.
                    delay = await self.seconds_to_next() if ours else OTHERS_SWEEPING_PAUSE
            except Exception:  # keep sweeping: one bad row must not stop every close
                log.exception("the proposals sweeper failed; trying again shortly")
                delay = PAUSE_AFTER_ERROR
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
