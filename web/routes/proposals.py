"""Proposal pages: the list, one proposal (HTML for people, the Question for
servers), its ballot and results, and the form to write one.

Every form works without JavaScript: a ranked ballot is a preference number
typed beside each option; the page's small script only adds drag ordering,
which fills in the same numbers.
"""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import DomainError, NotFound, ValidationError
from fedchapter.networks.tally import NetworkTally
from fedchapter.proposals.ballots import ranking_from_numbers
from fedchapter.proposals.model import Method, Proposal
from fedchapter.proposals.tally import threshold_met
from fedchapter.proposals.validation import read_proposal
from fedchapter.roles import Permission
from fedchapter.services.network_ballots import MembersTally
from fedchapter.services.proposals import Requester
from fedchapter.text import render_markdown
from fedchapter.visibility import Visibility
from federation.to_as.proposals import poll_to_as
from federation.to_as.registry import ConversionContext
from web.auth import require_permission
from web.comment_thread import comment_thread
from web.confirm import confirm_page, is_confirmed
from web.conditional import conditional
from web.context import AppContext, context_of
from web.form_errors import form_errors
from web.forms import Form, flash, read_form
from web.i18n import gettext_for
from web.negotiation import prefers_activity_json
from web.proposal_forms import PROPOSAL_FIELDS, ballot_locator, form_to_body, typed_ballot
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
        # Public (drafts are not served as JSON); the tag follows the vote counts.
        return conditional(request, activity_json(await question_document(ctx, proposal)))
    return await _proposal_view(request, ctx, proposal, requester)


async def _proposal_view(request: Request, ctx: AppContext, proposal: Proposal, requester: Requester | None,
                         refused: dict[str, Any] | None = None) -> Response:
    """The proposal's page; `refused` brings a ballot back with its problems (422)."""
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
        # A network's proposal: the chapters' reports under its rule, or each chapter's turnout.
        "network_tally": page.network if isinstance(page.network, NetworkTally) else None,
        "turnout": page.network.by_chapter if isinstance(page.network, MembersTally) else None,
        "offer": page.offer,
        "relayed": page.relayed,
        "result": proposal.result,
        "stages": stage_table(proposal, request.state.language) if proposal.result is not None else None,
        "threshold_met": threshold_met(proposal),
        "may_vote": requester is not None and requester.may(Permission.VOTE),
        "accepting": proposal.is_accepting_votes(ctx.proposals.proposals.clock()),
        "ap_id": ctx.urls.proposal(proposal.id),
        "comments": await comment_thread(request, ctx.urls.proposal(proposal.id)),
        **(refused or {}),
    }, status_code=422 if refused else 200)


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
    except ValidationError as error:
        # The ballot comes back as it was filled in, each problem beside its place.
        return await _proposal_view(request, ctx, proposal, requester, {
            "ballot": typed_ballot(proposal, form),
            "ballot_errors": form_errors(request, error, ballot_locator(proposal)),
        })
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
    if action == "close" and not is_confirmed(form):  # closing early cannot be undone: ask first
        proposal = await service.get(proposal_id, requester)
        _ = gettext_for(request)
        return confirm_page(
            request, question=_("Close the vote on “%(title)s” now?", title=proposal.title),
            explanation=_("Nobody can vote or change their vote after this, and the result is counted at once. "
                          "This cannot be undone."),
            action=f"/proposals/{proposal.id}/close", confirm_label=_("Close the vote now"),
            back=f"/proposals/{proposal.id}")
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


async def new_proposal(request: Request) -> Response:
    await _requester(request, Permission.DRAFT_PROPOSAL)
    return render(request, "proposals/new.html", {"values": {}, "methods": [m.value for m in Method]})


async def create_from_form(request: Request) -> Response:
    requester = await _requester(request, Permission.DRAFT_PROPOSAL)
    ctx = context_of(request)
    form = await read_form(request)
    service = ctx.proposals.proposals
    try:
        body, problems = form_to_body(form, ctx.settings.timezone)
        if problems:  # report the rest of the form too, and store nothing
            problems.take(lambda: read_proposal(body, service.clock()))
            problems.raise_any()
        proposal = await service.create(requester, body)
    except ValidationError as error:
        return render(request, "proposals/new.html", {
            "values": dict(form), "methods": [m.value for m in Method],
            "errors": form_errors(request, error, PROPOSAL_FIELDS),
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
