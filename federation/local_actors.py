"""Our own actors as federation sees them: their URLs and their signing keys,
loaded once and kept in memory (parsing an RSA key costs about 40 ms)."""
from __future__ import annotations

from fedchapter.actors import LocalActor, LocalActorKind
from federation.ports import ChapterStore, LocalActorStore
from federation.signatures import SigningKey, load_signing_key
from federation.urls import Urls


def local_actor_url(urls: Urls, actor: LocalActor) -> str:
    if actor.kind is LocalActorKind.APPLICATION:
        return urls.instance_actor()
    return urls.actor(actor.username)


async def chapter_actor(chapter: ChapterStore, actors: LocalActorStore) -> LocalActor:
    """The chapter's Group: the actor that publishes, follows and answers follows."""
    profile = await chapter.get()
    actor = None if profile is None else await actors.by_id(profile.actor_id)
    if actor is None:
        raise RuntimeError("the database has no chapter actor; was 'fedchapter init' run?")
    return actor


def signing_key_for(urls: Urls, actor: LocalActor) -> SigningKey:
    actor_url = local_actor_url(urls, actor)
    return load_signing_key(urls.key_id(actor_url), actor_url, actor.private_key_pem)


class SigningKeys:
    """The signing key of each of our actors, by their row id."""

    def __init__(self, urls: Urls, actors: LocalActorStore) -> None:
        self.urls = urls
        self.actors = actors
        self._keys: dict[int, SigningKey] = {}

    async def for_actor(self, local_actor_id: int) -> SigningKey:
        key = self._keys.get(local_actor_id)
        if key is None:
            actor = await self.actors.by_id(local_actor_id)
            if actor is None:
                raise LookupError(f"no local actor {local_actor_id}")
            key = self._keys[local_actor_id] = signing_key_for(self.urls, actor)
        return key
