"""Logging in with throttling, changing a password, and an admin's reset.

An admin's reset gives the account a one-time password (shown to the admin
once, passed on in person or by a message) and marks it: at the next login
the person must choose their own password before doing anything else.
"""
from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from fedchapter.accounts import User
from fedchapter.clock import utc_now
from fedchapter.errors import N_, Forbidden, NotFound, Problems, ValidationError
from fedchapter.login_throttle import (
    MAX_FAILURES_PER_CLIENT,
    PAIR_MEMORY,
    WINDOW,
    Lockout,
    account_suffix,
    client_key,
    lockout_for,
    pair_delay,
    pair_key,
)
from fedchapter.passwords import check_password_rules, verify_password
from fedchapter.services.accounts import AccountService


class LoginFailureStore(Protocol):
    async def record(self, keys: list[str], at: datetime, prune_before: datetime) -> None: ...
    async def since(self, key: str, since: datetime) -> list[datetime]: ...
    async def clear(self, key: str) -> None: ...
    async def clear_ending(self, suffix: str) -> None: ...


class PasswordChangeStore(Protocol):
    async def require(self, user_id: int, since: datetime) -> None: ...
    async def is_required(self, user_id: int) -> bool: ...
    async def done(self, user_id: int) -> None: ...


class UserLookup(Protocol):
    async def by_id(self, user_id: int) -> User | None: ...
    async def password_hash(self, username: str) -> tuple[User, str] | None: ...
    async def delete_sessions(self, user_id: int) -> None: ...
    async def delete_tokens(self, user_id: int) -> None: ...


class LoginLocked(Forbidden):
    """Too many failed attempts; the message says how long to wait."""

    def __init__(self, lockout: Lockout, now: datetime) -> None:
        self.minutes = lockout.minutes_left(now)
        super().__init__(f"too many failed attempts; try again in {self.minutes} minutes")


@dataclass(frozen=True)
class LoginResult:
    user: User
    must_change_password: bool


class LoginService:
    def __init__(
        self,
        accounts: AccountService,
        users: UserLookup,
        failures: LoginFailureStore,
        password_changes: PasswordChangeStore,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.accounts = accounts
        self.users = users
        self.failures = failures
        self.password_changes = password_changes
        self.clock = clock

    async def _lockout(self, username: str, client: str | None, now: datetime) -> Lockout | None:
        waiting = pair_delay(await self.failures.since(pair_key(username, client), now - PAIR_MEMORY), now)
        if waiting is not None:
            return waiting
        return lockout_for(await self.failures.since(client_key(client), now - WINDOW), MAX_FAILURES_PER_CLIENT, now)

    async def log_in(self, username: str, password: str, client: str | None) -> LoginResult | None:
        """The account, or None for a wrong name or password; raises LoginLocked.

        Failures slow down only this client's attempts at this account, so a
        stranger's guesses never keep the account's holder out.
        """
        now = self.clock()
        lockout = await self._lockout(username, client, now)
        if lockout is not None:
            raise LoginLocked(lockout, now)
        user = await self.accounts.authenticate(username.strip().lower(), password)
        if user is None:
            await self.failures.record([pair_key(username, client), client_key(client)], now, now - PAIR_MEMORY)
            # The failure that starts a wait says so at once.
            lockout = await self._lockout(username, client, now)
            if lockout is not None:
                raise LoginLocked(lockout, now)
            return None
        await self.failures.clear(pair_key(username, client))
        return LoginResult(user, await self.password_changes.is_required(user.id))

    async def must_change_password(self, user: User) -> bool:
        return await self.password_changes.is_required(user.id)

    async def change_password(self, user: User, current: str, new: str, repeated: str) -> None:
        found = await self.users.password_hash(user.username)
        # Every problem at once, so the form can show them all.
        problems = Problems()
        # argon2 is tens of milliseconds of CPU: off the event loop.
        if found is None or not await asyncio.to_thread(verify_password, found[1], current):
            problems.add(ValidationError("current_password", N_("the current password is not right")))
        problems.take(lambda: check_password_rules(new, "new_password"))
        if new == current and not problems:
            problems.add(ValidationError("new_password", N_("choose a password different from the current one")))
        if new != repeated:
            problems.add(ValidationError("new_password_again", N_("the two new passwords differ")))
        problems.raise_any()
        await self.accounts.change_password(user, new)
        await self.password_changes.done(user.id)
        # A changed password ends every session, the thief's included; the
        # caller starts a fresh one for the browser that made the change.
        await self.users.delete_sessions(user.id)

    async def reset_by_admin(self, user_id: int) -> tuple[User, str]:
        """A new one-time password for the account; its holder must change it at login."""
        user = await self.users.by_id(user_id)
        if user is None:
            raise NotFound("no such account")
        one_time = "-".join(secrets.token_urlsafe(4) for _ in range(3))
        await self.accounts.change_password(user, one_time)
        await self.password_changes.require(user.id, self.clock())
        # A reset usually means the account was at risk: nothing issued before it keeps working.
        await self.users.delete_sessions(user.id)
        await self.users.delete_tokens(user.id)
        # The holder's own earlier mistakes should not delay the fresh start.
        await self.failures.clear_ending(account_suffix(user.username))
        return user, one_time
