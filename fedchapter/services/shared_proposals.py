"""Proposals that travel between chapters.

The origin shares a proposal (`share_with`); each receiving chapter keeps it as
an offer, may adopt it (a local proposal with the same text, method and
options, voted on by its own members) and, when its vote closes, reports its
decision back. The origin lists every chapter's decision beside its own.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import N_, Conflict, Forbidden, NotFound, ValidationError
from fedchapter.networks.model import RelayedReport, Scope
from fedchapter.proposals.model import ChapterResult, Outcome, Proposal, ProposalOffer, Status
from fedchapter.proposals.validation import ProposalDraft, read_proposal
from fedchapter.roles import Permission
from fedchapter.services.proposals import ProposalService, Requester


class OfferStore(Protocol):
    # Keeps the offer; its tally only when newer than the kept one (supersedes), decided as it writes.
    async def add_offer(self, offer: ProposalOffer) -> None: ...
    async def offers(self) -> list[ProposalOffer]: ...
    async def adopted_ids(self) -> dict[str, str]: ...
    async def offer(self, question_id: str) -> ProposalOffer | None: ...
    async def by_adopted_from(self, question_id: str) -> Proposal | None: ...
    async def get(self, proposal_id: str) -> Proposal | None: ...
    async def put_chapter_result(self, proposal_id: str, result: ChapterResult) -> None: ...
    async def chapter_results(self, proposal_id: str) -> list[ChapterResult]: ...


class RelayedReportStore(Protocol):
    async def put(self, report: RelayedReport) -> None: ...
    async def for_question(self, question_id: str) -> list[RelayedReport]: ...


async def _member_of_none(network: str) -> bool:
    return False


class SharedProposalService:
    def __init__(
        self, store: OfferStore, proposals: ProposalService, relayed: RelayedReportStore,
        *, clock: Callable[[], datetime] = utc_now,
        member_of: Callable[[str], Awaitable[bool]] = _member_of_none,
    ) -> None:
        self.store = store
        self.proposals = proposals
        self.relayed = relayed
        self.clock = clock
        # Whether this chapter is a member of that network (docs/networks.md).
        self.member_of = member_of

    async def receive_offer(self, offer: ProposalOffer) -> Proposal | None:
        """Keep the offer; a members ballot from a network we belong to opens
        at once (our local copy, which forwards each member's ballot).

        A network's tally older than the one kept (an Update overtaken by a
        later one on the way) is not kept; the rest of the offer still is.
        The store decides that as it writes (the rule is
        fedchapter.networks.tally.supersedes): reading first and writing
        after would let two inbox workers go back in time."""
        await self.store.add_offer(offer)
        if offer.scope != Scope.MEMBERS.value or not await self.member_of(offer.origin_chapter):
            return None
        if offer.closes_at <= self.clock() or await self.store.by_adopted_from(offer.question_id) is not None:
            return None  # over already, or opened when the offer first came (this is its Update)
        draft = read_proposal(_offer_body(offer, None), self.clock())
        return await self.proposals.add(
            draft, author=offer.origin_chapter, status=Status.OPEN, adopted_from=offer.question_id,
            origin_chapter=offer.origin_chapter,
        )

    async def offers(self, viewer: Requester) -> list[tuple[ProposalOffer, str | None]]:
        """Every offer with the id of our proposal that adopted it (or None)."""
        if not viewer.may(Permission.SEE_MEMBERS_ONLY):
            raise Forbidden("only members see proposals shared with the chapter")
        adopted = await self.store.adopted_ids()
        return [(offer, adopted.get(offer.question_id)) for offer in await self.store.offers()]

    async def adopt(
        self, requester: Requester, question_id: str, closes_at: object = None,
        own: dict[str, Any] | None = None,
    ) -> Proposal:
        """Put another chapter's proposal to our members, opening it now.

        ``own`` may set the chapter's own ``method``, ``quorum`` and ``threshold``:
        a chapter decides a shared yes-no question by consent if that is how it
        decides (its outcome, passed/rejected/blocked/no-quorum, is what it reports)."""
        if not requester.may(Permission.MANAGE_PROPOSALS):
            raise Forbidden("only facilitators adopt proposals from other chapters")
        offer = await self.store.offer(question_id)
        if offer is None:
            raise NotFound("no chapter shared a proposal with that id")
        if await self.store.by_adopted_from(question_id) is not None:
            raise Conflict("this proposal has already been adopted")
        if offer.scope == Scope.MEMBERS.value:
            # Counted by the network, ballot by ballot: no chapter decides it by other means.
            raise Conflict("a network's members ballot opens by itself when its offer arrives")
        body = _offer_body(offer, closes_at)
        body.update(_own_means(offer, own or {}))
        draft: ProposalDraft = read_proposal(body, self.clock())
        return await self.proposals.add(
            draft, author=requester.actor, status=Status.OPEN, adopted_from=question_id,
            origin_chapter=offer.origin_chapter,
        )

    async def record_result(
        self, proposal_id: str, chapter: str, document: dict[str, Any], *, follows_us: bool = False,
        report: str | None = None, signed: str | None = None, verified: bool = False,
    ) -> ChapterResult:
        """A chapter's decision on one of our proposals. Only a chapter we shared
        it with, or one that follows us (and so received it), may report.

        A network's proposal (``scope``) takes reports only from the chapters it
        was offered to, and once it is closed no report replaces an earlier one."""
        proposal = await self.store.get(proposal_id)
        if proposal is None:
            raise NotFound("no such proposal")
        if proposal.scope is not None:
            if chapter not in proposal.share_with:
                raise Forbidden("this network proposal was not offered to that chapter")
            if not verified:
                # Reports are relayed to every member chapter: each must be checkable by anyone.
                raise Forbidden("a report on a network proposal must carry the chapter's integrity proof")
            if proposal.is_finished and any(
                earlier.chapter == chapter for earlier in await self.store.chapter_results(proposal_id)
            ):
                raise Conflict("the proposal is closed; the chapter's report stands as it was")
        elif chapter not in proposal.share_with and not follows_us:
            raise Forbidden("this proposal was neither shared with that chapter nor does it follow us")
        result = ChapterResult(
            chapter=chapter,
            outcome=_outcome(document.get("outcome")),
            counts=_counts(document.get("counts")),
            voters=_count(document.get("voters"), "voters"),
            quorum_met=bool(document.get("quorum_met", True)),
            elected=tuple(str(name) for name in document.get("elected") or () if isinstance(name, str)),
            reported_at=self.clock(),
            report=report,
            document=signed,
            verified=verified,
        )
        await self.store.put_chapter_result(proposal_id, result)
        if proposal.scope is not None:
            await self.proposals.report_counted(proposal_id)
        return result

    async def chapter_results(self, proposal_id: str) -> list[ChapterResult]:
        return await self.store.chapter_results(proposal_id)

    async def relay_recipients(self, proposal_id: str, reporter: str) -> tuple[str, ...]:
        """Who a network relays a chapter's report to: the other chapters offered the proposal."""
        proposal = await self.store.get(proposal_id)
        if proposal is None or proposal.scope is None:
            return ()
        return tuple(chapter for chapter in proposal.share_with if chapter != reporter)

    async def receive_relayed_report(
        self, question_id: str, relayed_by: str, chapter: str, document: dict[str, Any],
        *, report: str | None, signed: str,
    ) -> RelayedReport:
        """Another chapter's result on a network proposal offered to us, relayed
        by that network (its proof already checked by the caller)."""
        offer = await self.store.offer(question_id)
        if offer is None or offer.scope is None:
            raise NotFound("no network offered this chapter that proposal")
        if offer.origin_chapter != relayed_by:
            raise Forbidden("only the network that offered the proposal relays its reports")
        relayed = RelayedReport(question_id=question_id, chapter=chapter, relayed_by=relayed_by, report=report,
                                outcome=_outcome(document.get("outcome")), document=signed,
                                received_at=self.clock())
        await self.relayed.put(relayed)
        return relayed

    async def relayed_reports(self, viewer: Requester, question_id: str) -> list[RelayedReport]:
        if not viewer.may(Permission.SEE_MEMBERS_ONLY):
            raise Forbidden("only members see proposals shared with the chapter")
        return await self.relayed.for_question(question_id)

    async def from_the_network(
        self, viewer: Requester | None, question_id: str
    ) -> tuple[ProposalOffer | None, list[RelayedReport]]:
        """For our copy of a network's proposal, what members see beside it: the
        offer with the network's last tally, and the other chapters' verified
        reports relayed to us. Nothing for anyone else (offers are members-only)."""
        if viewer is None or not viewer.may(Permission.SEE_MEMBERS_ONLY):
            return None, []
        offer = await self.store.offer(question_id)
        if offer is None or offer.scope is None:
            return None, []
        return offer, await self.relayed.for_question(question_id)


def _offer_body(offer: ProposalOffer, closes_at: object) -> dict[str, Any]:
    """The offer as a proposal body: same text, method, options and rules."""
    body: dict[str, Any] = {
        "title": offer.title, "body": offer.body or offer.title, "method": offer.method.value,
        "options": list(offer.options), "closes_at": closes_at or offer.closes_at.isoformat(),
    }
    if offer.method.is_ranked:
        body["seats"] = offer.seats
        if offer.method.value == "stv":
            body["stv_rule"] = offer.stv_rule.value
    if offer.quorum is not None:
        body["quorum"] = offer.quorum.to_json()
    if offer.threshold is not None:
        body["threshold"] = offer.threshold.value
    return body


def _outcome(value: object) -> str:
    try:
        return Outcome(value).value
    except ValueError:
        raise ValidationError("outcome", N_("is not a proposal outcome")) from None


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(field, N_("must be a whole number"))
    return value


def _counts(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ValidationError("counts", N_("must map options to votes"))
    return {str(option): _count(votes, f"counts.{option}") for option, votes in value.items()}


_OWN_MEANS = ("method", "quorum", "threshold")


def _own_means(offer: ProposalOffer, own: dict[str, Any]) -> dict[str, Any]:
    """The adopting chapter's own method, quorum and threshold, where given."""
    chosen = {name: own[name] for name in _OWN_MEANS if own.get(name) is not None}
    method = chosen.get("method")
    if method is not None and method != offer.method.value:
        # Only a yes-no question can be decided by other means with a comparable outcome.
        if offer.method.value != "yes-no" or method not in ("yes-no", "consent"):
            raise ValidationError("method", N_("only a yes-no question may be decided by consent instead"))
        chosen["options"] = []
    return chosen
