"""Signed GETs double-knock (issue 14.7): the instance actor's fetch is signed
with draft-cavage for a server we do not know, with RFC 9421 when it answers
401, and the scheme that worked is remembered per server, as deliveries do."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from federation.keys import generate_rsa_keypair
from federation.safe_http import CAVAGE, RFC9421, FederationClient, FetchError
from federation.signatures import PublicKeyInfo, load_signing_key, verify_request

INSTANCE = "http://chapter.example/actor"


class Memory:
    def __init__(self) -> None:
        self.schemes: dict[str, str] = {}

    async def signature_scheme(self, host: str) -> str | None:
        return self.schemes.get(host)

    async def remember_signature_scheme(self, host: str, scheme: str) -> None:
        self.schemes[host] = scheme


class StrictServer:
    """Authorized fetch: answers only GETs signed (validly) with the schemes it verifies."""

    def __init__(self, public_key_pem: str, verifies: set[str]) -> None:
        self.public_key_pem = public_key_pem
        self.verifies = verifies
        self.seen: list[str] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        scheme = RFC9421 if "signature-input" in request.headers else CAVAGE
        self.seen.append(scheme)
        if scheme not in self.verifies:
            return httpx.Response(401, json={"error": "signature scheme not supported"})

        async def lookup(key_id: str, refresh: bool) -> PublicKeyInfo | None:
            return PublicKeyInfo(key_id=key_id, owner=INSTANCE, public_key_pem=self.public_key_pem)

        await verify_request("GET", request.url.raw_path.decode(), dict(request.headers), None, lookup,
                             now=datetime.now(timezone.utc), scheme="http")
        document: dict[str, Any] = {"id": str(request.url), "type": "Note"}
        return httpx.Response(200, json=document, headers={"Content-Type": "application/activity+json"})


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    return generate_rsa_keypair()


async def public_address(host: str, port: int) -> list[str]:
    return ["93.184.215.14"]  # never contacted: the transport answers in process


def client_for(server: StrictServer, keys: tuple[str, str], memory: Memory) -> FederationClient:
    key = load_signing_key(INSTANCE + "#main-key", INSTANCE, keys[1])
    return FederationClient(dev=True, instance_key=key, user_agent="t", transport=httpx.MockTransport(server),
                            resolver=public_address, schemes=memory)


async def test_a_server_verifying_only_rfc9421_is_knocked_again_and_remembered(keys: tuple[str, str]) -> None:
    server, memory = StrictServer(keys[0], {RFC9421}), Memory()
    client = client_for(server, keys, memory)
    try:
        assert (await client.get_json("http://fedify.example/notes/1"))["type"] == "Note"
        assert server.seen == [CAVAGE, RFC9421]
        assert memory.schemes == {"fedify.example": RFC9421}
        await client.get_json("http://fedify.example/notes/2")
        assert server.seen == [CAVAGE, RFC9421, RFC9421]  # straight to the scheme it accepted
    finally:
        await client.aclose()


async def test_a_server_that_refuses_both_is_a_fetch_error_and_nothing_is_remembered(
    keys: tuple[str, str],
) -> None:
    server, memory = StrictServer(keys[0], set()), Memory()
    client = client_for(server, keys, memory)
    try:
        with pytest.raises(FetchError) as refused:
            await client.get_json("http://closed.example/notes/1")
        assert refused.value.status == 401
        assert server.seen == [CAVAGE, RFC9421] and memory.schemes == {}
    finally:
        await client.aclose()


async def test_a_draft_cavage_server_gets_one_request(keys: tuple[str, str]) -> None:
    server, memory = StrictServer(keys[0], {CAVAGE}), Memory()
    client = client_for(server, keys, memory)
    try:
        await client.get_json("http://mastodon.example/users/alice")
        assert server.seen == [CAVAGE] and memory.schemes == {}
    finally:
        await client.aclose()
