"""Logging in and out of the site."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import ValidationError
from fedchapter.passwords import MAX_PASSWORD_LENGTH
from fedchapter.services.login import LoginLocked
from web.auth import current_user, log_in, log_out
from web.context import context_of
from web.forms import field, flash, read_form
from web.i18n import gettext_for
from web.password_gate import PASSWORD_PATH, SESSION_MUST_CHANGE
from web.templating import render

MAX_USERNAME = 64


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to someone else's."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target[:500]
    return "/"


async def login_page(request: Request) -> Response:
    if await current_user(request) is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return render(request, "login.html", {"next": safe_next(request.query_params.get("next")), "username": ""})


async def login_submit(request: Request) -> Response:
    _ = gettext_for(request)
    form = await read_form(request)
    next_path = safe_next(form.get("next"))
    username = (form.get("username") or "").strip()[:MAX_USERNAME]
    context = {"next": next_path, "username": username}
    try:
        username = field(form, "username", limit=MAX_USERNAME, required=True)
        password = field(form, "password", limit=MAX_PASSWORD_LENGTH, required=True, one_line=False)
    except ValidationError:
        return render(request, "login.html", {**context, "error": _("Enter your username and password.")}, 422)
    logins = context_of(request).members.logins
    client = request.client.host if request.client else None
    try:
        result = await logins.log_in(username, password, client)
    except LoginLocked as locked:
        message = _("Too many failed attempts. For your safety, logging in is paused: try again in %(minutes)s minutes.",
                    minutes=locked.minutes)
        return render(request, "login.html", {**context, "error": message}, 429)
    if result is None:
        return render(request, "login.html", {**context, "error": _("That username and password do not match.")}, 401)
    await log_in(request, result.user)
    if result.must_change_password:
        request.session[SESSION_MUST_CHANGE] = True
        flash(request, _("An admin reset your password. Please choose your own password now."))
        return RedirectResponse(PASSWORD_PATH, status_code=303)
    flash(request, _("Welcome back, %(name)s.", name=result.user.display_name))
    return RedirectResponse(next_path, status_code=303)


async def logout(request: Request) -> Response:
    _ = gettext_for(request)
    if await current_user(request) is None:
        return RedirectResponse("/", status_code=303)  # an expired session is logged out already
    await read_form(request)
    await log_out(request)
    flash(request, _("You are logged out."))
    return RedirectResponse("/", status_code=303)


routes = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login_submit, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
