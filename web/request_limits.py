"""Limits on how a request body arrives: at most MAX_BODY_BYTES, within
BODY_SECONDS, and a client that leaves mid-body is not an error of ours.

A client that trickles its body a byte a minute would hold a worker slot
and a database-free coroutine forever; one that sends gigabytes would fill
memory before any route's own limit (web.api_support.read_body) is reached
on routes that read the stream themselves. Both are cut off here for every
route: 408 or 413 with a reason while no answer has started. A client that
disconnects mid-body gets nothing (it is gone) and leaves one debug line,
not a traceback. Slow *headers* are the server's business: uvicorn's
options and the reverse proxy (see docs/security.md).
"""
from __future__ import annotations

import asyncio
import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.responses import json_error

# Above every route's own limit (1 MB for JSON, 512 KB for forms), so those
# answer first with their own message; this is the backstop.
MAX_BODY_BYTES = 2_000_000
BODY_SECONDS = 30.0

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int = MAX_BODY_BYTES,
                 body_seconds: float = BODY_SECONDS, max_upload_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_seconds = body_seconds
        # A multipart body (a picture or PDF upload, docs/media.md) may be as large
        # as the largest upload setting; the upload routes check their own limit.
        self.max_upload_bytes = max(max_upload_bytes, max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_seconds
        content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
        limit = self.max_upload_bytes if content_type.startswith(b"multipart/form-data") else self.max_body_bytes
        received = 0
        body_done = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:
                # After the body only a disconnect can come: no deadline on waiting for it.
                return await receive()
            try:
                # timeout_at, not wait_for: wait_for makes a task per call,
                # and every request's body passes here.
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTooSlow() from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
                body_done = not message.get("more_body", False)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except ClientDisconnect:
            log.debug("client left before sending its whole request: %s %s", scope["method"], scope["path"])
        except BodyTooLarge:
            if not started:
                await json_error(413, f"the body is larger than {limit} bytes")(scope, receive, send)
        except BodyTooSlow:
            if not started:
                await json_error(408, f"the body did not arrive within {self.body_seconds:g} seconds")(
                    scope, receive, send)
