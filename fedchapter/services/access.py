"""Who may get in, and ending it: browser sessions, API tokens, disabling.

Sessions live in the database, not only in a signed cookie, so that ending
one is real: logging out, a password change or reset, and disabling the
account make the old cookie worthless even to someone who copied it. The
cookie carries a random id; the database keeps only its hash.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from fedchapter.accounts import ApiToken, User
from fedchapter.clock import utc_now
from fedchapter.errors import Conflict, NotFound
from fedchapter.roles import Role
from fedchapter.tokens import new_token, token_hash

# As long as the session cookie lives: a session is not kept past its cookie.
SESSION_LIFETIME = timedelta(days=14)


class CredentialStore(Protocol):
    async def by_id(self, user_id: int) -> User | None: ...
    async def by_username(self, username: str) -> User | None: ...
    async def all(self) -> list[User]: ...
    async def tokens_of(self, user_id: int) -> list[ApiToken]: ...
    async def delete_token(self, user_id: int, token_id: int) -> bool: ...
    async def delete_tokens(self, user_id: int) -> None: ...
    async def add_session(self, user_id: int, session_hash: str, expired_before: datetime) -> None: ...
    async def by_session_hash(self, session_hash: str, created_after: datetime) -> User | None: ...
    async def delete_session(self, session_hash: str) -> None: ...
    async def delete_sessions(self, user_id: int) -> None: ...
    async def set_disabled_ending_access(self, user_id: int, disabled: bool) -> None: ...


class LastAdmin(Conflict):
    """Disabling the only active admin would leave nobody able to manage the chapter."""


class AccessService:
    def __init__(self, users: CredentialStore, clock: Callable[[], datetime] = utc_now) -> None:
        self.users = users
        self.clock = clock

    # Sessions ----------------------------------------------------------------
    async def start_session(self, user: User) -> str:
        """A new session id for the cookie (the database keeps its hash)."""
        session_id = new_token()
        await self.users.add_session(user.id, token_hash(session_id), self.clock() - SESSION_LIFETIME)
        return session_id

    async def user_for_session(self, session_id: str) -> User | None:
        user = await self.users.by_session_hash(token_hash(session_id), self.clock() - SESSION_LIFETIME)
        if user is None or user.disabled:
            return None
        return user

    async def end_session(self, session_id: str) -> None:
        await self.users.delete_session(token_hash(session_id))

    async def end_sessions(self, user_id: int) -> None:
        await self.users.delete_sessions(user_id)

    # API tokens --------------------------------------------------------------
    async def accounts(self) -> list[User]:
        """Every local account, enabled or not, for the admins' members page."""
        return await self.users.all()

    async def account(self, user_id: int) -> User | None:
        return await self.users.by_id(user_id)

    async def tokens(self, user: User) -> list[ApiToken]:
        return await self.users.tokens_of(user.id)

    async def revoke_token(self, user: User, token_id: int) -> None:
        if not await self.users.delete_token(user.id, token_id):
            raise NotFound("you have no API token with that number")

    async def end_all_access(self, user_id: int) -> None:
        """Every session and every token of the account (after an admin's reset)."""
        await self.users.delete_sessions(user_id)
        await self.users.delete_tokens(user_id)

    # Disabling ---------------------------------------------------------------
    async def disable(self, username: str) -> User:
        """The account can no longer log in; its sessions and tokens end now.

        Refused for the last active admin: nobody could then enable anyone.
        """
        user = await self._named(username)
        if user.role is Role.ADMIN and not user.disabled:
            others = [u for u in await self.users.all()
                      if u.role is Role.ADMIN and not u.disabled and u.id != user.id]
            if not others:
                raise LastAdmin(f"{user.username} is the last active admin; make someone else admin first")
        await self.users.set_disabled_ending_access(user.id, True)
        return await self._named(username)

    async def enable(self, username: str) -> User:
        user = await self._named(username)
        await self.users.set_disabled_ending_access(user.id, False)
        return await self._named(username)

    async def _named(self, username: str) -> User:
        user = await self.users.by_username(username.strip().lower())
        if user is None:
            raise NotFound(f"no account named {username!r}")
        return user
