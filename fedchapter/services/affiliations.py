"""A chapter's side of belonging to networks: asking to join (``affiliate``),
the network's answer, leaving.

Asking sends ``Join{actor: CHAPTER, object: NETWORK}`` and follows the
network, so its events reach the chapter's network calendar; leaving sends
``Leave`` and stops following. What goes over the wire is the ``NetworkLink``'s
business (``federation.networks``).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import Conflict, Forbidden, NotFound
from fedchapter.networks.model import Affiliation, AffiliationStatus
from fedchapter.publishing import UnitOfWork
from fedchapter.roles import Permission
from fedchapter.services.proposals import Requester
from fedchapter.tokens import new_short_id


class AffiliationStore(Protocol):
    async def all(self) -> list[Affiliation]: ...
    async def get(self, affiliation_id: str) -> Affiliation | None: ...
    async def by_network(self, network: str) -> Affiliation | None: ...
    async def put(self, affiliation: Affiliation) -> None: ...
    async def set_status(self, affiliation_id: str, status: AffiliationStatus, at: datetime) -> None: ...


class NetworkLink(Protocol):
    async def find_network(self, target: str) -> tuple[str, str]:
        """(actor id, name) of ``@name@host`` or an actor URL; ValidationError
        when it cannot be reached or is not a network."""
        ...

    async def send_join(self, network: str) -> str:
        """Queue our Join to the network; its id."""
        ...

    async def send_leave(self, network: str) -> None: ...

    async def follow(self, network: str) -> None: ...

    async def unfollow(self, network: str) -> None: ...


class AffiliationService:
    def __init__(
        self, store: AffiliationStore, link: NetworkLink, unit_of_work: UnitOfWork,
        *, clock: Callable[[], datetime] = utc_now,
        on_member: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self.store = store
        self.link = link
        self.unit_of_work = unit_of_work
        self.clock = clock
        # Told when a network accepts us: we name our representative at its
        # meetings we already have (representative_naming).
        self.on_member = on_member

    async def affiliations(self, viewer: Requester | None) -> list[Affiliation]:
        if viewer is None or not viewer.may(Permission.SEE_MEMBERS_ONLY):
            raise Forbidden("only members see the chapter's affiliations")
        return await self.store.all()

    async def affiliate(self, requester: Requester | None, target: str) -> Affiliation:
        """Ask a network to take this chapter as a member (``requester`` None: the CLI)."""
        if requester is not None and not requester.may(Permission.ADMINISTER):
            raise Forbidden("only admins affiliate the chapter to a network")
        network, name = await self.link.find_network(target)
        existing = await self.store.by_network(network)
        if existing is not None and existing.status in (AffiliationStatus.PENDING, AffiliationStatus.MEMBER):
            raise Conflict(f"the chapter is already {existing.status.value} of {network}")
        async with self.unit_of_work.transaction():
            join_id = await self.link.send_join(network)
            await self.store.put(Affiliation(
                id=existing.id if existing else new_short_id(), network=network, name=name,
                join_activity=join_id, status=AffiliationStatus.PENDING, requested_at=self.clock(),
            ))
        # Following fetches nothing new (the network was just resolved) but
        # stays out of the transaction above, like every follow.
        await self.link.follow(network)
        stored = await self.store.by_network(network)
        assert stored is not None
        return stored

    async def leave(self, requester: Requester, affiliation_id: str) -> Affiliation:
        if not requester.may(Permission.ADMINISTER):
            raise Forbidden("only admins take the chapter out of a network")
        affiliation = await self.store.get(affiliation_id)
        if affiliation is None:
            raise NotFound("no such affiliation")
        if affiliation.status not in (AffiliationStatus.PENDING, AffiliationStatus.MEMBER):
            raise Conflict(f"the affiliation is {affiliation.status.value}; there is nothing to leave")
        async with self.unit_of_work.transaction():
            await self.store.set_status(affiliation.id, AffiliationStatus.LEFT, self.clock())
            await self.link.send_leave(affiliation.network)
        try:
            await self.link.unfollow(affiliation.network)
        except NotFound:
            pass  # never followed (or already stopped): nothing to undo
        left = await self.store.get(affiliation.id)
        assert left is not None
        return left

    async def settle(self, network: str, join_id: str | None, status: AffiliationStatus) -> bool:
        """The network's Accept or Reject of our Join. Only the network we asked
        settles it, and only the Join we sent (when the answer names one)."""
        affiliation = await self.store.by_network(network)
        if affiliation is None or affiliation.status is AffiliationStatus.LEFT:
            return False
        if join_id is not None and join_id != affiliation.join_activity:
            return False
        await self.store.set_status(affiliation.id, status, self.clock())
        if status is AffiliationStatus.MEMBER and self.on_member is not None:
            await self.on_member(network)
        return True

    async def is_member_of(self, network: str) -> bool:
        affiliation = await self.store.by_network(network)
        return affiliation is not None and affiliation.status is AffiliationStatus.MEMBER
