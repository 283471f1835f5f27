"""A network's side of affiliation: chapters ask (Join), the network's admins
accept or refuse, set each chapter's weight (the delegates it sends) and name
its delegates; a chapter may leave.

Only an instance made with ``init --network`` takes member chapters; a request
to any other chapter is refused with that reason.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import N_, Conflict, DomainError, Forbidden, NotFound, ValidationError
from fedchapter.networks.model import (
    AffiliationStatus,
    MemberChapter,
    read_delegates,
    read_weight,
)
from fedchapter.publishing import UnitOfWork
from fedchapter.roles import Permission
from fedchapter.services.proposals import Requester
from fedchapter.tokens import new_short_id

ALL_STATUSES = tuple(AffiliationStatus)


class NotANetwork(DomainError):
    """An affiliation request reached a chapter that is not a network."""


class NetworkStore(Protocol):
    async def is_network(self) -> bool: ...
    async def chapter(self, chapter_id: str) -> MemberChapter | None: ...
    async def chapter_by_actor(self, actor: str) -> MemberChapter | None: ...
    async def chapters(
        self, statuses: tuple[AffiliationStatus, ...], limit: int, offset: int = 0
    ) -> list[MemberChapter]: ...
    async def put_request(self, chapter: MemberChapter) -> None: ...
    async def set_status(self, chapter_id: str, status: AffiliationStatus, at: datetime) -> None: ...
    async def set_weight_and_delegates(self, chapter_id: str, weight: int, delegates: tuple[str, ...]) -> None: ...


class AffiliationAnswers(Protocol):
    """Sends the network's answer to a chapter's Join (``federation.networks``)."""

    async def answer(self, chapter: MemberChapter, verb: str, reason: str | None = None) -> None: ...


class NetworkChapterService:
    def __init__(
        self, store: NetworkStore, answers: AffiliationAnswers, unit_of_work: UnitOfWork,
        *, clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.answers = answers
        self.unit_of_work = unit_of_work
        self.clock = clock

    async def is_network(self) -> bool:
        return await self.store.is_network()

    # From the inbox --------------------------------------------------------------
    async def receive_join(self, actor: str, name: str, join: dict[str, Any]) -> MemberChapter:
        """A chapter asks to join. A member asking again is answered again (it
        may have missed our Accept); anyone else waits for the admins."""
        if not await self.store.is_network():
            raise NotANetwork("this chapter is not a network; it takes no member chapters")
        existing = await self.store.chapter_by_actor(actor)
        if existing is not None and existing.status is AffiliationStatus.MEMBER:
            await self.answers.answer(existing, "Accept")
            return existing
        await self.store.put_request(MemberChapter(
            id=existing.id if existing else new_short_id(), actor=actor, name=name[:200], join_activity=join,
            status=AffiliationStatus.PENDING, weight=existing.weight if existing else 1,
            delegates=existing.delegates if existing else (), requested_at=self.clock(),
        ))
        stored = await self.store.chapter_by_actor(actor)
        assert stored is not None
        return stored

    async def receive_leave(self, actor: str) -> bool:
        chapter = await self.store.chapter_by_actor(actor)
        if chapter is None or chapter.status not in (AffiliationStatus.PENDING, AffiliationStatus.MEMBER):
            return False
        await self.store.set_status(chapter.id, AffiliationStatus.LEFT, self.clock())
        return True

    # The admins --------------------------------------------------------------------
    async def chapters(self, requester: Requester, limit: int, offset: int = 0) -> list[MemberChapter]:
        self._admin(requester)
        return await self.store.chapters(ALL_STATUSES, limit, offset)

    async def waiting(self, requester: Requester) -> list[MemberChapter]:
        """Requests the admins have yet to answer."""
        self._admin(requester)
        return await self.store.chapters((AffiliationStatus.PENDING,), 500)

    async def members(self) -> list[MemberChapter]:
        """The member chapters (public: the network's page lists them)."""
        found: list[MemberChapter] = []
        offset = 0
        while batch := await self.store.chapters((AffiliationStatus.MEMBER,), 500, offset):
            found.extend(batch)
            offset += len(batch)
        return found

    async def weights(self) -> dict[str, int]:
        """Each chapter's weight by its actor (those that left keep theirs for past reports)."""
        return await chapter_weights(self.store)

    async def accept(self, requester: Requester, chapter_id: str) -> MemberChapter:
        return await self._answer(requester, chapter_id, AffiliationStatus.MEMBER, "Accept")

    async def reject(self, requester: Requester, chapter_id: str) -> MemberChapter:
        return await self._answer(requester, chapter_id, AffiliationStatus.REJECTED, "Reject")

    async def update(self, requester: Requester, chapter_id: str, body: dict[str, Any]) -> MemberChapter:
        """Set a chapter's weight and/or delegates; anything else in the body is refused."""
        self._admin(requester)
        unknown = sorted(set(body) - {"weight", "delegates"})
        if unknown:
            raise ValidationError(unknown[0], N_("only weight and delegates can be changed"))
        chapter = await self._existing(chapter_id)
        weight = read_weight(body["weight"]) if "weight" in body else chapter.weight
        delegates = read_delegates(body["delegates"]) if "delegates" in body else chapter.delegates
        await self.store.set_weight_and_delegates(chapter.id, weight, delegates)
        return await self._existing(chapter.id)

    async def _answer(
        self, requester: Requester, chapter_id: str, status: AffiliationStatus, verb: str
    ) -> MemberChapter:
        self._admin(requester)
        async with self.unit_of_work.transaction():
            chapter = await self._existing(chapter_id)
            if chapter.status is not AffiliationStatus.PENDING:
                raise Conflict(f"the chapter's request is {chapter.status.value}, not pending")
            await self.store.set_status(chapter.id, status, self.clock())
            await self.answers.answer(chapter, verb)
        return await self._existing(chapter.id)

    def _admin(self, requester: Requester) -> None:
        if not requester.may(Permission.ADMINISTER):
            raise Forbidden("only the network's admins manage its member chapters")

    async def _existing(self, chapter_id: str) -> MemberChapter:
        chapter = await self.store.chapter(chapter_id)
        if chapter is None:
            raise NotFound("no such chapter")
        return chapter


async def chapter_weights(store: NetworkStore) -> dict[str, int]:
    """Each chapter's weight by its actor (those that left keep theirs for past reports)."""
    found: dict[str, int] = {}
    offset = 0
    while batch := await store.chapters(ALL_STATUSES, 500, offset):
        found.update((chapter.actor, chapter.weight) for chapter in batch)
        offset += len(batch)
    return found
