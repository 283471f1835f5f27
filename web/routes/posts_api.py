"""The news posts API (`/api/v1/posts`): published at once, edits federate as
Update, deletions as Delete."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter.posts import parse_post
from fedchapter.roles import Permission
from web.api_operation import checked_body
from web.auth import require_permission
from web.context import context_of
from web.pagination import list_answer, page_of
from web.readers import reader_for
from web.record_api import post_json


async def create_post(request: Request) -> Response:
    user = await require_permission(request, Permission.PUBLISH_POSTS)
    ctx = context_of(request)
    content = parse_post(await checked_body(request), default_language=ctx.settings.language)
    post = await ctx.records.posts.create(content, author_user_id=user.id)
    return JSONResponse(post_json(ctx, post), status_code=201)


async def list_posts(request: Request) -> Response:
    ctx = context_of(request)
    page = page_of(request)
    found = await ctx.records.posts.latest(await reader_for(request), limit=page.fetch, offset=page.offset)
    return list_answer(request, page, *page.trim(found), lambda post: post_json(ctx, post))


async def get_post(request: Request) -> Response:
    ctx = context_of(request)
    post = await ctx.records.posts.get(request.path_params["id"], await reader_for(request))
    return JSONResponse(post_json(ctx, post))


async def edit_post(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_POSTS)
    ctx = context_of(request)
    service = ctx.records.posts
    current = await service.get(request.path_params["id"], await reader_for(request))
    content = parse_post(await checked_body(request), default_language=ctx.settings.language)
    return JSONResponse(post_json(ctx, await service.edit(current.id, content)))


async def delete_post(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_POSTS)
    service = context_of(request).records.posts
    current = await service.get(request.path_params["id"], await reader_for(request))
    await service.delete(current.id)
    return Response(status_code=204)


routes = [
    Route("/api/v1/posts", create_post, methods=["POST"]),
    Route("/api/v1/posts", list_posts, methods=["GET"]),
    Route("/api/v1/posts/{id}", get_post, methods=["GET"]),
    Route("/api/v1/posts/{id}", edit_post, methods=["PATCH"]),
    Route("/api/v1/posts/{id}", delete_post, methods=["DELETE"]),
]
