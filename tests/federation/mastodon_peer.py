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

from federation.signatures import load_signing_key, sign_request
from tests.support.instances import Instance, Network
from tests.support.keys import pooled_keypair

WAIT_LIMIT_SECONDS = 20.0


class MastodonPeer:
    def __init__(self, net: Network, host: str = "mastodon.test") -> None:
        self.net = net
        self.host = host
        self.keys: dict[str, tuple[str, str]] = {}
        self.received: list[dict[str, Any]] = []
        self.app = Starlette(routes=[
            Route("/users/{name}", self._actor),
            Route("/users/{name}/inbox", self._inbox, methods=["POST"]),
            Route("/inbox", self._inbox, methods=["POST"]),
        ])
        net.transport.add(host, self.app)

    def actor(self, name: str) -> str:
        return f"http://{self.host}/users/{name}"

    def add_account(self, name: str) -> str:
        self.keys[name] = pooled_keypair()
        return self.actor(name)

    async def _actor(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.keys:
            return JSONResponse({"error": "Record not found"}, status_code=404)
        actor = self.actor(name)
        return JSONResponse({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor, "type": "Person", "preferredUsername": name, "name": name.title(),
            "inbox": f"{actor}/inbox", "outbox": f"{actor}/outbox", "followers": f"{actor}/followers",
            "endpoints": {"sharedInbox": f"http://{self.host}/inbox"},
            "publicKey": {"id": f"{actor}#main-key", "owner": actor, "publicKeyPem": self.keys[name][0]},
        }, media_type="application/activity+json")

    async def _inbox(self, request: Request) -> Response:
        self.received.append(json.loads(await request.body()))
        return Response(status_code=202)

    async def send(self, name: str, activity: dict[str, Any], inbox: str) -> httpx.Response:
        """POST `activity` to `inbox`, signed by `name`'s key."""
        body = json.dumps(activity).encode()
        actor = self.actor(name)
        key = load_signing_key(f"{actor}#main-key", actor, self.keys[name][1])
        headers = sign_request("POST", inbox, key=key, body=body)
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
