"""Calendars to subscribe to and the Group's events collection.

`/calendar.ics` holds the chapter's events (members-only ones only for a
member's session), `/network/calendar.ics` adds those of the chapters we
follow, `/events/{id}.ics` is one event. Times keep their zone (TZID with
VTIMEZONE), so recurring meetings stay at their local hour in every app.
`/actors/{handle}/events` is the Group's upcoming events (Mobilizon's
`events`, FEP-8a8e's `upcomingEvents`) as an OrderedCollection of Events.
"""
from __future__ import annotations

import dataclasses

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.actors import LocalActorKind
from fedchapter.errors import NotFound
from fedchapter.events.ical import calendar_for, event_ics
from fedchapter.events.model import Event
from fedchapter.readers import ANONYMOUS
from fedchapter.visibility import Visibility
from federation.collections import ordered_collection
from federation.to_as.record import audience
from federation.vocabulary import context
from web.calendar_cache import cached_calendar
from web.conditional import conditional, conditional_object, reader_class
from web.context import context_of
from web.readers import reader_for
from web.record_documents import conversion_context, gone_or_none
from web.responses import activity_json, json_error

ICS_TYPE = "text/calendar; charset=utf-8"
COLLECTION_LIMIT = 50


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, media_type=ICS_TYPE,
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


async def chapter_calendar(request: Request) -> Response:
    ctx = context_of(request)
    chapter = await ctx.chapter()
    service = ctx.events.events
    reader = await reader_for(request)
    events = await service.calendar_events(reader)

    def url_for(event: Event) -> str:
        return ctx.urls.event(event.id)

    body = cached_calendar(
        events, url_for=url_for, settings_key=("chapter", chapter.name, chapter.summary, ctx.settings.timezone),
        build=lambda: calendar_for(events, name=chapter.name, url_for=url_for, now=service.clock(),
                                   timezone=ctx.settings.timezone, description=chapter.summary),
    )
    # Members get members-only events too: the answer depends on who asks.
    return conditional(request, _ics(body, f"{chapter.handle}.ics"), klass=reader_class(reader), per_reader=True)


async def network_calendar(request: Request) -> Response:
    ctx = context_of(request)
    chapter = await ctx.chapter()
    services = ctx.events
    reader = await reader_for(request)
    ours = await services.events.calendar_events(reader)
    urls = {event.id: ctx.urls.event(event.id) for event in ours}
    theirs = await services.network.remote_upcoming()
    urls.update({remote.event.id: remote.url for remote in theirs})
    events: list[Event] = [*ours, *(remote.event for remote in theirs)]
    def url_for(event: Event) -> str:
        return urls[event.id]

    body = cached_calendar(
        events, url_for=url_for, settings_key=("network", chapter.name, ctx.settings.timezone),
        build=lambda: calendar_for(events, name=f"{chapter.name} – from around the movement", url_for=url_for,
                                   now=services.events.clock(), timezone=ctx.settings.timezone),
    )
    return conditional(request, _ics(body, f"{chapter.handle}-network.ics"), klass=reader_class(reader),
                       per_reader=True)


async def event_calendar(request: Request) -> Response:
    ctx = context_of(request)
    service = ctx.events.events
    event_id = request.path_params["id"]
    try:
        event = await service.get(event_id, await reader_for(request))
    except NotFound:
        gone = await gone_or_none(ctx, ctx.urls.event(event_id))
        if gone is not None:
            return gone
        raise
    url = ctx.urls.event(event.id)
    now = service.clock()
    # Cached like the feeds (keyed on the stored updated_at), so DTSTAMP, the
    # bytes and with them the ETag stay put until the event changes.
    body = cached_calendar([event], url_for=lambda _: url, settings_key=("event",),
                           build=lambda: event_ics(event, url=url, now=now))
    return conditional_object(request, _ics(body, f"{event.id}.ics"), event.visibility,
                              last_modified=event.updated_at, now=now)


async def events_collection(request: Request) -> Response:
    ctx = context_of(request)
    group = await ctx.documents.local_actor(request.path_params["username"])
    if group is None or group.kind is not LocalActorKind.GROUP:
        return json_error(404, "no such group")
    service = ctx.events.events
    conversion = await conversion_context(ctx, Visibility.PUBLIC)
    items: list[dict[str, Any]] = []
    for dated in (await service.next_of_each(ANONYMOUS))[:COLLECTION_LIMIT]:
        published = await service.published(dated.event)
        with_media = dataclasses.replace(conversion, media=await ctx.federation.media.of(published))
        document = ctx.federation.converters.convert(published, with_media)
        document.pop("@context", None)
        items.append({**document, **audience(conversion)})
    collection = ordered_collection(ctx.urls.events_collection(group.username), len(items), first_page=False)
    collection["@context"] = context()
    collection["orderedItems"] = items
    return conditional(request, activity_json(collection))


routes = [
    Route("/calendar.ics", chapter_calendar, methods=["GET"]),
    Route("/network/calendar.ics", network_calendar, methods=["GET"]),
    Route("/actors/{username}/events", events_collection, methods=["GET"]),
]
