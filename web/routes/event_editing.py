"""The forms that change events, all working without JavaScript: new and
edit (facilitators), cancel, delete and one date of a series (facilitators),
and RSVP (members and supporters). Each posts, then redirects to the event."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import ValidationError
from fedchapter.events.rsvp import RsvpStatus
from fedchapter.events.validation import parse_local_time
from fedchapter.roles import Permission
from fedchapter.services.events import EventService
from fedchapter.services.rsvps import RsvpRefused
from web.auth import require_permission
from web.confirm import confirm_page, is_confirmed
from web.context import context_of
from web.event_form import REPEATS, draft_from, locate, on_form, values_for, values_from
from web.event_views import all_zones
from web.form_errors import form_errors
from web.forms import flash, read_form
from web.i18n import N_, gettext_for
from web.category_names import categories_for
from web.readers import reader_for
from web.templating import render


def _form_page(request: Request, values: dict[str, str], *, action: str, editing: bool,
               error: ValidationError | None = None) -> Response:
    # Every problem beside its field (a refused rule beside "Repeats"), the typed values kept.
    errors = form_errors(request, on_form(error, values), locate) if error else None
    return render(request, "events/form.html", {
        "values": values, "action": action, "editing": editing, "errors": errors,
        "zones": all_zones(), "categories": categories_for(request.state.language),
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
        draft = draft_from(values, default_timezone=ctx.settings.timezone, default_language=ctx.settings.language)
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
        draft = draft_from(values, default_timezone=ctx.settings.timezone, default_language=ctx.settings.language)
        await service.update(event.id, draft)
    except ValidationError as error:
        return _form_page(request, values, action=f"/events/{event.id}/edit", editing=True, error=error)
    flash(request, gettext_for(request)("The event is updated."))
    return RedirectResponse(f"/events/{event.id}", status_code=303)


async def _organiser_action(request: Request, act: Callable[[EventService, str], Awaitable[object]],
                            message: str) -> Response:
    """A button on the event page that changes the whole event, then back to it."""
    await require_permission(request, Permission.PUBLISH_EVENTS)
    ctx = context_of(request)
    await read_form(request)
    service = ctx.events.events
    event = await service.get(request.path_params["id"], await reader_for(request))
    await act(service, event.id)
    flash(request, gettext_for(request)(message))
    return RedirectResponse(f"/events/{event.id}", status_code=303)


async def cancel_event(request: Request) -> Response:
    return await _organiser_action(request, EventService.cancel,
                                   N_("The event is cancelled. Followers see it as cancelled."))


async def delete_event(request: Request) -> Response:
    """Asks first: the event page's button leads to a confirmation step."""
    await require_permission(request, Permission.PUBLISH_EVENTS)
    confirmed = is_confirmed(await read_form(request))
    service = context_of(request).events.events
    event = await service.get(request.path_params["id"], await reader_for(request))
    _ = gettext_for(request)
    if not confirmed:
        return confirm_page(
            request, question=_("Delete “%(title)s”?", title=event.title),
            explanation=_("The event, its dates and its RSVPs are removed, and followers are told it is gone. "
                          "This cannot be undone; cancelling the event instead keeps it visible as cancelled."),
            action=f"/events/{event.id}/delete", confirm_label=_("Delete the event"), back=f"/events/{event.id}")
    await service.delete(event.id)
    flash(request, _("The event is deleted."))
    return RedirectResponse("/events", status_code=303)


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
        raise ValidationError("status", N_("choose going, interested or not going")) from None
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
