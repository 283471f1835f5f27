"""The chapter's home page: who we are and how to follow us."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.text import render_markdown
from web.context import context_of
from web.event_views import next_events_for_home
from web.negotiation import prefers_activity_json
from web.proposal_pages import open_proposals_for_home
from web.record_home import latest_record_for_home
from web.routes.actors import actor as actor_document
from web.templating import render


async def home(request: Request) -> Response:
    ctx = context_of(request)
    chapter = await ctx.chapter()
    if prefers_activity_json(request.headers.get("accept")):
        # The home page is the Group's url; servers asking for JSON get the actor.
        request.path_params["username"] = chapter.handle
        return await actor_document(request)
    return render(
        request,
        "home.html",
        {
            "summary_html": render_markdown(chapter.summary),
            "actor_url": ctx.urls.actor(chapter.handle),
            "open_proposals": await open_proposals_for_home(ctx),
            "next_events": await next_events_for_home(request),
            "latest_record": await latest_record_for_home(request),
        },
    )


routes = [Route("/", home)]
