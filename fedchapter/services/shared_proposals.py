"""Proposals that travel between chapters.

The origin shares a proposal (`share_with`); each receiving chapter keeps it as
an offer, may adopt it (a local proposal with the same text, method and
options, voted on by its own members) and, when its vote closes, reports its
decision back. The origin lists every chapter's decision beside its own.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from fedchapter.clock import utc_now
from fedchapter.errors import Conflict, Forbidden, NotFound, ValidationError
from fedchapter.proposals.model import ChapterResult, Outcome, Proposal, ProposalOffer, Status
from fedchapter.proposals.validation import ProposalDraft, read_proposal
from fedchapter.roles import Permission
from fedchapter.services.proposals import ProposalService, Requester


class OfferStore(Protocol):
    async def add_offer(self, offer: ProposalOffer) -> None: ...
    async def offers(self) -> list[ProposalOffer]: ...
    async def offer(self, question_id: str) -> ProposalOffer | None: ...
    async def by_adopted_from(self, question_id: str) -> Proposal | None: ...
    async def get(self, proposal_id: str) -> Proposal | None: ...
    async def put_chapter_result(self, proposal_id: str, result: ChapterResult) -> None: ...
    async def chapter_results(self, proposal_id: str) -> list[ChapterResult]: ...


class SharedProposalService:
    def __init__(
        self, store: OfferStore, proposals: ProposalService, *, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.store = store
        self.proposals = proposals
        self.clock = clock

    async def receive_offer(self, offer: ProposalOffer) -> None:
        await self.store.add_offer(offer)

    async def offers(self, viewer: Requester) -> list[ProposalOffer]:
        if not viewer.may(Permission.SEE_MEMBERS_ONLY):
            raise Forbidden("only members see proposals shared with the chapter")
        return await self.store.offers()

    async def adopt(self, requester: Requester, question_id: str, closes_at: object = None) -> Proposal:
        """Put another chapter's proposal to our members, opening it now."""
        if not requester.may(Permission.MANAGE_PROPOSALS):
            raise Forbidden("only facilitators adopt proposals from other chapters")
        offer = await self.store.offer(question_id)
        if offer is None:
            raise NotFound("no chapter shared a proposal with that id")
        if await self.store.by_adopted_from(question_id) is not None:
            raise Conflict("this proposal has already been adopted")
        body: dict[str, Any] = {
            "title": offer.title, "body": offer.body or offer.title, "method": offer.method.value,
            "options": list(offer.options), "closes_at": closes_at or offer.closes_at.isoformat(),
        }
        if offer.method.is_ranked:
            body["seats"] = offer.seats
        if offer.quorum is not None:
            body["quorum"] = offer.quorum.to_json()
        if offer.threshold is not None:
            body["threshold"] = offer.threshold.value
        draft: ProposalDraft = read_proposal(body, self.clock())
        return await self.proposals.add(
            draft, author=requester.actor, status=Status.OPEN, adopted_from=question_id,
            origin_chapter=offer.origin_chapter,
        )

    async def record_result(
        self, proposal_id: str, chapter: str, document: dict[str, Any], *, follows_us: bool = False
    ) -> ChapterResult:
        """A chapter's decision on one of our proposals. Only a chapter we shared
        it with, or one that follows us (and so received it), may report."""
        proposal = await self.store.get(proposal_id)
        if proposal is None:
            raise NotFound("no such proposal")
        if chapter not in proposal.share_with and not follows_us:
            raise Forbidden("this proposal was neither shared with that chapter nor does it follow us")
        result = ChapterResult(
            chapter=chapter,
            outcome=_outcome(document.get("outcome")),
            counts=_counts(document.get("counts")),
            voters=_count(document.get("voters"), "voters"),
            quorum_met=bool(document.get("quorum_met", True)),
            elected=tuple(str(name) for name in document.get("elected") or () if isinstance(name, str)),
            reported_at=self.clock(),
        )
        await self.store.put_chapter_result(proposal_id, result)
        return result

    async def chapter_results(self, proposal_id: str) -> list[ChapterResult]:
        return await self.store.chapter_results(proposal_id)


def _outcome(value: object) -> str:
    try:
        return Outcome(value).value
    except ValueError:
        raise ValidationError("outcome", "is not a proposal outcome") from None


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(field, "must be a whole number")
    return value


def _counts(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ValidationError("counts", "must map options to votes")
    return {str(option): _count(votes, f"counts.{option}") for option, votes in value.items()}
