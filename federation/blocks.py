"""Blocking an actor or a whole domain: their inbox posts are refused, nothing
more is delivered to them (pending deliveries are cancelled) and their
follows are removed, both ways.

A blocked account is also told, as Mastodon does: the chapter's Group sends
``Block{object: ACCOUNT}`` to the account's own inbox (its server then hides
the chapter from it and drops its follow), and ``Undo(Block)`` on unblock.
Only an account we have cached is told (blocking never fetches anything).
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fedchapter.errors import N_, ValidationError
from federation.local_actors import chapter_actor, local_actor_url
from federation.outbound import Outbound
from federation.ports import FederationStores
from federation.urls import Urls


def normalise_domain(domain: str) -> str:
    text = domain.strip().lower()
    if "://" in text:
        text = urlsplit(text).netloc
    text = text.strip("/").lstrip("@")
    if not text or "/" in text or "@" in text or " " in text:
        raise ValidationError("domain", N_("not a domain: %(domain)s"), domain=repr(domain))
    return text


class BlockService:
    def __init__(self, stores: FederationStores, outbound: Outbound, urls: Urls) -> None:
        self.stores = stores
        self.outbound = outbound
        self.urls = urls

    async def block_actor(self, actor_id: str, reason: str = "") -> None:
        if not actor_id.startswith(("http://", "https://")):
            raise ValidationError("actor", N_("give the actor's URL"))
        cached = await self.stores.remote_actors.get(actor_id)
        async with self.stores.database.transaction():
            await self.stores.blocks.add("actor", actor_id, reason)
            await self.stores.followers.remove_everywhere(actor_id)
            await self.stores.following.remove_everywhere(actor_id)
            await self.stores.deliveries.cancel_to_actor(actor_id, cached.inbox if cached else None)
            if cached is not None:
                # Queued after the cancel above, to the inbox itself: the
                # worker refuses rows addressed to a blocked actor by id.
                group = await chapter_actor(self.stores.chapter, self.stores.actors)
                block = {
                    "@context": "https://www.w3.org/ns/activitystreams",
                    "id": self.outbound.new_activity_id(), "type": "Block",
                    "actor": local_actor_url(self.urls, group), "object": actor_id,
                }
                await self.outbound.send(block, group, inboxes=[cached.inbox])

    async def block_domain(self, domain: str, reason: str = "") -> str:
        host = normalise_domain(domain)
        async with self.stores.database.transaction():
            await self.stores.blocks.add("domain", host, reason)
            await self.stores.followers.remove_domain(host)
            await self.stores.following.remove_domain(host)
            await self.stores.deliveries.cancel_to_host(host)
        return host

    async def unblock_actor(self, actor_id: str) -> bool:
        cached = await self.stores.remote_actors.get(actor_id)
        async with self.stores.database.transaction():
            removed = await self.stores.blocks.remove("actor", actor_id)
            group = await chapter_actor(self.stores.chapter, self.stores.actors)
            block = await self.stores.outbox.latest(group.id, "Block", actor_id)
            if removed and block is not None and cached is not None:
                await self.outbound.send(self._undo(block), group, inboxes=[cached.inbox])
        return removed

    def _undo(self, block: dict[str, Any]) -> dict[str, Any]:
        # Mastodon matches the embedded Block's actor and object, not its id.
        embedded = {key: value for key, value in block.items() if key != "@context"}
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": self.outbound.new_activity_id(), "type": "Undo",
            "actor": block["actor"], "object": embedded,
        }

    async def unblock_domain(self, domain: str) -> bool:
        return await self.stores.blocks.remove("domain", normalise_domain(domain))

    async def all(self) -> list[Any]:
        """Every block, for the moderators' page."""
        return list(await self.stores.blocks.all())
