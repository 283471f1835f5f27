"""A Mastodon-like server for the proposals' federation tests, in process.

It serves Person actors with real keys (shaped like Mastodon's, see
tests/fixtures/actors/mastodon_person.json), records what its inboxes
receive, and sends activities signed the way Mastodon signs them
(draft-cavage, `(request-target) host date digest`).
"""
from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from federation.message_signatures import sign_request_rfc9421
from federation.signatures import PublicKeyInfo, SignatureError, load_signing_key, sign_request, verify_request
from tests.support.instances import Instance, Network
from tests.support.keys import pooled_keypair
from tests.support.standin_peer import mastodon_person

WAIT_LIMIT_SECONDS = 20.0


class MastodonPeer:
    def __init__(self, net: Network, host: str = "mastodon.test") -> None:
        self.net = net
        self.host = host
        self.keys: dict[str, tuple[str, str]] = {}
        self.profiles: dict[str, dict[str, Any]] = {}  # extra actor fields per account (attack tests)
        self.received: list[dict[str, Any]] = []
        # Like Mastodon 4.5: every POST must carry a valid signature of one of
        # these schemes (401 otherwise). A test narrows it to one scheme.
        self.verify_schemes: set[str] | None = {"cavage", "rfc9421"}
        self.schemes_seen: list[str] = []
        self.app = Starlette(routes=[
            Route("/users/{name}", self._actor),
            Route("/users/{name}/inbox", self._inbox, methods=["POST"]),
            Route("/inbox", self._inbox, methods=["POST"]),
        ])
        net.transport.add(host, self.app)

    def actor(self, name: str) -> str:
        return f"http://{self.host}/users/{name}"

    def add_account(self, name: str, **profile: Any) -> str:
        self.keys[name] = pooled_keypair()
        self.profiles[name] = profile
        return self.actor(name)

    async def _actor(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.keys:
            return JSONResponse({"error": "Record not found"}, status_code=404)
        document = mastodon_person(self.actor(name), name, self.keys[name][0], f"http://{self.host}/inbox")
        return JSONResponse({**document, **self.profiles.get(name, {})}, media_type="application/activity+json")

    async def _inbox(self, request: Request) -> Response:
        body = await request.body()
        if self.verify_schemes is not None:
            # Like Mastodon: verify the signature; a scheme it does not verify is a 401.
            scheme = "rfc9421" if "signature-input" in request.headers else "cavage"
            self.schemes_seen.append(scheme)
            if scheme not in self.verify_schemes:
                return JSONResponse({"error": f"{scheme} not supported"}, status_code=401)
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            try:
                await verify_request("POST", target, request.headers, body, self._key_of,
                                     expected_host=self.host, scheme="http")
            except SignatureError as error:
                return JSONResponse({"error": error.reason}, status_code=401)
        self.received.append(json.loads(body))
        return Response(status_code=202)

    async def _key_of(self, key_id: str, refresh: bool) -> PublicKeyInfo | None:
        async with httpx.AsyncClient(transport=self.net.transport) as client:
            response = await client.get(key_id.split("#")[0], headers={"Accept": "application/activity+json"})
        key = response.json().get("publicKey", {})
        return PublicKeyInfo(key_id=key["id"], owner=key["owner"], public_key_pem=key["publicKeyPem"])

    async def send(self, name: str, activity: dict[str, Any], inbox: str, *, scheme: str = "cavage") -> httpx.Response:
        """POST `activity` to `inbox`, signed by `name`'s key (draft-cavage, or RFC 9421 as Mastodon 4.5)."""
        body = json.dumps(activity).encode()
        actor = self.actor(name)
        key = load_signing_key(f"{actor}#main-key", actor, self.keys[name][1])
        sign = sign_request_rfc9421 if scheme == "rfc9421" else sign_request
        headers = sign("POST", inbox, key=key, body=body)
        async with httpx.AsyncClient(transport=self.net.transport) as client:
            return await client.post(inbox, content=body, headers=headers)

    def activities(self, kind: str, object_type: str | None = None) -> list[dict[str, Any]]:
        found = []
        for activity in self.received:
            obj = activity.get("object")
            if activity.get("type") == kind and (object_type is None or (isinstance(obj, dict) and obj.get("type") == object_type)):
                found.append(activity)
        return found


async def eventually(condition: Callable[[], Any], what: str) -> None:
    """Wait for the workers (inbox, delivery) to make `condition` true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_LIMIT_SECONDS
    while True:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        await asyncio.sleep(0.02)


async def processed(instance: Instance, activity_id: str) -> str:
    """Wait until `instance`'s inbox worker has processed an activity; its final state."""
    states: list[str] = []

    async def finished() -> bool:
        row = await instance.ctx.repos.inbox.by_activity_id(activity_id)
        if row is not None and row.state in ("done", "ignored", "failed"):
            states.append(row.state)
            return True
        return False

    await eventually(finished, f"{activity_id} processed")
    return states[0]
