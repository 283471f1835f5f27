"""The middlewares only people's requests need (the session, the page
language and its cookie, the page globals, the password gate), kept off the
inboxes' path.

A POST to an inbox comes from another server: it has no session or language,
never renders a page, and arrives by the thousand when a post travels. It
goes from the outer middlewares (request id, security headers, request
limits) straight to the router and its exception handlers; everything else
passes through the page middlewares as before.
"""
from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

INBOX_SUFFIX = "/inbox"  # /inbox, /actor/inbox, /actors/{username}/inbox


def is_inbox_post(scope: Scope) -> bool:
    return scope["type"] == "http" and scope["method"] == "POST" and scope["path"].endswith(INBOX_SUFFIX)


class PageLayerMiddleware:
    def __init__(self, app: ASGIApp, *, page_middleware: Sequence[Middleware]) -> None:
        self.app = app
        pages = app
        for cls, args, kwargs in reversed(page_middleware):
            pages = cls(pages, *args, **kwargs)
        self.pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_inbox_post(scope):
            await self.app(scope, receive, send)
        else:
            await self.pages(scope, receive, send)
