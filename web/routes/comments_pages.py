"""Comments on the site: the forms under every thread (comment, reply,
moderate, lock), each comment's own URL (a Note for servers, the thread for
people) and the `replies` collection of every object and comment."""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.comments import MAX_SUMMARY, NewComment
from fedchapter.errors import N_, Forbidden, NotFound, ValidationError
from fedchapter.roles import Permission
from federation.collections import ordered_collection, ordered_collection_page, page_bounds
from web.auth import require_permission
from web.context import context_of
from web.forms import field, flash, read_form
from web.i18n import gettext_for
from web.negotiation import prefers_activity_json
from web.readers import reader_for
from web.record_documents import gone_or_none, object_document
from web.responses import activity_json
from web.routes.comments_api import local_author
from web.routes.login import safe_next


async def post_comment(request: Request) -> Response:
    user = await require_permission(request, Permission.COMMENT)
    ctx = context_of(request)
    form = await read_form(request)
    return_to = safe_next(form.get("return_to"))
    new = NewComment(
        target=field(form, "object", limit=2_000, required=True),
        source=field(form, "content", limit=5_000, required=True, one_line=False),
        in_reply_to=field(form, "in_reply_to", limit=2_000) or None,
        summary=field(form, "summary", limit=MAX_SUMMARY),
    )
    author = local_author(ctx, user.username, user.display_name, user.id)
    comment = await ctx.records.comments.add_local(new, author=author, reader=await reader_for(request))
    return RedirectResponse(f"{return_to}#comment-{comment.id}", status_code=303)


async def moderate_comment(request: Request) -> Response:
    """Hide, show again, delete (the author or a moderator), block the author."""
    await require_permission(request, Permission.COMMENT)
    ctx = context_of(request)
    _ = gettext_for(request)
    form = await read_form(request)
    return_to = safe_next(form.get("return_to"))
    reader = await reader_for(request)
    service = ctx.records.comments
    comment_id = request.path_params["id"]
    action = form.get("action")
    if action == "delete":
        await service.delete(comment_id, reader)
        flash(request, _("The comment was deleted."))
    elif action in ("hide", "unhide"):
        await service.set_hidden(comment_id, action == "hide", reader)
        flash(request, _("The comment is hidden.") if action == "hide" else _("The comment is shown again."))
    elif action == "block":
        if not reader.may_moderate:
            raise Forbidden("only moderators may block accounts")
        comment = await service.set_hidden(comment_id, True, reader)
        await ctx.federation.blocks.block_actor(comment.author.actor_id, reason=f"comment {comment.ap_id}")
        flash(request, _("The author is blocked and the comment hidden."))
    else:
        raise NotFound("no such action")
    return RedirectResponse(return_to, status_code=303)


async def lock_thread(request: Request) -> Response:
    await require_permission(request, Permission.MODERATE)
    ctx = context_of(request)
    form = await read_form(request)
    locked = form.get("locked") == "1"
    target = field(form, "object", limit=2_000, required=True)
    await ctx.records.comments.set_locked(target, locked, await reader_for(request))
    return RedirectResponse(safe_next(form.get("return_to")), status_code=303)


async def show_comment(request: Request) -> Response:
    """A comment's URL: the Note for servers, its place in the thread for people."""
    ctx = context_of(request)
    ap_id = ctx.urls.comment(request.path_params["id"])
    comment = await ctx.records.comments.visible(ap_id)
    if comment is None:
        gone = await gone_or_none(ctx, ap_id)
        if gone is not None:
            return gone
        raise NotFound("no such comment")
    # The thread's object decides who may see the comment.
    target = await ctx.records.comments.target(comment.target, await reader_for(request))
    if not prefers_activity_json(request.headers.get("accept")):
        return RedirectResponse(f"{target.ap_id}#comment-{comment.id}", status_code=303)
    return await object_document(ctx, comment, target.visibility)


async def replies(request: Request) -> Response:
    """The `replies` collection of an object or a comment: the ids of its direct replies."""
    ctx = context_of(request)
    parent = ctx.urls.absolute(request.url.path.removesuffix("/replies"))
    await ctx.records.comments.thread(parent, await reader_for(request))  # 404 if hidden
    comments = ctx.records.comments
    total = await comments.reply_count(parent)

    async def fetch(limit: int, offset: int) -> list[Any]:
        return await comments.reply_ids(parent, limit, offset)

    collection_id = ctx.urls.replies(parent)
    page = request.query_params.get("page")
    if page is None:
        return activity_json(ordered_collection(collection_id, total))
    if not page.isdigit() or not 1 <= int(page) <= 100_000:
        raise ValidationError("page", N_("page must be a whole number from 1"))
    limit, offset = page_bounds(int(page))
    return activity_json(ordered_collection_page(collection_id, int(page), await fetch(limit, offset), total))


async def thread_context(request: Request) -> Response:
    """FEP-7888: a thread's `context` collection, the object first, then its
    visible comments oldest first. People are sent to the thread itself."""
    ctx = context_of(request)
    root = ctx.urls.absolute(request.url.path.removesuffix("/context"))
    target = await ctx.records.comments.target(root, await reader_for(request))  # 404 if hidden
    if not prefers_activity_json(request.headers.get("accept")):
        return RedirectResponse(f"{target.ap_id}#comments", status_code=303)
    comments = await ctx.records.comments.visible_under(target.ap_id)
    items = [target.ap_id, *(comment.ap_id for comment in comments)]
    collection_id = ctx.urls.thread_context(target.ap_id)
    page = request.query_params.get("page")
    if page is None:
        document = ordered_collection(collection_id, len(items))
    elif not page.isdigit() or not 1 <= int(page) <= 100_000:
        raise ValidationError("page", N_("page must be a whole number from 1"))
    else:
        limit, offset = page_bounds(int(page))
        document = ordered_collection_page(collection_id, int(page), items[offset:offset + limit], len(items))
    # FEP-7888: who the thread belongs to (the chapter) and what it is about.
    document["attributedTo"] = ctx.urls.actor((await ctx.chapter_actor()).username)
    document["audience"] = document["attributedTo"]
    return activity_json(document)


routes = [
    Route("/comments", post_comment, methods=["POST"]),
    Route("/comments/lock", lock_thread, methods=["POST"]),
    Route("/comments/{id}", show_comment, methods=["GET"]),
    Route("/comments/{id}/moderate", moderate_comment, methods=["POST"]),
    *(Route(f"/{kind}/{{id}}/replies", replies, methods=["GET"])
      for kind in ("minutes", "posts", "events", "proposals", "comments")),
    *(Route(f"/{kind}/{{id}}/context", thread_context, methods=["GET"])
      for kind in ("minutes", "posts", "events", "proposals")),
]
