"""Blocking an actor or a whole domain: their inbox posts are refused, nothing
more is delivered to them (pending deliveries are cancelled) and their
follows are removed, both ways."""
from __future__ import annotations

from urllib.parse import urlsplit

from fedchapter.errors import ValidationError
from federation.ports import FederationStores


def normalise_domain(domain: str) -> str:
    text = domain.strip().lower()
    if "://" in text:
        text = urlsplit(text).netloc
    text = text.strip("/").lstrip("@")
    if not text or "/" in text or "@" in text or " " in text:
        raise ValidationError("domain", f"not a domain: {domain!r}")
    return text


class BlockService:
    def __init__(self, stores: FederationStores) -> None:
        self.stores = stores

    async def block_actor(self, actor_id: str, reason: str = "") -> None:
        if not actor_id.startswith(("http://", "https://")):
            raise ValidationError("actor", "give the actor's URL")
        cached = await self.stores.remote_actors.get(actor_id)
        async with self.stores.database.transaction():
            await self.stores.blocks.add("actor", actor_id, reason)
            await self.stores.followers.remove_everywhere(actor_id)
            await self.stores.following.remove_everywhere(actor_id)
            await self.stores.deliveries.cancel_to_actor(actor_id, cached.inbox if cached else None)

    async def block_domain(self, domain: str, reason: str = "") -> str:
        host = normalise_domain(domain)
        async with self.stores.database.transaction():
            await self.stores.blocks.add("domain", host, reason)
            await self.stores.followers.remove_domain(host)
            await self.stores.following.remove_domain(host)
            await self.stores.deliveries.cancel_to_host(host)
        return host

    async def unblock_actor(self, actor_id: str) -> bool:
        return await self.stores.blocks.remove("actor", actor_id)

    async def unblock_domain(self, domain: str) -> bool:
        return await self.stores.blocks.remove("domain", normalise_domain(domain))
