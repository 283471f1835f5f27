"""What the proposal pages need beyond the services (built by the composition
root): the requester the domain needs from a request, and one proposal's page."""
from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from fedchapter.proposals.model import ChapterResult, PollSnapshot, Proposal, ProposalOffer, Vote
from fedchapter.proposals.tally import Objection
from fedchapter.networks.model import NetworkRule, RelayedReport, Scope
from fedchapter.networks.tally import NetworkTally, network_tally
from fedchapter.services.network_ballots import MembersTally
from fedchapter.services.proposals import Requester
from web.auth import current_user
from web.context import AppContext, context_of


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
    # A network's proposal: the member chapters' reports combined under its
    # rule (scope chapters), or each chapter's turnout (scope members).
    network: NetworkTally | MembersTally | None = None
    # Consent: blocks and disagreements with author and reason (see ProposalService.objections).
    objections: tuple[Objection, ...] = ()
    # Our copy of a network's proposal (members only): the network's offer with
    # its last tally, and the other chapters' reports relayed to us, each verified.
    offer: ProposalOffer | None = None
    relayed: tuple[RelayedReport, ...] = ()


async def gather(ctx: AppContext, proposal: Proposal, requester: Requester | None) -> ProposalPage:
    services = ctx.proposals
    snapshot = await services.proposals.snapshot(proposal)
    chapters = await services.shared.chapter_results(proposal.id)
    my_vote = None if requester is None else await services.proposals.my_vote(proposal.id, requester.actor)
    network: NetworkTally | MembersTally | None = None
    if proposal.scope == Scope.MEMBERS.value:
        # Every member's ballot, forwarded by their chapters: each chapter's turnout beside the counts.
        network = await ctx.networks.ballots.tally(proposal)
    elif proposal.scope is not None:
        weights = await ctx.networks.chapters.weights()
        network = network_tally(proposal.share_with, chapters, weights, NetworkRule(proposal.network_rule or "chapters"))
    offer, relayed = (await services.shared.from_the_network(requester, proposal.adopted_from)
                      if proposal.adopted_from else (None, []))
    return ProposalPage(snapshot=snapshot, chapters=chapters, my_vote=my_vote, network=network,
                        objections=await services.proposals.objections(proposal, requester),
                        offer=offer, relayed=tuple(relayed))


HOME_PAGE_LIMIT = 5


async def open_proposals_for_home(ctx: AppContext) -> list[Proposal]:
    return await ctx.proposals.proposals.open_now(HOME_PAGE_LIMIT)
