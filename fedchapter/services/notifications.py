"""Notifications by mail, each kind as the member chose: sent at once, or
gathered into a daily digest.

A sweeper looks for what happened (a proposal opened, one closing within a
day that the member has not voted on, minutes circulated for approval, an
action item given to them, their RSVP confirmed or changed) rather than
being called by every service: it needs no change elsewhere, and what it
finds is recorded (one row per member and subject) before any mail is
queued, so a repeated sweep, a restart or a second process tells nothing twice.

A term of office with a planned end (``ends_on``) is announced to its holder
``TERM_ENDING_NOTICE`` before that day, once per term and end date.

Each mail is worded in its recipient's language (the one they last chose on
the site, else the chapter's): the wording below is marked with ``N_`` for
the catalog in web/locale, and the composition root hands in the catalogs.
"""
from __future__ import annotations

import asyncio
import gettext
import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from babel.dates import format_date

from fedchapter.clock import utc_now
from fedchapter.mail.kinds import MailKind
from fedchapter.mail.messages import html_page, link
from fedchapter.mail.model import Notification
from fedchapter.mail.wording import N_, Catalogs, english
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

# A term's holder hears this long before its planned end.
TERM_ENDING_NOTICE = timedelta(days=14)

_SUBJECTS = {
    MailKind.PROPOSAL_OPENED: N_("Open for votes: %(title)s"),
    MailKind.PROPOSAL_CLOSING: N_("Closing within 24 hours, you have not voted: %(title)s"),
    MailKind.MINUTES_FOR_APPROVAL: N_("Minutes for approval: %(title)s"),
    MailKind.ACTION_ASSIGNED: N_("An action item for you: %(title)s"),
    MailKind.ROLE_TERM_ENDING: N_("Your term as %(office)s ends on %(date)s"),
}
_RSVP_SUBJECTS = {
    False: N_("Your RSVP: %(title)s: %(status)s, confirmed"),
    True: N_("Your RSVP: %(title)s: %(status)s, waiting for the organisers"),
}
_RSVP_STATUSES = {"going": N_("going"), "interested": N_("interested"), "not-going": N_("not going")}
_OFFICES = {"secretary": N_("Secretary"), "facilitator": N_("Facilitator"), "admin": N_("Admin")}
_FOOTER_TEXT = N_("%(chapter)s. You chose to receive this; to stop, change your account's settings"
                  " or unsubscribe: %(url)s")
_FOOTER_HTML = N_("%(chapter)s. You chose to receive this.")
_UNSUBSCRIBE = N_("Unsubscribe")
_DIGEST_SUBJECT = N_("%(chapter)s: your daily digest (%(count)s)")
_DIGEST_FOOTER = N_("To stop these mails, unsubscribe: %(url)s")


def subject_of(notification: Notification, translations: gettext.NullTranslations, language: str) -> str:
    """What the notification says, in one line, in the catalog's language."""
    t = translations.gettext
    kind = MailKind(notification.kind)
    if kind is MailKind.RSVP_CHANGED:
        # subject_key: event id, status, pending (0/1), when (see `found`)
        _event, status, pending, _when = notification.subject_key.split(":", 3)
        words = t(_RSVP_STATUSES[status]) if status in _RSVP_STATUSES else status
        return t(_RSVP_SUBJECTS[pending == "1"]) % {"title": notification.title, "status": words}
    if kind is MailKind.ROLE_TERM_ENDING:
        # subject_key: office, term id, end date (see `found`)
        office, _term, ends_on = notification.subject_key.split(":", 2)
        when = format_date(date.fromisoformat(ends_on), "long", locale=language)
        return t(_SUBJECTS[kind]) % {"office": t(_OFFICES.get(office, office)), "date": when}
    return t(_SUBJECTS[kind]) % {"title": notification.title}


class NotificationSources(Protocol):
    async def proposals_opened(self, since: datetime) -> list[tuple[int, str, str]]: ...
    async def proposals_closing_unvoted(
        self, now: datetime, until: datetime, actor_prefix: str) -> list[tuple[int, str, str, str]]: ...
    async def minutes_circulated(self, since: datetime) -> list[tuple[int, str, str, int]]: ...
    async def actions_assigned(self, since: datetime) -> list[tuple[int, str, int, str, str]]: ...
    async def rsvps_changed(self, since: datetime) -> list[tuple[int, str, str, str, bool, str]]: ...
    async def role_terms_ending(self, first_day: str, last_day: str) -> list[tuple[int, int, str, str]]: ...


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
    # Where the chapter's offices and their holders are listed.
    offices: str
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
        translations: Catalogs = english,
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
        self.translations = translations

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
            Notification(user, MailKind.RSVP_CHANGED, f"{eid}:{status}:{int(pending)}:{at}", title, urls.event(eid))
            for user, eid, title, status, pending, at in await sources.rsvps_changed(since)
        ]
        # Told once per term and planned end (a term extended is told again).
        today = now.date()
        found += [
            Notification(user, MailKind.ROLE_TERM_ENDING, f"{office}:{term}:{ends_on}", office, urls.offices)
            for user, term, office, ends_on in await sources.role_terms_ending(
                today.isoformat(), (today + TERM_ENDING_NOTICE).isoformat())
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
                    language = await self.preferences.mail_language(notification.user_id)
                    await self._mail_one(address, notification, kind, language)
                    mailed += 1
        await self.send_digests(now)
        return mailed

    async def _mail_one(self, address: str, notification: Notification, kind: MailKind, language: str) -> None:
        name = await self.chapter_name()
        t = self.translations(language).gettext
        subject = subject_of(notification, self.translations(language), language)
        unsubscribe = self.unsubscribing.url(address, kind)
        footer = t(_FOOTER_TEXT) % {"chapter": name, "url": unsubscribe}
        text = f"{subject}\n\n{notification.url}\n\n-- \n{footer}\n"
        # The link names what it leads to: the proposal, the minutes, the event; an office, the subject.
        label = subject if kind is MailKind.ROLE_TERM_ENDING else notification.title
        page = html_page(subject, f"<p>{html.escape(subject)}</p><p>{link(notification.url, label)}</p>",
                         f"{html.escape(t(_FOOTER_HTML) % {'chapter': name})} {link(unsubscribe, t(_UNSUBSCRIBE))}",
                         language)
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
                await self._mail_digest(address, waiting, await self.preferences.mail_language(user_id))
                sent += 1
        return sent

    async def _mail_digest(self, address: str, waiting: list[Notification], language: str) -> None:
        name = await self.chapter_name()
        translations = self.translations(language)
        t = translations.gettext
        subject = t(_DIGEST_SUBJECT) % {"chapter": name, "count": len(waiting)}
        unsubscribe = self.unsubscribing.url(address, MailKind.DIGEST)
        said = [(subject_of(n, translations, language), n.url) for n in waiting]
        lines = [f"- {line}\n  {url}" for line, url in said]
        text = (f"{subject}\n\n" + "\n".join(lines) +
                f"\n\n-- \n{t(_DIGEST_FOOTER) % {'url': unsubscribe}}\n")
        items = "".join(f"<li>{link(url, line)}</li>" for line, url in said)
        page = html_page(subject, f"<h1>{html.escape(subject)}</h1><ul>{items}</ul>",
                         f"{html.escape(name)}. {link(unsubscribe, t(_UNSUBSCRIBE))}", language)
        await self.outbox.put(MailKind.DIGEST.value, address, subject, text, page, unsubscribe_url=unsubscribe)


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
