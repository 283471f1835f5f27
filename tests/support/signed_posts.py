"""Posting signed activities from one in-process chapter to another, with
every knob an attack test needs (no signature, a stale date, a body that is
not the one signed...)."""
from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import httpx

from federation.local_actors import signing_key_for
from federation.signatures import SigningKey, sign_request
from tests.support.instances import Instance


async def group_key(instance: Instance) -> SigningKey:
    return signing_key_for(instance.ctx.urls, await instance.ctx.chapter_actor())


def activity_from(sender: Instance, type: str, object: Any, **extra: Any) -> dict[str, Any]:
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": sender.ctx.urls.activity(uuid.uuid4().hex),
        "type": type,
        "actor": sender.ctx.urls.actor(sender.settings.handle),
        "object": object,
        **extra,
    }


async def post_signed(
    sender: Instance,
    receiver: Instance,
    activity: dict[str, Any] | None = None,
    *,
    path: str = "/inbox",
    body: bytes | None = None,
    signed_body: bytes | None = None,
    key: SigningKey | None = None,
    now: datetime | None = None,
    sign: bool = True,
    extra_headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST ``activity`` (or raw ``body``) to ``receiver``; sign ``signed_body`` if given (digest attacks)."""
    content = body if body is not None else json.dumps(activity).encode()
    url = receiver.settings.base_url + path
    headers = {"Content-Type": "application/activity+json"}
    if sign:
        headers = sign_request(
            "POST", url, key=key or await group_key(sender), body=signed_body if signed_body is not None else content,
            now=now, extra_headers=headers,
        )
    headers.update(extra_headers or {})
    return await receiver.client.post(path, content=content, headers=headers)


async def inbox_count(instance: Instance) -> int:
    return int(await instance.ctx.database.fetchvalue("SELECT COUNT(*) FROM inbox"))
