"""/admin/members: members and roles, join requests, invitations, remote
members and password resets. Every action is a small form that posts here."""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import Conflict, NotFound, ValidationError
from fedchapter.membership import MAX_INVITATION_DAYS, MAX_INVITATION_NOTE, MAX_INVITATION_USES
from fedchapter.roles import Permission, Role, parse_role
from fedchapter.services.remote_members import MAX_ACTOR_REFERENCE
from web.auth import access_service, require_permission
from web.context import context_of
from web.form_errors import fields_at, form_errors, plain_message
from web.forms import Form, field, flash, number, read_form
from web.i18n import N_, ROLE_LABELS, gettext_for
from web.templating import render

BACK = "/admin/members"


async def _page_context(request: Request) -> dict[str, Any]:
    ctx = context_of(request)
    services = ctx.members
    return {
        "users": await services.access.accounts(),
        "join_requests": await services.membership.pending(),
        "invitations": await services.membership.list_invitations(),
        "remote_members": await services.remote_members.all(),
        "roles": [role.value for role in Role],
        "remote_roles": [role.value for role in Role if role is not Role.ADMIN],
        "limits": {"note": MAX_INVITATION_NOTE, "uses": MAX_INVITATION_USES, "days": MAX_INVITATION_DAYS,
                   "actor": MAX_ACTOR_REFERENCE},
    }


async def _page(request: Request, status: int = 200, **extra: Any) -> Response:
    return render(request, "admin/members.html", {**await _page_context(request), **extra}, status)


REMOTE_MEMBER_FIELDS = fields_at({"actor": ("actor", N_("Fediverse address or actor URL")),
                                  "role": ("remote-role", N_("Role"))})


def _role(form: Form) -> Role:
    try:
        return parse_role(form.get("role") or "")
    except ValueError as error:
        raise ValidationError("role", "%(reason)s", reason=str(error), plain=N_("choose one of the options")) from None


def _path_int(request: Request, name: str) -> int:
    raw = str(request.path_params[name])
    if not raw.isdigit() or len(raw) > 12:
        raise ValidationError(name, N_("not a valid number"))
    return int(raw)


async def members_admin(request: Request) -> Response:
    await require_permission(request, Permission.MANAGE_MEMBERS)
    return await _page(request)


async def decide_request(request: Request) -> Response:
    _ = gettext_for(request)
    admin = await require_permission(request, Permission.MANAGE_MEMBERS)
    await read_form(request)
    if request.path_params["decision"] not in ("approve", "reject"):
        raise NotFound("no such action")
    approve = request.path_params["decision"] == "approve"
    services = context_of(request).members
    decided = await services.membership.decide(_path_int(request, "request_id"), approve=approve, admin=admin)
    if approve:
        flash(request, _("%(name)s is now a member.", name=decided.display_name))
    else:
        flash(request, _("The request of %(name)s is declined.", name=decided.display_name))
    return RedirectResponse(BACK, status_code=303)


async def set_role(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.MANAGE_MEMBERS)
    form = await read_form(request)
    roles = context_of(request).members.roles
    user = await roles.set_user_role(_path_int(request, "user_id"), _role(form))
    flash(request, _("%(name)s now has the role %(role)s.", name=user.display_name, role=_(ROLE_LABELS[user.role.value])))
    return RedirectResponse(BACK, status_code=303)


async def reset_password(request: Request) -> Response:
    await require_permission(request, Permission.MANAGE_MEMBERS)
    await read_form(request)
    logins = context_of(request).members.logins
    user, one_time = await logins.reset_by_admin(_path_int(request, "user_id"))
    # Shown once, in this answer only; the holder must replace it at login.
    return await _page(request, reset={"user": user, "password": one_time})


async def set_access(request: Request) -> Response:
    """Disable or enable an account; disabling ends its sessions and tokens at once."""
    _ = gettext_for(request)
    await require_permission(request, Permission.MANAGE_MEMBERS)
    await read_form(request)
    account = await access_service(request).account(_path_int(request, "user_id"))
    if account is None:
        raise NotFound("no such account")
    access = access_service(request)
    if request.path_params["action"] == "disable":
        try:
            changed = await access.disable(account.username)
        except Conflict as refused:
            return await _page(request, 409, error=str(refused))
        flash(request, _("%(name)s can no longer log in; their sessions and API tokens are ended.",
                         name=changed.display_name))
    elif request.path_params["action"] == "enable":
        changed = await access.enable(account.username)
        flash(request, _("%(name)s can log in again.", name=changed.display_name))
    else:
        raise NotFound("no such action")
    return RedirectResponse(BACK, status_code=303)


async def create_invitation(request: Request) -> Response:
    admin = await require_permission(request, Permission.MANAGE_MEMBERS)
    form = await read_form(request)
    membership = context_of(request).members.membership
    try:
        token, invitation = await membership.create_invitation(
            admin,
            note=field(form, "note", limit=MAX_INVITATION_NOTE),
            max_uses=number(form, "max_uses", low=1, high=MAX_INVITATION_USES, default=1),
            valid_days=number(form, "valid_days", low=1, high=MAX_INVITATION_DAYS, default=7),
        )
    except ValidationError as error:
        return await _page(request, 422, error=plain_message(request, error), error_field=error.field)
    link = context_of(request).urls.absolute(f"/join?invite={token}")
    return await _page(request, new_invitation={"link": link, "invitation": invitation})


async def revoke_invitation(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.MANAGE_MEMBERS)
    await read_form(request)
    await context_of(request).members.membership.revoke_invitation(
        _path_int(request, "invitation_id")
    )
    flash(request, _("The invitation link no longer works."))
    return RedirectResponse(BACK, status_code=303)


async def add_remote_member(request: Request) -> Response:
    _ = gettext_for(request)
    admin = await require_permission(request, Permission.MANAGE_MEMBERS)
    form = await read_form(request)
    services = context_of(request).members
    try:
        reference = field(form, "actor", limit=MAX_ACTOR_REFERENCE, required=True)
        member = await services.remote_members.add(reference, _role(form), admin)
    except ValidationError as error:
        # Beside the address, in plain words ("we could not find @x@host: ..."), the typed values kept.
        return await _page(request, 422, errors=form_errors(request, error, REMOTE_MEMBER_FIELDS),
                           remote_value=(form.get("actor") or "")[:MAX_ACTOR_REFERENCE],
                           remote_role=form.get("role") or "member")
    flash(request, _("%(name)s is now a member.", name=member.handle or member.display_name))
    return RedirectResponse(BACK, status_code=303)


async def remote_member_action(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.MANAGE_MEMBERS)
    form = await read_form(request)
    services = context_of(request).members
    actor_id = field(form, "actor_id", limit=MAX_ACTOR_REFERENCE, required=True)
    if request.path_params["action"] not in ("remove", "role"):
        raise NotFound("no such action")
    if request.path_params["action"] == "remove":
        await services.remote_members.remove(actor_id)
        flash(request, _("The remote member is removed."))
    else:
        await services.roles.set_remote_role(actor_id, _role(form))
        flash(request, _("The role is changed."))
    return RedirectResponse(BACK, status_code=303)


routes = [
    Route("/admin/members", members_admin, methods=["GET"]),
    Route("/admin/members/requests/{request_id}/{decision:str}", decide_request, methods=["POST"]),
    Route("/admin/members/{user_id}/role", set_role, methods=["POST"]),
    Route("/admin/members/{user_id}/reset-password", reset_password, methods=["POST"]),
    Route("/admin/members/{user_id}/{action:str}", set_access, methods=["POST"]),
    Route("/admin/invitations", create_invitation, methods=["POST"]),
    Route("/admin/invitations/{invitation_id}/revoke", revoke_invitation, methods=["POST"]),
    Route("/admin/remote-members", add_remote_member, methods=["POST"]),
    Route("/admin/remote-members/{action:str}", remote_member_action, methods=["POST"]),
]
