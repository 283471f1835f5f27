"""/admin/roles: rotate an office (end the current term, start the next)
and see who held which office when."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import ValidationError
from fedchapter.roles import OFFICE_ROLES, Permission, Role, parse_role
from web.auth import require_permission
from web.context import context_of
from web.forms import field, flash, read_form
from web.i18n import ROLE_LABELS, gettext_for
from web.member_services import member_services
from web.templating import render

OFFICES = [Role.SECRETARY, Role.FACILITATOR, Role.ADMIN]


async def roles_page(request: Request, status: int = 200, error: str | None = None) -> Response:
    await require_permission(request, Permission.MANAGE_MEMBERS)
    ctx = context_of(request)
    services = member_services(ctx)
    candidates, remote = await services.directory.members()
    return render(
        request,
        "admin/roles.html",
        {
            "offices": [office.value for office in OFFICES],
            "current": await services.roles.current(),
            "history": await services.roles.history(),
            "candidates": candidates,
            "remote_candidates": remote,
            "error": error,
        },
        status,
    )


async def rotate(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.MANAGE_MEMBERS)
    form = await read_form(request)
    roles = member_services(context_of(request)).roles
    try:
        office = parse_role(form.get("role") or "")
        if office not in OFFICE_ROLES:
            raise ValueError("only offices rotate")
    except ValueError as error:
        return await roles_page(request, 422, str(error))
    holder = field(form, "holder", limit=600, required=False)
    try:
        if holder.startswith("user:") and holder[5:].isdigit():
            await roles.rotate(office, user_id=int(holder[5:]))
        elif holder.startswith("remote:"):
            await roles.rotate(office, remote_actor_id=holder[7:])
        else:
            raise ValidationError("holder", "choose who holds the role next")
    except ValidationError as error:
        return await roles_page(request, 422, error.message)
    flash(request, _("The role %(role)s has passed to its next holder.", role=_(ROLE_LABELS[office.value])))
    return RedirectResponse("/admin/roles", status_code=303)


async def roles_get(request: Request) -> Response:
    return await roles_page(request)


routes = [
    Route("/admin/roles", roles_get, methods=["GET"]),
    Route("/admin/roles", rotate, methods=["POST"]),
]
