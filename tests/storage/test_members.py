"""Membership storage in a real SQLite file: join requests, invitations,
remote members, role terms, login failures and forced password changes."""
from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from fedchapter.actors import LocalActorKind
from fedchapter.membership import JoinState, RemoteMember
from fedchapter.role_terms import Holder
from fedchapter.roles import Role
from storage.database import Database
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.repositories import Repositories

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
AOIFE = RemoteMember(
    actor_id="https://dublin.example/users/aoife", inbox="https://dublin.example/users/aoife/inbox",
    shared_inbox="https://dublin.example/inbox", handle="@aoife@dublin.example", display_name="Aoife",
    role=Role.MEMBER, added_at=NOW,
)


@pytest.fixture
async def repos(tmp_path: Path) -> AsyncIterator[Repositories]:
    database: Database = await open_database(database_for(tmp_path / "test.sqlite3"))
    try:
        yield Repositories.for_database(database)
    finally:
        await database.close()


async def add_user(repos: Repositories, username: str, role: Role = Role.SUPPORTER) -> int:
    actor = await repos.actors.add(username=username, kind=LocalActorKind.PERSON, display_name=username.title(),
                                   public_key_pem="pub", private_key_pem="priv")
    return (await repos.users.add(actor_id=actor.id, password_hash="x", role=role)).id


async def test_a_join_request_is_decided_once(repos: Repositories) -> None:
    user_id = await add_user(repos, "sam")
    admin_id = await add_user(repos, "admin", Role.ADMIN)
    request_id = await repos.join_requests.add(user_id=user_id, state=JoinState.PENDING, message="hi",
                                               invitation_id=None)
    assert [r.username for r in await repos.join_requests.pending()] == ["sam"]
    assert await repos.join_requests.decide(request_id, JoinState.APPROVED, admin_id)
    assert not await repos.join_requests.decide(request_id, JoinState.REJECTED, admin_id)
    decided = await repos.join_requests.latest_for_user(user_id)
    assert decided is not None and decided.state is JoinState.APPROVED and decided.decided_at is not None
    assert await repos.join_requests.pending() == []


async def test_an_invitation_counts_its_uses_atomically(repos: Repositories) -> None:
    admin_id = await add_user(repos, "admin", Role.ADMIN)
    invitation = await repos.invitations.add(token_hash="h", note="n", max_uses=2,
                                             expires_at=NOW + timedelta(days=1), created_by=admin_id)
    assert await repos.invitations.use(invitation.id, NOW)
    assert await repos.invitations.use(invitation.id, NOW)
    assert not await repos.invitations.use(invitation.id, NOW)
    other = await repos.invitations.add(token_hash="h2", note="", max_uses=5, expires_at=NOW, created_by=admin_id)
    assert not await repos.invitations.use(other.id, NOW)  # expired
    third = await repos.invitations.add(token_hash="h3", note="", max_uses=5,
                                        expires_at=NOW + timedelta(days=1), created_by=admin_id)
    assert await repos.invitations.revoke(third.id)
    assert not await repos.invitations.use(third.id, NOW)
    found = await repos.invitations.by_token_hash("h")
    assert found is not None and found.uses == 2


async def test_remote_members_are_saved_updated_and_removed(repos: Repositories) -> None:
    await repos.remote_members.save(AOIFE, None)
    await repos.remote_members.save(AOIFE, None)  # saving again updates, never duplicates
    await repos.remote_members.set_role(AOIFE.actor_id, Role.SECRETARY)
    assert await repos.remote_members.all() == [
        RemoteMember(**{**AOIFE.__dict__, "role": Role.SECRETARY})
    ]
    assert AOIFE.delivery_inbox == "https://dublin.example/inbox"
    assert [m.actor_id for m in await repos.remote_members.page(10)] == [AOIFE.actor_id]
    assert await repos.remote_members.remove(AOIFE.actor_id)
    assert await repos.remote_members.get(AOIFE.actor_id) is None


async def test_role_terms_keep_the_history(repos: Repositories) -> None:
    maya = await add_user(repos, "maya", Role.SECRETARY)
    first = await repos.role_terms.start(Role.SECRETARY, Holder("Maya", user_id=maya), NOW - timedelta(days=30))
    await repos.role_terms.end(first, NOW)
    await repos.role_terms.start(Role.SECRETARY, Holder("Aoife", remote_actor_id=AOIFE.actor_id), NOW)
    current = await repos.role_terms.current(Role.SECRETARY)
    assert [term.holder.name for term in current] == ["Aoife"]
    history = await repos.role_terms.history()
    assert [(term.holder.name, term.ended_at) for term in history] == [("Aoife", None), ("Maya", NOW)]
    assert await repos.role_terms.current_for_user(maya) == []
    assert len(await repos.role_terms.current_for_remote(AOIFE.actor_id)) == 1


async def test_login_failures_and_forced_changes(repos: Repositories) -> None:
    await repos.login_failures.record(["user:sam", "client:1.2.3.4"], NOW - timedelta(hours=1), NOW - timedelta(hours=2))
    await repos.login_failures.record(["user:sam"], NOW, NOW - timedelta(minutes=15))  # prunes the old one
    assert await repos.login_failures.since("user:sam", NOW - timedelta(days=1)) == [NOW]
    await repos.login_failures.clear("user:sam")
    assert await repos.login_failures.since("user:sam", NOW - timedelta(days=1)) == []

    user_id = await add_user(repos, "tom")
    await repos.password_changes.require(user_id, NOW)
    assert await repos.password_changes.is_required(user_id)
    await repos.password_changes.done(user_id)
    assert not await repos.password_changes.is_required(user_id)
