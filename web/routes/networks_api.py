"""Networks in the API (docs/interfaces.md, "Networks of chapters").

On a chapter: ``/api/v1/affiliations`` lists the networks it asked to join,
``POST`` asks one (as ``fedchapter affiliate``), ``DELETE .../{id}`` leaves.
On a network: ``/api/v1/network/chapters`` lists the chapters that asked,
``.../{id}/accept`` and ``/reject`` answer them, ``PATCH .../{id}`` sets a
chapter's weight and delegates.
"""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter.clock import to_iso
from fedchapter.errors import N_, NotFound, ValidationError
from fedchapter.networks.model import Affiliation, MemberChapter
from fedchapter.roles import Permission
from fedchapter.services.proposals import Requester
from web.api_operation import checked_body
from web.auth import require_permission
from web.context import AppContext, context_of
from web.pagination import list_answer, page_of, sliced_answer
from web.proposal_pages import requester_for


def affiliation_json(affiliation: Affiliation) -> dict[str, Any]:
    return {
        "id": affiliation.id, "ap_id": affiliation.network, "url": affiliation.network,
        "network": affiliation.network, "name": affiliation.name, "status": affiliation.status.value,
        "requested_at": to_iso(affiliation.requested_at),
        "answered_at": None if affiliation.answered_at is None else to_iso(affiliation.answered_at),
    }


def member_chapter_json(ctx: AppContext, chapter: MemberChapter) -> dict[str, Any]:
    return {
        "id": chapter.id, "ap_id": chapter.actor, "url": ctx.urls.absolute(f"/network/chapters#{chapter.id}"),
        "actor": chapter.actor, "name": chapter.name, "status": chapter.status.value,
        "weight": chapter.weight, "delegates": list(chapter.delegates),
        "requested_at": to_iso(chapter.requested_at),
        "answered_at": None if chapter.answered_at is None else to_iso(chapter.answered_at),
    }


async def _requester(request: Request, permission: Permission) -> Requester:
    await require_permission(request, permission)
    requester = await requester_for(request)
    assert requester is not None
    return requester


# On a chapter ------------------------------------------------------------------
async def list_affiliations(request: Request) -> Response:
    requester = await _requester(request, Permission.SEE_MEMBERS_ONLY)
    found = await context_of(request).networks.affiliations.affiliations(requester)
    return sliced_answer(request, found, affiliation_json)


async def affiliate(request: Request) -> Response:
    requester = await _requester(request, Permission.ADMINISTER)
    body = await checked_body(request)
    network = body.get("network")
    if not isinstance(network, str) or not network.strip():
        raise ValidationError("network", N_("give the network as @name@host or an actor URL"))
    affiliation = await context_of(request).networks.affiliations.affiliate(requester, network)
    return JSONResponse(affiliation_json(affiliation), status_code=201)


async def leave(request: Request) -> Response:
    requester = await _requester(request, Permission.ADMINISTER)
    affiliation = await context_of(request).networks.affiliations.leave(requester, request.path_params["id"])
    return JSONResponse(affiliation_json(affiliation))


# On a network ------------------------------------------------------------------
async def _network_admin(request: Request) -> tuple[AppContext, Requester]:
    requester = await _requester(request, Permission.ADMINISTER)
    ctx = context_of(request)
    if not await ctx.networks.chapters.is_network():
        raise NotFound("this chapter is not a network (made with 'fedchapter init --network')")
    return ctx, requester


async def list_chapters(request: Request) -> Response:
    ctx, requester = await _network_admin(request)
    page = page_of(request)
    found, more = page.trim(await ctx.networks.chapters.chapters(requester, page.fetch, page.offset))
    return list_answer(request, page, found, more, lambda chapter: member_chapter_json(ctx, chapter))


async def accept_chapter(request: Request) -> Response:
    ctx, requester = await _network_admin(request)
    chapter = await ctx.networks.chapters.accept(requester, request.path_params["id"])
    return JSONResponse(member_chapter_json(ctx, chapter))


async def reject_chapter(request: Request) -> Response:
    ctx, requester = await _network_admin(request)
    chapter = await ctx.networks.chapters.reject(requester, request.path_params["id"])
    return JSONResponse(member_chapter_json(ctx, chapter))


async def update_chapter(request: Request) -> Response:
    ctx, requester = await _network_admin(request)
    body = await checked_body(request)
    chapter = await ctx.networks.chapters.update(requester, request.path_params["id"], body)
    return JSONResponse(member_chapter_json(ctx, chapter))


routes = [
    Route("/api/v1/affiliations", list_affiliations, methods=["GET"]),
    Route("/api/v1/affiliations", affiliate, methods=["POST"]),
    Route("/api/v1/affiliations/{id}", leave, methods=["DELETE"]),
    Route("/api/v1/network/chapters", list_chapters, methods=["GET"]),
    Route("/api/v1/network/chapters/{id}/accept", accept_chapter, methods=["POST"]),
    Route("/api/v1/network/chapters/{id}/reject", reject_chapter, methods=["POST"]),
    Route("/api/v1/network/chapters/{id}", update_chapter, methods=["PATCH"]),
]
