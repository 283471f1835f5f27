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

from fedchapter.errors import N_, ValidationError
from fedchapter.roles import Permission
from fedchapter.services.proposals import Requester
from web.api_operation import checked_body
from web.auth import require_permission, require_user
from web.context import context_of
from web.pagination import list_answer, page_of, sliced_answer
from web.proposal_json import offer_json, proposal_json, vote_json, vote_record_json
from web.proposal_pages import gather, requester_for


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
    proposal = await ctx.proposals.proposals.get(proposal_id, requester)
    page = await gather(ctx, proposal, requester)
    document = proposal_json(ctx, page.snapshot, chapters=page.chapters, my_vote=page.my_vote, network=page.network,
                             objections=page.objections)
    return JSONResponse(document, status_code=status_code)


async def create_proposal(request: Request) -> Response:
    requester = await _requester(request, Permission.DRAFT_PROPOSAL)
    body = await checked_body(request)
    proposal = await context_of(request).proposals.proposals.create(requester, body)
    return await _answer(request, proposal.id, status_code=201)


async def list_proposals(request: Request) -> Response:
    ctx = context_of(request)
    page = page_of(request)
    requester = await requester_for(request)
    service = ctx.proposals.proposals
    found, more = page.trim(await service.page(requester, page.fetch, page.offset))
    items = [proposal_json(ctx, await service.snapshot(proposal)) for proposal in found]
    return list_answer(request, page, items, more)


async def get_proposal(request: Request) -> Response:
    return await _answer(request, request.path_params["id"])


async def vote(request: Request) -> Response:
    requester = await _requester(request)
    body = await checked_body(request)
    service = context_of(request).proposals.proposals
    cast = await service.vote(request.path_params["id"], requester.actor, body)
    proposal = await service.get(request.path_params["id"], requester)
    return JSONResponse(vote_json(proposal, cast))


async def open_proposal(request: Request) -> Response:
    requester = await _requester(request, Permission.MANAGE_PROPOSALS)
    await context_of(request).proposals.proposals.open(requester, request.path_params["id"])
    return await _answer(request, request.path_params["id"])


async def close_proposal(request: Request) -> Response:
    requester = await _requester(request, Permission.MANAGE_PROPOSALS)
    ctx = context_of(request)
    proposal = await ctx.proposals.proposals.close(requester, request.path_params["id"])
    page = await gather(ctx, proposal, requester)
    document = proposal_json(ctx, page.snapshot, chapters=page.chapters, my_vote=page.my_vote, network=page.network,
                             objections=page.objections)
    # "Closes now; answers the result": the result's fields lead, the proposal follows.
    return JSONResponse({**(document["result"] or {}), "id": proposal.id, "ap_id": document["ap_id"],
                         "url": document["url"], "status": proposal.status.value, "result": document["result"],
                         "proposal": document})


async def decide_proposal(request: Request) -> Response:
    requester = await _requester(request, Permission.MANAGE_PROPOSALS)
    body = await checked_body(request)
    statement = body.get("statement")
    if not isinstance(statement, str):
        raise ValidationError("statement", N_("write the outcome statement as text"))
    await context_of(request).proposals.proposals.decide(requester, request.path_params["id"], statement)
    return await _answer(request, request.path_params["id"])


async def vote_log(request: Request) -> Response:
    requester = await _requester(request)
    records = await context_of(request).proposals.proposals.vote_log(requester, request.path_params["id"])
    return sliced_answer(request, records, vote_record_json)


async def offers(request: Request) -> Response:
    requester = await _requester(request)
    shared = context_of(request).proposals.shared
    found = await shared.offers(requester)
    items = [(offer, adopted, await shared.relayed_reports(requester, offer.question_id)) for offer, adopted in found]
    return sliced_answer(request, items, lambda item: offer_json(*item))


async def adopt(request: Request) -> Response:
    requester = await _requester(request, Permission.MANAGE_PROPOSALS)
    body = await checked_body(request)
    question = body.get("question")
    if not isinstance(question, str) or not question:
        raise ValidationError("question", N_("give the id of the shared proposal (its Question)"))
    unknown = sorted(set(body) - {"question", "closes_at", "method", "quorum", "threshold"})
    if unknown:
        raise ValidationError(unknown[0], N_("unknown field; adopt takes question, closes_at, method, quorum, threshold"))
    proposal = await context_of(request).proposals.shared.adopt(
        requester, question, body.get("closes_at"), own=body
    )
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
