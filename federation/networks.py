"""Affiliation on the wire (docs/networks.md): a chapter's ``Join{actor:
CHAPTER, object: NETWORK}`` and ``Leave``, the network's ``Accept`` /
``Reject`` embedding the Join, and how a network's Group says it is one
(``fc:network: true``)."""
from __future__ import annotations

from typing import Any, Protocol

from fedchapter.errors import N_, ValidationError
from fedchapter.networks.model import MemberChapter
from federation.follows import FollowService
from federation.local_actors import chapter_actor, local_actor_url
from federation.outbound import Outbound
from federation.ports import FederationStores
from federation.safe_http import FetchError
from federation.urls import Urls
from federation.vocabulary import FEDCHAPTER_NS, context


class DocumentFetcher(Protocol):
    async def get_json(self, url: str) -> dict[str, Any]: ...


def is_network_actor(document: dict[str, Any]) -> bool:
    """Whether an actor document is a network's Group (compact or expanded term)."""
    flag = document.get("fc:network", document.get(FEDCHAPTER_NS + "network"))
    return flag is True


def network_fields(urls: Urls, username: str) -> dict[str, Any]:
    """What a network's Group carries beyond a chapter's."""
    return {"fc:network": True, "fc:memberChapters": urls.absolute("/network/chapters")}


class FederatedNetworkLink:
    """The chapter side: finding a network and speaking to it."""

    def __init__(
        self, *, stores: FederationStores, follows: FollowService, fetcher: DocumentFetcher,
        outbound: Outbound, urls: Urls,
    ) -> None:
        self.stores = stores
        self.follows = follows
        self.fetcher = fetcher
        self.outbound = outbound
        self.urls = urls

    async def find_network(self, target: str) -> tuple[str, str]:
        try:
            actor = await self.follows.resolve(target)
            document = await self.fetcher.get_json(actor.id)
        except FetchError as error:
            raise ValidationError("network", N_("cannot reach %(target)s: %(reason)s"),
                                  target=target, reason=error.reason) from None
        if not is_network_actor(document):
            raise ValidationError("network", N_("%(id)s is not a network (its actor has no fc:network)"), id=actor.id)
        return actor.id, actor.display_name

    async def send_join(self, network: str) -> str:
        return await self._send("Join", network)

    async def send_leave(self, network: str) -> None:
        await self._send("Leave", network)

    async def follow(self, network: str) -> None:
        await self.follows.follow(network)

    async def unfollow(self, network: str) -> None:
        await self.follows.unfollow(network)

    async def _send(self, verb: str, network: str) -> str:
        chapter = await chapter_actor(self.stores.chapter, self.stores.actors)
        activity = {
            "@context": context(),
            "id": self.outbound.new_activity_id(),
            "type": verb,
            "actor": local_actor_url(self.urls, chapter),
            "object": network,
            "to": [network],
        }
        await self.outbound.send(activity, chapter, [network])
        return str(activity["id"])


class FederatedAffiliationAnswers:
    """The network side: Accept or Reject embedding the chapter's Join."""

    def __init__(self, *, stores: FederationStores, outbound: Outbound, urls: Urls) -> None:
        self.stores = stores
        self.outbound = outbound
        self.urls = urls

    async def answer(self, chapter: MemberChapter, verb: str, reason: str | None = None) -> None:
        network = await chapter_actor(self.stores.chapter, self.stores.actors)
        activity: dict[str, Any] = {
            "@context": context(),
            "id": self.outbound.new_activity_id(),
            "type": verb,
            "actor": local_actor_url(self.urls, network),
            "object": {key: value for key, value in chapter.join_activity.items() if key != "@context"},
            "to": [chapter.actor],
        }
        if reason:
            activity["summary"] = reason
        await self.outbound.send(activity, network, [chapter.actor])
