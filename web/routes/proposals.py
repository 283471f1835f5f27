"""Proposal pages: the list, one proposal (HTML for people, the Question for
servers), its ballot and results, and the form to write one.

Every form works without JavaScript: a ranked ballot is a preference number
typed beside each option; the page's small script only adds drag ordering,
which fills in the same numbers.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import DomainError, NotFound, ValidationError
from fedchapter.proposals.ballots import ranking_from_numbers
from fedchapter.proposals.model import Method, Proposal
from fedchapter.roles import Permission
from fedchapter.services.proposals import Requester
from fedchapter.text import render_markdown
from fedchapter.visibility import Visibility
from federation.to_as.proposals import poll_to_as
from federation.to_as.registry import ConversionContext
from web.auth import require_permission
from web.comment_thread import comment_thread
from web.context import AppContext, context_of
from web.forms import Form, flash, read_form
from web.i18n import gettext_for
from web.negotiation import prefers_activity_json
from web.proposal_pages import gather, requester_for
from web.proposal_tables import stage_table
from web.responses import activity_json, json_error
from web.templating import render

LIST_LIMIT = 100
MANAGE_ACTIONS = frozenset({"open", "close", "decide"})


async def _requester(request: Request, permission: Permission) -> Requester:
    await require_permission(request, permission)
    requester = await requester_for(request)
    assert requester is not None
    return requester


async def proposals_page(request: Request) -> Response:
    ctx = context_of(request)
    found = await ctx.proposals.proposals.page(await requester_for(request), LIST_LIMIT)
    return render(request, "proposals/list.html", {
        "open": [p for p in found if p.status.value == "open"],
        "drafts": [p for p in found if p.status.value == "draft"],
        "finished": [p for p in found if p.is_finished],
    })


async def question_document(ctx: AppContext, proposal: Proposal) -> dict[str, Any]:
    chapter = await ctx.chapter_actor()
    conversion = ConversionContext(
        urls=ctx.urls, actor=chapter, actor_url=ctx.urls.actor(chapter.username),
        language=ctx.settings.language, timezone=ctx.settings.timezone, visibility=Visibility.PUBLIC,
    )
    return poll_to_as(await ctx.proposals.proposals.snapshot(proposal), conversion)


async def proposal_page(request: Request) -> Response:
    ctx = context_of(request)
    requester = await requester_for(request)
    wants_json = prefers_activity_json(request.headers.get("accept"))
    try:
        proposal = await ctx.proposals.proposals.get(request.path_params["id"], None if wants_json else requester)
    except NotFound:
        if wants_json:
            return json_error(404, "no such proposal")
        raise
    if wants_json:
        return activity_json(await question_document(ctx, proposal))
    page = await gather(ctx, proposal, requester)
    names = await ctx.members.directory.names([objection.voter for objection in page.objections])
    return render(request, "proposals/show.html", {
        "objections": page.objections,
        "voter_names": names,
        "proposal": proposal,
        "body_html": render_markdown(proposal.body),
        "counts": page.snapshot.counts,
        "voters": page.snapshot.voters,
        "my_vote": page.my_vote,
        "chapters": page.chapters,
        "result": proposal.result,
        "stages": stage_table(proposal) if proposal.result is not None else None,
        "may_vote": requester is not None and requester.may(Permission.VOTE),
        "accepting": proposal.is_accepting_votes(ctx.proposals.proposals.clock()),
        "ap_id": ctx.urls.proposal(proposal.id),
        "comments": await comment_thread(request, ctx.urls.proposal(proposal.id)),
    })


def _ballot_body(proposal: Proposal, form: Form) -> dict[str, Any]:
    reason = form.get("reason") or None
    if proposal.method.is_ranked:
        numbers = {option: form.get(f"rank-{number}", "") for number, option in enumerate(proposal.options)}
        return {"ranking": ranking_from_numbers(proposal, numbers), "reason": reason}
    if proposal.method is Method.MULTIPLE:
        return {"choices": form.getlist("choices") or None, "reason": reason}
    return {"choice": form.get("choice"), "reason": reason}


async def vote_form(request: Request) -> Response:
    requester = await _requester(request, Permission.VOTE)
    ctx = context_of(request)
    form = await read_form(request)
    _ = gettext_for(request)
    service = ctx.proposals.proposals
    proposal = await service.get(request.path_params["id"], requester)
    try:
        await service.vote(proposal.id, requester.actor, _ballot_body(proposal, form))
        flash(request, _("Your vote is counted. You may change it until the proposal closes."))
    except DomainError as error:
        flash(request, _("Your vote was not counted: %(reason)s", reason=str(error)), "error")
    return RedirectResponse(f"/proposals/{proposal.id}", status_code=303)


async def manage_form(request: Request) -> Response:
    """Open a draft, close now, or record the decision: one small form each."""
    requester = await _requester(request, Permission.MANAGE_PROPOSALS)
    form = await read_form(request)
    service = context_of(request).proposals.proposals
    proposal_id = request.path_params["id"]
    action = request.path_params["action"]
    if action not in MANAGE_ACTIONS:
        raise NotFound("no such page")
    try:
        if action == "open":
            await service.open(requester, proposal_id)
        elif action == "close":
            await service.close(requester, proposal_id)
        else:
            await service.decide(requester, proposal_id, form.get("statement", ""))
    except DomainError as error:
        flash(request, str(error), "error")
    return RedirectResponse(f"/proposals/{proposal_id}", status_code=303)


def form_to_body(form: Form, timezone: str) -> dict[str, Any]:
    """The new-proposal form as the API's body; the closing time is typed in the chapter's zone."""
    def lines(name: str) -> list[str]:
        return [line.strip() for line in (form.get(name) or "").splitlines() if line.strip()]

    body: dict[str, Any] = {"title": form.get("title", ""), "body": form.get("body", ""),
                            "method": form.get("method") or None, "hide_results": form.get("hide_results") == "on"}
    method = form.get("method", "")
    if method in ("single", "multiple", "irv", "stv"):
        body["options"] = lines("options")
    if method == "stv":
        raw_seats = (form.get("seats") or "").strip()
        if raw_seats:
            if not raw_seats.isdigit():
                raise ValidationError("seats", "enter a whole number")
            body["seats"] = int(raw_seats)
        body["stv_rule"] = form.get("stv_rule") or None
    closes = (form.get("closes_at") or "").strip()
    if closes:
        try:
            body["closes_at"] = datetime.fromisoformat(closes).replace(tzinfo=ZoneInfo(timezone)).isoformat()
        except ValueError:
            raise ValidationError("closes_at", "enter a date and time") from None
    for name in ("quorum", "threshold", "status"):
        if (form.get(name) or "").strip() and not (method in ("irv", "stv") and name == "threshold"):
            body[name] = form.get(name, "").strip()
    if lines("share_with"):
        body["share_with"] = lines("share_with")
    return body


async def new_proposal(request: Request) -> Response:
    await _requester(request, Permission.DRAFT_PROPOSAL)
    return render(request, "proposals/new.html", {"values": {}, "methods": [m.value for m in Method]})


async def create_from_form(request: Request) -> Response:
    requester = await _requester(request, Permission.DRAFT_PROPOSAL)
    ctx = context_of(request)
    form = await read_form(request)
    try:
        proposal = await ctx.proposals.proposals.create(requester, form_to_body(form, ctx.settings.timezone))
    except ValidationError as error:
        return render(request, "proposals/new.html", {
            "values": dict(form), "methods": [m.value for m in Method], "error": error.message,
            "error_field": error.field,
        }, status_code=422)
    return RedirectResponse(f"/proposals/{proposal.id}", status_code=303)


routes = [
    Route("/proposals", proposals_page, methods=["GET"]),
    Route("/proposals/new", new_proposal, methods=["GET"]),
    Route("/proposals/new", create_from_form, methods=["POST"]),
    Route("/proposals/{id}", proposal_page, methods=["GET"]),
    Route("/proposals/{id}/vote", vote_form, methods=["POST"]),
    Route("/proposals/{id}/{action:str}", manage_form, methods=["POST"]),
]
