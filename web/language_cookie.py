"""Remembers a language chosen with ``?lang=``: the choice is set as a cookie,
so the next pages (which have no ``?lang=``) keep it."""
from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.i18n import SUPPORTED_LANGUAGES

COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600


class LanguageCookieMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        chosen = request.query_params.get("lang")
        if chosen not in SUPPORTED_LANGUAGES or request.cookies.get(COOKIE) == chosen:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", f"{COOKIE}={chosen}; Path=/; Max-Age={ONE_YEAR}; SameSite=Lax")
            await send(message)

        await self.app(scope, receive, send_with_cookie)
