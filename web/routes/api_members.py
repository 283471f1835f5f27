"""``/api/v1/members``: admins list members (local and remote, with roles)
and make a fediverse account a member."""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter.accounts import User
from fedchapter.errors import N_, ValidationError
from fedchapter.membership import RemoteMember
from fedchapter.roles import Permission, Role, parse_role
from web.api_operation import checked_body
from web.auth import LoginRequired, bearer_token, require_permission
from web.context import AppContext, context_of
from web.pagination import sliced_answer


def local_resource(ctx: AppContext, user: User) -> dict[str, Any]:
    actor = ctx.urls.actor(user.username)
    return {
        "id": user.username,
        "ap_id": actor,
        "url": actor,
        "local": True,
        "username": user.username,
        "handle": f"@{user.username}@{ctx.settings.host}",
        "name": user.display_name,
        "role": user.role.value,
        "since": user.created_at.isoformat(),
    }


def remote_resource(member: RemoteMember) -> dict[str, Any]:
    return {
        "id": member.actor_id,
        "ap_id": member.actor_id,
        "url": member.actor_id,
        "local": False,
        "handle": member.handle,
        "name": member.display_name,
        "role": member.role.value,
        "since": member.added_at.isoformat(),
    }


async def list_members(request: Request) -> Response:
    await require_permission(request, Permission.MANAGE_MEMBERS)
    ctx = context_of(request)
    services = ctx.members
    local, remote = await services.directory.members()
    everyone = [local_resource(ctx, user) for user in local] + [remote_resource(member) for member in remote]
    return sliced_answer(request, everyone)


async def add_member(request: Request) -> Response:
    if bearer_token(request) is None:
        # Writes need a token: a browser never sends one by itself, so no CSRF.
        raise LoginRequired()
    admin = await require_permission(request, Permission.MANAGE_MEMBERS)
    body = await checked_body(request)
    actor = body.get("actor")
    if not isinstance(actor, str) or not actor.strip():
        raise ValidationError("actor", N_("give the account as @name@host or an actor URL"))
    role_text = body.get("role", Role.MEMBER.value)
    if not isinstance(role_text, str):
        raise ValidationError("role", N_("the role must be text"))
    try:
        role = parse_role(role_text)
    except ValueError as error:
        raise ValidationError("role", "%(reason)s", reason=str(error), plain=N_("choose one of the options")) from None
    services = context_of(request).members
    member = await services.remote_members.add(actor, role, admin)
    return JSONResponse(remote_resource(member), status_code=201)


routes = [
    Route("/api/v1/members", list_members, methods=["GET"]),
    Route("/api/v1/members", add_member, methods=["POST"]),
]
