"""The proposal services, wired from the app context once per app and kept in
``ctx.extras``, and the requester the domain needs from a request.

Votes are checked against the membership feature's directory (local accounts
with a voting role, remote member actors); the services publish through the
federation core's publisher inside their own transactions. Importing this
module registers the Question converter and the proposal receivers.
"""
from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

import federation.inbox.proposal_receivers  # noqa: F401  (registers the vote and Question receivers)
import federation.to_as.proposals  # noqa: F401  (registers the Question converter)
from fedchapter.proposals.model import ChapterResult, PollSnapshot, Proposal, Vote
from fedchapter.services.proposals import ProposalService, Requester
from fedchapter.services.shared_proposals import SharedProposalService
from federation.inbox.proposal_receivers import PROPOSALS_SERVICE, SHARED_PROPOSALS_SERVICE
from web.auth import current_user
from web.context import AppContext, context_of
from web.member_services import member_directory
from web.proposal_worker import ProposalSweeper

_KEY = "proposal_services"


@dataclass(frozen=True)
class ProposalServices:
    proposals: ProposalService
    shared: SharedProposalService
    sweeper: ProposalSweeper


def install_proposal_services(ctx: AppContext) -> ProposalServices:
    """Build the services, hand the inbox what the proposal receivers need and,
    where this process runs workers, start the sweeper (called in the lifespan)."""
    proposals = ProposalService(ctx.repos.proposals, member_directory(ctx), ctx.federation.publisher, ctx.database)
    sweeper = ProposalSweeper(proposals)
    proposals.on_counts_changed = sweeper.wake
    services = ProposalServices(
        proposals=proposals, shared=SharedProposalService(ctx.repos.proposals, proposals), sweeper=sweeper
    )
    ctx.extras[_KEY] = services
    inbox_services = ctx.federation.inbox_context.services
    inbox_services[PROPOSALS_SERVICE] = services.proposals
    inbox_services[SHARED_PROPOSALS_SERVICE] = services.shared
    if ctx.extras.get("run_workers"):
        sweeper.start()
    return services


async def stop_proposal_services(ctx: AppContext) -> None:
    found = ctx.extras.get(_KEY)
    if isinstance(found, ProposalServices):
        await found.sweeper.stop()


def proposal_services(ctx: AppContext) -> ProposalServices:
    found = ctx.extras.get(_KEY)
    return found if isinstance(found, ProposalServices) else install_proposal_services(ctx)


async def requester_for(request: Request) -> Requester | None:
    """The logged-in account as the proposal services know it, or None."""
    user = await current_user(request)
    if user is None:
        return None
    return Requester(actor=context_of(request).urls.actor(user.username), role=user.role)


@dataclass(frozen=True)
class ProposalPage:
    """Everything shown about one proposal: counts as visible, other chapters'
    decisions, and the asker's own vote."""

    snapshot: PollSnapshot
    chapters: list[ChapterResult]
    my_vote: Vote | None


async def gather(ctx: AppContext, proposal: Proposal, requester: Requester | None) -> ProposalPage:
    services = proposal_services(ctx)
    snapshot = await services.proposals.snapshot(proposal)
    chapters = await services.shared.chapter_results(proposal.id)
    my_vote = None if requester is None else await services.proposals.my_vote(proposal.id, requester.actor)
    return ProposalPage(snapshot=snapshot, chapters=chapters, my_vote=my_vote)


HOME_PAGE_LIMIT = 5


async def open_proposals_for_home(ctx: AppContext) -> list[Proposal]:
    return await proposal_services(ctx).proposals.open_now(HOME_PAGE_LIMIT)
