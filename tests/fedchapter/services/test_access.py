"""Sessions, API tokens and disabled accounts over a real SQLite database:
what ends a session or a token, and the last admin who cannot be disabled."""
from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from fedchapter.accounts import User
from fedchapter.actors import LocalActorKind
from fedchapter.clock import utc_now
from fedchapter.errors import NotFound
from fedchapter.roles import Role
from fedchapter.services.access import SESSION_LIFETIME, AccessService, LastAdmin
from fedchapter.tokens import token_hash
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.repositories import Repositories


@pytest.fixture
async def repos(tmp_path: Path) -> AsyncIterator[Repositories]:
    database = await open_database(database_for(tmp_path / "test.sqlite3"))
    try:
        yield Repositories.for_database(database)
    finally:
        await database.close()


async def add_user(repos: Repositories, username: str, role: Role) -> User:
    actor = await repos.actors.add(username=username, kind=LocalActorKind.PERSON, display_name=username.title(),
                                   public_key_pem="pub", private_key_pem="priv")
    return await repos.users.add(actor_id=actor.id, password_hash="x", role=role)


async def add_token(repos: Repositories, user: User, token: str) -> None:
    await repos.users.add_token(user.id, token_hash(token))


async def test_a_session_works_until_it_is_ended(repos: Repositories) -> None:
    access = AccessService(repos.users)
    sam = await add_user(repos, "sam", Role.SECRETARY)
    laptop, phone = await access.start_session(sam), await access.start_session(sam)
    assert (await access.user_for_session(laptop)).id == sam.id  # type: ignore[union-attr]
    await access.end_session(laptop)
    assert await access.user_for_session(laptop) is None
    assert await access.user_for_session(phone) is not None
    await access.end_sessions(sam.id)
    assert await access.user_for_session(phone) is None


async def test_only_a_hash_of_the_session_id_is_stored(repos: Repositories) -> None:
    access = AccessService(repos.users)
    session_id = await access.start_session(await add_user(repos, "sam", Role.MEMBER))
    stored = await repos.database.fetchall("SELECT session_hash FROM sessions")
    assert [row[0] for row in stored] == [token_hash(session_id)]


async def test_a_session_expires_with_its_cookie(repos: Repositories) -> None:
    sam = await add_user(repos, "sam", Role.MEMBER)
    session_id = await AccessService(repos.users).start_session(sam)
    later: datetime = utc_now() + SESSION_LIFETIME + timedelta(minutes=1)
    assert await AccessService(repos.users, clock=lambda: later).user_for_session(session_id) is None


async def test_disabling_ends_sessions_and_tokens_and_enabling_restores_only_the_login(repos: Repositories) -> None:
    access = AccessService(repos.users)
    await add_user(repos, "admin", Role.ADMIN)
    sam = await add_user(repos, "sam", Role.SECRETARY)
    session_id = await access.start_session(sam)
    await add_token(repos, sam, "sams-token")
    disabled = await access.disable("Sam")
    assert disabled.disabled
    assert await access.user_for_session(session_id) is None
    assert await repos.users.by_token_hash(token_hash("sams-token")) is None
    enabled = await access.enable("sam")
    assert not enabled.disabled
    assert await access.user_for_session(session_id) is None  # ended, not suspended


async def test_the_last_active_admin_cannot_be_disabled_and_nothing_changes(repos: Repositories) -> None:
    access = AccessService(repos.users)
    admin = await add_user(repos, "admin", Role.ADMIN)
    other = await add_user(repos, "other", Role.ADMIN)
    session_id = await access.start_session(admin)
    await add_token(repos, admin, "admins-token")
    await access.disable("other")
    with pytest.raises(LastAdmin, match="last active admin"):
        await access.disable("admin")
    assert not (await repos.users.by_id(admin.id)).disabled  # type: ignore[union-attr]
    assert await access.user_for_session(session_id) is not None
    assert await repos.users.by_token_hash(token_hash("admins-token")) is not None
    await access.enable("other")
    await access.disable("admin")  # with another active admin, it may
    assert (await repos.users.by_id(other.id)).role is Role.ADMIN  # type: ignore[union-attr]


async def test_an_unknown_account_is_not_found(repos: Repositories) -> None:
    with pytest.raises(NotFound):
        await AccessService(repos.users).disable("nobody")


async def test_a_token_is_listed_and_revoked_only_by_its_holder(repos: Repositories) -> None:
    access = AccessService(repos.users)
    ana, ben = await add_user(repos, "ana", Role.MEMBER), await add_user(repos, "ben", Role.MEMBER)
    await add_token(repos, ana, "anas-token")
    [token] = await access.tokens(ana)
    assert await access.tokens(ben) == []
    with pytest.raises(NotFound):
        await access.revoke_token(ben, token.id)
    assert await repos.users.by_token_hash(token_hash("anas-token")) is not None
    await access.revoke_token(ana, token.id)
    assert await repos.users.by_token_hash(token_hash("anas-token")) is None
    assert await access.tokens(ana) == []
