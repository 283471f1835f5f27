"""Remembers the language a person chose in the header (``?lang=``): as a
cookie, so the next pages (which have no ``?lang=``) keep it, and for a
logged-in member also with their account, so another browser or device
starts in it and their mail is written in it.

A logged-in member arriving without the cookie gets their remembered language
(``request.state.remembered_language``, which the page's language is chosen
from after ``?lang=`` and the cookie) and the cookie with it.
"""
from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.auth import current_user
from web.context import context_of
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
        chosen = await self._chosen(request)
        if chosen is None or request.cookies.get(COOKIE) == chosen:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", f"{COOKIE}={chosen}; Path=/; Max-Age={ONE_YEAR}; SameSite=Lax")
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    async def _chosen(self, request: Request) -> str | None:
        """The language to set the cookie to, if any; stores a member's choice."""
        asked = request.query_params.get("lang")
        if "session" not in request.scope or request.url.path.startswith(("/api/", "/static/")):
            return asked if asked in SUPPORTED_LANGUAGES else None
        if asked in SUPPORTED_LANGUAGES:
            user = await current_user(request)
            if user is not None:
                preferences = context_of(request).mail.preferences
                if await preferences.language_of(user.id) != asked:
                    await preferences.choose_language(user.id, asked)
            return asked
        if request.cookies.get(COOKIE) in SUPPORTED_LANGUAGES:
            return None
        user = await current_user(request)
        if user is None:
            return None
        remembered = await context_of(request).mail.preferences.language_of(user.id)
        if remembered not in SUPPORTED_LANGUAGES:
            return None
        request.state.remembered_language = remembered
        return remembered
