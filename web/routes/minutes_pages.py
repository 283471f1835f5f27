"""Minutes on the site: the list, one set of minutes (negotiated: the page for
people, the Article for servers), a member's own open action items.

Members-only minutes answer 404 to everyone but logged-in members and signed
fetches from member actors; drafts only to secretaries.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from babel.dates import format_skeleton

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.errors import NotFound
from fedchapter.media.model import OwnerKind
from fedchapter.minutes.model import Minutes, MinutesContent
from fedchapter.minutes.summary import minutes_summary, next_meeting_line
from fedchapter.minutes.workflow import next_states
from fedchapter.text import render_markdown
from web.auth import require_user
from web.comment_thread import comment_thread
from web.conditional import conditional_object
from web.context import AppContext, context_of
from web.minutes_words import decision_words
from web.negotiation import prefers_activity_json
from web.readers import reader_for
from web.media_views import files_of
from web.record_documents import gone_or_none, object_document
from web.templating import render

LIST_SIZE = 30


def content_view(ctx: AppContext, content: MinutesContent, page_language: str) -> dict[str, Any]:
    """What the page shows, rendered: notes as safe HTML, decisions as lines
    (their outcome and counts in the page's language)."""
    zone, language = ctx.settings.timezone, content.language
    return {
        "content": content,
        "summary": minutes_summary(content, zone, language),
        "agenda": [(item.title, render_markdown(item.notes)) for item in content.agenda],
        "decisions": [(decision, decision_words(decision, page_language)) for decision in content.decisions],
        "next_meeting": next_meeting_line(content.next_meeting, zone, language) if content.next_meeting else "",
        "event_url": ctx.urls.event(content.event) if content.event else None,
    }


def attendance_over_time(found: Sequence[Minutes], language: str) -> list[tuple[str, int]]:
    """(short date, number present) for each meeting listed, oldest first, for the
    attendance chart: "24 Nov" within one year, "Nov 2026" when the list spans years."""
    meetings = sorted(found, key=lambda minutes: minutes.content.meeting_date)
    one_year = len({minutes.content.meeting_date.year for minutes in meetings}) <= 1
    skeleton = "MMMd" if one_year else "yMMM"
    return [(format_skeleton(skeleton, minutes.content.meeting_date, locale=language), minutes.content.attendance)
            for minutes in meetings]


async def minutes_list(request: Request) -> Response:
    ctx = context_of(request)
    reader = await reader_for(request)
    found = await ctx.records.minutes.latest(reader, limit=LIST_SIZE)
    language = getattr(request.state, "language", "en")
    return render(request, "minutes/list.html", {"minutes_list": found, "may_write": reader.may_publish_minutes,
                                                 "attendance": attendance_over_time(found, language)})


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
        return conditional_object(request, await object_document(ctx, minutes, minutes.visibility),
                                  minutes.visibility)
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
        **content_view(ctx, shown, request.state.language),
        "showing_revision": old_revision,
        "history": history,
        "may_write": reader.may_publish_minutes,
        "next_states": next_states(minutes.state) if reader.may_publish_minutes else (),
        "comments": await comment_thread(request, ctx.urls.minutes(minutes.id)),
        **await files_of(ctx, OwnerKind.MINUTES, minutes.id),
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
