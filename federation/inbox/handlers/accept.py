"""Accept: a peer accepted a Follow we sent (other Accepts belong to features)."""
from __future__ import annotations

from fedchapter.networks.model import AffiliationStatus
from fedchapter.queue_states import FollowState
from federation.inbox import affiliation
from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.handlers.follow_answers import settle_follow


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    # Our Follow, or our Join to a network: each answer settles one of them.
    if await settle_follow(ctx, activity, FollowState.ACCEPTED):
        return
    if not await affiliation.settle(ctx, activity, AffiliationStatus.MEMBER):
        raise Ignored("it accepts nothing we are waiting for")
