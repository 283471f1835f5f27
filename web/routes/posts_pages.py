"""News posts on the site: the archive, one post (negotiated: the page or the
Article), and the form for secretaries and facilitators to write one."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import NotFound, ValidationError
from fedchapter.media.model import OwnerKind
from fedchapter.posts import parse_post
from fedchapter.roles import Permission
from fedchapter.text import render_markdown
from web.auth import require_permission
from web.comment_thread import comment_thread
from web.conditional import conditional_object
from web.context import context_of
from web.forms import flash, read_form
from web.i18n import gettext_for
from web.negotiation import prefers_activity_json
from web.readers import reader_for
from web.media_views import files_of
from web.record_documents import gone_or_none, object_document
from web.templating import render

ARCHIVE_PAGE = 30


async def archive(request: Request) -> Response:
    ctx = context_of(request)
    raw_page = request.query_params.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and 1 <= int(raw_page) <= 10_000 else 1
    reader = await reader_for(request)
    found = await ctx.records.posts.latest(reader, limit=ARCHIVE_PAGE + 1,
                                                    offset=(page - 1) * ARCHIVE_PAGE)
    return render(request, "posts/list.html", {
        "posts": found[:ARCHIVE_PAGE], "page": page, "has_more": len(found) > ARCHIVE_PAGE,
        "may_write": reader.may_publish_posts,
    })


async def post_page(request: Request) -> Response:
    ctx = context_of(request)
    post_id = request.path_params["id"]
    try:
        post = await ctx.records.posts.get(post_id, await reader_for(request))
    except NotFound:
        gone = await gone_or_none(ctx, ctx.urls.post(post_id))
        if gone is not None:
            return gone
        raise
    if prefers_activity_json(request.headers.get("accept")):
        return conditional_object(request, await object_document(ctx, post, post.visibility), post.visibility)
    return render(request, "posts/show.html", {
        "post": post,
        "body_html": render_markdown(post.content.body),
        "comments": await comment_thread(request, ctx.urls.post(post.id)),
        "may_write": (await reader_for(request)).may_publish_posts,
        **await files_of(ctx, OwnerKind.POST, post.id),
    })


async def new_post(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_POSTS)
    ctx = context_of(request)
    values = {"title": "", "body": "", "summary": "", "visibility": "public", "language": ctx.settings.language}
    return render(request, "posts/form.html", {"values": values, "error": None})


async def create_post(request: Request) -> Response:
    user = await require_permission(request, Permission.PUBLISH_POSTS)
    ctx = context_of(request)
    form = await read_form(request)
    values = {name: (form.get(name) or "").strip() for name in ("title", "body", "summary", "visibility", "language")}
    try:
        content = parse_post({k: v for k, v in values.items() if v}, default_language=ctx.settings.language)
        post = await ctx.records.posts.create(content, author_user_id=user.id)
    except ValidationError as error:
        return render(request, "posts/form.html", {"values": values, "error": error}, status_code=422)
    flash(request, gettext_for(request)("The post is published."))
    return RedirectResponse(f"/posts/{post.id}", status_code=303)


routes = [
    Route("/posts", archive, methods=["GET"]),
    Route("/posts/new", new_post, methods=["GET"]),
    Route("/posts/new", create_post, methods=["POST"]),
    Route("/posts/{id}", post_page, methods=["GET"]),
]
