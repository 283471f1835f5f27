"""Receivers for what concerns proposals: Mastodon poll votes and chapters'
decisions (both Notes replying to our Question), and proposals other
chapters share with us (Questions with `fc:method`).

The Note receiver goes before the comments' one: a Note with a `name`, no
content and `inReplyTo` one of our Questions is a vote, never a comment. A
refused vote is recorded as ignored with its reason (not a member, voting
closed, already voted…) and changes nothing.
"""
from __future__ import annotations

from typing import Any

from fedchapter.errors import DomainError
from fedchapter.services.proposals import ProposalService
from fedchapter.services.shared_proposals import SharedProposalService
from federation.from_as.proposals import addressed, read_chapter_result, read_offer, read_poll_vote
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.receivers import register_receiver

PROPOSALS_SERVICE = "proposals"
SHARED_PROPOSALS_SERVICE = "shared_proposals"


def _proposals(ctx: InboxContext) -> ProposalService:
    service = ctx.services.get(PROPOSALS_SERVICE)
    if not isinstance(service, ProposalService):
        raise RuntimeError("the proposals service is not registered in the inbox context")
    return service


def _shared(ctx: InboxContext) -> SharedProposalService:
    service = ctx.services.get(SHARED_PROPOSALS_SERVICE)
    if not isinstance(service, SharedProposalService):
        raise RuntimeError("the shared proposals service is not registered in the inbox context")
    return service


def _speaks_for_itself(activity: ReceivedActivity, author: str, what: str) -> None:
    # The signature proves who sent the activity; a Note naming someone else
    # as its author is a forgery, whatever it says.
    if author != activity.actor:
        raise Ignored(f"refused {what}: attributedTo {author} is not the signed actor {activity.actor}")


class ProposalNoteReceiver:
    """Poll votes and decisions reported back by chapters."""

    async def create(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        try:
            vote = read_poll_vote(ctx.urls, obj)
            decision = None if vote is not None else read_chapter_result(ctx.urls, obj)
        except ValueError as error:
            raise Ignored(str(error)) from None
        if vote is not None:
            _speaks_for_itself(activity, vote.voter, "a poll vote")
            try:
                await _proposals(ctx).vote_by_poll(vote.proposal_id, vote.voter, vote.option, vote.note_id)
            except DomainError as error:
                raise Ignored(f"refused the poll vote of {vote.voter}: {error}") from None
            return True
        if decision is not None:
            proposal_id, chapter, result = decision
            _speaks_for_itself(activity, chapter, "a chapter's decision")
            ours = await ctx.chapter_actor()
            follower = await ctx.stores.followers.get(ours.id, chapter)
            try:
                await _shared(ctx).record_result(
                    proposal_id, chapter, result, follows_us=follower is not None and follower.state == "accepted"
                )
            except DomainError as error:
                raise Ignored(f"refused the decision of {chapter}: {error}") from None
            return True
        return False

    async def update(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        # A corrected decision replaces the earlier one; votes are never updated.
        try:
            decision = read_chapter_result(ctx.urls, obj)
        except ValueError as error:
            raise Ignored(str(error)) from None
        if decision is None:
            return False
        return await self.create(ctx, activity, obj)

    async def delete(self, ctx: InboxContext, activity: ReceivedActivity, object_id: str) -> bool:
        return False


class SharedQuestionReceiver:
    """A proposal another chapter shared with us, or published by a chapter we
    follow, kept as an offer to adopt."""

    async def create(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        try:
            offer = read_offer(obj, ctx.clock())
        except ValueError as error:
            raise Ignored(str(error)) from None
        if offer is None:
            return False
        _speaks_for_itself(activity, offer.origin_chapter, "a shared proposal")
        chapter = await ctx.chapter_actor()
        shared_with_us = ctx.urls.actor(chapter.username) in addressed(obj) | addressed(activity.payload)
        followed = await ctx.stores.following.get(chapter.id, offer.origin_chapter)
        if not shared_with_us and (followed is None or followed.state != "accepted"):
            raise Ignored("a proposal neither shared with this chapter nor from a chapter it follows")
        await _shared(ctx).receive_offer(offer)
        return True

    async def update(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        # The origin's batched count updates and its close: keep the offer current.
        return await self.create(ctx, activity, obj)

    async def delete(self, ctx: InboxContext, activity: ReceivedActivity, object_id: str) -> bool:
        return False


NOTE_RECEIVER = ProposalNoteReceiver()
QUESTION_RECEIVER = SharedQuestionReceiver()


def register() -> None:
    """Register once; the Note receiver must be asked before the comments' receiver."""
    register_receiver("Note", NOTE_RECEIVER, first=True)
    register_receiver("Question", QUESTION_RECEIVER)


register()
