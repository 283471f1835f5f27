"""/admin/followers: with "approve each new follower by hand" on, each new
Follow of the chapter waits here until an admin accepts or rejects it; the
answer goes to the follower's server."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import Conflict, NotFound
from fedchapter.roles import Permission
from fedchapter.queue_states import FollowState
from web.auth import require_permission
from web.context import context_of
from web.forms import flash, read_form
from web.i18n import gettext_for
from web.routes.api_followers import request_number
from web.templating import render

# The page shows the oldest requests first; the API pages through the rest.
SHOWN = 200


async def followers_page(request: Request, status: int = 200, error: str | None = None) -> Response:
    await require_permission(request, Permission.ADMINISTER)
    ctx = context_of(request)
    pending = await ctx.federation.follows.followers(FollowState.PENDING, limit=SHOWN, offset=0)
    chapter = await ctx.chapter()
    return render(request, "admin/followers.html",
                  {"pending": pending, "manual": chapter.approve_followers, "error": error}, status)


async def followers_get(request: Request) -> Response:
    return await followers_page(request)


async def answer(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.ADMINISTER)
    form = await read_form(request)
    accept = form.get("answer") == "accept"
    try:
        row = await context_of(request).federation.follows.answer_request(request_number(request), accept=accept)
    except NotFound:
        return await followers_page(request, 404, _("This follow request was withdrawn or already answered."))
    except Conflict:
        return await followers_page(request, 409, _("This follow request was already accepted."))
    if accept:
        flash(request, _("%(actor)s now follows the chapter.", actor=row.actor_id))
    else:
        flash(request, _("The follow request of %(actor)s was rejected.", actor=row.actor_id))
    return RedirectResponse("/admin/followers", status_code=303)


routes = [
    Route("/admin/followers", followers_get, methods=["GET"]),
    Route("/admin/followers/{id}", answer, methods=["POST"]),
]
