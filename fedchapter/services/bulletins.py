"""Bulletins: the secretary writes one in Markdown, previews it, and sends it
to the chapter's members and supporters and to everyone who subscribed.

Sending publishes it as a public news post, in the same transaction as the
queued mails: the archive page, the federated Article and the Atom feed come
with it, and a failed send leaves neither a post nor half the mails.
Subscribing takes two steps (double opt-in): the address is used only once
its owner followed the link mailed to it.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from fedchapter import input as fields
from fedchapter.clock import utc_now
from fedchapter.errors import Conflict, NotFound
from fedchapter.mail.addresses import check_address, same_address
from fedchapter.mail.bulletin_wording import bulletin_mail, subscription_mail
from fedchapter.mail.kinds import MailKind
from fedchapter.mail.model import Bulletin, BulletinState, Recipient, TokenPurpose
from fedchapter.mail.wording import Catalogs, english
from fedchapter.posts import MAX_BODY, MAX_TITLE, Post, PostContent
from fedchapter.publishing import UnitOfWork
from fedchapter.services.account_mail import InvalidLink, TokenStore
from fedchapter.services.mail_preferences import MailPreferenceService
from fedchapter.services.mail_queue import MailOutbox
from fedchapter.services.unsubscribing import Unsubscribing
from fedchapter.text import render_markdown
from fedchapter.tokens import new_short_id, new_token, token_hash

SUBSCRIBE_LIFETIME = timedelta(days=7)
MAX_CONFIRMATIONS_PER_DAY = 3


class BulletinStore(Protocol):
    async def add(self, bulletin: Bulletin) -> None: ...
    async def get(self, bulletin_id: str) -> Bulletin | None: ...
    async def edit_draft(self, bulletin_id: str, title: str, body: str) -> bool: ...
    async def mark_sent(self, bulletin_id: str, *, post_id: str, recipients: int, now: datetime) -> bool: ...
    async def drafts(self) -> list[Bulletin]: ...
    async def sent(self, limit: int, offset: int = 0) -> list[Bulletin]: ...
    async def account_recipients(self) -> list[Recipient]: ...


class SubscriberStore(Protocol):
    async def state_of(self, address: str) -> str | None: ...
    async def add_pending(self, address: str, now: datetime) -> None: ...
    async def activate(self, address: str, now: datetime) -> None: ...
    async def active(self) -> list[Recipient]: ...


PublishPost = Callable[[PostContent, int | None], Awaitable[Post]]


@dataclass(frozen=True)
class BulletinDraft:
    title: str
    body: str


def parse_draft(title: str, body: str) -> BulletinDraft:
    return BulletinDraft(
        title=fields.single_line(title, "title", limit=MAX_TITLE, required=True),
        body=fields.text(body, "body", limit=MAX_BODY, required=True),
    )


class BulletinService:
    def __init__(
        self,
        store: BulletinStore,
        subscribers: SubscriberStore,
        tokens: TokenStore,
        preferences: MailPreferenceService,
        unsubscribing: Unsubscribing,
        outbox: MailOutbox,
        unit_of_work: UnitOfWork,
        *,
        publish_post: PublishPost,
        post_url: Callable[[str], str],
        absolute: Callable[[str], str],
        chapter_name: Callable[[], Awaitable[str]],
        language: str = "en",
        clock: Callable[[], datetime] = utc_now,
        translations: Catalogs = english,
    ) -> None:
        self.store = store
        self.subscribers = subscribers
        self.tokens = tokens
        self.preferences = preferences
        self.unsubscribing = unsubscribing
        self.outbox = outbox
        self.unit_of_work = unit_of_work
        self.publish_post = publish_post
        self.post_url = post_url
        self.absolute = absolute
        self.chapter_name = chapter_name
        self.language = language
        self.clock = clock
        # The footer and the confirmation in the reader's language (fedchapter/mail/bulletin_wording.py).
        self.translations = translations

    # Writing -----------------------------------------------------------------
    async def draft(self, draft: BulletinDraft, author_user_id: int | None) -> Bulletin:
        bulletin = Bulletin(
            id=new_short_id(), title=draft.title, body=draft.body, author_user_id=author_user_id,
            state=BulletinState.DRAFT, post_id=None, recipients=0, created_at=self.clock(), sent_at=None,
        )
        await self.store.add(bulletin)
        return bulletin

    async def get(self, bulletin_id: str) -> Bulletin:
        bulletin = await self.store.get(bulletin_id)
        if bulletin is None:
            raise NotFound("no such bulletin")
        return bulletin

    async def edit(self, bulletin_id: str, draft: BulletinDraft) -> Bulletin:
        await self.get(bulletin_id)
        if not await self.store.edit_draft(bulletin_id, draft.title, draft.body):
            raise Conflict("this bulletin was sent already; it cannot change")
        return await self.get(bulletin_id)

    async def drafts(self) -> list[Bulletin]:
        return await self.store.drafts()

    async def archive(self, limit: int = 100, offset: int = 0) -> list[Bulletin]:
        return await self.store.sent(limit, offset)

    @staticmethod
    def preview_html(bulletin: Bulletin) -> str:
        return render_markdown(bulletin.body)

    async def recipients(self) -> list[Recipient]:
        """Accounts that did not turn bulletins off, then subscribers; each address once."""
        accounts = await self.store.account_recipients()
        wanted = await self.preferences.receivers(MailKind.BULLETIN, [r.user_id for r in accounts if r.user_id])
        chosen = [r for r in accounts if r.user_id in wanted] + await self.subscribers.active()
        seen: set[str] = set()
        unique: list[Recipient] = []
        for recipient in chosen:
            if recipient.address not in seen:
                seen.add(recipient.address)
                unique.append(recipient)
        return unique

    async def send(self, bulletin_id: str) -> Bulletin:
        bulletin = await self.get(bulletin_id)
        if bulletin.state is not BulletinState.DRAFT:
            raise Conflict("this bulletin was sent already")
        name = await self.chapter_name()
        async with self.unit_of_work.transaction():
            recipients = await self.recipients()
            post = await self.publish_post(
                PostContent(title=bulletin.title, body=bulletin.body, language=self.language),
                bulletin.author_user_id,
            )
            if not await self.store.mark_sent(bulletin.id, post_id=post.id, recipients=len(recipients),
                                              now=self.clock()):
                raise Conflict("this bulletin was sent already")  # rolls the post back too
            online = self.post_url(post.id)
            body_html = render_markdown(bulletin.body)
            for recipient in recipients:
                unsubscribe = self.unsubscribing.url(recipient.address, MailKind.BULLETIN)
                language = await self.preferences.mail_language(recipient.user_id)
                subject, text, page = bulletin_mail(
                    self.translations(language), language, chapter=name, title=bulletin.title,
                    body=bulletin.body, body_html=body_html, online=online, unsubscribe=unsubscribe,
                )
                await self.outbox.put(MailKind.BULLETIN.value, recipient.address, subject, text, page,
                                      unsubscribe_url=unsubscribe)
        return await self.get(bulletin_id)

    # Subscribing (double opt-in) --------------------------------------------
    async def subscribe(self, raw_address: str) -> None:
        """Mail a confirmation link, unless the address is subscribed already
        (the answer is the same either way) or asked too often today."""
        address = same_address(check_address(raw_address))
        now = self.clock()
        if await self.subscribers.state_of(address) == "active":
            return
        if await self.tokens.count_since(TokenPurpose.SUBSCRIBE, address, now - timedelta(days=1)) \
                >= MAX_CONFIRMATIONS_PER_DAY:
            return
        async with self.unit_of_work.transaction():
            await self.subscribers.add_pending(address, now)
            token = new_token()
            await self.tokens.add(token_hash(token), TokenPurpose.SUBSCRIBE, user_id=None, address=address,
                                  now=now, expires_at=now + SUBSCRIBE_LIFETIME)
            name = await self.chapter_name()
            url = self.absolute(f"/bulletins/confirm/{token}")
            # A subscriber has no account: the chapter's language.
            subject, text, page = subscription_mail(self.translations(self.language), self.language,
                                                    chapter=name, address=address, url=url)
            await self.outbox.put("subscribe", address, subject, text, page)

    async def confirm_subscription(self, token: str) -> str:
        if not token or len(token) > 100:
            raise InvalidLink()
        used = await self.tokens.use(token_hash(token), TokenPurpose.SUBSCRIBE, self.clock())
        if used is None:
            raise InvalidLink()
        await self.subscribers.activate(used.address, self.clock())
        return used.address

