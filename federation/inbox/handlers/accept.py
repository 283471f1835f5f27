"""Accept: a peer accepted a Follow we sent (other Accepts belong to features)."""
from __future__ import annotations

from federation.inbox.activity import Ignored, ReceivedActivity
from federation.inbox.context import InboxContext
from federation.inbox.handlers.follow_answers import settle_follow


async def handle(ctx: InboxContext, activity: ReceivedActivity) -> None:
    if not await settle_follow(ctx, activity, "accepted"):
        raise Ignored("it accepts nothing we are waiting for")
