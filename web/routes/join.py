"""Joining the chapter: a new account and a join request, or, for someone
already logged in as a supporter, just the request."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.accounts import User
from fedchapter.errors import Conflict, Forbidden, ValidationError
from fedchapter.membership import MAX_JOIN_MESSAGE, JoinState
from fedchapter.passwords import MAX_PASSWORD_LENGTH
from fedchapter.roles import is_member
from web.auth import current_user, log_in
from web.context import context_of
from web.form_errors import plain_message
from web.forms import Form, field, flash, read_form
from web.i18n import gettext_for
from web.templating import render

MAX_INVITE_TOKEN = 100
MAX_DISPLAY_NAME = 100


async def _context(request: Request, invite: str, user: User | None) -> dict[str, object]:
    membership = context_of(request).members.membership
    invitation_ok = True
    try:
        invitation = await membership.usable_invitation(invite)
    except Conflict:
        invitation, invitation_ok = None, False
    return {
        "openness": (await membership.openness()).value,
        "invite": invite,
        "invitation": invitation,
        "invitation_ok": invitation_ok,
        "user": user,
        "is_member": user is not None and is_member(user.role),
        "join_request": await membership.status_of(user) if user else None,
        "values": {},
        "max_message": MAX_JOIN_MESSAGE,
    }


async def join_page(request: Request) -> Response:
    invite = (request.query_params.get("invite") or "")[:MAX_INVITE_TOKEN]
    return render(request, "join.html", await _context(request, invite, await current_user(request)))


def _values(form: Form) -> dict[str, str]:
    # Echoed back into the form after an error (autoescaped by Jinja); never the password.
    return {name: (form.get(name) or "")[:MAX_JOIN_MESSAGE] for name in ("username", "display_name", "message")}


async def join_submit(request: Request) -> Response:
    _ = gettext_for(request)
    form = await read_form(request)
    invite = (form.get("invite") or "")[:MAX_INVITE_TOKEN]
    user = await current_user(request)
    membership = context_of(request).members.membership
    try:
        message = field(form, "message", limit=MAX_JOIN_MESSAGE, one_line=False)
        if user is not None:
            state = await membership.request_membership(user, message=message, invitation_token=invite or None)
        else:
            user, state = await membership.join(
                username=field(form, "username", limit=30, required=True).lower(),
                password=field(form, "password", limit=MAX_PASSWORD_LENGTH, required=True, one_line=False),
                display_name=field(form, "display_name", limit=MAX_DISPLAY_NAME),
                message=message,
                invitation_token=invite or None,
            )
            await log_in(request, user)
    except (ValidationError, Forbidden, Conflict) as error:
        context = await _context(request, invite, user)
        context["values"] = _values(form)
        context["error"] = plain_message(request, error)
        context["error_field"] = error.field if isinstance(error, ValidationError) else None
        status = 422 if isinstance(error, ValidationError) else 409 if isinstance(error, Conflict) else 403
        return render(request, "join.html", context, status)
    if state is JoinState.APPROVED:
        flash(request, _("Welcome! You are now a member of the chapter."))
    else:
        flash(request, _("Thank you! Your request to join is waiting for an admin. You can already RSVP to events."))
    return RedirectResponse("/account", status_code=303)


routes = [
    Route("/join", join_page, methods=["GET"]),
    Route("/join", join_submit, methods=["POST"]),
]
