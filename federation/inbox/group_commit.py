"""The inbox's group commit: the activities of POSTs that arrive together
are stored in one transaction, and each POST is answered 202 only once that
transaction has committed (nothing acknowledged is lost).

Storing one row is one trip to the database and one commit; under a flood
(a post that travels, a relay) most of a POST's cost. While one batch is
being written, the POSTs that arrive meanwhile wait and go in the next, so a
lone POST waits for nobody and a busy inbox writes in batches by itself.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from fedchapter.inbox_rows import InboxEntry

StoreMany = Callable[[Sequence[InboxEntry]], Awaitable[None]]
# A batch is written in one statement list; past this the next batch takes the rest.
MAX_BATCH = 500


class GroupCommit:
    def __init__(self, store_many: StoreMany, *, max_batch: int = MAX_BATCH) -> None:
        self._store_many = store_many
        self._max_batch = max_batch
        self._busy = False  # a write is under way: new arrivals wait for the next batch
        self._waiting: list[tuple[InboxEntry, asyncio.Future[None]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def store(self, received: InboxEntry) -> None:
        """Returns once ``received`` is committed; raises what storing it raised."""
        if self._busy:
            stored: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiting.append((received, stored))
            await stored
            return
        # Nothing under way: written at once, with no task or future to make.
        self._busy = True
        try:
            await self._store_many([received])
        finally:
            if self._waiting:
                self._drainer = asyncio.create_task(self._write_batches())
            else:
                self._busy = False

    async def _write_batches(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[:self._max_batch]
                del self._waiting[:self._max_batch]
                await self._write(batch)
        except BaseException as error:  # cancelled at shutdown: nobody is left waiting forever
            for _, stored in self._waiting:
                _fail(stored, error)
            self._waiting.clear()
            raise
        finally:
            self._busy = False
            self._drainer = None

    async def _write(self, batch: list[tuple[InboxEntry, asyncio.Future[None]]]) -> None:
        try:
            await self._store_many([received for received, _ in batch])
        except Exception as error:
            if len(batch) == 1:
                _fail(batch[0][1], error)
                return
            # One bad row must not fail the POSTs it happened to arrive with.
            for item in batch:
                await self._write([item])
            return
        except BaseException as error:
            for _, stored in batch:
                _fail(stored, error)
            raise
        for _, stored in batch:
            if not stored.done():
                stored.set_result(None)


def _fail(stored: asyncio.Future[None], error: BaseException) -> None:
    if not stored.done():
        stored.set_exception(error if isinstance(error, Exception) else RuntimeError("the inbox is shutting down"))
