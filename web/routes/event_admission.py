"""/events/{id}/participants: the organisers' page of one event. Requests to
an "organiser approves" event are accepted or refused here (remote
participants hear an Accept or a Reject); people are invited here, local
accounts and fediverse actors alike (an "invited only" event takes no one
else)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import Conflict, NotFound, ValidationError
from fedchapter.events.model import Event
from fedchapter.roles import Permission
from web.auth import require_permission
from web.context import context_of
from web.form_errors import plain_message
from web.forms import field, flash, read_form
from web.i18n import gettext_for
from web.readers import reader_for
from web.templating import render

MAX_REFERENCE = 500


async def _event(request: Request) -> Event:
    return await context_of(request).events.events.get(request.path_params["id"], await reader_for(request))


async def participants_page(request: Request, status: int = 200, **extra: object) -> Response:
    await require_permission(request, Permission.PUBLISH_EVENTS)
    event = await _event(request)
    admission = context_of(request).events.admission
    return render(request, "events/participants.html", {
        "event": event,
        "requests": await admission.requests(event.id),
        "invitations": await admission.invitations_of(event.id),
        "limits": {"actor": MAX_REFERENCE},
        **extra,
    }, status)


async def participants_get(request: Request) -> Response:
    return await participants_page(request)


async def answer_request(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.PUBLISH_EVENTS)
    form = await read_form(request)
    event = await _event(request)
    participant = field(form, "participant", limit=MAX_REFERENCE, required=True)
    accept = form.get("answer") == "accept"
    try:
        await context_of(request).events.admission.answer(event.id, participant, accept=accept)
    except NotFound:
        return await participants_page(request, 404, error=_("This request was withdrawn or already refused."))
    except Conflict as refused:  # already accepted, or no place left
        return await participants_page(request, 409, error=_("Sorry: %(reason)s.", reason=str(refused)))
    flash(request, _("%(who)s may come.", who=participant) if accept
          else _("The request of %(who)s is refused.", who=participant))
    return RedirectResponse(f"/events/{event.id}/participants", status_code=303)


async def invite(request: Request) -> Response:
    _ = gettext_for(request)
    user = await require_permission(request, Permission.PUBLISH_EVENTS)
    form = await read_form(request)
    event = await _event(request)
    try:
        reference = field(form, "actor", limit=MAX_REFERENCE, required=True)
        invitation = await context_of(request).events.admission.invite(
            event.id, reference, invited_by=user.username)
    except ValidationError as error:
        return await participants_page(request, 422, error=plain_message(request, error), error_field="actor",
                                       values={"actor": (form.get("actor") or "")[:MAX_REFERENCE]})
    flash(request, _("%(who)s is invited.", who=invitation.label))
    return RedirectResponse(f"/events/{event.id}/participants", status_code=303)


async def uninvite(request: Request) -> Response:
    _ = gettext_for(request)
    await require_permission(request, Permission.PUBLISH_EVENTS)
    form = await read_form(request)
    event = await _event(request)
    invitee = field(form, "invitee", limit=MAX_REFERENCE, required=True)
    await context_of(request).events.admission.uninvite(event.id, invitee)
    flash(request, _("The invitation is withdrawn."))
    return RedirectResponse(f"/events/{event.id}/participants", status_code=303)


routes = [
    Route("/events/{id}/participants", participants_get, methods=["GET"]),
    Route("/events/{id}/requests", answer_request, methods=["POST"]),
    Route("/events/{id}/invitations", invite, methods=["POST"]),
    Route("/events/{id}/invitations/remove", uninvite, methods=["POST"]),
]
