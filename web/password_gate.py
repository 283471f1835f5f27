"""After an admin's password reset, the account may do nothing but choose a
new password: every page sends it to the password form until it has.

It also works out who is logged in once per request, so base.html can show
Log in, Account or Admin without each route asking.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from web.auth import current_user

SESSION_MUST_CHANGE = "must_change_password"
PASSWORD_PATH = "/account/password"
# What such an account may still reach: the form itself, logging out, the stylesheet.
ALLOWED_PREFIXES = (PASSWORD_PATH, "/logout", "/static/")


class PasswordGateMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "session" not in scope:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        user = await current_user(request)
        if (
            user is not None
            and request.session.get(SESSION_MUST_CHANGE)
            and not request.url.path.startswith(ALLOWED_PREFIXES)
            and not request.url.path.startswith("/api/")
        ):
            await RedirectResponse(PASSWORD_PATH, status_code=303)(scope, receive, send)
            return
        await self.app(scope, receive, send)
