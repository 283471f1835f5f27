"""The outgoing-mail queue: services put messages in (``MailOutbox``), the
worker takes them out (``MailWorker``). Nothing is sent inside a web request:
a request only adds rows, in its own transaction, and wakes the worker.

Like the delivery queue, every state is a row: a message is 'queued' with a
due time, 'sending' under a lease, then 'sent' or 'failed'; a failure the
server calls temporary is tried again later, with back-off, for about a day.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.mail.messages import Sender, build_mail
from fedchapter.mail.model import OutgoingMail
from fedchapter.mail.transport import MailTransport, Outcome

log = logging.getLogger(__name__)

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
)
# Tries in all (the first and each retry): then the row is 'failed', for an admin to see.
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
LEASE = timedelta(minutes=5)
BATCH = 20
LONGEST_SLEEP = 60.0
PAUSE_AFTER_ERROR = 30.0


class MailStore(Protocol):
    async def enqueue(self, kind: str, recipient: str, subject: str, message: str, *, now: datetime) -> int: ...
    async def due(self, *, now: datetime, limit: int) -> list[OutgoingMail]: ...
    async def next_due_at(self) -> datetime | None: ...
    async def claim(self, mail_id: int, *, lease_until: datetime) -> bool: ...
    async def release_stale_leases(self, now: datetime) -> int: ...
    async def mark_sent(self, mail_id: int, now: datetime) -> None: ...
    async def schedule_retry(self, mail_id: int, *, next_try_at: datetime, error: str | None) -> None: ...
    async def mark_failed(self, mail_id: int, *, error: str | None) -> None: ...
    async def retry_now(self, mail_id: int, now: datetime) -> bool: ...
    async def get(self, mail_id: int) -> OutgoingMail | None: ...
    async def recent(self, limit: int) -> list[OutgoingMail]: ...
    async def counts(self) -> dict[str, int]: ...


def retry_delay(failures: int) -> timedelta:
    """The wait after the ``failures``-th failed attempt (1 for the first)."""
    return RETRY_DELAYS[min(failures, len(RETRY_DELAYS)) - 1]


class MailOutbox:
    """Where services put mail. ``wake`` tells this process's worker at once."""

    def __init__(
        self,
        store: MailStore,
        address: str,
        wake: asyncio.Event,
        *,
        sender_name: Callable[[], Awaitable[str]],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.address = address
        self._wake = wake
        # The chapter's name as it is now (admins rename chapters).
        self.sender_name = sender_name
        self.clock = clock

    async def put(
        self, kind: str, recipient: str, subject: str, text: str, html: str, *, unsubscribe_url: str | None = None
    ) -> int:
        now = self.clock()
        sender = Sender(await self.sender_name(), self.address)
        mail = build_mail(sender, recipient, subject, text, html, now=now, unsubscribe_url=unsubscribe_url)
        mail_id = await self.store.enqueue(kind, mail.recipient, mail.subject, mail.text, now=now)
        # Only a hint: if the caller's transaction is still open the worker
        # finds nothing yet, and the next poll picks the row up.
        self._wake.set()
        return mail_id

    # What admins see of the queue (/admin/mail) ------------------------------
    async def counts(self) -> dict[str, int]:
        return await self.store.counts()

    async def recent(self, limit: int) -> list[OutgoingMail]:
        return await self.store.recent(limit)

    async def get(self, mail_id: int) -> OutgoingMail | None:
        return await self.store.get(mail_id)

    async def retry_now(self, mail_id: int) -> bool:
        """A failed or waiting mail is tried again at once; False if there is none such."""
        retried = await self.store.retry_now(mail_id, self.clock())
        if retried:
            self._wake.set()
        return retried


class MailWorker:
    def __init__(
        self,
        store: MailStore,
        transport: MailTransport,
        sender_address: str,
        wake: asyncio.Event,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.transport = transport
        self.sender_address = sender_address
        self._wake = wake
        self.clock = clock

    def wake(self) -> None:
        self._wake.set()

    async def run_once(self) -> int:
        """Send what is due; the number of messages handled."""
        now = self.clock()
        await self.store.release_stale_leases(now)
        handled = 0
        for mail in await self.store.due(now=now, limit=BATCH):
            if not await self.store.claim(mail.id, lease_until=now + LEASE):
                continue  # another process took it
            await self._send(mail)
            handled += 1
        return handled

    async def _send(self, mail: OutgoingMail) -> None:
        result = await self.transport.send(mail.id, self.sender_address, mail.recipient, mail.message)
        now = self.clock()
        if result.outcome is Outcome.SENT:
            await self.store.mark_sent(mail.id, now)
            return
        attempts = mail.attempts + 1
        if result.outcome is Outcome.FINAL or attempts >= MAX_ATTEMPTS:
            log.warning("mail %s to %s failed for good: %s", mail.id, mail.recipient, result.error)
            await self.store.mark_failed(mail.id, error=result.error)
            return
        await self.store.schedule_retry(mail.id, next_try_at=now + retry_delay(attempts), error=result.error)

    async def seconds_to_next(self) -> float:
        moment = await self.store.next_due_at()
        if moment is None:
            return LONGEST_SLEEP
        return max(0.0, min(LONGEST_SLEEP, (moment - self.clock()).total_seconds()))

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                while await self.run_once() == BATCH:
                    pass
                delay = await self.seconds_to_next()
            except Exception:  # keep going: one bad row must not stop the mail
                log.exception("the mail worker failed; trying again shortly")
                delay = PAUSE_AFTER_ERROR
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
