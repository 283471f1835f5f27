"""What federation needs of the database, as interfaces.

federation never imports ``storage`` (docs/architecture.md): the composition
root hands it ``storage.repositories.Repositories``, which satisfies
:class:`FederationStores` structurally. Only the methods federation calls are
listed here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any, Protocol

from fedchapter.actors import LocalActor, RemoteActor
from fedchapter.chapter import ChapterProfile
from fedchapter.inbox_rows import InboxEntry

# Rows ----------------------------------------------------------------------


class FollowerRow(Protocol):
    actor_id: str
    inbox: str
    shared_inbox: str | None
    follow_activity_id: str
    state: str
    id: int
    created_at: str


class FollowedRow(Protocol):
    actor_id: str
    follow_activity_id: str
    state: str


class InboxRowLike(Protocol):
    id: int
    activity_id: str
    actor_id: str
    type: str
    local_actor_id: int | None
    payload: dict[str, Any]


class DeliveryRow(Protocol):
    id: int
    activity_id: str
    local_actor_id: int
    inbox: str | None
    recipient_actor_id: str | None
    host: str
    attempts: int
    created_at: datetime
    payload: str


# Repositories --------------------------------------------------------------


class UnitOfWork(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[object]: ...


class LocalActorStore(Protocol):
    async def by_id(self, actor_id: int) -> LocalActor | None: ...

    async def by_username(self, username: str) -> LocalActor | None: ...


class ChapterStore(Protocol):
    async def get(self) -> ChapterProfile | None: ...


class FollowerStore(Protocol):
    async def upsert(
        self, local_actor_id: int, *, actor_id: str, inbox: str, shared_inbox: str | None,
        follow_activity_id: str, state: str,
    ) -> None: ...

    async def get(self, local_actor_id: int, actor_id: str) -> FollowerRow | None: ...

    async def by_number(self, local_actor_id: int, number: int) -> FollowerRow | None: ...

    async def listing(self, local_actor_id: int, state: str, *, limit: int, offset: int) -> list[FollowerRow]: ...

    async def remove(self, local_actor_id: int, actor_id: str) -> bool: ...

    async def remove_everywhere(self, actor_id: str) -> None: ...

    async def remove_domain(self, domain: str) -> None: ...

    async def delivery_inboxes(self, local_actor_id: int) -> list[str]: ...


class FollowingStore(Protocol):
    async def add(self, local_actor_id: int, actor_id: str, follow_activity_id: str) -> None: ...

    async def get(self, local_actor_id: int, actor_id: str) -> FollowedRow | None: ...

    async def by_follow_id(self, follow_activity_id: str) -> tuple[int, FollowedRow] | None: ...

    async def set_state(self, local_actor_id: int, actor_id: str, state: str) -> bool: ...

    async def remove(self, local_actor_id: int, actor_id: str) -> None: ...

    async def remove_everywhere(self, actor_id: str) -> None: ...

    async def remove_domain(self, domain: str) -> None: ...


class OutboxStore(Protocol):
    async def add(self, local_actor_id: int, activity: dict[str, Any], *, public: bool) -> None: ...

    async def latest(self, local_actor_id: int, type: str, object_id: str) -> dict[str, Any] | None: ...


class RemoteActorCache(Protocol):
    async def get(self, actor_id: str) -> RemoteActor | None: ...

    async def get_by_key_id(self, key_id: str) -> RemoteActor | None: ...

    async def save(self, actor: RemoteActor, document: Mapping[str, Any] | None = None) -> None: ...

    async def remove(self, actor_id: str) -> None: ...

    async def raw_document(self, actor_id: str) -> dict[str, Any] | None: ...


class InboxStore(Protocol):
    async def store_received(self, received: Sequence[InboxEntry]) -> None:
        """Store them all in one transaction (one already stored only counts a redelivery)."""
        ...

    async def backlog(self) -> int: ...

    async def claim(
        self, limit: int, *, now: datetime, lease: timedelta, owner: str | None = None
    ) -> Sequence[InboxRowLike]: ...

    async def lease_holders(self) -> list[str]: ...

    async def release_leases_of(self, owners: list[str]) -> int: ...

    async def finish(self, row_id: int, state: str, *, error: str | None, now: datetime) -> None: ...

    async def finish_many(self, outcomes: list[tuple[int, str, str | None]], *, now: datetime) -> None: ...

    async def release(self, row_ids: list[int]) -> None: ...


class DeliveryStore(Protocol):
    async def enqueue(
        self, activity_id: str, local_actor_id: int, targets: Iterable[tuple[str, str | None, str | None]],
        *, now: datetime,
    ) -> int: ...

    async def due(self, *, now: datetime, probe_before: datetime, limit: int) -> Sequence[DeliveryRow]: ...

    async def next_due_at(self) -> datetime | None: ...

    async def claim(self, ids: list[int], *, lease_until: datetime, owner: str | None = None) -> set[int]: ...

    async def take_due(
        self, *, now: datetime, probe_before: datetime, limit: int,
        choose: Callable[[list[Any]], list[Any]], lease_until: datetime, owner: str,
    ) -> Sequence[DeliveryRow]: ...

    async def lease_holders(self) -> list[str]: ...

    async def release_leases_of(self, owners: list[str]) -> int: ...

    async def release_stale_leases(self, now: datetime) -> int: ...

    async def set_inbox(self, delivery_id: int, inbox: str) -> None: ...

    # ``held``: (worker id, attempts at claim): recorded only while still held so.
    async def mark_delivered(
        self, delivery_id: int, *, status: int | None, now: datetime, held: tuple[str, int] | None = None
    ) -> bool: ...

    # ``outcomes``: (delivery id, status, finished at, attempts at claim), held by ``owner``.
    async def mark_delivered_many(
        self, outcomes: Sequence[tuple[int, int | None, datetime, int]], *, owner: str
    ) -> None: ...

    async def schedule_retry(
        self, delivery_id: int, *, next_try_at: datetime, status: int | None, error: str | None,
        held: tuple[str, int] | None = None,
    ) -> bool: ...

    async def mark_failed(
        self, delivery_id: int, *, status: int | None, error: str | None, now: datetime, attempted: bool = True,
        held: tuple[str, int] | None = None,
    ) -> bool: ...

    async def expire(self, *, created_before: datetime, now: datetime) -> int: ...

    async def release_host(self, host: str, now: datetime) -> int: ...

    async def cancel_to_actor(self, actor_id: str, inbox: str | None) -> int: ...

    async def cancel_to_host(self, host: str) -> int: ...


class HostStateLike(Protocol):
    available: bool


class DeliveryHostStore(Protocol):
    async def record_success(self, host: str, now: datetime) -> bool: ...

    async def record_failure(
        self, host: str, now: datetime, *, unavailable_after_days: int,
        pause_after_failures: int, pause: timedelta,
    ) -> HostStateLike: ...

    async def restore(self, host: str, now: datetime) -> bool: ...

    async def record_type_success(self, host: str, activity_type: str, now: datetime) -> None: ...

    async def record_successes(self, successes: Iterable[tuple[str, str]], now: datetime) -> set[str]: ...

    async def answers_other_types(self, host: str, activity_type: str, since: datetime) -> bool: ...

    async def signature_scheme(self, host: str) -> str | None: ...

    async def signature_schemes(self, hosts: Iterable[str]) -> dict[str, str | None]: ...

    async def remember_signature_scheme(self, host: str, scheme: str) -> None: ...


class BlockCheck(Protocol):
    """Whether the other side is blocked: what the inbox and deliveries ask."""

    async def is_blocked(self, actor_id: str) -> bool: ...

    async def is_domain_blocked(self, host: str) -> bool: ...


class BlockStore(Protocol):
    """The block list as admins change it; the checks read it through :class:`BlockCheck`."""

    async def add(self, kind: str, value: str, reason: str = "") -> bool: ...

    async def remove(self, kind: str, value: str) -> bool: ...


class TombstoneStore(Protocol):
    async def add(self, url: str, former_type: str, deleted_at: datetime) -> None: ...

    async def is_gone(self, url: str) -> bool: ...


class FederationStores(Protocol):
    """The repositories federation uses; ``storage.repositories.Repositories`` is one."""

    @property
    def database(self) -> UnitOfWork: ...
    @property
    def actors(self) -> LocalActorStore: ...
    @property
    def chapter(self) -> ChapterStore: ...
    @property
    def followers(self) -> FollowerStore: ...
    @property
    def following(self) -> FollowingStore: ...
    @property
    def outbox(self) -> OutboxStore: ...
    @property
    def remote_actors(self) -> RemoteActorCache: ...
    @property
    def inbox(self) -> InboxStore: ...
    @property
    def deliveries(self) -> DeliveryStore: ...
    @property
    def delivery_hosts(self) -> DeliveryHostStore: ...
    @property
    def blocks(self) -> BlockStore: ...
    @property
    def recent_blocks(self) -> BlockCheck:
        """The block list as the hot paths read it (every inbox POST and
        activity, every delivery queued and sent): from memory, so a block
        made by another process may take seconds to count here."""
        ...
    @property
    def tombstones(self) -> TombstoneStore: ...
