"""The proposals API (`/api/v1/proposals`), as docs/interfaces.md names it.

`POST` opens the proposal at once for facilitators and keeps a member's as a
draft (`"status": "draft"` asks for a draft explicitly); a draft is opened
with `POST /api/v1/proposals/{id}/open`. `close` answers the result at the top
level (and the whole proposal with it); `decide` records the outcome
statement. Proposals other chapters shared with us are listed under
`/api/v1/proposals/offers` and adopted with `POST /api/v1/proposals/adopt`.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fedchapter.errors import ValidationError
from fedchapter.roles import Permission
from fedchapter.services.proposals import Requester
from web.api_support import json_object
from web.auth import require_permission, require_user
from web.context import context_of
from web.proposal_json import offer_json, proposal_json, vote_json, vote_record_json
from web.proposal_services import gather, proposal_services, requester_for
from web.record_api import page_answer, paging


async def _requester(request: Request, permission: Permission | None = None) -> Requester:
    if permission is None:
        await require_user(request)
    else:
        await require_permission(request, permission)
    requester = await requester_for(request)
    assert requester is not None
    return requester


async def _answer(request: Request, proposal_id: str, status_code: int = 200) -> JSONResponse:
    ctx = context_of(request)
    requester = await requester_for(request)
    proposal = await proposal_services(ctx).proposals.get(proposal_id, requester)
    page = await gather(ctx, proposal, requester)
    document = proposal_json(ctx, page.snapshot, chapters=page.chapters, my_vote=page.my_vote)
    return JSONResponse(document, status_code=status_code)


async def create_proposal(request: Request) -> Response:
    requester = await _requester(request, Permission.DRAFT_PROPOSAL)
    body = await json_object(request)
    proposal = await proposal_services(context_of(request)).proposals.create(requester, body)
    return await _answer(request, proposal.id, status_code=201)


async def list_proposals(request: Request) -> Response:
    ctx = context_of(request)
    limit, offset = paging(request)
    requester = await requester_for(request)
    service = proposal_services(ctx).proposals
    items = []
    for proposal in await service.page(requester, limit, offset):
        items.append(proposal_json(ctx, await service.snapshot(proposal)))
    return page_answer(request, items, limit, offset)


async def get_proposal(request: Request) -> Response:
    return await _answer(request, request.path_params["id"])


async def vote(request: Request) -> Response:
    requester = await _requester(request)
    body = await json_object(request)
    service = proposal_services(context_of(request)).proposals
    cast = await service.vote(request.path_params["id"], requester.actor, body)
    proposal = await service.get(request.path_params["id"], requester)
    return JSONResponse(vote_json(proposal, cast))


async def open_proposal(request: Request) -> Response:
    requester = await _requester(request, Permission.MANAGE_PROPOSALS)
    await proposal_services(context_of(request)).proposals.open(requester, request.path_params["id"])
    return await _answer(request, request.path_params["id"])


async def close_proposal(request: Request) -> Response:
    requester = await _requester(request, Permission.MANAGE_PROPOSALS)
    ctx = context_of(request)
    proposal = await proposal_services(ctx).proposals.close(requester, request.path_params["id"])
    page = await gather(ctx, proposal, requester)
    document = proposal_json(ctx, page.snapshot, chapters=page.chapters, my_vote=page.my_vote)
    # "Closes now; answers the result": the result's fields lead, the proposal follows.
    return JSONResponse({**(document["result"] or {}), "id": proposal.id, "ap_id": document["ap_id"],
                         "url": document["url"], "status": proposal.status.value, "result": document["result"],
                         "proposal": document})


async def decide_proposal(request: Request) -> Response:
    requester = await _requester(request, Permission.MANAGE_PROPOSALS)
    body = await json_object(request)
    statement = body.get("statement")
    if not isinstance(statement, str):
        raise ValidationError("statement", "write the outcome statement as text")
    await proposal_services(context_of(request)).proposals.decide(requester, request.path_params["id"], statement)
    return await _answer(request, request.path_params["id"])


async def vote_log(request: Request) -> Response:
    requester = await _requester(request)
    records = await proposal_services(context_of(request)).proposals.vote_log(requester, request.path_params["id"])
    return JSONResponse({"items": [vote_record_json(record) for record in records], "next": None})


async def offers(request: Request) -> Response:
    requester = await _requester(request)
    found = await proposal_services(context_of(request)).shared.offers(requester)
    return JSONResponse({"items": [offer_json(offer) for offer in found], "next": None})


async def adopt(request: Request) -> Response:
    requester = await _requester(request, Permission.MANAGE_PROPOSALS)
    body = await json_object(request)
    question = body.get("question")
    if not isinstance(question, str) or not question:
        raise ValidationError("question", "give the id of the shared proposal (its Question)")
    proposal = await proposal_services(context_of(request)).shared.adopt(requester, question, body.get("closes_at"))
    return await _answer(request, proposal.id, status_code=201)


routes = [
    Route("/api/v1/proposals", create_proposal, methods=["POST"]),
    Route("/api/v1/proposals", list_proposals, methods=["GET"]),
    Route("/api/v1/proposals/offers", offers, methods=["GET"]),
    Route("/api/v1/proposals/adopt", adopt, methods=["POST"]),
    Route("/api/v1/proposals/{id}", get_proposal, methods=["GET"]),
    Route("/api/v1/proposals/{id}/vote", vote, methods=["POST"]),
    Route("/api/v1/proposals/{id}/open", open_proposal, methods=["POST"]),
    Route("/api/v1/proposals/{id}/close", close_proposal, methods=["POST"]),
    Route("/api/v1/proposals/{id}/decide", decide_proposal, methods=["POST"]),
    Route("/api/v1/proposals/{id}/votes", vote_log, methods=["GET"]),
]
