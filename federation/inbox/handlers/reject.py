"""Reject: a peer refused a Follow we sent."""
from __future__ import annotations

from fedchapter.networks.model import AffiliationStatus
from fedchapter.queue_states import FollowState
from federation.inbox import affiliation
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.handlers.follow_answers import settle_follow


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    # Our Follow, or our Join to a network: each answer settles one of them.
    if await settle_follow(ctx, activity, FollowState.REJECTED):
        return
    if not await affiliation.settle(ctx, activity, AffiliationStatus.REJECTED):
        raise Ignored("it rejects nothing we sent")
