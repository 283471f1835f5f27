"""Each request's id, latency and log line, and the probes.

Outermost of the app's middlewares, so its id and timing cover everything
inside. The id is the client's ``X-Request-Id`` when it is a sane token
(nginx and Caddy can set one), else a new one; it is echoed in the answer and
stamped on every log line written while the request is served.

``/healthz`` and ``/metrics`` (``web.probes``) are answered here, before the
page middlewares, which read the session and the database on every page.
"""
from __future__ import annotations

import itertools
import logging
import os
import re
import time

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fedchapter.request_ids import current_request_id
from web.probes import PROBES

REQUEST_ID_HEADER = b"x-request-id"
_SANE_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")

access_log = logging.getLogger("fedchapter.access")


# New ids: this process's random prefix and a counter. Unique across
# processes and restarts like a uuid4, without reading the system's random
# source on every request (a system call each; ids need not be unguessable).
_ID_PREFIX = os.urandom(8).hex()
_id_counter = itertools.count(1)


def request_id_of(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == REQUEST_ID_HEADER and _SANE_ID.match(value):
            return value.decode("ascii")
    return f"{_ID_PREFIX}{next(_id_counter):016x}"


def route_of(scope: Scope) -> str:
    """The matched route's template (``/actors/{username}/inbox``), never the
    path itself: a label per URL would grow without bound."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        header = (REQUEST_ID_HEADER, request_id.encode("ascii"))

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        probe = PROBES.get(scope["path"]) if scope["method"] in ("GET", "HEAD") else None
        failed = False
        try:
            if probe is not None:
                response = await probe(Request(scope, receive))
                await response(scope, receive, send_with_id)
            else:
                await self.app(scope, receive, send_with_id)
        except BaseException:
            failed = True
            raise
        finally:
            seconds = time.perf_counter() - started
            route = scope["path"] if probe is not None else route_of(scope)
            ctx = getattr(scope["app"].state, "ctx", None) if "app" in scope else None
            if ctx is not None:
                ctx.metrics.request_finished(scope["method"], route, status, seconds)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "%s %s %d %.1fms", scope["method"], scope["path"], status, seconds * 1000,
                    extra={"method": scope["method"], "path": scope["path"], "status": status,
                           "duration_ms": round(seconds * 1000, 1)},
                )
            if not failed:
                current_request_id.reset(token)
            # After a failure the id stays set: the server logs the traceback
            # next, in this same task (one per request), and it should carry the id.
