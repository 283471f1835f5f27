"""The minutes API (`/api/v1/minutes`).

`POST` publishes at once unless the body says `"state": "draft"` (or
`"circulated"`, `"approved"`); a draft is published later with
`POST /api/v1/minutes/{id}/state {"state": "published"}`. `PATCH` replaces
the text; on published minutes that is a correction (a new revision, its
`note` in the history, an Update to whoever received them). Members-only
minutes answer 404 to anyone who is not a member, so their existence does
not leak.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter import input as fields
from fedchapter.minutes.model import MinutesState
from fedchapter.minutes.validation import parse_minutes
from fedchapter.roles import Permission
from web.api_operation import checked_body
from web.auth import require_permission, require_user
from web.context import context_of
from web.pagination import list_answer, page_of, sliced_answer
from web.readers import reader_for
from web.record_api import minutes_json, open_action_json


async def create_minutes(request: Request) -> Response:
    user = await require_permission(request, Permission.PUBLISH_MINUTES)
    ctx = context_of(request)
    body = await checked_body(request)
    content = parse_minutes(body, default_language=ctx.settings.language)
    raw_state = fields.optional(body, "state")
    state = MinutesState.PUBLISHED if raw_state is None else fields.choice(raw_state, "state", MinutesState)
    minutes = await ctx.records.minutes.create(content, author_user_id=user.id, state=state)
    return JSONResponse(minutes_json(ctx, minutes, []), status_code=201)


async def list_minutes(request: Request) -> Response:
    ctx = context_of(request)
    page = page_of(request)
    found = await ctx.records.minutes.latest(await reader_for(request), limit=page.fetch,
                                                      offset=page.offset)
    return list_answer(request, page, *page.trim(found), lambda minutes: minutes_json(ctx, minutes))


async def get_minutes(request: Request) -> Response:
    ctx = context_of(request)
    service = ctx.records.minutes
    minutes = await service.get(request.path_params["id"], await reader_for(request))
    return JSONResponse(minutes_json(ctx, minutes, await service.history(minutes.id)))


async def correct_minutes(request: Request) -> Response:
    user = await require_permission(request, Permission.PUBLISH_MINUTES)
    ctx = context_of(request)
    service = ctx.records.minutes
    current = await service.get(request.path_params["id"], await reader_for(request))
    body = await checked_body(request)
    content = parse_minutes(body, default_language=ctx.settings.language)
    note = fields.text(body.get("note"), "note", limit=500)
    changed = await service.correct(current.id, content, editor=user.username, note=note)
    return JSONResponse(minutes_json(ctx, changed, await service.history(changed.id)))


async def change_state(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_MINUTES)
    ctx = context_of(request)
    service = ctx.records.minutes
    current = await service.get(request.path_params["id"], await reader_for(request))
    body = await checked_body(request)
    fields.refuse_unknown(body, frozenset({"state"}))
    changed = await service.advance(current.id, fields.choice(body.get("state"), "state", MinutesState))
    return JSONResponse(minutes_json(ctx, changed, await service.history(changed.id)))


async def delete_minutes(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_MINUTES)
    service = context_of(request).records.minutes
    current = await service.get(request.path_params["id"], await reader_for(request))
    await service.delete(current.id)
    return Response(status_code=204)


async def actions_to_carry(request: Request) -> Response:
    """Open action items of earlier minutes, to carry into the next ones."""
    await require_permission(request, Permission.PUBLISH_MINUTES)
    ctx = context_of(request)
    excluding = request.query_params.get("excluding")
    found = await ctx.records.minutes.actions_to_carry(excluding=excluding)
    return sliced_answer(request, found, lambda action: open_action_json(ctx, action))


async def my_actions(request: Request) -> Response:
    user = await require_user(request)
    ctx = context_of(request)
    found = await ctx.records.minutes.actions_of(user.username)
    return sliced_answer(request, found, lambda action: open_action_json(ctx, action))


routes = [
    Route("/api/v1/minutes", create_minutes, methods=["POST"]),
    Route("/api/v1/minutes", list_minutes, methods=["GET"]),
    Route("/api/v1/minutes/actions", actions_to_carry, methods=["GET"]),
    Route("/api/v1/minutes/actions/mine", my_actions, methods=["GET"]),
    Route("/api/v1/minutes/{id}", get_minutes, methods=["GET"]),
    Route("/api/v1/minutes/{id}", correct_minutes, methods=["PATCH"]),
    Route("/api/v1/minutes/{id}", delete_minutes, methods=["DELETE"]),
    Route("/api/v1/minutes/{id}/state", change_state, methods=["POST"]),
]
