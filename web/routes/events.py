"""Events on the site: upcoming (recurring series expanded), past, the
network calendar ("from around the movement"), and one event, negotiated
(the page for people, the Event object for servers; 410 once deleted;
members-only events are not found by anyone else)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.comments import CommentTarget
from fedchapter.errors import NotFound
from fedchapter.events import recurrence
from fedchapter.events.rsvp import places_left
from fedchapter.roles import Permission, can
from fedchapter.services.events import Dated
from fedchapter.text import render_markdown
from web.auth import current_user
from web.comment_targets import register_comment_target
from web.comment_thread import comment_thread
from web.context import AppContext, context_of
from web.event_services import event_services
from web.event_views import COMMON_ZONES, map_url, occurrence_view, other_zone_options, reader_zone
from web.negotiation import prefers_activity_json
from web.readers import reader_for
from web.record_documents import gone_or_none, object_document
from web.routes import event_editing, feeds
from web.templating import render

LIST_LIMIT = 100
SERIES_DATES_SHOWN = 8


def _language(request: Request) -> str:
    return getattr(request.state, "language", "en")


def _zone_choices(request: Request) -> dict[str, object]:
    selected = reader_zone(request) or ""
    return {"reader_tz": selected, "common_zones": COMMON_ZONES, "other_zone_options": other_zone_options(selected)}


async def _list_page(request: Request, found: list[Dated], *, past: bool) -> Response:
    ctx = context_of(request)
    tz, language = reader_zone(request), _language(request)
    views = [occurrence_view(d.event, d.occurrence, url=ctx.urls.event(d.event.id), locale=language, reader_tz=tz,
                             chapter_tz=ctx.settings.timezone)
             for d in found]
    user = await current_user(request)
    may_publish = not past and user is not None and can(user.role, Permission.PUBLISH_EVENTS)
    return render(request, "events/list.html", {"views": views, "past": past, "may_publish": may_publish,
                                                **_zone_choices(request)})


async def upcoming_page(request: Request) -> Response:
    service = event_services(context_of(request)).events
    return await _list_page(request, await service.upcoming(await reader_for(request), limit=LIST_LIMIT), past=False)


async def past_page(request: Request) -> Response:
    service = event_services(context_of(request)).events
    return await _list_page(request, await service.past(await reader_for(request), limit=LIST_LIMIT), past=True)


async def network_page(request: Request) -> Response:
    ctx = context_of(request)
    chapter = await ctx.chapter()
    entries = await event_services(ctx).network.calendar(await reader_for(request), limit=LIST_LIMIT)
    tz, language = reader_zone(request), _language(request)
    views = []
    for entry in entries:
        if entry.remote is None:
            url, name, chapter_url = ctx.urls.event(entry.event.id), chapter.name, "/"
        else:
            url, name, chapter_url = entry.remote.url, entry.remote.chapter_name, entry.remote.chapter
        views.append(occurrence_view(entry.event, entry.occurrence, url=url, locale=language, reader_tz=tz,
                                     chapter_tz=ctx.settings.timezone, chapter_name=name,
                                     chapter_url=chapter_url))
    return render(request, "events/network.html", {"views": views, **_zone_choices(request)})


async def event_page(request: Request) -> Response:
    ctx = context_of(request)
    services = event_services(ctx)
    event_id = request.path_params["id"]
    try:
        event = await services.events.get(event_id, await reader_for(request))
    except NotFound:
        gone = await gone_or_none(ctx, ctx.urls.event(event_id))
        if gone is not None:
            return gone
        raise
    if prefers_activity_json(request.headers.get("accept")):
        return await object_document(ctx, await services.events.published(event), event.visibility)
    now = services.events.clock()
    counts = await services.rsvps.counts(event.id)
    tz, language = reader_zone(request), _language(request)
    upcoming = recurrence.occurrences(event, now, now + recurrence.LOOKAHEAD, limit=SERIES_DATES_SHOWN)
    first = recurrence.headline_occurrence(event, now)
    url = ctx.urls.event(event.id)
    user = await current_user(request)
    my_answer = None if user is None else await services.rsvps.answer_of(event.id, ctx.urls.actor(user.username))
    return render(request, "events/show.html", {
        "event": event,
        "main": occurrence_view(event, first, url=url, locale=language, reader_tz=tz,
                                chapter_tz=ctx.settings.timezone),
        "dates": [occurrence_view(event, o, url=url, locale=language, reader_tz=tz, chapter_tz=ctx.settings.timezone)
                  for o in upcoming]
        if event.is_recurring else [],
        "description_html": render_markdown(event.description) if event.description else "",
        "map_url": map_url(event.location),
        "meetup_map_url": map_url(event.meetup.place) if event.meetup else None,
        "counts": counts,
        "places_left": places_left(event, counts.going),
        "my_answer": my_answer,
        "may_rsvp": user is not None and can(user.role, Permission.RSVP),
        "may_publish": user is not None and can(user.role, Permission.PUBLISH_EVENTS),
        "ics_url": ctx.urls.event_ics(event.id),
        "comments": await comment_thread(request, url),
        **_zone_choices(request),
    })


async def event_target(ctx: AppContext, event_id: str) -> CommentTarget | None:
    event = await ctx.repos.events.get(event_id)
    if event is None:
        return None
    return CommentTarget(ap_id=ctx.urls.event(event.id), kind="event", title=event.title,
                         visibility=event.visibility)


register_comment_target("/events/", event_target)

# The fixed paths come before /events/{id}, which would otherwise take them.
routes = [
    Route("/events", upcoming_page, methods=["GET"]),
    Route("/events/past", past_page, methods=["GET"]),
    Route("/events/network", network_page, methods=["GET"]),
    *event_editing.routes,
    Route("/events/{id}.ics", feeds.event_calendar, methods=["GET"]),
    Route("/events/{id}", event_page, methods=["GET"]),
]
