"""The background work of one process: the inbox worker, the delivery worker,
the proposals' sweeper, the mail worker, the notification sweeper and the
media sweeper, started together and stopped together.

Every one of them keeps its state in the database (leased rows, due times),
so any number of processes may run them on one database."""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fedchapter.services.mail_queue import MailWorker
from fedchapter.services.media_sweeper import MediaSweeper
from fedchapter.services.notifications import NotificationSweeper
from fedchapter.services.proposal_sweeper import ProposalSweeper
from federation.delivery.worker import DeliveryWorker
from federation.inbox.worker import InboxWorker


@dataclass
class BackgroundWorkers:
    inbox: InboxWorker
    delivery: DeliveryWorker
    sweeper: ProposalSweeper
    mail: MailWorker
    notifications: NotificationSweeper
    media: MediaSweeper
    # PostgreSQL: LISTEN for rows queued by other processes (web processes run
    # with --no-workers), so workers wake at once instead of at their next poll.
    listen: Callable[[], Awaitable[None]] | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        runs: dict[str, Callable[[], Awaitable[None]]] = {
            "fedchapter-inbox-worker": self.inbox.run,
            "fedchapter-delivery-worker": self.delivery.run,
            "fedchapter-proposals-sweeper": self.sweeper.run,
            "fedchapter-mail-worker": self.mail.run,
            "fedchapter-notifications": self.notifications.run,
            "fedchapter-media-sweeper": self.media.run,
        }
        if self.listen is not None:
            runs["fedchapter-queue-listener"] = self.listen
        self._tasks = [loop.create_task(run(), name=name) for name, run in runs.items()]  # type: ignore[arg-type]

    async def stop(self) -> None:
        # Cancel again until they end: on Python 3.11 a cancellation that lands
        # as an inner asyncio.wait_for completes is lost (psycopg_pool waits for
        # a connection that way), and the loop would sleep on instead of ending.
        pending = set(self._tasks)
        while pending:
            for task in pending:
                task.cancel()
            _, pending = await asyncio.wait(pending, timeout=1.0)
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
