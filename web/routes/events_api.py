"""The events API (`/api/v1/events`), as docs/interfaces.md describes it.

Writes need a facilitator's (or admin's) token; RSVPs any member's or
supporter's. Members-only events answer 404 to everyone else. Bad input is
a 422 naming the field (end before start, unknown zone, a time inside a
clock change, an absurd RRULE, arrays where a string belongs).
"""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter import input as fields
from fedchapter.errors import N_, ValidationError
from fedchapter.events import recurrence
from fedchapter.events.model import Event
from fedchapter.events.rsvp import RsvpStatus
from fedchapter.events.validation import parse_event_input, parse_local_time
from fedchapter.networks.representatives import ChapterRepresentation
from fedchapter.roles import Permission
from web.api_operation import checked_body
from web.auth import require_permission
from web.context import AppContext, context_of
from web.event_json import event_json, occurrence_json, remote_event_json
from web.pagination import list_answer, page_of
from web.readers import reader_for

SCOPES = ("local", "network")


async def _json_of(ctx: AppContext, event: Event) -> dict[str, Any]:
    services = ctx.events
    occurrence = recurrence.next_occurrence(event, services.events.clock())
    return event_json(ctx, event, await services.rsvps.counts(event.id), occurrence)


async def create_event(request: Request) -> Response:
    user = await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    draft = parse_event_input(await checked_body(request), default_timezone=ctx.settings.timezone,
                              default_language=ctx.settings.language)
    event = await ctx.events.events.create(draft, author_user_id=user.id)
    return JSONResponse(await _json_of(ctx, event), status_code=201)


async def list_events(request: Request) -> Response:
    ctx = context_of(request)
    scope = request.query_params.get("scope", "local")
    if scope not in SCOPES:
        raise ValidationError("scope", N_("scope is local or network"))
    page = page_of(request)
    reader = await reader_for(request)
    services = ctx.events
    items: list[dict[str, Any]] = []
    if scope == "local":
        found, more = page.window(await services.events.next_of_each(reader))
        for dated in found:
            counts = await services.rsvps.counts(dated.event.id)
            items.append(event_json(ctx, dated.event, counts, dated.occurrence))
    else:
        chapter = await ctx.chapter()
        ours = {"id": ctx.urls.actor(chapter.handle), "name": chapter.name}
        entries, more = page.window(await services.network.next_of_each(reader))
        for entry in entries:
            if entry.remote is not None:
                item = remote_event_json(entry.remote, entry.occurrence)
                if entry.representatives is not None:
                    # A meeting of a network we belong to: who goes for us (docs/networks.md).
                    item["representatives"] = list(entry.representatives)
                items.append(item)
            else:
                counts = await services.rsvps.counts(entry.event.id)
                items.append({**event_json(ctx, entry.event, counts, entry.occurrence), "chapter": ours})
    return list_answer(request, page, items, more)


async def get_event(request: Request) -> Response:
    ctx = context_of(request)
    event = await ctx.events.events.get(request.path_params["id"], await reader_for(request))
    answer = await _json_of(ctx, event)
    representations = await ctx.networks.representatives.for_event(event.id)
    if representations is not None:
        # On a network: each member chapter's representatives, one item per
        # person, or one with "name": null while it has named nobody (docs/networks.md).
        answer["representatives"] = _representatives_json(representations)
    return JSONResponse(answer)


def _representatives_json(representations: list[ChapterRepresentation]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for one in representations:
        chapter = {"chapter": one.chapter, "chapter_name": one.chapter_name}
        if not one.representatives:
            items.append({**chapter, "name": None, "actor": None})
        items.extend({**chapter, "name": person.name, "actor": person.actor} for person in one.representatives)
    return items


async def patch_event(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    service = ctx.events.events
    current = await service.get(request.path_params["id"], await reader_for(request))
    draft = parse_event_input(await checked_body(request), default_timezone=ctx.settings.timezone,
                              default_language=ctx.settings.language, partial=True, existing=current)
    return JSONResponse(await _json_of(ctx, await service.update(current.id, draft)))


async def delete_event(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_EVENTS)
    service = context_of(request).events.events
    current = await service.get(request.path_params["id"], await reader_for(request))
    await service.delete(current.id)
    return Response(status_code=204)


async def cancel_event(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    service = ctx.events.events
    current = await service.get(request.path_params["id"], await reader_for(request))
    return JSONResponse(await _json_of(ctx, await service.cancel(current.id)))


async def change_occurrence(request: Request) -> Response:
    """`{occurrence}` cancels one date of a series; with `start` and `end` it moves it;
    `{occurrence, "restore": true}` puts it back as the rule has it."""
    await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    service = ctx.events.events
    current = await service.get(request.path_params["id"], await reader_for(request))
    body = await checked_body(request)
    fields.refuse_unknown(body, frozenset({"occurrence", "start", "end", "restore"}))
    original = parse_local_time(body.get("occurrence"), "occurrence", current.timezone)
    if body.get("restore") is True:
        changed = await service.restore_occurrence(current.id, original)
    elif body.get("start") is None and body.get("end") is None:
        changed = await service.cancel_occurrence(current.id, original)
    else:
        start = parse_local_time(body.get("start"), "start", current.timezone)
        end = parse_local_time(body.get("end"), "end", current.timezone)
        changed = await service.move_occurrence(current.id, original, start, end)
    return JSONResponse(await _json_of(ctx, changed))


async def rsvp(request: Request) -> Response:
    user = await require_permission(request, Permission.RSVP)
    ctx = context_of(request)
    body = await checked_body(request)
    fields.refuse_unknown(body, frozenset({"status"}))
    status = fields.choice(body.get("status"), "status", RsvpStatus)
    services = ctx.events
    event = await services.events.get(request.path_params["id"], await reader_for(request))
    decision = await services.rsvps.rsvp(event.id, status, username=user.username,
                                         actor_id=ctx.urls.actor(user.username), role=user.role)
    counts = await services.rsvps.counts(event.id)
    return JSONResponse({
        "event": event.id,
        "status": status.value,
        "pending": decision.pending,
        "participant_count": counts.going,
        "interested_count": counts.interested,
        "next_occurrence": occurrence_json(recurrence.next_occurrence(event, services.events.clock())),
    })


routes = [
    Route("/api/v1/events", create_event, methods=["POST"]),
    Route("/api/v1/events", list_events, methods=["GET"]),
    Route("/api/v1/events/{id}", get_event, methods=["GET"]),
    Route("/api/v1/events/{id}", patch_event, methods=["PATCH"]),
    Route("/api/v1/events/{id}", delete_event, methods=["DELETE"]),
    Route("/api/v1/events/{id}/cancel", cancel_event, methods=["POST"]),
    Route("/api/v1/events/{id}/occurrences", change_occurrence, methods=["POST"]),
    Route("/api/v1/events/{id}/rsvp", rsvp, methods=["POST"]),
]
