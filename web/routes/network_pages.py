"""Network pages: a network's member chapters with their weights and
delegates (public: who belongs to an alliance is its public face), and a
chapter's affiliations (members only)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fedchapter.errors import NotFound
from fedchapter.networks.model import AffiliationStatus
from fedchapter.roles import Permission
from federation.to_as.proposals import decision_url
from federation.vocabulary import context
from web.auth import require_permission
from web.responses import activity_json, json_error
from web.context import context_of
from web.i18n import N_
from web.proposal_pages import requester_for
from web.templating import render

STATUS_NAMES = {
    AffiliationStatus.PENDING.value: N_("waiting for the network's answer"),
    AffiliationStatus.MEMBER.value: N_("member"),
    AffiliationStatus.REJECTED.value: N_("refused"),
    AffiliationStatus.LEFT.value: N_("left"),
}


async def member_chapters_page(request: Request) -> Response:
    ctx = context_of(request)
    service = ctx.networks.chapters
    if not await service.is_network():
        raise NotFound("this chapter is not a network")
    requester = await requester_for(request)
    pending = []
    if requester is not None and requester.may(Permission.ADMINISTER):
        # Admins see who waits for an answer; the public sees the members.
        pending = await service.waiting(requester)
    return render(request, "networks/chapters.html", {"members": await service.members(), "pending": pending})


async def affiliations_page(request: Request) -> Response:
    await require_permission(request, Permission.SEE_MEMBERS_ONLY)
    ctx = context_of(request)
    found = await ctx.networks.affiliations.affiliations(await requester_for(request))
    return render(request, "networks/affiliations.html", {"affiliations": found, "status_names": STATUS_NAMES})


async def decision_note(request: Request) -> Response:
    """Our result Note on an adopted proposal, exactly as we sent it (the
    network lists this URL as the chapter's `report`)."""
    ctx = context_of(request)
    note_id = decision_url(ctx.urls.proposal(request.path_params["id"]))
    chapter = await ctx.chapter_actor()
    activity = await ctx.documents.sent_create(chapter, note_id)
    if activity is None or not isinstance(activity.get("object"), dict):
        return json_error(404, "no decision has been reported for this proposal")
    return activity_json({"@context": activity.get("@context", context()), **activity["object"]})


routes = [
    Route("/proposals/{id}/decision", decision_note, methods=["GET"]),
    Route("/network/chapters", member_chapters_page, methods=["GET"]),
    Route("/affiliations", affiliations_page, methods=["GET"]),
]
