"""Notifications by mail, each kind as the member chose: sent at once, or
gathered into a daily digest.

A sweeper looks for what happened (a proposal opened, one closing within a
day that the member has not voted on, minutes circulated for approval, an
action item given to them, their RSVP confirmed or changed) rather than
being called by every service: it needs no change elsewhere, and what it
finds is recorded (one row per member and subject) before any mail is
queued, so a repeated sweep, a restart or a second process tells nothing twice.

Role terms have no planned end in the data model yet, so "a role term
ending" cannot be found and is not sent.
"""
from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.mail.kinds import MailKind
from fedchapter.mail.messages import html_page, link
from fedchapter.mail.model import Notification
from fedchapter.publishing import UnitOfWork
from fedchapter.services.mail_preferences import MailPreferenceService
from fedchapter.services.mail_queue import MailOutbox
from fedchapter.services.unsubscribing import Unsubscribing

log = logging.getLogger(__name__)

# How far back a sweep looks: a notification older than this is no news.
LOOKBACK = timedelta(days=2)
CLOSING_WITHIN = timedelta(hours=24)
DIGEST_EVERY = timedelta(days=1)
SWEEP_EVERY = 300.0
PAUSE_AFTER_ERROR = 60.0

_SUBJECTS = {
    MailKind.PROPOSAL_OPENED: "Open for votes: {title}",
    MailKind.PROPOSAL_CLOSING: "Closing within 24 hours, you have not voted: {title}",
    MailKind.MINUTES_FOR_APPROVAL: "Minutes for approval: {title}",
    MailKind.ACTION_ASSIGNED: "An action item for you: {title}",
    MailKind.RSVP_CHANGED: "Your RSVP: {title}",
}


class NotificationSources(Protocol):
    async def proposals_opened(self, since: datetime) -> list[tuple[int, str, str]]: ...
    async def proposals_closing_unvoted(
        self, now: datetime, until: datetime, actor_prefix: str) -> list[tuple[int, str, str, str]]: ...
    async def minutes_circulated(self, since: datetime) -> list[tuple[int, str, str, int]]: ...
    async def actions_assigned(self, since: datetime) -> list[tuple[int, str, int, str, str]]: ...
    async def rsvps_changed(self, since: datetime) -> list[tuple[int, str, str, str, bool, str]]: ...


class NotificationStore(Protocol):
    async def record(self, notification: Notification, *, waiting: bool, now: datetime) -> bool: ...
    async def digest_due(self, oldest_before: datetime) -> list[int]: ...
    async def waiting(self, user_id: int) -> list[Notification]: ...
    async def mark_digested(self, user_id: int) -> None: ...


class AddressBook(Protocol):
    async def of_user(self, user_id: int) -> str | None: ...


@dataclass(frozen=True)
class NotificationUrls:
    proposal: Callable[[str], str]
    minutes: Callable[[str], str]
    event: Callable[[str], str]
    # Voters are recorded by actor id: this prefix and the username.
    actor_prefix: str


class NotificationService:
    def __init__(
        self,
        sources: NotificationSources,
        store: NotificationStore,
        addresses: AddressBook,
        preferences: MailPreferenceService,
        unsubscribing: Unsubscribing,
        outbox: MailOutbox,
        unit_of_work: UnitOfWork,
        urls: NotificationUrls,
        *,
        chapter_name: Callable[[], Awaitable[str]],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.sources = sources
        self.store = store
        self.addresses = addresses
        self.preferences = preferences
        self.unsubscribing = unsubscribing
        self.outbox = outbox
        self.unit_of_work = unit_of_work
        self.urls = urls
        self.chapter_name = chapter_name
        self.clock = clock

    async def found(self, now: datetime) -> list[Notification]:
        since = now - LOOKBACK
        sources, urls = self.sources, self.urls
        found = [
            Notification(user, MailKind.PROPOSAL_OPENED, pid, title, urls.proposal(pid))
            for user, pid, title in await sources.proposals_opened(since)
        ]
        found += [
            Notification(user, MailKind.PROPOSAL_CLOSING, f"{pid}@{closes}", title, urls.proposal(pid))
            for user, pid, title, closes in await sources.proposals_closing_unvoted(
                now, now + CLOSING_WITHIN, urls.actor_prefix)
        ]
        found += [
            Notification(user, MailKind.MINUTES_FOR_APPROVAL, f"{mid}#{revision}", title, urls.minutes(mid))
            for user, mid, title, revision in await sources.minutes_circulated(since)
        ]
        found += [
            Notification(user, MailKind.ACTION_ASSIGNED, f"{mid}#{position}", f"{item} ({title})", urls.minutes(mid))
            for user, mid, position, item, title in await sources.actions_assigned(since)
        ]
        found += [
            Notification(user, MailKind.RSVP_CHANGED, f"{eid}:{status}:{int(pending)}:{at}",
                         f"{title}: {_rsvp_words(status, pending)}", urls.event(eid))
            for user, eid, title, status, pending, at in await sources.rsvps_changed(since)
        ]
        return found

    async def sweep(self) -> int:
        """Record what is new and mail it (or keep it for the digest); the number mailed at once."""
        now = self.clock()
        mailed = 0
        for notification in await self.found(now):
            kind = MailKind(notification.kind)
            wanted = await self.preferences.wants(notification.user_id, kind)
            digest = wanted and await self.preferences.wants(notification.user_id, MailKind.DIGEST)
            async with self.unit_of_work.transaction():
                # Recorded even when not wanted: turning a kind on later does not
                # bring a flood of old news.
                if not await self.store.record(notification, waiting=digest, now=now) or not wanted or digest:
                    continue
                address = await self.addresses.of_user(notification.user_id)
                if address is not None:
                    await self._mail_one(address, notification, kind)
                    mailed += 1
        await self.send_digests(now)
        return mailed

    async def _mail_one(self, address: str, notification: Notification, kind: MailKind) -> None:
        name = await self.chapter_name()
        subject = _SUBJECTS[kind].format(title=notification.title)
        unsubscribe = self.unsubscribing.url(address, kind)
        text = (f"{subject}\n\n{notification.url}\n\n-- \n{name}. You chose to receive this;"
                f" to stop, change your account's settings or unsubscribe: {unsubscribe}\n")
        page = html_page(subject, f"<p>{html.escape(subject)}</p><p>{link(notification.url, notification.title)}</p>",
                         f"{html.escape(name)}. You chose to receive this. {link(unsubscribe, 'Unsubscribe')}")
        await self.outbox.put(kind.value, address, subject, text, page, unsubscribe_url=unsubscribe)

    async def send_digests(self, now: datetime) -> int:
        sent = 0
        for user_id in await self.store.digest_due(now - DIGEST_EVERY):
            async with self.unit_of_work.transaction():
                waiting = await self.store.waiting(user_id)
                address = await self.addresses.of_user(user_id)
                await self.store.mark_digested(user_id)
                if not waiting or address is None:
                    continue
                await self._mail_digest(address, waiting)
                sent += 1
        return sent

    async def _mail_digest(self, address: str, waiting: list[Notification]) -> None:
        name = await self.chapter_name()
        subject = f"{name}: your daily digest ({len(waiting)})"
        unsubscribe = self.unsubscribing.url(address, MailKind.DIGEST)
        lines = [f"- {_SUBJECTS[MailKind(n.kind)].format(title=n.title)}\n  {n.url}" for n in waiting]
        text = (f"{subject}\n\n" + "\n".join(lines) +
                f"\n\n-- \nTo stop these mails, unsubscribe: {unsubscribe}\n")
        items = "".join(
            f"<li>{link(n.url, _SUBJECTS[MailKind(n.kind)].format(title=n.title))}</li>" for n in waiting
        )
        page = html_page(subject, f"<h1>{html.escape(subject)}</h1><ul>{items}</ul>",
                         f"{html.escape(name)}. {link(unsubscribe, 'Unsubscribe')}")
        await self.outbox.put(MailKind.DIGEST.value, address, subject, text, page, unsubscribe_url=unsubscribe)


def _rsvp_words(status: str, pending: bool) -> str:
    if pending:
        return f"{status}, waiting for the organisers"
    return f"{status}, confirmed"


class NotificationSweeper:
    def __init__(self, service: NotificationService, every: float = SWEEP_EVERY) -> None:
        self.service = service
        self.every = every

    async def run(self) -> None:
        while True:
            delay = self.every
            try:
                await self.service.sweep()
            except Exception:  # keep going: one bad row must not stop every notification
                log.exception("the notification sweep failed; trying again shortly")
                delay = PAUSE_AFTER_ERROR
            await asyncio.sleep(delay)
