"""Receivers for what concerns proposals: Mastodon poll votes and chapters'
decisions (both Notes replying to our Question), and proposals other
chapters share with us (Questions with `fc:method`).

``federation.inbox.dispatch.object_kind`` decides which Notes are votes and
decisions (never comments). A refused vote is recorded as ignored with its reason (not a member, voting
closed, already voted…) and changes nothing.
"""
from __future__ import annotations

import json
from typing import Any

from fedchapter.errors import DomainError
from fedchapter.queue_states import FollowState
from federation.from_as.proposals import (
    addressed,
    first_id,
    ours,
    read_chapter_result,
    read_offer,
    read_poll_vote,
)
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.proofs import check_proof, has_proof
from federation.local_actors import local_actor_url
from federation.vocabulary import context


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
                await ctx.features.proposals.vote_by_poll(vote.proposal_id, vote.voter, vote.option, vote.note_id)
            except DomainError as error:
                raise Ignored(f"refused the poll vote of {vote.voter}: {error}") from None
            return True
        if decision is not None:
            proposal_id, chapter, result = decision
            _speaks_for_itself(activity, chapter, "a chapter's decision")
            # A proof that is there must hold; whether one is required is the service's rule.
            verified = has_proof(obj)
            if verified:
                await check_proof(ctx, obj, chapter, f"the decision of {chapter}")
            us = await ctx.chapter_actor()
            follower = await ctx.stores.followers.get(us.id, chapter)
            shared = ctx.features.shared_proposals
            try:
                await shared.record_result(
                    proposal_id, chapter, result, follows_us=follower is not None and follower.state == FollowState.ACCEPTED,
                    report=first_id(obj.get("id")), signed=json.dumps(obj, ensure_ascii=False), verified=verified,
                )
            except DomainError as error:
                raise Ignored(f"refused the decision of {chapter}: {error}") from None
            recipients = await shared.relay_recipients(proposal_id, chapter)
            if recipients:
                await _relay(ctx, obj, recipients)
            return True
        if activity.type == "Announce" and ours(obj, "result") is not None:
            return await _relayed_report(ctx, activity, obj)
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


async def _relay(ctx: InboxContext, obj: dict[str, Any], recipients: tuple[str, ...]) -> None:
    """A network passes a member chapter's report on to the other chapters,
    unchanged (FEP-1b12 Announce): its proof lets each check it themselves."""
    network = await ctx.chapter_actor()
    activity = {
        "@context": context(), "id": ctx.outbound.new_activity_id(), "type": "Announce",
        "actor": local_actor_url(ctx.urls, network), "object": obj, "to": list(recipients),
    }
    await ctx.outbound.send(activity, network, list(recipients))


async def _relayed_report(ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
    """Another chapter's result on a network proposal we were offered, relayed
    by the network: kept only when the reporting chapter's proof holds."""
    question, chapter = first_id(obj.get("inReplyTo")), first_id(obj.get("attributedTo"))
    result = ours(obj, "result")
    if question is None or chapter is None or not isinstance(result, dict):
        raise Ignored("a relayed report needs inReplyTo, attributedTo and an fc:result object")
    await check_proof(ctx, obj, chapter, f"the report of {chapter} relayed by {activity.actor}")
    try:
        await ctx.features.shared_proposals.receive_relayed_report(
            question, activity.actor, chapter, result, report=first_id(obj.get("id")),
            signed=json.dumps(obj, ensure_ascii=False),
        )
    except DomainError as error:
        raise Ignored(f"refused the report of {chapter} relayed by {activity.actor}: {error}") from None
    return True


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
        if not shared_with_us and (followed is None or followed.state != FollowState.ACCEPTED):
            raise Ignored("a proposal neither shared with this chapter nor from a chapter it follows")
        try:
            await ctx.features.shared_proposals.receive_offer(offer)
        except DomainError as error:
            # A members ballot whose copy cannot open here (its rules do not fit ours).
            raise Ignored(f"could not open the network's members ballot {offer.question_id}: {error}") from None
        return True

    async def update(self, ctx: InboxContext, activity: ReceivedActivity, obj: dict[str, Any]) -> bool:
        # The origin's batched count updates and its close: keep the offer current.
        return await self.create(ctx, activity, obj)

    async def delete(self, ctx: InboxContext, activity: ReceivedActivity, object_id: str) -> bool:
        return False
