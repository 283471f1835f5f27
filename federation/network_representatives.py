"""Representatives at a network's meetings on the wire (docs/networks.md,
"Coordination meetings and representatives").

A member chapter takes part in one of its network's events with a ``Join``
of the event, as any participant RSVPs (Mobilizon reads a Join of an Event
from any actor, a Group included, as that actor's participation). The
chapter itself is the actor and signs it: that signature is its vouching for
whom it names in ``fc:representative`` (each a Person with a name, and an id
when the person has an actor), so the network needs no key of the person
and no second proof. When the office changes hands the chapter sends a new
Join; ``published`` (to the microsecond) orders them, and the network keeps
the latest.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from fedchapter.accounts import User
from fedchapter.clock import to_iso_microseconds, zoned_moment
from fedchapter.networks.representatives import NamedRepresentative
from fedchapter.role_terms import Holder
from federation.local_actors import chapter_actor, local_actor_url
from federation.outbound import Outbound
from federation.ports import FederationStores
from federation.urls import Urls
from federation.vocabulary import FEDCHAPTER_NS, context

REPRESENTATIVE = "fc:representative"


class UserById(Protocol):
    async def by_id(self, user_id: int) -> User | None: ...


def names_representatives(activity: dict[str, Any]) -> bool:
    """Whether a Join is a chapter naming its representatives (compact or expanded term)."""
    return REPRESENTATIVE in activity or FEDCHAPTER_NS + "representative" in activity


def representatives_from_as(activity: dict[str, Any]) -> tuple[NamedRepresentative, ...] | None:
    """The people a Join names; None when the value is not a list of named
    people (or one). A bare actor URL carries no name, so it does not do."""
    value = activity.get(REPRESENTATIVE, activity.get(FEDCHAPTER_NS + "representative"))
    items = value if isinstance(value, list) else [value]
    named: list[NamedRepresentative] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            return None
        actor = item.get("id")
        if actor is not None and not (isinstance(actor, str) and actor.startswith(("https://", "http://"))):
            return None
        named.append(NamedRepresentative(name=item["name"], actor=actor))
    return tuple(named)


def said_at(activity: dict[str, Any]) -> datetime | None:
    """The Join's ``published``, when it is a time with a zone."""
    return zoned_moment(activity.get("published"))


class FederatedRepresentativeCourier:
    """The chapter side: the Join naming our representatives, to the network alone."""

    def __init__(self, *, stores: FederationStores, users: UserById, outbound: Outbound, urls: Urls) -> None:
        self.stores = stores
        self.users = users
        self.outbound = outbound
        self.urls = urls

    async def name(self, network: str, meeting: str, holders: tuple[Holder, ...], said_at: datetime) -> None:
        chapter = await chapter_actor(self.stores.chapter, self.stores.actors)
        activity = {
            "@context": context(),
            "id": self.outbound.new_activity_id(),
            "type": "Join",
            "actor": local_actor_url(self.urls, chapter),
            "object": meeting,
            "published": to_iso_microseconds(said_at),
            REPRESENTATIVE: [await self._person(holder) for holder in holders],
            "to": [network],
        }
        await self.outbound.send(activity, chapter, [network])

    async def _person(self, holder: Holder) -> dict[str, Any]:
        person: dict[str, Any] = {"type": "Person", "name": holder.name}
        if holder.remote_actor_id is not None:
            person["id"] = holder.remote_actor_id
        elif holder.user_id is not None:
            user = await self.users.by_id(holder.user_id)
            if user is not None:
                person["id"] = self.urls.actor(user.username)
        return person
