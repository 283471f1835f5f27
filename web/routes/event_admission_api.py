"""The organisers' side of joining through the API:

- ``GET /api/v1/events/{id}/requests``: who waits for an answer ("organiser approves");
- ``POST /api/v1/events/{id}/requests/accept`` | ``/refuse`` ``{participant}``:
  answers one (a remote participant hears an Accept or a Reject);
- ``GET``/``POST /api/v1/events/{id}/invitations`` ``{actor}``: invite a member
  (username) or a fediverse account (``@name@host`` or an actor URL);
- ``DELETE /api/v1/events/{id}/invitations?invitee=ACTOR``: withdraw one.

Organisers only (the right to publish events).
"""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter.clock import to_iso
from fedchapter.errors import N_, ValidationError
from fedchapter.events.model import Event
from fedchapter.events.records import EventInvitation, Rsvp
from fedchapter.roles import Permission
from web.api_operation import checked_body
from web.auth import require_permission
from web.context import context_of
from web.pagination import sliced_answer
from web.readers import reader_for


def request_json(rsvp: Rsvp) -> dict[str, Any]:
    return {
        "participant": rsvp.participant,
        "username": rsvp.username,
        "local": not rsvp.is_remote,
        "status": rsvp.status.value,
        "pending": rsvp.pending,
        "join": rsvp.join_activity,
        "requested_at": to_iso(rsvp.created_at),
    }


def invitation_json(invitation: EventInvitation) -> dict[str, Any]:
    return {
        "id": invitation.invitee,
        "ap_id": invitation.invitee,
        "url": invitation.invitee,
        "invitee": invitation.invitee,
        "label": invitation.label,
        "invited_by": invitation.invited_by,
        "invited_at": to_iso(invitation.created_at),
    }


async def _organisers_event(request: Request) -> Event:
    await require_permission(request, Permission.PUBLISH_EVENTS)
    return await context_of(request).events.events.get(request.path_params["id"], await reader_for(request))


def _text(body: dict[str, Any], name: str, hint: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(name, hint)
    return value.strip()


async def list_requests(request: Request) -> Response:
    event = await _organisers_event(request)
    return sliced_answer(request, await context_of(request).events.admission.requests(event.id),
                         request_json)


async def _answer(request: Request, *, accept: bool) -> Response:
    event = await _organisers_event(request)
    participant = _text(await checked_body(request), "participant", N_("give the participant's actor id"))
    answered = await context_of(request).events.admission.answer(event.id, participant, accept=accept)
    return JSONResponse({**request_json(answered), "answer": "accepted" if accept else "refused"})


async def accept_request(request: Request) -> Response:
    return await _answer(request, accept=True)


async def refuse_request(request: Request) -> Response:
    return await _answer(request, accept=False)


async def list_invitations(request: Request) -> Response:
    event = await _organisers_event(request)
    found = await context_of(request).events.admission.invitations_of(event.id)
    return sliced_answer(request, found, invitation_json)


async def invite(request: Request) -> Response:
    user = await require_permission(request, Permission.PUBLISH_EVENTS)
    event = await _organisers_event(request)
    reference = _text(await checked_body(request), "actor", N_("give a username, @name@host or an actor URL"))
    invitation = await context_of(request).events.admission.invite(
        event.id, reference, invited_by=user.username)
    return JSONResponse(invitation_json(invitation), status_code=201)


async def uninvite(request: Request) -> Response:
    event = await _organisers_event(request)
    invitee = request.query_params.get("invitee")
    if not invitee:
        raise ValidationError("invitee", N_("give the invitee's actor id: ?invitee=URL"))
    await context_of(request).events.admission.uninvite(event.id, invitee)
    return Response(status_code=204)


routes = [
    Route("/api/v1/events/{id}/requests", list_requests, methods=["GET"]),
    Route("/api/v1/events/{id}/requests/accept", accept_request, methods=["POST"]),
    Route("/api/v1/events/{id}/requests/refuse", refuse_request, methods=["POST"]),
    Route("/api/v1/events/{id}/invitations", list_invitations, methods=["GET"]),
    Route("/api/v1/events/{id}/invitations", invite, methods=["POST"]),
    Route("/api/v1/events/{id}/invitations", uninvite, methods=["DELETE"]),
]
