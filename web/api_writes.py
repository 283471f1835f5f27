"""API writes must be JSON: a body in any other type is refused (415) before
a route sees it.

A browser lets any site post a form (``application/x-www-form-urlencoded``,
``multipart/form-data``, ``text/plain``) cross-site without asking; it will
not send ``application/json`` (nor an Authorization header) cross-site
without a CORS preflight, which we never grant. Together with writes
authenticating by Bearer token only (web.auth), no other site can make a
logged-in browser write through the API. A write without a body (``close``,
``cancel``, ``DELETE``) may omit the Content-Type; one that names a type must
name JSON.
"""
from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from web.json_body import is_json_media_type
from web.responses import json_error

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _has_body(headers: Headers) -> bool:
    length = headers.get("content-length")
    return "transfer-encoding" in headers or (length is not None and length.strip() not in ("", "0"))


class ApiWritesAreJsonMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in WRITE_METHODS and scope["path"].startswith("/api/"):
            headers = Headers(scope=scope)
            content_type = headers.get("content-type")
            if (content_type is not None or _has_body(headers)) and not is_json_media_type(content_type):
                response = json_error(415, "API writes take a JSON body: send Content-Type: application/json")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
