"""The member list: members only (who belongs to a chapter is not public)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.roles import Permission
from web.auth import require_permission
from web.context import context_of
from web.templating import render


async def members_page(request: Request) -> Response:
    await require_permission(request, Permission.SEE_MEMBER_LIST)
    ctx = context_of(request)
    services = ctx.members
    local, remote = await services.directory.members()
    return render(
        request,
        "members.html",
        {"local_members": local, "remote_members": remote, "offices": await services.roles.current()},
    )


routes = [Route("/members", members_page, methods=["GET"])]
