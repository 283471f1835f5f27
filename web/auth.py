"""Who is asking: a session cookie (the site) or a Bearer token (the API).

Every write through a form carries a CSRF token bound to the session; API
writes carry a token in the Authorization header, which a browser never sends
on its own, so they need no CSRF token, and a session cookie alone never
authenticates an API write (a cross-site form could carry it). The cookie
holds only the id of a session kept in the database, so logging out ends it
for whoever copied the cookie too. Permissions come from ``fedchapter.roles``
so the site, the API and federation enforce the same rules.
"""
from __future__ import annotations

import hmac
import secrets
from typing import Any

from starlette.requests import Request

from fedchapter.accounts import User
from fedchapter.errors import Forbidden
from fedchapter.roles import Permission, can
from fedchapter.services.access import AccessService
from web.api_support import is_api_request
from web.context import context_of

SESSION_ID = "sid"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"


class LoginRequired(Exception):
    """Not logged in (or no valid token): 401 for the API, the login page for the site."""


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def access_service(request: Request) -> AccessService:
    return context_of(request).members.access


async def current_user(request: Request) -> User | None:
    if "user" in request.state._state:  # computed once per request
        return request.state.user  # type: ignore[no-any-return]
    ctx = context_of(request)
    user: User | None = None
    token = bearer_token(request)
    if token is not None:
        user = await ctx.accounts.user_for_token(token)
    elif "session" in request.scope and not (is_api_request(request) and request.method not in SAFE_METHODS):
        session_id = request.session.get(SESSION_ID)
        if isinstance(session_id, str):
            user = await access_service(request).user_for_session(session_id)
            if user is None:  # ended (logout elsewhere, reset, disabled) or expired
                request.session.pop(SESSION_ID, None)
    request.state.user = user
    return user


async def require_user(request: Request) -> User:
    user = await current_user(request)
    if user is None:
        raise LoginRequired()
    return user


async def require_permission(request: Request, permission: Permission) -> User:
    user = await require_user(request)
    if not can(user.role, permission):
        raise Forbidden(f"your role ({user.role.value}) may not {permission.value.replace('_', ' ')}")
    return user


async def log_in(request: Request, user: User) -> None:
    # A fresh session on login: nothing from before survives (session fixation).
    await _end_session(request)
    request.session.clear()
    request.session[SESSION_ID] = await access_service(request).start_session(user)
    request.session[SESSION_CSRF] = secrets.token_urlsafe(24)
    request.state.user = user


async def log_out(request: Request) -> None:
    await _end_session(request)
    request.session.clear()
    request.state.user = None


async def _end_session(request: Request) -> None:
    session_id = request.session.get(SESSION_ID)
    if isinstance(session_id, str):
        await access_service(request).end_session(session_id)


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        request.session[SESSION_CSRF] = token
    return token


def check_csrf(request: Request, form: Any) -> None:
    """Refuse a form post whose token is not this session's."""
    expected = request.session.get(SESSION_CSRF)
    given = form.get(CSRF_FIELD) if form is not None else None
    if not isinstance(expected, str) or not isinstance(given, str) or not hmac.compare_digest(expected, given):
        raise Forbidden("the form has expired or did not come from this site; reload the page and try again")
