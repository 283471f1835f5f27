"""The federation HTTP client against a real server on 127.0.0.1 (dev) and
against addresses it must refuse (production)."""
from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import httpcore
import httpx
import pytest
import uvicorn
from bovine.crypto import generate_rsa_public_private_key
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from federation.address_guard import AddressGuard, GuardedNetworkBackend, is_forbidden
from federation.safe_http import FederationClient, FetchError, parse_retry_after, split_handle
from federation.signatures import PublicKeyInfo, load_signing_key, verify_request

INSTANCE = "https://chapter.example/actor"
PUBLIC_IP = "93.184.215.14"  # never contacted: these tests use MockTransport for it


@pytest.fixture(scope="module")
def key_pair() -> tuple[str, str]:
    return generate_rsa_public_private_key()


@pytest.fixture
def instance_key(key_pair):
    return load_signing_key(INSTANCE + "#main-key", INSTANCE, key_pair[1])


# A real peer on 127.0.0.1 -----------------------------------------------------


@dataclass
class Peer:
    base: str
    public_key_pem: str
    received: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    verified_owners: list[str] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)  # ends slow answers at teardown


def peer_app(peer: Peer) -> Starlette:
    async def lookup(key_id: str, refresh: bool) -> PublicKeyInfo | None:
        return PublicKeyInfo(key_id, INSTANCE, peer.public_key_pem)

    async def record(request: Request) -> None:
        body = await request.body()
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        peer.received.append((request.method, target, dict(request.headers), body))
        if "signature" in request.headers:
            verified = await verify_request(request.method, target, request.headers, body, lookup)
            peer.verified_owners.append(verified.owner)

    async def actor(request: Request) -> Response:
        await record(request)
        return JSONResponse({"id": peer.base + "/actor", "type": "Group"},
                            media_type="application/activity+json")

    async def big(request: Request) -> Response:
        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(100):
                yield b" " * 10_000
        return StreamingResponse(chunks(), media_type="application/json")

    async def big_declared(request: Request) -> Response:
        return Response(b"[" + b"1," * 5000 + b"1]", media_type="application/json")

    async def loop(request: Request) -> Response:
        return RedirectResponse("/loop", status_code=302)

    async def hop(request: Request) -> Response:
        left = int(request.path_params["left"])
        return RedirectResponse(f"/hop/{left - 1}" if left else "/actor", status_code=301)

    async def slow(request: Request) -> Response:
        await asyncio.wait_for(peer.release.wait(), 5)
        return JSONResponse({})

    async def inbox(request: Request) -> Response:
        await record(request)
        return Response(status_code=202)

    async def busy_inbox(request: Request) -> Response:
        return Response("try later", status_code=503, headers={"Retry-After": "120"})

    async def webfinger(request: Request) -> Response:
        await record(request)
        host = peer.base.split("://", 1)[1]
        if request.query_params.get("resource") != f"acct:chapter@{host}":
            return Response(status_code=404)
        return JSONResponse({
            "subject": f"acct:chapter@{host}",
            "links": [
                {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": peer.base},
                {"rel": "self", "type": 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
                 "href": peer.base + "/actor"},
            ],
        }, media_type="application/jrd+json")

    return Starlette(routes=[
        Route("/actor", actor), Route("/big", big), Route("/big-declared", big_declared),
        Route("/html", lambda request: Response("<html></html>", media_type="text/html")),
        Route("/list", lambda request: JSONResponse([1, 2])),
        Route("/loop", loop), Route("/hop/{left}", hop), Route("/slow", slow),
        Route("/inbox", inbox, methods=["POST"]), Route("/busy", busy_inbox, methods=["POST"]),
        Route("/.well-known/webfinger", webfinger),
    ])


@pytest.fixture
async def peer(key_pair) -> AsyncIterator[Peer]:
    state = Peer(base="", public_key_pem=key_pair[0])
    config = uvicorn.Config(peer_app(state), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    state.base = f"http://127.0.0.1:{port}"
    yield state
    state.release.set()
    server.should_exit = True
    await task


@pytest.fixture
async def dev_client(instance_key) -> AsyncIterator[FederationClient]:
    client = FederationClient(dev=True, instance_key=instance_key, user_agent="fedchapter-test", timeout=2)
    yield client
    await client.aclose()


async def test_dev_fetch_from_loopback_is_signed_as_the_instance_actor(dev_client, peer):
    document = await dev_client.get_json(peer.base + "/actor")
    assert document["type"] == "Group"
    method, target, headers, _ = peer.received[0]
    assert (method, target) == ("GET", "/actor")
    assert headers["accept"].startswith("application/activity+json")
    assert headers["user-agent"] == "fedchapter-test"
    assert peer.verified_owners == [INSTANCE]


async def test_unsigned_fetch_sends_no_signature(dev_client, peer):
    await dev_client.get_json(peer.base + "/actor", signed=False)
    assert "signature" not in peer.received[0][2]


async def test_three_redirects_are_followed_and_each_hop_is_signed_again(dev_client, peer):
    document = await dev_client.get_json(peer.base + "/hop/2")
    assert document["id"] == peer.base + "/actor"
    assert peer.verified_owners == [INSTANCE]  # the final hop verified with its own target


async def test_more_than_three_redirects_and_loops_are_refused(dev_client, peer):
    with pytest.raises(FetchError, match="redirects"):
        await dev_client.get_json(peer.base + "/hop/3")
    with pytest.raises(FetchError, match="redirects"):
        await dev_client.get_json(peer.base + "/loop")


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
async def test_responses_over_the_size_limit_are_cut_off(instance_key, peer, path):
    client = FederationClient(dev=True, instance_key=instance_key, user_agent="t", max_bytes=5_000)
    try:
        with pytest.raises(FetchError) as caught:
            await client.get_json(peer.base + path)
        assert caught.value.status == 413
    finally:
        await client.aclose()


@pytest.mark.parametrize("path, reason", [("/html", "not JSON"), ("/list", "not a JSON object"),
                                          ("/nowhere", "HTTP 404")])
async def test_answers_that_are_not_a_json_object_are_errors(dev_client, peer, path, reason):
    with pytest.raises(FetchError, match=reason):
        await dev_client.get_json(peer.base + path)


async def test_slow_peer_times_out(instance_key, peer):
    client = FederationClient(dev=True, instance_key=instance_key, user_agent="t", timeout=0.3)
    try:
        with pytest.raises(FetchError, match="timed out|Timeout"):
            await client.get_json(peer.base + "/slow")
    finally:
        await client.aclose()


async def test_post_activity_delivers_a_signed_body(dev_client, peer, instance_key):
    body = json.dumps({"type": "Create", "actor": INSTANCE}).encode()
    outcome = await dev_client.post_activity(peer.base + "/inbox", body, instance_key)
    assert (outcome.status, outcome.retry_after, outcome.error) == (202, None, None)
    method, target, headers, received = peer.received[0]
    assert (method, target, received) == ("POST", "/inbox", body)
    assert headers["content-type"] == "application/activity+json"
    assert peer.verified_owners == [INSTANCE]


async def test_post_activity_reports_retry_after(dev_client, peer, instance_key):
    before = datetime.now(timezone.utc)
    outcome = await dev_client.post_activity(peer.base + "/busy", b"{}", instance_key)
    assert outcome.status == 503 and "try later" in (outcome.error or "")
    assert outcome.retry_after is not None
    assert before + timedelta(seconds=119) <= outcome.retry_after <= datetime.now(timezone.utc) + timedelta(seconds=121)


async def test_post_activity_never_raises_on_network_errors(dev_client, instance_key):
    # A port nobody listens on: take one from the OS, then close it.
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    outcome = await dev_client.post_activity(f"http://127.0.0.1:{port}/inbox", b"{}", instance_key)
    assert outcome.status is None and outcome.retry_after is None and outcome.error


async def test_webfinger_finds_the_activitypub_self_link(dev_client, peer):
    host = peer.base.split("://", 1)[1]
    assert await dev_client.webfinger(f"@chapter@{host}") == peer.base + "/actor"
    _, target, _, _ = peer.received[0]
    assert target == f"/.well-known/webfinger?resource=acct:chapter@{host}"
    with pytest.raises(FetchError):
        await dev_client.webfinger(f"nobody@{host}")


def test_split_handle():
    assert split_handle("@Chapter@Social.Example:8443") == ("Chapter", "social.example:8443")
    assert split_handle("acct:alice@a.example") == ("alice", "a.example")
    for bad in ("alice", "@alice@", "a@b@c", "alice@host/path"):
        with pytest.raises(ValueError):
            split_handle(bad)


def test_parse_retry_after():
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert parse_retry_after("30", now) == now + timedelta(seconds=30)
    assert parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now) == datetime(2026, 10, 21, 7, 28, tzinfo=timezone.utc)
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


# Production: the addresses a peer must not make us reach ------------------------


class Recorder:
    """A MockTransport handler that records every request that got through."""

    def __init__(self, redirect_to: str | None = None) -> None:
        self.redirect_to = redirect_to
        self.urls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        if self.redirect_to and request.url.host == "public.test":
            return httpx.Response(302, headers={"Location": self.redirect_to})
        return httpx.Response(200, json={"id": str(request.url)})


async def fake_dns(host: str, port: int) -> list[str]:
    table = {"public.test": [PUBLIC_IP], "internal.test": ["10.0.0.7"],
             "mixed.test": [PUBLIC_IP, "192.168.1.5"], "v6.test": ["fd00::1"]}
    if host not in table:
        raise OSError("name does not resolve")
    return table[host]


@pytest.fixture
async def production(instance_key) -> AsyncIterator[tuple[FederationClient, Recorder]]:
    recorder = Recorder(redirect_to="https://169.254.169.254/latest/meta-data/")
    client = FederationClient(dev=False, instance_key=instance_key, user_agent="t",
                              transport=httpx.MockTransport(recorder), resolver=fake_dns)
    yield client, recorder
    await client.aclose()


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/actor", "https://127.3.4.5/", "https://10.1.2.3/", "https://172.16.0.1/",
    "https://192.168.0.10/", "https://169.254.169.254/latest/meta-data/", "https://[::1]/",
    "https://[::ffff:127.0.0.1]/", "https://[fe80::1]/", "https://0.0.0.0/", "https://224.0.0.1/",
    "https://100.64.0.1/", "https://internal.test/actor", "https://mixed.test/actor",
    "https://v6.test/", "https://unknown.test/", "http://public.test/actor",
    "ftp://public.test/", "file:///etc/passwd", "https://user:pw@public.test/",
])
async def test_production_refuses_non_public_and_non_https_targets(production, url):
    client, recorder = production
    with pytest.raises(FetchError):
        await client.get_json(url)
    outcome = await client.post_activity(url, b"{}", client.instance_key)
    assert outcome.status is None and outcome.error
    assert recorder.urls == []


async def test_production_allows_a_public_host(instance_key):
    recorder = Recorder()
    client = FederationClient(dev=False, instance_key=instance_key, user_agent="t",
                              transport=httpx.MockTransport(recorder), resolver=fake_dns)
    try:
        assert (await client.get_json("https://public.test/actor"))["id"] == "https://public.test/actor"
    finally:
        await client.aclose()


async def test_redirect_to_a_private_address_is_refused_before_it_is_followed(production):
    client, recorder = production
    with pytest.raises(FetchError, match="169.254.169.254"):
        await client.get_json("https://public.test/actor")
    assert recorder.urls == ["https://public.test/actor"]


async def test_connections_are_opened_only_to_checked_addresses(peer):
    # The network layer itself refuses loopback in production, whatever the URL check said...
    production_backend = GuardedNetworkBackend(AddressGuard(dev=False))
    with pytest.raises(httpcore.ConnectError):
        await production_backend.connect_tcp("127.0.0.1", 80)

    # ...and connects to the address the guard resolved, not to a second DNS answer.
    async def dns(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    guard = AddressGuard(dev=True, resolver=dns)
    port = int(peer.base.rsplit(":", 1)[1])
    stream = await GuardedNetworkBackend(guard).connect_tcp("chapter.invalid", port)
    await stream.write(b"GET /actor HTTP/1.1\r\nHost: chapter.invalid\r\nConnection: close\r\n\r\n")
    assert (await stream.read(100)).startswith(b"HTTP/1.1 200")
    await stream.aclose()


def test_dev_allows_loopback_and_private_ranges_but_not_multicast():
    assert not is_forbidden("127.0.0.1", dev=True) and not is_forbidden("10.0.0.1", dev=True)
    assert is_forbidden("224.0.0.1", dev=True) and is_forbidden("0.0.0.0", dev=True)
    assert is_forbidden("127.0.0.1", dev=False) and not is_forbidden(PUBLIC_IP, dev=False)


async def test_deliveries_connect_to_the_address_the_guard_resolved(instance_key, peer):
    # Deliveries run on aiohttp; its connections too go only where the guard's resolver points.
    async def dns(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "chapter.invalid" else []

    client = FederationClient(dev=True, instance_key=instance_key, user_agent="t", resolver=dns)
    try:
        port = peer.base.rsplit(":", 1)[1]
        outcome = await client.post_activity(f"http://chapter.invalid:{port}/inbox", b"{}", instance_key)
        assert outcome.status == 202
        assert peer.received[0][2]["host"] == f"chapter.invalid:{port}"
    finally:
        await client.aclose()


async def test_delivery_resolver_refuses_private_answers():
    from federation.aiohttp_resolver import GuardedResolver

    async def dns(host: str, port: int) -> list[str]:
        return ["10.0.0.8"]

    with pytest.raises(OSError, match="10.0.0.8"):
        await GuardedResolver(AddressGuard(dev=False, resolver=dns)).resolve("rebinding.test", 443)


@pytest.mark.parametrize("address", [
    "::127.0.0.1", "::10.0.0.1", "::ffff:169.254.169.254", "::ffff:0:192.168.1.1",
    "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::10.1.2.3",
    "2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:101::1",
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
])
def test_ipv6_forms_embedding_a_private_ipv4_are_refused(address):
    """Issue 13.8: judged by the IPv4 address inside."""
    assert is_forbidden(address, dev=False)


@pytest.mark.parametrize("address", ["64:ff9b::8.8.8.8", "2002:808:808::1", "2606:4700:4700::1111"])
def test_ipv6_forms_embedding_a_public_ipv4_are_allowed(address):
    assert not is_forbidden(address, dev=False)


async def test_a_host_resolving_to_nat64_of_loopback_is_refused(instance_key):
    async def resolver(host: str, port: int) -> list[str]:
        return ["64:ff9b::7f00:1"]

    client = FederationClient(dev=False, instance_key=instance_key, user_agent="t",
                              transport=httpx.MockTransport(Recorder()), resolver=resolver)
    try:
        with pytest.raises(FetchError):
            await client.get_json("https://sneaky.test/actor")
    finally:
        await client.aclose()


async def test_a_surge_of_fetches_keeps_a_bounded_number_in_flight(instance_key):
    """The pull budget (issue 19): a follower surge asks for hundreds of keys at
    once; past FETCHES_IN_FLIGHT they wait outside httpx's pool (whose
    bookkeeping grows with every waiting request), and all are answered."""
    from federation.safe_http import FETCHES_IN_FLIGHT

    in_flight, most = 0, 0
    full, release = asyncio.Event(), asyncio.Event()

    async def peer(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        if in_flight == FETCHES_IN_FLIGHT:
            full.set()
        await release.wait()
        in_flight -= 1
        return httpx.Response(200, json={"id": str(request.url)}, headers={"Content-Type": "application/activity+json"})

    async def dns(host: str, port: int) -> list[str]:
        return [PUBLIC_IP]

    client = FederationClient(dev=False, instance_key=instance_key, user_agent="t",
                              transport=httpx.MockTransport(peer), resolver=dns)
    try:
        fetches = [asyncio.create_task(client.get_json(f"https://server{number}.example/users/a", signed=False))
                   for number in range(FETCHES_IN_FLIGHT * 3)]
        await full.wait()
        await asyncio.sleep(0)  # let any fetch that could start do so
        assert in_flight == FETCHES_IN_FLIGHT
        release.set()
        documents = await asyncio.gather(*fetches)
    finally:
        await client.aclose()
    assert most == FETCHES_IN_FLIGHT
    assert [document["id"] for document in documents] == [
        f"https://server{number}.example/users/a" for number in range(FETCHES_IN_FLIGHT * 3)]
