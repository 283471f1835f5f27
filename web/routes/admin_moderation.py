"""/admin/moderation: the newest comments across the site in one place, each
with the same hide, show, delete and block actions as under its thread, plus
a link to the blocks page."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.roles import Permission
from web.auth import require_permission
from web.context import context_of
from web.templating import render

RECENT_LIMIT = 100


async def moderation_page(request: Request) -> Response:
    await require_permission(request, Permission.MODERATE)
    remote_only = request.query_params.get("from") == "remote"
    comments = await context_of(request).records.comments.recent_for_moderators(RECENT_LIMIT,
                                                                                 remote_only=remote_only)
    return render(request, "admin/moderation.html", {"comments": comments, "remote_only": remote_only})


routes = [Route("/admin/moderation", moderation_page, methods=["GET"])]
