"""A person's own account: password, API tokens, membership, leaving."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import N_, Problems, ValidationError
from fedchapter.passwords import MAX_PASSWORD_LENGTH
from fedchapter.roles import is_member
from web.auth import access_service, log_in, require_user
from web.context import context_of
from web.form_errors import fields_at, form_errors
from web.forms import field, flash, read_form
from web.i18n import gettext_for
from web.password_gate import SESSION_MUST_CHANGE
from web.templating import render

PASSWORD_FIELDS = fields_at({
    "current_password": ("current_password", N_("Current password")),
    "new_password": ("new_password", N_("New password")),
    "password": ("new_password", N_("New password")),
    "new_password_again": ("new_password_again", N_("New password again")),
})


async def _account_context(request: Request) -> dict[str, object]:
    user = await require_user(request)
    services = context_of(request).members
    return {
        "user": user,
        "is_member": is_member(user.role),
        "join_request": await services.membership.status_of(user),
        "terms": [term for term in await services.roles.current() if term.holder.user_id == user.id],
        "tokens": await access_service(request).tokens(user),
        "email": await context_of(request).mail.accounts.address_of(user),
        "mail_choices": await context_of(request).mail.preferences.choices(user),
    }


async def account_page(request: Request) -> Response:
    return render(request, "account/account.html", await _account_context(request))


async def password_page(request: Request) -> Response:
    user = await require_user(request)
    return render(request, "account/password.html", {"user": user, "forced": bool(request.session.get(SESSION_MUST_CHANGE))})


async def password_submit(request: Request) -> Response:
    _ = gettext_for(request)
    user = await require_user(request)
    form = await read_form(request)
    logins = context_of(request).members.logins
    problems = Problems()
    typed = [problems.take(lambda name=name: field(form, name, limit=MAX_PASSWORD_LENGTH, required=True,
                                                   one_line=False)) or ""
             for name in ("current_password", "new_password", "new_password_again")]
    try:
        problems.raise_any()
        await logins.change_password(user, *typed)
    except ValidationError as error:
        # Passwords are never sent back into the page; every problem is shown beside its field.
        context = {"user": user, "forced": bool(request.session.get(SESSION_MUST_CHANGE)),
                   "errors": form_errors(request, error, PASSWORD_FIELDS)}
        return render(request, "account/password.html", context, 422)
    # Changing the password ended every session of the account; this browser
    # gets a fresh one (and so leaves the forced-change gate too).
    await log_in(request, user)
    flash(request, _("Your password is changed. Every other session of your account is logged out."))
    return RedirectResponse("/account", status_code=303)


async def token_create(request: Request) -> Response:
    user = await require_user(request)
    await read_form(request)
    token = await context_of(request).accounts.create_token(user.username)
    # Shown in this answer only, never stored in the clear or put in a cookie.
    return render(request, "account/account.html", {**await _account_context(request), "new_token": token})


async def token_revoke(request: Request) -> Response:
    _ = gettext_for(request)
    user = await require_user(request)
    await read_form(request)
    raw = str(request.path_params["token_id"])
    if not raw.isdigit() or len(raw) > 12:
        raise ValidationError("token_id", N_("not a valid token number"))
    await access_service(request).revoke_token(user, int(raw))
    flash(request, _("The token no longer works."))
    return RedirectResponse("/account", status_code=303)


async def leave(request: Request) -> Response:
    _ = gettext_for(request)
    user = await require_user(request)
    form = await read_form(request)
    if form.get("confirm") != "yes":
        flash(request, _("To leave, tick the box that confirms it."), "error")
        return RedirectResponse("/account", status_code=303)
    await context_of(request).members.membership.leave(user)
    flash(request, _("You have left the chapter. Your account stays as a supporter; you can ask to join again."))
    return RedirectResponse("/account", status_code=303)


routes = [
    Route("/account", account_page, methods=["GET"]),
    Route("/account/password", password_page, methods=["GET"]),
    Route("/account/password", password_submit, methods=["POST"]),
    Route("/account/tokens", token_create, methods=["POST"]),
    Route("/account/tokens/{token_id}/revoke", token_revoke, methods=["POST"]),
    Route("/account/leave", leave, methods=["POST"]),
]
