"""Who is asking: a session cookie (the site) or a Bearer token (the API).

Every write through a form carries a CSRF token bound to the session; API
writes carry a token in the Authorization header, which a browser never sends
on its own, so they need no CSRF token. Permissions come from ``fedchapter.roles``
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
from web.context import context_of

SESSION_USER = "uid"
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


async def current_user(request: Request) -> User | None:
    if "user" in request.state._state:  # computed once per request
        return request.state.user  # type: ignore[no-any-return]
    ctx = context_of(request)
    user: User | None = None
    token = bearer_token(request)
    if token is not None:
        user = await ctx.accounts.user_for_token(token)
    elif "session" in request.scope:
        user_id = request.session.get(SESSION_USER)
        if isinstance(user_id, int):
            found = await ctx.repos.users.by_id(user_id)
            user = found if found is not None and not found.disabled else None
            if user is None:
                request.session.pop(SESSION_USER, None)
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


def log_in(request: Request, user: User) -> None:
    # A fresh session on login: nothing from before survives (session fixation).
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_CSRF] = secrets.token_urlsafe(24)
    request.state.user = user


def log_out(request: Request) -> None:
    request.session.clear()
    request.state.user = None


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
