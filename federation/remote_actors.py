"""Remote actors: parse their documents, cache them, find their keys.

An actor document is trusted only for the host it was fetched from: a server
may describe its own actors, never another server's. Keys are cached with the
actor; the signature verifier asks again with ``refresh=True`` when a
signature fails, which covers key rotation.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from fedchapter.actors import RemoteActor
from fedchapter.clock import utc_now
from fedchapter.links import http_url
from federation.safe_http import FetchError
from federation.signatures import PublicKeyInfo, public_key_is_usable

ACTOR_TYPES = frozenset({"Person", "Group", "Service", "Application", "Organization"})
# How many senders' keys the resolver keeps in memory.
RECENT_KEYS = 2_000


class ActorDocumentError(ValueError):
    """The document is not an actor we can use."""


class RemoteActorStore(Protocol):
    async def get(self, actor_id: str) -> RemoteActor | None: ...

    async def get_by_key_id(self, key_id: str) -> RemoteActor | None: ...

    async def save(self, actor: RemoteActor, document: Mapping[str, Any] | None = None) -> None: ...


class ActorFetcher(Protocol):
    """What the resolver needs of :class:`federation.safe_http.FederationClient`."""

    async def get_json(self, url: str) -> dict[str, Any]: ...

    async def webfinger(self, handle: str) -> str: ...


# Parsing --------------------------------------------------------------------


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _first_string(value: Any) -> str | None:
    """The first http(s) URL in a string, a Link/Image object or a list of them.

    Every value read this way (url, icon, sharedInbox, followers) is a link we
    store and may render: a ``javascript:`` URL is dropped here."""
    if isinstance(value, str):
        return http_url(value)
    if isinstance(value, list):
        for item in value:
            found = _first_string(item)
            if found:
                return found
        return None
    if isinstance(value, dict):
        return _first_string(value.get("href")) or _first_string(value.get("url"))
    return None


def _types(document: Mapping[str, Any]) -> list[str]:
    value = document.get("type")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def is_actor_document(document: Mapping[str, Any]) -> bool:
    return any(kind in ACTOR_TYPES for kind in _types(document))


def _public_key(document: Mapping[str, Any], actor_id: str, wanted_key_id: str | None) -> tuple[str, str]:
    value = document.get("publicKey")
    candidates = value if isinstance(value, list) else [value]
    usable: list[tuple[str, str]] = []
    for candidate in candidates:
        if not isinstance(candidate, dict):
            continue
        key_id, pem = candidate.get("id"), candidate.get("publicKeyPem")
        if isinstance(pem, dict):  # compacted JSON-LD: {"@value": "..."}
            pem = pem.get("@value")
        owner = candidate.get("owner", actor_id)
        if isinstance(key_id, str) and isinstance(pem, str) and owner == actor_id and public_key_is_usable(pem):
            usable.append((key_id, pem))
    if not usable:
        raise ActorDocumentError(f"actor {actor_id} has no usable publicKey (id, owner, publicKeyPem)")
    for key_id, pem in usable:
        if key_id == wanted_key_id:
            return key_id, pem
    return usable[0]


def parse_actor(
    document: Mapping[str, Any],
    fetched_from: str,
    *,
    key_id: str | None = None,
    fetched_at: datetime | None = None,
) -> RemoteActor:
    """Turn an actor document into a RemoteActor; ``key_id`` picks among several keys."""
    actor_id = document.get("id")
    if not isinstance(actor_id, str) or urlsplit(actor_id).scheme not in ("http", "https"):
        raise ActorDocumentError("actor document has no http(s) id")
    if _host(actor_id) != _host(fetched_from):
        raise ActorDocumentError(f"{fetched_from} served an actor of another host: {actor_id}")
    kinds = [kind for kind in _types(document) if kind in ACTOR_TYPES]
    if not kinds:
        raise ActorDocumentError(f"{actor_id} is not an actor (type {document.get('type')!r})")
    inbox = document.get("inbox")
    if not isinstance(inbox, str) or not inbox:
        raise ActorDocumentError(f"actor {actor_id} has no inbox")
    public_key_id, public_key_pem = _public_key(document, actor_id, key_id)
    endpoints = document.get("endpoints")
    shared_inbox = _first_string(endpoints.get("sharedInbox")) if isinstance(endpoints, dict) else None
    name = document.get("name")
    preferred_username = document.get("preferredUsername")
    return RemoteActor(
        id=actor_id,
        type=kinds[0],
        inbox=inbox,
        public_key_id=public_key_id,
        public_key_pem=public_key_pem,
        fetched_at=fetched_at or utc_now(),
        preferred_username=preferred_username if isinstance(preferred_username, str) and preferred_username else None,
        name=name if isinstance(name, str) and name else None,
        shared_inbox=shared_inbox,
        url=_first_string(document.get("url")),
        icon_url=_first_string(document.get("icon")),
        followers=_first_string(document.get("followers")),
    )


# Resolving ------------------------------------------------------------------


class RemoteActorResolver:
    def __init__(
        self,
        client: ActorFetcher,
        store: RemoteActorStore,
        *,
        max_age: timedelta = timedelta(days=1),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.client = client
        self.store = store
        self.max_age = max_age
        self.clock = clock
        # A new peer's first burst brings many activities at once: fetch its actor
        # (keyed by URL) and its key (keyed by ("key", key id)) once, however many
        # requests ask for it meanwhile.
        self._in_flight: dict[str | tuple[str, str], asyncio.Future[RemoteActor]] = {}
        # Keys of recent senders, so a busy peer's POSTs skip the database; an
        # entry ages like the stored actor, and a failed signature refreshes it.
        self._recent_keys: OrderedDict[str, RemoteActor] = OrderedDict()

    def _remember_key(self, key_id: str, actor: RemoteActor) -> None:
        self._recent_keys[key_id] = actor
        self._recent_keys.move_to_end(key_id)
        while len(self._recent_keys) > RECENT_KEYS:
            self._recent_keys.popitem(last=False)

    def _is_fresh(self, actor: RemoteActor) -> bool:
        return self.clock() - actor.fetched_at < self.max_age

    async def get(self, actor_id: str, *, refresh: bool = False) -> RemoteActor:
        """The actor, from the cache while fresh; raises FetchError or ActorDocumentError."""
        cached = await self.store.get(actor_id)
        if cached is not None and not refresh and self._is_fresh(cached):
            return cached
        try:
            return await self._fetch_once(actor_id, key_id=None)
        except FetchError:
            if cached is not None and not refresh:
                return cached  # a peer that is down keeps its last known face
            raise

    async def by_handle(self, handle: str) -> RemoteActor:
        return await self.get(await self.client.webfinger(handle))

    async def _fetch_once(self, url: str, *, key_id: str | None) -> RemoteActor:
        return await self._once(url, lambda: self._fetch(url, key_id=key_id))

    async def _once(
        self, what: str | tuple[str, str], fetch: Callable[[], Awaitable[RemoteActor]]
    ) -> RemoteActor:
        """``fetch()``, unless the same ``what`` is being fetched: then its result."""
        pending = self._in_flight.get(what)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[RemoteActor] = asyncio.get_running_loop().create_future()
        self._in_flight[what] = future
        try:
            actor = await fetch()
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # mark retrieved: waiters may be none
            raise
        else:
            future.set_result(actor)
            return actor
        finally:
            del self._in_flight[what]

    async def _fetch(self, url: str, *, key_id: str | None) -> RemoteActor:
        document = await self.client.get_json(url)
        actor = parse_actor(document, url, key_id=key_id, fetched_at=self.clock())
        await self.store.save(actor, document)
        return actor

    # Keys -------------------------------------------------------------------

    async def key_lookup(self, key_id: str, refresh: bool) -> PublicKeyInfo | None:
        """The key for a signature's keyId, or None when it cannot be established."""
        if not refresh:
            cached = self._recent_keys.get(key_id) or await self.store.get_by_key_id(key_id)
            if cached is not None and self._is_fresh(cached):
                self._remember_key(key_id, cached)
                return _key_info(cached)
        self._recent_keys.pop(key_id, None)
        try:
            # A burst of POSTs signed with a key we do not know yet (a new peer's
            # first deliveries, a follower surge) fetches it once, not once per POST.
            actor = await self._once(("key", key_id), lambda: self._actor_for_key(key_id))
        except (FetchError, ActorDocumentError):
            return None
        if actor.public_key_id != key_id:
            return None  # the key is not (or no longer) this actor's
        self._remember_key(key_id, actor)
        return _key_info(actor)

    async def _actor_for_key(self, key_id: str) -> RemoteActor:
        document_url = key_id.split("#", 1)[0]
        document = await self.client.get_json(document_url)
        if is_actor_document(document):
            # .../users/alice#main-key: the key id's document is the actor itself.
            actor = parse_actor(document, document_url, key_id=key_id, fetched_at=self.clock())
            await self.store.save(actor, document)
            return actor
        # .../users/alice/main-key: a key object naming its owner.
        owner = document.get("owner") or document.get("controller")
        if not isinstance(owner, str) or _host(owner) != _host(key_id):
            raise ActorDocumentError(f"key {key_id} names no owner on its own host")
        return await self._fetch_once(owner, key_id=key_id)


def _key_info(actor: RemoteActor) -> PublicKeyInfo:
    return PublicKeyInfo(key_id=actor.public_key_id, owner=actor.id, public_key_pem=actor.public_key_pem)

