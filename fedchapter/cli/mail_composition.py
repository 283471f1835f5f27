"""The mail part of the composition root: the queue, the transport the
settings choose (an SMTP server, or the data folder when none is set), the
worker and the services that write mail."""
from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable

from fedchapter.cli.chapter_services import MailServices
from fedchapter.mail.transport import FolderTransport, MailTransport, SmtpTransport
from fedchapter.mail.unsubscribe import UnsubscribeSigner
from fedchapter.posts import Post, PostContent
from fedchapter.services.account_mail import AccountMailService
from fedchapter.services.accounts import AccountService
from fedchapter.services.bulletins import BulletinService
from fedchapter.services.mail_preferences import MailPreferenceService
from fedchapter.services.mail_queue import MailOutbox, MailWorker
from fedchapter.services.notifications import (
    NotificationService,
    NotificationSweeper,
    NotificationUrls,
)
from fedchapter.services.posts import PostService
from fedchapter.services.unsubscribing import Unsubscribing
from fedchapter.settings import Settings
from federation.urls import Urls
from storage.repositories import Repositories
from web.i18n import translations_for


def mail_transport(settings: Settings) -> MailTransport:
    if not settings.smtp_host:
        return FolderTransport(settings.mail_folder)
    return SmtpTransport(
        host=settings.smtp_host, port=settings.smtp_port, security=settings.smtp_security,
        user=settings.smtp_user, password=settings.smtp_password,
    )


def sender_address(settings: Settings) -> str:
    host = settings.host.partition(":")[0]
    return settings.mail_from or f"noreply@{host}"


def mail_services(
    settings: Settings,
    repos: Repositories,
    accounts: AccountService,
    urls: Urls,
    chapter_name: Callable[[], Awaitable[str]],
    posts: PostService,
    *,
    transport: MailTransport | None = None,
) -> MailServices:
    wake = asyncio.Event()
    address = sender_address(settings)
    outbox = MailOutbox(repos.outgoing_mail, address, wake, sender_name=chapter_name)
    transport = transport or mail_transport(settings)
    preferences = MailPreferenceService(repos.mail_preferences, repos.users, chapter_language=settings.language)
    # Every process of a chapter reads the same session_secret, so a link made
    # by the worker works on the web. A command run without one (no web) gets
    # a throwaway key: it sends no list mail.
    signer = UnsubscribeSigner(settings.session_secret.strip() or secrets.token_hex(32))
    unsubscribing = Unsubscribing(signer, repos.subscribers, repos.account_emails, preferences, urls.absolute)

    async def publish_post(content: PostContent, author_user_id: int | None) -> Post:
        return await posts.create(content, author_user_id=author_user_id)

    bulletins = BulletinService(
        repos.bulletins, repos.subscribers, repos.mail_tokens, preferences, unsubscribing, outbox, repos.database,
        publish_post=publish_post, post_url=urls.post, absolute=urls.absolute, chapter_name=chapter_name,
        language=settings.language, translations=translations_for,
    )
    notifications = NotificationService(
        repos.notification_sources, repos.notifications, repos.account_emails, preferences, unsubscribing, outbox,
        repos.database,
        NotificationUrls(proposal=urls.proposal, minutes=urls.minutes, event=urls.event,
                         offices=urls.absolute("/members"), actor_prefix=urls.actor("")),
        chapter_name=chapter_name,
        # The site's catalogs: each member's mail in the language they chose there.
        translations=translations_for,
    )
    return MailServices(
        outbox=outbox,
        worker=MailWorker(repos.outgoing_mail, transport, address, wake),
        accounts=AccountMailService(
            repos.users, repos.account_emails, repos.mail_tokens, outbox, accounts, repos.password_changes,
            absolute=urls.absolute, chapter_name=chapter_name,
            translations=translations_for, mail_language=preferences.mail_language,
        ),
        preferences=preferences,
        bulletins=bulletins,
        unsubscribing=unsubscribing,
        notifications=notifications,
        notification_sweeper=NotificationSweeper(notifications),
        folder=transport.folder if isinstance(transport, FolderTransport) else None,
    )
