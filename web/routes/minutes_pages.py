"""Minutes on the site: the list, one set of minutes (negotiated: the page for
people, the Article for servers), a member's own open action items.

Members-only minutes answer 404 to everyone but logged-in members and signed
fetches from member actors; drafts only to secretaries.
"""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.errors import NotFound
from fedchapter.minutes.model import MinutesContent
from fedchapter.minutes.summary import decision_line, minutes_summary, next_meeting_line
from fedchapter.minutes.workflow import next_states
from fedchapter.text import render_markdown
from web.auth import require_user
from web.comment_thread import comment_thread
from web.context import AppContext, context_of
from web.negotiation import prefers_activity_json
from web.readers import reader_for
from web.record_documents import gone_or_none, object_document
from web.templating import render

LIST_SIZE = 30


def content_view(ctx: AppContext, content: MinutesContent) -> dict[str, Any]:
    """What the page shows, rendered: notes as safe HTML, decisions as lines."""
    zone, language = ctx.settings.timezone, content.language
    return {
        "content": content,
        "summary": minutes_summary(content, zone, language),
        "agenda": [(item.title, render_markdown(item.notes)) for item in content.agenda],
        "decisions": [(decision, decision_line(decision)) for decision in content.decisions],
        "next_meeting": next_meeting_line(content.next_meeting, zone, language) if content.next_meeting else "",
        "event_url": ctx.urls.event(content.event) if content.event else None,
    }


async def minutes_list(request: Request) -> Response:
    ctx = context_of(request)
    reader = await reader_for(request)
    found = await ctx.records.minutes.latest(reader, limit=LIST_SIZE)
    return render(request, "minutes/list.html", {"minutes_list": found, "may_write": reader.may_publish_minutes})


async def minutes_page(request: Request) -> Response:
    ctx = context_of(request)
    minutes_id = request.path_params["id"]
    service = ctx.records.minutes
    wants_json = prefers_activity_json(request.headers.get("accept"))
    try:
        minutes = await service.get(minutes_id, await reader_for(request))
    except NotFound:
        gone = await gone_or_none(ctx, ctx.urls.minutes(minutes_id))
        if gone is not None:
            return gone
        raise
    if wants_json:
        if not minutes.is_published:
            raise NotFound("no such minutes")
        return await object_document(ctx, minutes, minutes.visibility)
    history = await service.history(minutes.id)
    shown = minutes.content
    old_revision = request.query_params.get("revision")
    if old_revision is not None:
        earlier = next((r for r in history if str(r.revision) == old_revision), None)
        if earlier is None:
            raise NotFound("no such revision")
        shown = earlier.content
    reader = await reader_for(request)
    return render(request, "minutes/show.html", {
        "minutes": minutes,
        **content_view(ctx, shown),
        "showing_revision": old_revision,
        "history": history,
        "may_write": reader.may_publish_minutes,
        "next_states": next_states(minutes.state) if reader.may_publish_minutes else (),
        "comments": await comment_thread(request, ctx.urls.minutes(minutes.id)),
    })


async def my_actions(request: Request) -> Response:
    user = await require_user(request)
    ctx = context_of(request)
    found = await ctx.records.minutes.actions_of(user.username)
    return render(request, "minutes/actions.html", {"my_actions": found})


async def my_actions_for(ctx: AppContext, username: str) -> list[Any]:
    """For other pages (the account page) that include minutes/_my_actions.html."""
    return list(await ctx.records.minutes.actions_of(username))


routes = [
    Route("/minutes", minutes_list, methods=["GET"]),
    Route("/minutes/actions", my_actions, methods=["GET"]),
    Route("/minutes/{id}", minutes_page, methods=["GET"]),
]
