"""The forms that change events, all working without JavaScript: new and
edit (facilitators), cancel, delete and one date of a series (facilitators),
and RSVP (members and supporters). Each posts, then redirects to the event."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import ValidationError
from fedchapter.events.model import CATEGORY_LABELS
from fedchapter.events.rsvp import RsvpStatus
from fedchapter.events.validation import parse_event_input, parse_local_time
from fedchapter.roles import Permission
from fedchapter.services.events import EventService
from fedchapter.services.rsvps import RsvpRefused
from web.auth import require_permission
from web.context import context_of
from web.event_form import REPEATS, input_from, values_for, values_from
from web.event_views import all_zones
from web.forms import flash, read_form
from web.i18n import N_, gettext_for
from web.readers import reader_for
from web.templating import render


def _form_page(request: Request, values: dict[str, str], *, action: str, editing: bool,
               error: ValidationError | None = None) -> Response:
    return render(request, "events/form.html", {
        "values": values, "action": action, "editing": editing, "error": error,
        "error_input": (error.field or "").replace(".", "_") if error else "",
        "zones": all_zones(), "categories": sorted(CATEGORY_LABELS.items(), key=lambda item: item[1]),
        "repeats": REPEATS,
    }, status_code=422 if error else 200)


async def new_event_form(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    values = values_for(None, timezone=ctx.settings.timezone, language=ctx.settings.language)
    return _form_page(request, values, action="/events/new", editing=False)


async def create_event(request: Request) -> Response:
    user = await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    values = values_from(await read_form(request))
    try:
        draft = parse_event_input(input_from(values), default_timezone=ctx.settings.timezone,
                                  default_language=ctx.settings.language)
        event = await ctx.events.events.create(draft, author_user_id=user.id)
    except ValidationError as error:
        return _form_page(request, values, action="/events/new", editing=False, error=error)
    flash(request, gettext_for(request)("The event is published."))
    return RedirectResponse(f"/events/{event.id}", status_code=303)


async def edit_event_form(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    event = await ctx.events.events.get(request.path_params["id"], await reader_for(request))
    values = values_for(event, timezone=ctx.settings.timezone, language=ctx.settings.language)
    return _form_page(request, values, action=f"/events/{event.id}/edit", editing=True)


async def update_event(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    service = ctx.events.events
    event = await service.get(request.path_params["id"], await reader_for(request))
    values = values_from(await read_form(request))
    try:
        draft = parse_event_input(input_from(values), default_timezone=ctx.settings.timezone,
                                  default_language=ctx.settings.language)
        await service.update(event.id, draft)
    except ValidationError as error:
        return _form_page(request, values, action=f"/events/{event.id}/edit", editing=True, error=error)
    flash(request, gettext_for(request)("The event is updated."))
    return RedirectResponse(f"/events/{event.id}", status_code=303)


async def _organiser_action(request: Request, act: Callable[[EventService, str], Awaitable[object]],
                            message: str, *, back_to_list: bool = False) -> Response:
    """A button on the event page that changes the whole event, then back to it (or the list)."""
    await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    await read_form(request)
    service = ctx.events.events
    event = await service.get(request.path_params["id"], await reader_for(request))
    await act(service, event.id)
    flash(request, gettext_for(request)(message))
    return RedirectResponse("/events" if back_to_list else f"/events/{event.id}", status_code=303)


async def cancel_event(request: Request) -> Response:
    return await _organiser_action(request, EventService.cancel,
                                   N_("The event is cancelled. Followers see it as cancelled."))


async def delete_event(request: Request) -> Response:
    return await _organiser_action(request, EventService.delete, N_("The event is deleted."), back_to_list=True)


async def change_occurrence(request: Request) -> Response:
    """Cancel one date of a series, or restore it."""
    await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    form = await read_form(request)
    service = ctx.events.events
    event = await service.get(request.path_params["id"], await reader_for(request))
    original = parse_local_time(form.get("occurrence"), "occurrence", event.timezone)
    if form.get("action") == "restore":
        await service.restore_occurrence(event.id, original)
    else:
        await service.cancel_occurrence(event.id, original)
    return RedirectResponse(f"/events/{event.id}", status_code=303)


async def rsvp(request: Request) -> Response:
    user = await require_permission(request, Permission.RSVP)
    ctx = context_of(request)
    form = await read_form(request)
    services = ctx.events
    event = await services.events.get(request.path_params["id"], await reader_for(request))
    _ = gettext_for(request)
    try:
        status = RsvpStatus(form.get("status") or "")
    except ValueError:
        raise ValidationError("status", "choose going, interested or not going") from None
    try:
        decision = await services.rsvps.rsvp(event.id, status, username=user.username,
                                             actor_id=ctx.urls.actor(user.username), role=user.role)
    except RsvpRefused as refused:
        flash(request, _("Sorry: %(reason)s.", reason=str(refused)), "error")
    else:
        if decision.pending:
            flash(request, _("Your request to join waits for an organiser."))
        else:
            flash(request, _("Thank you, your answer is saved."))
    return RedirectResponse(f"/events/{event.id}", status_code=303)


routes = [
    Route("/events/new", new_event_form, methods=["GET"]),
    Route("/events/new", create_event, methods=["POST"]),
    Route("/events/{id}/edit", edit_event_form, methods=["GET"]),
    Route("/events/{id}/edit", update_event, methods=["POST"]),
    Route("/events/{id}/cancel", cancel_event, methods=["POST"]),
    Route("/events/{id}/delete", delete_event, methods=["POST"]),
    Route("/events/{id}/occurrences", change_occurrence, methods=["POST"]),
    Route("/events/{id}/rsvp", rsvp, methods=["POST"]),
]
