"""Our public activities at their ids (``/activities/{id}``), as servers fetch them."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.conditional import conditional
from web.context import context_of
from web.responses import activity_json, json_error


async def activity(request: Request) -> Response:
    ctx = context_of(request)
    found = await ctx.documents.public_activity(ctx.urls.activity(request.path_params["activity_id"]))
    if found is None:
        return json_error(404, "no such public activity")
    return conditional(request, activity_json(found))


routes = [Route("/activities/{activity_id}", activity)]
