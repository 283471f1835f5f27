"""/admin/roles: hand an office over for a term (from, until), end a term,
say which offices several members may hold at once, and see who held which
office when. The members page's "Change" hands offices over through the same
RoleService."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from datetime import date

from fedchapter.errors import N_, Conflict, NotFound, ValidationError
from fedchapter.roles import OFFICE_ROLES, Permission, Role, parse_role
from web.auth import require_permission
from web.context import context_of
from web.form_errors import plain_message
from web.forms import field, flash, read_form
from web.i18n import ROLE_LABELS, gettext_for
from web.templating import render

OFFICES = [Role.SECRETARY, Role.FACILITATOR, Role.ADMIN]


async def roles_page(
    request: Request, status: int = 200, error: str | None = None, values: dict[str, str] | None = None,
) -> Response:
    await require_permission(request, Permission.MANAGE_MEMBERS)
    ctx = context_of(request)
    services = ctx.members
    candidates, remote = await services.directory.members()
    return render(
        request,
        "admin/roles.html",
        {
            "offices": [office.value for office in OFFICES],
            "current": await services.roles.current(),
            "co_held": [office.value for office in await services.roles.co_held()],
            "today": ctx.members.roles.clock().date(),
            "history": await services.roles.history(),
            "candidates": candidates,
            "remote_candidates": remote,
            "error": error,
            "values": values or {},
        },
        status,
    )


async def rotate(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.MANAGE_MEMBERS)
    form = await read_form(request)
    roles = context_of(request).members.roles
    try:
        office = parse_role(form.get("role") or "")
        if office not in OFFICE_ROLES:
            raise ValueError("only offices rotate")
    except ValueError as error:
        return await roles_page(request, 422, str(error))
    holder = field(form, "holder", limit=600, required=False)
    values = {name: form.get(name) or "" for name in ("role", "holder", "starts_on", "ends_on")}
    try:
        term = {"starts_on": _day(form.get("starts_on"), "starts_on"), "ends_on": _day(form.get("ends_on"), "ends_on")}
        if holder.startswith("user:") and holder[5:].isdigit():
            await roles.rotate(office, user_id=int(holder[5:]), **term)
        elif holder.startswith("remote:"):
            await roles.rotate(office, remote_actor_id=holder[7:], **term)
        else:
            raise ValidationError("holder", N_("choose who holds the office next"))
    except ValidationError as error:
        return await roles_page(request, 422, plain_message(request, error), values)
    flash(request, _("The role %(role)s has passed to its next holder.", role=_(ROLE_LABELS[office.value])))
    return RedirectResponse("/admin/roles", status_code=303)


def _day(raw: str | None, name: str) -> date | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(name, N_("enter a date")) from None


def _office(form_value: str | None) -> Role:
    try:
        office = parse_role(form_value or "")
    except ValueError:
        raise NotFound("no such office") from None
    if office not in OFFICE_ROLES:
        raise NotFound("no such office")
    return office


async def end_term(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.MANAGE_MEMBERS)
    form = await read_form(request)
    office = _office(form.get("role"))
    try:
        await context_of(request).members.roles.end_term(office, field(form, "holder", limit=600))
    except Conflict as refused:
        return await roles_page(request, 409, _(str(refused)))
    flash(request, _("The term has ended."))
    return RedirectResponse("/admin/roles", status_code=303)


async def set_co_holders(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.MANAGE_MEMBERS)
    form = await read_form(request)
    roles = context_of(request).members.roles
    wanted = set(form.getlist("co_held"))
    try:
        for office in OFFICES:
            await roles.allow_co_holders(office, office.value in wanted)
    except Conflict as refused:
        return await roles_page(request, 409, _(str(refused)))
    flash(request, _("Saved which offices several members may hold at once."))
    return RedirectResponse("/admin/roles", status_code=303)


async def roles_get(request: Request) -> Response:
    return await roles_page(request)


routes = [
    Route("/admin/roles", roles_get, methods=["GET"]),
    Route("/admin/roles", rotate, methods=["POST"]),
    Route("/admin/roles/end", end_term, methods=["POST"]),
    Route("/admin/roles/offices", set_co_holders, methods=["POST"]),
]
