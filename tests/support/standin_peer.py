"""A stand-in fediverse server for the tests that use real sockets: a real HTTP server on
127.0.0.1 (uvicorn in a thread) serving Person actors with their own keys.

Like Mastodon it verifies the signature of every POST it receives (401
otherwise), fetching the sender's key over HTTP, and signs what it sends
with its own accounts' keys (draft-cavage).
"""
from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from federation.keys import generate_rsa_keypair
from federation.signatures import PublicKeyInfo, SignatureError, load_signing_key, sign_request, verify_request


def mastodon_person(actor: str, name: str, public_key_pem: str, shared_inbox: str) -> dict[str, Any]:
    """A Person actor shaped as Mastodon serves one (tests/fixtures/actors/mastodon_person.json)."""
    return {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor, "type": "Person", "preferredUsername": name, "name": name.title(),
        "inbox": f"{actor}/inbox", "outbox": f"{actor}/outbox", "followers": f"{actor}/followers",
        "endpoints": {"sharedInbox": shared_inbox},
        "publicKey": {"id": f"{actor}#main-key", "owner": actor, "publicKeyPem": public_key_pem},
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class StandInPeer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.keys: dict[str, tuple[str, str]] = {}
        self.received: list[dict[str, Any]] = []
        self.refused: list[str] = []
        self.app = Starlette(routes=[
            Route("/users/{name}", self._actor),
            Route("/users/{name}/inbox", self._inbox, methods=["POST"]),
            Route("/inbox", self._inbox, methods=["POST"]),
        ])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}"

    def actor(self, name: str) -> str:
        return f"{self.base_url}/users/{name}"

    def add_account(self, name: str) -> str:
        self.keys[name] = generate_rsa_keypair()
        return self.actor(name)

    async def _actor(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.keys:
            return JSONResponse({"error": "Record not found"}, status_code=404)
        document = mastodon_person(self.actor(name), name, self.keys[name][0], f"{self.base_url}/inbox")
        return JSONResponse(document, media_type="application/activity+json")

    async def _inbox(self, request: Request) -> Response:
        body = await request.body()
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        try:
            await verify_request("POST", target, request.headers, body, _fetch_key, expected_host=self.host,
                                 scheme="http")
        except SignatureError as error:
            self.refused.append(str(error))
            return JSONResponse({"error": str(error)}, status_code=401)
        self.received.append(json.loads(body))
        return Response(status_code=202)

    def send(self, name: str, activity: dict[str, Any], inbox: str) -> httpx.Response:
        body = json.dumps(activity).encode()
        actor = self.actor(name)
        key = load_signing_key(f"{actor}#main-key", actor, self.keys[name][1])
        return httpx.post(inbox, content=body, headers=sign_request("POST", inbox, key=key, body=body), timeout=10)

    def http_post(self, url: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
        """A plain JSON POST (an API call of the server under test)."""
        return httpx.post(url, json=body, headers=headers, timeout=10)

    def activity(self, name: str, kind: str, obj: Any) -> dict[str, Any]:
        return {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{self.actor(name)}#{uuid.uuid4().hex}",
                "type": kind, "actor": self.actor(name), "object": obj}

    def note(self, account: str, in_reply_to: str, **fields: Any) -> dict[str, Any]:
        actor = self.actor(account)
        return {"id": f"{actor}/statuses/{uuid.uuid4().hex}", "type": "Note", "attributedTo": actor,
                "inReplyTo": in_reply_to, "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **fields}


async def _fetch_key(key_id: str, refresh: bool) -> PublicKeyInfo | None:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(key_id.split("#")[0], headers={"Accept": "application/activity+json"})
    key = response.json().get("publicKey", {})
    return PublicKeyInfo(key_id=key["id"], owner=key["owner"], public_key_pem=key["publicKeyPem"])


@contextmanager
def running_peer() -> Iterator[StandInPeer]:
    peer = StandInPeer(free_port())
    server = uvicorn.Server(uvicorn.Config(peer.app, host="127.0.0.1", port=peer.port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="stand-in-peer", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("the stand-in peer did not start")
        time.sleep(0.05)
    try:
        yield peer
    finally:
        server.should_exit = True
        thread.join(timeout=10)
