"""The comments API: `GET /api/v1/comments?object=AP_ID` (threaded, local and
remote), `POST /api/v1/comments {object, content, in_reply_to?}`, and the
moderation calls (hide, delete, lock)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter import input as fields
from fedchapter.comments import CommentAuthor, ThreadNode, parse_new_comment
from fedchapter.errors import N_, ValidationError
from fedchapter.roles import Permission
from web.api_operation import checked_body
from web.auth import require_permission
from web.context import AppContext, context_of
from web.pagination import sliced_answer
from web.readers import reader_for
from web.record_api import comment_json


def local_author(ctx: AppContext, username: str, display_name: str, user_id: int) -> CommentAuthor:
    actor_url = ctx.urls.actor(username)
    return CommentAuthor(actor_id=actor_url, name=display_name, url=actor_url,
                         handle=f"@{username}@{ctx.urls.host}", user_id=user_id)


async def list_comments(request: Request) -> Response:
    target = request.query_params.get("object")
    if not target:
        raise ValidationError("object", N_("give the ActivityPub id of the object: ?object=URL"))
    ctx = context_of(request)
    found, roots = await ctx.records.comments.thread(target, await reader_for(request))
    # A page is a number of threads (top-level comments, each with its replies).
    return sliced_answer(request, roots, comment_json, object=found.ap_id, locked=found.locked)


async def create_comment(request: Request) -> Response:
    user = await require_permission(request, Permission.COMMENT)
    ctx = context_of(request)
    new = parse_new_comment(await checked_body(request))
    author = local_author(ctx, user.username, user.display_name, user.id)
    comment = await ctx.records.comments.add_local(new, author=author, reader=await reader_for(request))
    return JSONResponse(comment_json(ThreadNode(comment)), status_code=201)


async def delete_comment(request: Request) -> Response:
    await require_permission(request, Permission.COMMENT)
    ctx = context_of(request)
    await ctx.records.comments.delete(request.path_params["id"], await reader_for(request))
    return Response(status_code=204)


async def hide_comment(request: Request) -> Response:
    await require_permission(request, Permission.MODERATE)
    ctx = context_of(request)
    body = await checked_body(request)
    fields.refuse_unknown(body, frozenset({"hidden"}))
    hidden = body.get("hidden", True)
    if not isinstance(hidden, bool):
        raise ValidationError("hidden", N_("must be true or false"))
    comment = await ctx.records.comments.set_hidden(
        request.path_params["id"], hidden, await reader_for(request)
    )
    return JSONResponse(comment_json(ThreadNode(comment)))


async def lock_comments(request: Request) -> Response:
    await require_permission(request, Permission.MODERATE)
    ctx = context_of(request)
    body = await checked_body(request)
    fields.refuse_unknown(body, frozenset({"object", "locked"}))
    target = fields.single_line(body.get("object"), "object", limit=2_000, required=True)
    locked = body.get("locked", True)
    if not isinstance(locked, bool):
        raise ValidationError("locked", N_("must be true or false"))
    await ctx.records.comments.set_locked(target, locked, await reader_for(request))
    return JSONResponse({"object": target, "locked": locked})


routes = [
    Route("/api/v1/comments", list_comments, methods=["GET"]),
    Route("/api/v1/comments", create_comment, methods=["POST"]),
    Route("/api/v1/comments/lock", lock_comments, methods=["POST"]),
    Route("/api/v1/comments/{id}", delete_comment, methods=["DELETE"]),
    Route("/api/v1/comments/{id}/hide", hide_comment, methods=["POST"]),
]
