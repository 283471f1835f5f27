"""Remote actors from real servers' documents: parsing, caching, keys."""
from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from bovine.crypto import generate_rsa_public_private_key

from federation.remote_actors import ActorDocumentError, RemoteActorResolver, parse_actor
from federation.safe_http import FetchError
from federation.signatures import SignatureError, load_signing_key, sign_request, verify_request
from storage.migrations import open_database
from tests.support.postgres import database_for
from storage.remote_actors import RemoteActorRepository

FIXTURES = Path(__file__).parent.parent / "fixtures" / "actors"
MASTODON = "https://ap.example.com/users/foo"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# Parsing real documents ----------------------------------------------------------


def test_mastodon_person():
    actor = parse_actor(fixture("mastodon_person.json"), MASTODON)
    assert (actor.id, actor.type, actor.handle) == (MASTODON, "Person", "@foo@ap.example.com")
    assert actor.inbox == MASTODON + "/inbox"
    assert actor.delivery_inbox == actor.shared_inbox == "https://ap.example.com/inbox"
    assert actor.public_key_id == MASTODON + "#main-key"
    assert actor.public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert actor.name is None  # Mastodon sends "" for no display name
    assert actor.display_name == "foo"
    assert actor.icon_url == "https://quitter.no/avatar/7477-300-20160211190340.png"
    assert actor.url == "https://ap.example.com/@foo"
    assert actor.followers == MASTODON + "/followers"


def test_mobilizon_person_with_a_pkcs1_key():
    url = "https://test.mobilizon.org/@Alicia"
    actor = parse_actor(fixture("mobilizon_person.json"), url)
    assert (actor.type, actor.name, actor.shared_inbox) == ("Person", "Alicia", "https://test.mobilizon.org/inbox")
    assert "BEGIN RSA PUBLIC KEY" in actor.public_key_pem
    assert actor.icon_url is None


def test_lemmy_group():
    url = "https://enterprise.lemmy.ml/c/tenforward"
    actor = parse_actor(fixture("lemmy_group.json"), url)
    assert (actor.type, actor.handle, actor.name) == ("Group", "@tenforward@enterprise.lemmy.ml", "Ten Forward")
    assert actor.icon_url == "https://enterprise.lemmy.ml/pictrs/image/waqyZwLAy4.webp"
    assert actor.delivery_inbox == "https://enterprise.lemmy.ml/inbox"


def test_gancio_application_without_shared_inbox():
    url = "https://demo.gancio.org/federation/u/gancio"
    actor = parse_actor(fixture("gancio_application.json"), url)
    assert (actor.type, actor.shared_inbox) == ("Application", None)
    assert actor.delivery_inbox == url + "/inbox"


def test_shapes_other_servers_send():
    document = fixture("mastodon_person.json")
    key = document["publicKey"]
    second = {**key, "id": MASTODON + "#second-key"}
    document.update(type=["Service", "as:Bot"], publicKey=[key, second],
                    icon=[{"type": "Image", "url": [{"href": "https://cdn.example/a.png"}]}],
                    url={"type": "Link", "href": "https://ap.example.com/@foo"})
    actor = parse_actor(document, MASTODON, key_id=MASTODON + "#second-key")
    assert actor.type == "Service"
    assert actor.public_key_id == MASTODON + "#second-key"
    assert actor.icon_url == "https://cdn.example/a.png"
    assert actor.url == "https://ap.example.com/@foo"
    document["icon"] = "https://cdn.example/b.png"
    assert parse_actor(document, MASTODON).icon_url == "https://cdn.example/b.png"


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("inbox"), "no inbox"),
    (lambda d: d.pop("publicKey"), "publicKey"),
    (lambda d: d["publicKey"].update(owner="https://ap.example.com/users/other"), "publicKey"),
    (lambda d: d["publicKey"].update(publicKeyPem="not a key"), "publicKey"),
    (lambda d: d.update(type="Note"), "not an actor"),
    (lambda d: d.update(id="https://evil.example/users/foo"), "another host"),
    (lambda d: d.pop("id"), "no http"),
])
def test_unusable_documents_are_refused_with_a_clear_error(change, message):
    document = fixture("mastodon_person.json")
    change(document)
    with pytest.raises(ActorDocumentError, match=message):
        parse_actor(document, MASTODON)


# Resolving and caching --------------------------------------------------------------


class FakePeers:
    """Stands in for FederationClient: documents by URL, WebFinger by handle."""

    def __init__(self, documents: dict[str, dict[str, Any]], handles: dict[str, str] | None = None) -> None:
        self.documents = documents
        self.handles = handles or {}
        self.fetched: list[str] = []
        self.delay = 0.0

    async def get_json(self, url: str) -> dict[str, Any]:
        self.fetched.append(url)
        await asyncio.sleep(self.delay)
        if url not in self.documents:
            raise FetchError(url, "HTTP 404", 404)
        return copy.deepcopy(self.documents[url])

    async def webfinger(self, handle: str) -> str:
        if handle not in self.handles:
            raise FetchError(handle, "HTTP 404", 404)
        return self.handles[handle]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[RemoteActorRepository]:
    database = await open_database(database_for(tmp_path / "chapter.sqlite3"))
    yield RemoteActorRepository(database)
    await database.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


async def test_actor_is_fetched_once_then_served_from_the_database(store, clock):
    peers = FakePeers({MASTODON: fixture("mastodon_person.json")})
    resolver = RemoteActorResolver(peers, store, clock=clock)
    first = await resolver.get(MASTODON)
    second = await RemoteActorResolver(peers, store, clock=clock).get(MASTODON)  # e.g. after a restart
    assert first == second and peers.fetched == [MASTODON]


async def test_old_entries_and_refresh_fetch_again(store, clock):
    peers = FakePeers({MASTODON: fixture("mastodon_person.json")})
    resolver = RemoteActorResolver(peers, store, max_age=timedelta(days=1), clock=clock)
    await resolver.get(MASTODON)
    peers.documents[MASTODON]["name"] = "Foo, renamed"
    clock.now += timedelta(hours=23)
    assert (await resolver.get(MASTODON)).name is None
    assert (await resolver.get(MASTODON, refresh=True)).name == "Foo, renamed"
    clock.now += timedelta(days=2)
    peers.documents[MASTODON]["name"] = "Foo, again"
    assert (await resolver.get(MASTODON)).name == "Foo, again"
    assert len(peers.fetched) == 3


async def test_a_peer_that_is_down_keeps_its_cached_actor_unless_refresh_is_asked(store, clock):
    peers = FakePeers({MASTODON: fixture("mastodon_person.json")})
    resolver = RemoteActorResolver(peers, store, clock=clock)
    await resolver.get(MASTODON)
    del peers.documents[MASTODON]
    clock.now += timedelta(days=3)
    assert (await resolver.get(MASTODON)).id == MASTODON
    with pytest.raises(FetchError):
        await resolver.get(MASTODON, refresh=True)


async def test_concurrent_requests_for_a_new_actor_fetch_it_once(store, clock):
    peers = FakePeers({MASTODON: fixture("mastodon_person.json")})
    peers.delay = 0.05
    resolver = RemoteActorResolver(peers, store, clock=clock)
    actors = await asyncio.gather(*(resolver.get(MASTODON) for _ in range(5)))
    assert {actor.id for actor in actors} == {MASTODON} and peers.fetched == [MASTODON]


async def test_by_handle_uses_webfinger_then_the_actor(store, clock):
    lemmy = "https://enterprise.lemmy.ml/c/tenforward"
    peers = FakePeers({lemmy: fixture("lemmy_group.json")}, {"@tenforward@enterprise.lemmy.ml": lemmy})
    actor = await RemoteActorResolver(peers, store, clock=clock).by_handle("@tenforward@enterprise.lemmy.ml")
    assert actor.type == "Group" and actor.id == lemmy


async def test_a_document_about_another_host_is_not_cached(store, clock):
    document = fixture("mastodon_person.json")
    peers = FakePeers({"https://mirror.example/users/foo": document})
    with pytest.raises(ActorDocumentError):
        await RemoteActorResolver(peers, store, clock=clock).get("https://mirror.example/users/foo")
    assert await store.get(MASTODON) is None


# Keys ----------------------------------------------------------------------------


async def test_fragment_key_id_fetches_the_actor_and_is_cached(store, clock):
    peers = FakePeers({MASTODON: fixture("mastodon_person.json")})
    resolver = RemoteActorResolver(peers, store, clock=clock)
    info = await resolver.key_lookup(MASTODON + "#main-key", False)
    assert info is not None and (info.key_id, info.owner) == (MASTODON + "#main-key", MASTODON)
    assert await resolver.key_lookup(MASTODON + "#main-key", False) == info
    assert peers.fetched == [MASTODON]
    await resolver.key_lookup(MASTODON + "#main-key", True)
    assert peers.fetched == [MASTODON, MASTODON]


async def test_key_object_with_its_own_url_leads_to_its_owner(store, clock):
    gts = "https://gts.example/users/alice"
    actor = fixture("mastodon_person.json")
    actor.update(id=gts, inbox=gts + "/inbox", endpoints={})
    actor["publicKey"].update(id=gts + "/main-key", owner=gts)
    key_document = {"id": gts + "/main-key", "owner": gts, "publicKeyPem": actor["publicKey"]["publicKeyPem"]}
    peers = FakePeers({gts: actor, gts + "/main-key": key_document})
    info = await RemoteActorResolver(peers, store, clock=clock).key_lookup(gts + "/main-key", False)
    assert info is not None and info.owner == gts
    assert peers.fetched == [gts + "/main-key", gts]


async def test_a_burst_signed_with_a_new_key_fetches_the_key_once(store, clock):
    """A new peer's first deliveries (or a follower surge) arrive together, all
    signed with a key we do not know: one fetch serves every one of them."""
    peers = FakePeers({MASTODON: fixture("mastodon_person.json")})
    peers.delay = 0.05
    resolver = RemoteActorResolver(peers, store, clock=clock)
    infos = await asyncio.gather(*(resolver.key_lookup(MASTODON + "#main-key", False) for _ in range(20)))
    assert {(info.key_id, info.owner) for info in infos if info is not None} == {(MASTODON + "#main-key", MASTODON)}
    assert None not in infos and peers.fetched == [MASTODON]
    # A failed fetch is shared too, and not remembered: the next burst tries again.
    peers.documents.clear()
    other = "https://mastodon.example/users/gone#main-key"
    assert await asyncio.gather(*(resolver.key_lookup(other, False) for _ in range(5))) == [None] * 5
    assert peers.fetched == [MASTODON, "https://mastodon.example/users/gone"]
    assert await resolver.key_lookup(other, False) is None
    assert peers.fetched.count("https://mastodon.example/users/gone") == 2


@pytest.mark.parametrize("owner", ["https://evil.example/users/alice", None])
async def test_key_object_must_name_an_owner_on_its_own_host(store, clock, owner):
    key_document = {"id": "https://gts.example/keys/1", "owner": owner, "publicKeyPem": "x"}
    peers = FakePeers({"https://gts.example/keys/1": key_document,
                       "https://evil.example/users/alice": fixture("mastodon_person.json")})
    assert await RemoteActorResolver(peers, store, clock=clock).key_lookup("https://gts.example/keys/1", False) is None
    assert "https://evil.example/users/alice" not in peers.fetched


async def test_key_id_the_actor_does_not_publish_is_unknown(store, clock):
    peers = FakePeers({MASTODON: fixture("mastodon_person.json")})
    resolver = RemoteActorResolver(peers, store, clock=clock)
    assert await resolver.key_lookup(MASTODON + "#other-key", False) is None
    assert await resolver.key_lookup("https://gone.example/users/x#main-key", False) is None


async def test_signed_request_verifies_through_the_resolver_and_survives_key_rotation(store, clock):
    old_public, old_private = generate_rsa_public_private_key()
    new_public, new_private = generate_rsa_public_private_key()
    document = fixture("mastodon_person.json")
    document["publicKey"]["publicKeyPem"] = old_public
    peers = FakePeers({MASTODON: document})
    resolver = RemoteActorResolver(peers, store, clock=clock)
    body = b'{"type":"Follow"}'

    def signed(private_pem: str) -> dict[str, str]:
        key = load_signing_key(MASTODON + "#main-key", MASTODON, private_pem)
        return sign_request("POST", "https://chapter.example/inbox", key=key, body=body, now=clock.now)

    verified = await verify_request("POST", "/inbox", signed(old_private), body, resolver.key_lookup, now=clock.now)
    assert verified.owner == MASTODON and peers.fetched == [MASTODON]

    # The actor rotates its key: our cached key fails, one refetch finds the new one.
    peers.documents[MASTODON]["publicKey"]["publicKeyPem"] = new_public
    verified = await verify_request("POST", "/inbox", signed(new_private), body, resolver.key_lookup, now=clock.now)
    assert verified.owner == MASTODON and peers.fetched == [MASTODON, MASTODON]
    assert (await store.get(MASTODON)).public_key_pem == new_public

    # A key nobody published still fails after that one refetch.
    _, stranger = generate_rsa_public_private_key()
    with pytest.raises(SignatureError):
        await verify_request("POST", "/inbox", signed(stranger), body, resolver.key_lookup, now=clock.now)
    assert len(peers.fetched) == 3
