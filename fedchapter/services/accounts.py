"""Creating accounts, logging in, API tokens."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from fedchapter.accounts import User, check_username
from fedchapter.actors import LocalActor, LocalActorKind
from fedchapter.errors import N_, Conflict, ValidationError
from fedchapter.passwords import check_password_rules, hash_password, verify_password
from fedchapter.roles import Role
from fedchapter.tokens import new_token, token_hash

KeypairFactory = Callable[[], tuple[str, str]]


class LocalActorStore(Protocol):
    async def add(
        self,
        *,
        username: str,
        kind: LocalActorKind,
        display_name: str,
        public_key_pem: str,
        private_key_pem: str,
        summary: str = "",
    ) -> LocalActor: ...

    async def by_username(self, username: str) -> LocalActor | None: ...


class UserStore(Protocol):
    async def add(self, *, actor_id: int, password_hash: str, role: Role) -> User: ...
    async def by_username(self, username: str) -> User | None: ...
    async def password_hash(self, username: str) -> tuple[User, str] | None: ...
    async def add_token(self, user_id: int, token_hash: str) -> None: ...
    async def by_token_hash(self, token_hash: str) -> User | None: ...
    async def set_password_hash(self, user_id: int, password_hash: str) -> None: ...


# Checking against the hash of a password nobody has, so that a wrong username
# costs as much time as a wrong password and does not reveal which accounts
# exist. A constant with argon2-cffi's default parameters: hashing it at import
# would cost every process and every CLI command a 64 MiB argon2 run.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$UqnoeoiIuxW4QO2Y8asjbA$OM6Pro4EZwINbkcENSHKDYVtggGjBRWRaHox0Q3Nhu8"


class AccountService:
    def __init__(self, actors: LocalActorStore, users: UserStore, make_keypair: KeypairFactory) -> None:
        self.actors = actors
        self.users = users
        self.make_keypair = make_keypair

    async def create_user(
        self, username: str, password: str, role: Role, display_name: str | None = None
    ) -> User:
        check_username(username)
        check_password_rules(password)
        if await self.actors.by_username(username) is not None:
            raise Conflict(f"the username {username!r} is taken")
        public_pem, private_pem = self.make_keypair()
        actor = await self.actors.add(
            username=username,
            kind=LocalActorKind.PERSON,
            display_name=(display_name or username).strip()[:100] or username,
            public_key_pem=public_pem,
            private_key_pem=private_pem,
        )
        password_hash = await asyncio.to_thread(hash_password, password)
        return await self.users.add(actor_id=actor.id, password_hash=password_hash, role=role)

    async def authenticate(self, username: str, password: str) -> User | None:
        found = await self.users.password_hash(username)
        # argon2 takes tens of milliseconds of CPU: off the event loop, so other
        # requests are served meanwhile.
        if found is None:
            await asyncio.to_thread(verify_password, _DUMMY_HASH, password)
            return None
        user, password_hash = found
        if user.disabled or not await asyncio.to_thread(verify_password, password_hash, password):
            return None
        return user

    async def change_password(self, user: User, new_password: str) -> None:
        check_password_rules(new_password)
        await self.users.set_password_hash(user.id, await asyncio.to_thread(hash_password, new_password))

    async def create_token(self, username: str) -> str:
        user = await self.users.by_username(username)
        if user is None:
            raise ValidationError("username", N_("no user named %(name)s"), name=repr(username))
        token = new_token()
        await self.users.add_token(user.id, token_hash(token))
        return token

    async def user_for_token(self, token: str) -> User | None:
        user = await self.users.by_token_hash(token_hash(token))
        if user is None or user.disabled:
            return None
        return user
