"""Events on the site: upcoming (recurring series expanded), past, the
network calendar ("from around the movement"), a month as a grid of days,
and one event, negotiated (the page for people, the Event object for
servers; 410 once deleted; members-only events are not found by anyone else)."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from babel.dates import format_date, format_skeleton, get_day_names
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.errors import NotFound
from fedchapter.events import recurrence, zones
from fedchapter.events.rsvp import places_left
from fedchapter.media.model import OwnerKind
from fedchapter.roles import Permission, can
from fedchapter.services.events import Dated
from fedchapter.text import render_markdown
from web.auth import current_user
from web.comment_thread import comment_thread
from web.conditional import conditional_object
from web.context import context_of
from web.event_views import COMMON_ZONES, map_url, occurrence_view, other_zone_options, reader_zone
from web.fragments import Fragments
from web.month_grid import first_of_month, month_grid, month_window
from web.negotiation import prefers_activity_json
from web.readers import reader_for
from web.recurrence_words import recurrence_in_words
from web.media_views import card_pictures, files_of
from web.record_documents import gone_or_none, object_document
from web.routes import event_editing, feeds
from web.templating import render

LIST_LIMIT = 100
SERIES_DATES_SHOWN = 8
# "All events" shows a page of entries at a time, a series once with its next dates.
PAGE_ENTRIES = 20
PAGE_WINDOW = timedelta(days=366)
PAGE_OCCURRENCES = 500
NEXT_DATES_IN_LIST = 3
# The event page's dates in words and its description as HTML (Babel and
# Markdown were about 40 % of the route's CPU): per event, language and zones.
_EVENT_FRAGMENTS: Fragments[dict[str, object]] = Fragments(256)


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


def _page_start(request: Request, timezone: str) -> date | None:
    """`?from=2026-09-01`: the first day of a later page of the calendar."""
    try:
        return date.fromisoformat(request.query_params.get("from", ""))
    except ValueError:
        return None


def _grouped(found: list[Dated]) -> list[tuple[Dated, list[Dated]]]:
    """Each event once, at its first occurrence in the page, with its next few dates."""
    series: dict[str, tuple[Dated, list[Dated]]] = {}
    for dated in found:
        if dated.event.id in series:
            series[dated.event.id][1].append(dated)
        else:
            series[dated.event.id] = (dated, [])
    return list(series.values())


async def upcoming_page(request: Request) -> Response:
    ctx = context_of(request)
    service = ctx.events.events
    first_day = _page_start(request, ctx.settings.timezone)
    start = None if first_day is None else zones.to_utc(datetime.combine(first_day, datetime.min.time()),
                                                        ctx.settings.timezone)
    found = await service.upcoming(await reader_for(request), limit=PAGE_OCCURRENCES, window=PAGE_WINDOW,
                                   start=start)
    begin = max(start or service.clock(), service.clock())
    grouped = _grouped(found)
    if len(grouped) > PAGE_ENTRIES:
        # The next page starts on the day of the first entry not shown.
        later = zones.to_local(grouped[PAGE_ENTRIES][0].occurrence.start_utc, ctx.settings.timezone).date()
        grouped = grouped[:PAGE_ENTRIES]
    else:
        later = zones.to_local(begin + PAGE_WINDOW, ctx.settings.timezone).date()
    tz, language = reader_zone(request), _language(request)

    def view(dated: Dated) -> object:
        return occurrence_view(dated.event, dated.occurrence, url=ctx.urls.event(dated.event.id), locale=language,
                               reader_tz=tz, chapter_tz=ctx.settings.timezone)

    entries = [{"view": view(first), "next": [view(d) for d in rest[:NEXT_DATES_IN_LIST]], "more": len(rest) > NEXT_DATES_IN_LIST,
                "repeats": recurrence_in_words(first.event.rrule, first.event.start_local, first.event.timezone, language)
                if first.event.rrule else None}
               for first, rest in grouped]
    user = await current_user(request)
    return render(request, "events/list.html", {
        "entries": entries, "views": [], "past": False, "later": later.isoformat(),
        "earlier": first_day is not None and start is not None and start > service.clock(),
        "may_publish": user is not None and can(user.role, Permission.PUBLISH_EVENTS), **_zone_choices(request),
    })


async def month_page(request: Request) -> Response:
    """/events/month/2026/12: the month as a grid of days in the chapter's zone; /events/month: this one."""
    ctx = context_of(request)
    service = ctx.events.events
    zone = ctx.settings.timezone
    today = zones.to_local(service.clock(), zone).date()
    if "year" in request.path_params:
        first = first_of_month(request.path_params["year"], request.path_params["month"])
        if first is None:
            raise NotFound("no such month")
    else:
        first = today.replace(day=1)
    start, end = month_window(first, zone)
    found = await service.between(await reader_for(request), start, end)
    grid = month_grid(first, found, zone=zone, today=today, url_of=ctx.urls.event)
    language = _language(request)
    short, full = get_day_names("abbreviated", locale=language), get_day_names("wide", locale=language)
    return render(request, "events/month.html", {
        "grid": grid,
        "month_name": format_skeleton("yMMMM", first, locale=language),
        "previous_name": format_skeleton("yMMMM", grid.previous, locale=language),
        "next_name": format_skeleton("yMMMM", grid.next, locale=language),
        "previous_link": first_of_month(grid.previous.year, grid.previous.month) is not None,
        "next_link": first_of_month(grid.next.year, grid.next.month) is not None,
        "weekdays": [(short[number], full[number]) for number in range(7)],
        "day_names": {day.day: format_date(day.day, "full", locale=language)
                      for week in grid.weeks for day in week if day.in_month},
        "chapter_zone": zone,
    })


async def past_page(request: Request) -> Response:
    service = context_of(request).events.events
    return await _list_page(request, await service.past(await reader_for(request), limit=LIST_LIMIT), past=True)


async def network_page(request: Request) -> Response:
    ctx = context_of(request)
    chapter = await ctx.chapter()
    entries = await ctx.events.network.calendar(await reader_for(request), limit=LIST_LIMIT)
    tz, language = reader_zone(request), _language(request)
    views = []
    for entry in entries:
        if entry.remote is None:
            url, name, chapter_url = ctx.urls.event(entry.event.id), chapter.name, "/"
        else:
            url, name, chapter_url = entry.remote.url, entry.remote.chapter_name, entry.remote.chapter
        view = occurrence_view(entry.event, entry.occurrence, url=url, locale=language, reader_tz=tz,
                               chapter_tz=ctx.settings.timezone, chapter_name=name, chapter_url=chapter_url)
        views.append(replace(view, representatives=entry.representatives))
    return render(request, "events/network.html", {
        "views": views, "pictures": await card_pictures(ctx, entries), **_zone_choices(request)})


async def event_page(request: Request) -> Response:
    ctx = context_of(request)
    services = ctx.events
    event_id = request.path_params["id"]
    try:
        event = await services.events.get(event_id, await reader_for(request))
    except NotFound:
        gone = await gone_or_none(ctx, ctx.urls.event(event_id))
        if gone is not None:
            return gone
        raise
    if prefers_activity_json(request.headers.get("accept")):
        # Members-only: only members get it (others 404), privately, per reader.
        return conditional_object(request, await object_document(ctx, await services.events.published(event),
                                                                 event.visibility), event.visibility)
    now = services.events.clock()
    counts = await services.rsvps.counts(event.id)
    tz, language = reader_zone(request), _language(request)
    upcoming = recurrence.occurrences(event, now, now + recurrence.LOOKAHEAD, limit=SERIES_DATES_SHOWN)
    first = recurrence.headline_occurrence(event, now)
    url = ctx.urls.event(event.id)
    user = await current_user(request)
    my_answer = None if user is None else await services.rsvps.answer_of(event.id, ctx.urls.actor(user.username))
    chapter_tz = ctx.settings.timezone

    def written() -> dict[str, object]:
        return {
            "repeats": recurrence_in_words(event.rrule, event.start_local, event.timezone, language)
            if event.rrule else None,
            "main": occurrence_view(event, first, url=url, locale=language, reader_tz=tz, chapter_tz=chapter_tz),
            "dates": [occurrence_view(event, o, url=url, locale=language, reader_tz=tz, chapter_tz=chapter_tz)
                      for o in upcoming]
            if event.is_recurring else [],
            "description_html": render_markdown(event.description) if event.description else "",
        }

    # The occurrences are in the key, so the dates shown move on as time
    # passes, and the year, which dates in another year spell out (when_text).
    key = (event.id, event.updated_at, language, tz, chapter_tz, url, first, tuple(upcoming),
           datetime.now(UTC).year)
    return render(request, "events/show.html", {
        "event": event,
        **_EVENT_FRAGMENTS.get(key, event, written),
        "map_url": map_url(event.location),
        "meetup_map_url": map_url(event.meetup.place) if event.meetup else None,
        "counts": counts,
        "places_left": places_left(event, counts.going),
        "my_answer": my_answer,
        "may_rsvp": user is not None and can(user.role, Permission.RSVP),
        "may_publish": user is not None and can(user.role, Permission.PUBLISH_EVENTS),
        "ics_url": ctx.urls.event_ics(event.id),
        "comments": await comment_thread(request, url),
        # On a network: whom each member chapter sends (None elsewhere).
        "representations": await ctx.networks.representatives.for_event(event.id),
        **await files_of(ctx, OwnerKind.EVENT, event.id),
        **_zone_choices(request),
    })


# The fixed paths come before /events/{id}, which would otherwise take them.
routes = [
    Route("/events", upcoming_page, methods=["GET"]),
    Route("/events/past", past_page, methods=["GET"]),
    Route("/events/network", network_page, methods=["GET"]),
    Route("/events/month", month_page, methods=["GET"]),
    Route("/events/month/{year:int}/{month:int}", month_page, methods=["GET"]),
    *event_editing.routes,
    Route("/events/{id}.ics", feeds.event_calendar, methods=["GET"]),
    Route("/events/{id}", event_page, methods=["GET"]),
]
