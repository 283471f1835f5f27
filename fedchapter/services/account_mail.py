"""Mail that belongs to an account: confirming an email address and
resetting a forgotten password.

Both send a single-use link whose token is stored only as a hash and expires.
A reset request gets the same answer whether or not the address belongs to
an account, so the form tells a stranger nothing about who is a member.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

from fedchapter.accounts import User
from fedchapter.clock import utc_now
from fedchapter.errors import N_, Conflict, ValidationError
from fedchapter.mail.addresses import check_address, same_address
from fedchapter.mail.wording import Catalogs, confirmation_mail, english, reset_mail
from fedchapter.mail.model import TokenPurpose, UsedToken
from fedchapter.passwords import check_password_rules
from fedchapter.services.accounts import AccountService
from fedchapter.services.mail_queue import MailOutbox
from fedchapter.tokens import new_token, token_hash

RESET_LIFETIME = timedelta(hours=1)
CONFIRM_LIFETIME = timedelta(days=2)
# At most this many reset (or confirmation) mails to one address an hour: the
# form cannot be used to flood someone's inbox.
MAX_MAILS_PER_HOUR = 3
MAX_TOKEN = 100


class TokenStore(Protocol):
    async def add(self, token_hash: str, purpose: TokenPurpose, *, user_id: int | None, address: str,
                  now: datetime, expires_at: datetime) -> None: ...
    async def peek(self, token_hash: str, purpose: TokenPurpose, now: datetime) -> UsedToken | None: ...
    async def use(self, token_hash: str, purpose: TokenPurpose, now: datetime) -> UsedToken | None: ...
    async def count_since(self, purpose: TokenPurpose, address: str, since: datetime) -> int: ...
    async def end_unused(self, user_id: int, purpose: TokenPurpose, now: datetime) -> None: ...


class AccountEmailStore(Protocol):
    async def of_user(self, user_id: int) -> str | None: ...
    async def user_of(self, address: str) -> int | None: ...
    async def set(self, user_id: int, address: str, now: datetime) -> bool: ...
    async def remove(self, user_id: int) -> None: ...


class AccountLookup(Protocol):
    async def by_id(self, user_id: int) -> User | None: ...
    async def by_username(self, username: str) -> User | None: ...
    async def delete_sessions(self, user_id: int) -> None: ...


class PasswordChangeDone(Protocol):
    async def done(self, user_id: int) -> None: ...


class InvalidLink(ValidationError):
    """A mail link that is unknown, used already or too old."""

    def __init__(self) -> None:
        super().__init__("token", N_("this link is not valid any more; it may have been used or be too old"))


class AccountMailService:
    def __init__(
        self,
        users: AccountLookup,
        emails: AccountEmailStore,
        tokens: TokenStore,
        outbox: MailOutbox,
        accounts: AccountService,
        password_changes: PasswordChangeDone,
        *,
        absolute: Callable[[str], str],
        chapter_name: Callable[[], Awaitable[str]],
        clock: Callable[[], datetime] = utc_now,
        translations: Catalogs = english,
        mail_language: Callable[[int], Awaitable[str]],
    ) -> None:
        # Mail is written in the member's language (see fedchapter/mail/wording.py).
        self.translations = translations
        # The member's language, else the chapter's (MailPreferenceService.mail_language).
        self.mail_language = mail_language
        self.users = users
        self.emails = emails
        self.tokens = tokens
        self.outbox = outbox
        self.accounts = accounts
        self.password_changes = password_changes
        self.absolute = absolute
        self.chapter_name = chapter_name
        self.clock = clock

    async def address_of(self, user: User) -> str | None:
        return await self.emails.of_user(user.id)

    async def remove_address(self, user: User) -> None:
        await self.emails.remove(user.id)

    async def _issue(self, purpose: TokenPurpose, user_id: int | None, address: str, lifetime: timedelta) -> str | None:
        """A new token, or None when this address had its share of mails this hour."""
        now = self.clock()
        if await self.tokens.count_since(purpose, address, now - timedelta(hours=1)) >= MAX_MAILS_PER_HOUR:
            return None
        token = new_token()
        await self.tokens.add(token_hash(token), purpose, user_id=user_id, address=address,
                              now=now, expires_at=now + lifetime)
        return token

    # Address confirmation ------------------------------------------------------
    async def request_confirmation(self, user: User, raw_address: str) -> str:
        """Mail a confirmation link to the new address; it counts once followed."""
        address = same_address(check_address(raw_address))
        owner = await self.emails.user_of(address)
        if owner is not None and owner != user.id:
            raise Conflict("another account uses this address")
        token = await self._issue(TokenPurpose.CONFIRM_EMAIL, user.id, address, CONFIRM_LIFETIME)
        if token is None:
            raise ValidationError("email", N_("too many confirmation mails to this address; try again in an hour"))
        language = await self.mail_language(user.id)
        subject, text, html = confirmation_mail(
            self.translations(language), language, name=user.display_name, address=address,
            chapter=await self.chapter_name(), url=self.absolute(f"/account/email/confirm/{token}"))
        await self.outbox.put("confirm_email", address, subject, text, html)
        return address

    async def confirm(self, token: str) -> tuple[int, str]:
        used = await self.tokens.use(_hash(token), TokenPurpose.CONFIRM_EMAIL, self.clock())
        if used is None or used.user_id is None:
            raise InvalidLink()
        if not await self.emails.set(used.user_id, used.address, self.clock()):
            raise Conflict("another account confirmed this address in the meantime")
        return used.user_id, used.address

    # Password reset ------------------------------------------------------------
    async def request_reset(self, raw: str) -> None:
        """Mail a reset link when ``raw`` is the address (or username) of an
        account with a confirmed address; say nothing either way."""
        if any(character in raw for character in "\r\n\0"):
            raise ValidationError("email", N_("an email address must be one line"))
        raw = raw.strip()
        if "@" in raw:
            address = same_address(check_address(raw))
            user_id = await self.emails.user_of(address)
            user = None if user_id is None else await self.users.by_id(user_id)
        else:
            if len(raw) > 64:
                raise ValidationError("email", N_("enter your email address or username"))
            user = await self.users.by_username(raw.lower())
            address = None if user is None else await self.emails.of_user(user.id)
        if user is None or user.disabled or address is None:
            return
        token = await self._issue(TokenPurpose.RESET, user.id, address, RESET_LIFETIME)
        if token is None:
            return
        language = await self.mail_language(user.id)
        subject, text, html = reset_mail(
            self.translations(language), language, name=user.display_name, username=user.username,
            chapter=await self.chapter_name(), url=self.absolute(f"/password-reset/{token}"))
        await self.outbox.put("reset", address, subject, text, html)

    async def reset_target(self, token: str) -> User:
        """The account a reset link is for, while the link is usable (it is not used up)."""
        found = await self.tokens.peek(_hash(token), TokenPurpose.RESET, self.clock())
        user = None if found is None or found.user_id is None else await self.users.by_id(found.user_id)
        if user is None or user.disabled:
            raise InvalidLink()
        return user

    async def reset_password(self, token: str, new: str, repeated: str) -> User:
        user = await self.reset_target(token)
        if new != repeated:
            raise ValidationError("new_password_again", N_("the two new passwords differ"))
        check_password_rules(new, "new_password")
        # Used up before the change: of two requests racing with one link, one wins.
        if await self.tokens.use(_hash(token), TokenPurpose.RESET, self.clock()) is None:
            raise InvalidLink()
        await self.accounts.change_password(user, new)
        await self.tokens.end_unused(user.id, TokenPurpose.RESET, self.clock())
        await self.password_changes.done(user.id)
        # As after any password change: every session ends, a thief's included.
        await self.users.delete_sessions(user.id)
        return user


def _hash(token: str) -> str:
    if not token or len(token) > MAX_TOKEN:
        raise InvalidLink()
    return token_hash(token)
